/*
 * admin/model.c: what every page of the editors' side holds (who is
 * logged in, the form token, the theme's admin assets, the navigation),
 * the ways a handler answers (a page, a redirect, an error), times in the
 * site's zone, items of lists and the audit lines of actions.
 */
#include "admin_int.h"

#include <stdarg.h>
#include <string.h>

static struct tval *user_model(struct areq *r)
{
	struct tval *u = tv_obj(r->a);

	tv_set_int(u, "id", r->user.id);
	tv_set_cstr(u, "login", r->user.login);
	tv_set_cstr(u, "name", r->user.name);
	tv_set_cstr(u, "role", store_role_name(r->user.role));
	tv_set_bool(u, "editor", admin__may(&r->user, ACT_PUBLISH, -1, 0));
	tv_set_bool(u, "admin", admin__may(&r->user, ACT_USERS, -1, 0));
	return u;
}

void admin__model(struct areq *r, const char *title, const char *section)
{
	struct tval *m = tv_obj(r->a), *nav = tv_obj(r->a);

	r->model = m;
	tv_set_cstr(m, "lang", "en");
	tv_set_cstr(m, "page_title", title);
	tv_set_cstr(m, "site_name",
	            config_site_name(&r->ad->cfg, r->ad->cfg.default_language));
	tv_set_cstr(m, "css", r->ad->css_url);
	tv_set_cstr(m, "js", r->ad->js_url);
	tv_set_cstr(
	    m, "site_url",
	    arena_printf(r->a, "/%s/news", r->ad->cfg.default_language));
	tv_set_cstr(m, "timezone", r->ad->cfg.timezone);
	if (r->logged_in) {
		tv_set(m, "user", user_model(r));
		tv_set_cstr(m, "csrf", r->session.csrf);
	}
	if (section)
		tv_set_bool(nav, section, true);
	tv_set(m, "nav", nav);
}

enum pr_err admin__render(struct areq *r, const char *name, int status)
{
	struct http_response *res = r->res;
	enum pr_err rc;

	if (r->model == NULL)
		return admin__fail(r, PR_NOMEM, 500, "out of memory");
	buf_reset(&res->body);
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	res->cacheable = false;
	res->cache_control = "no-store";
	res->lang = "en";
	rc = tmpl_render(r->ad->tmpl, name, r->model, &res->body, &r->err);
	if (rc == PR_OK && res->body.err != PR_OK)
		rc = pr_fail(&r->err, res->body.err, "page too large");
	return rc;
}

void admin__redirect(struct areq *r, const char *path)
{
	r->res->status = 303;
	r->res->location = path ? path : "/admin";
	r->res->cacheable = false;
	r->res->cache_control = "no-store";
	buf_reset(&r->res->body);
}

struct tval *admin__time(struct areq *r, int64_t t)
{
	struct tval *v;
	struct pr_date d;
	char iso[PR_TIME_LEN];

	if (t == 0)
		return NULL;
	v = tv_obj(r->a);
	pr_time_format(t, iso);
	pr_time_local(t, &d);
	tv_set_cstr(v, "iso", iso);
	tv_set_cstr(v, "text",
	            arena_printf(r->a, "%04d-%02d-%02d %02d:%02d", d.year,
	                         d.month, d.day, d.hour, d.min));
	tv_set_cstr(v, "input",
	            arena_printf(r->a, "%04d-%02d-%02dT%02d:%02d", d.year,
	                         d.month, d.day, d.hour, d.min));
	return v;
}

struct tval *admin__item(struct areq *r, const struct item *it)
{
	enum item_state st = admin__state(it->status, it->published_at,
	                                  it->submitted_at, r->now);
	struct tval *v = tv_obj(r->a);

	tv_set_int(v, "id", it->id);
	tv_set_cstr(v, "title", it->title);
	tv_set_cstr(v, "lang", it->lang);
	tv_set_cstr(v, "kind", it->kind);
	tv_set_cstr(v, "author", it->author);
	tv_set_cstr(v, "state", admin__state_name(st));
	tv_set_int(v, "revision", it->revision);
	if (it->status != ARTICLE_DRAFT)
		tv_set(v, "published", admin__time(r, it->published_at));
	tv_set(v, "updated", admin__time(r, it->updated_at));
	tv_set(v, "submitted", admin__time(r, it->submitted_at));
	tv_set_cstr(v, "edit_url",
	            arena_printf(r->a, "/admin/items/%lld", (long long)it->id));
	if (st == STATE_PUBLISHED)
		tv_set_cstr(v, "public_url",
		            arena_printf(r->a, "/%s/news/%lld-%s", it->lang,
		                         (long long)it->id, it->slug));
	return v;
}

enum pr_err admin__fail(struct areq *r, enum pr_err code, int status,
                        const char *fmt, ...)
{
	char msg[sizeof(r->err.msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->err.code == PR_OK)
		r->status = status;
	return pr_fail(&r->err, code, "%s", msg);
}

enum pr_err admin__audit(struct areq *r, const char *action, int64_t article_id,
                         const char *fmt, ...)
{
	struct audit_entry a = {0};
	char detail[512];
	size_t bad;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (!utf8_valid(detail, strlen(detail), &bad))
		detail[bad] = '\0'; /* a character cut by the limit */
	a.at = r->now;
	a.user_id = r->user.id;
	a.login = r->user.login ? r->user.login : "";
	a.action = action;
	a.article_id = article_id;
	a.detail = detail;
	a.address = r->addr;
	return store_audit_add(r->st, &a, &r->err);
}
