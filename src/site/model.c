/*
 * site/model.c: the parts every page model shares (site name, interface
 * strings, asset links, navigation, the language switch, dates, lists of
 * items) and the two ways a handler answers: a rendered page or a redirect.
 */
#include "site.h"

#include <string.h>

/* The first configured language other than lang; NULL when there is none. */
static const char *other_lang(const struct config *cfg, const char *lang)
{
	for (int i = 0; i < cfg->n_languages; i++)
		if (strcmp(cfg->languages[i], lang) != 0)
			return cfg->languages[i];
	return NULL;
}

static void nav_model(struct site_req *r, const char *current)
{
	struct tval *nav = tv_obj(r->a);

	tv_set(nav, "news",
	       tv_cstr(r->a, arena_printf(r->a, "/%s/news", r->lang)));
	tv_set(nav, "archive",
	       tv_cstr(r->a, arena_printf(r->a, "/%s/archive", r->lang)));
	tv_set(nav, "news_current",
	       tv_bool(r->a, current && strcmp(current, "news") == 0));
	tv_set(nav, "archive_current",
	       tv_bool(r->a, current && strcmp(current, "archive") == 0));
	tv_set_cstr(nav, "search", arena_printf(r->a, "/%s/search", r->lang));
	tv_set(r->model, "nav", nav);
}

static void switch_model(struct site_req *r, const char *path)
{
	const char *other = other_lang(r->cfg, r->lang);
	struct tval *sw = tv_obj(r->a);

	tv_set(r->model, "has_switch", tv_bool(r->a, other != NULL));
	if (!other)
		return;
	if (!path)
		path = arena_printf(r->a, "/%s/news", other);
	tv_set(sw, "url", tv_cstr(r->a, path));
	tv_set(sw, "lang", tv_cstr(r->a, other));
	tv_set(sw, "label", tv_cstr(r->a, i18n(other, "lang_name")));
	tv_set(r->model, "switch", sw);
}

void site__model(struct site_req *r, const char *title, const char *current,
                 const char *canonical, const char *switch_path)
{
	struct tval *m = tv_obj(r->a), *asset = tv_obj(r->a);
	const struct site *s = r->site;

	r->model = m;
	tv_set(m, "lang", tv_cstr(r->a, r->lang));
	tv_set(m, "site_name",
	       tv_cstr(r->a, config_site_name(r->cfg, r->lang)));
	tv_set(m, "page_title", tv_cstr(r->a, title));
	i18n_model(r->a, m, r->lang);
	tv_set(asset, "style", tv_cstr(r->a, site__asset_url(s, "style.css")));
	tv_set(asset, "print", tv_cstr(r->a, site__asset_url(s, "print.css")));
	tv_set(m, "asset", asset);
	if (canonical)
		tv_set_cstr(
		    m, "canonical",
		    arena_printf(r->a, "%s%s", r->cfg->base_url, canonical));
	nav_model(r, current);
	switch_model(r, switch_path);
	site__head_meta(r, canonical, switch_path);
}

struct tval *site__date(struct site_req *r, int64_t t)
{
	struct tval *d = tv_obj(r->a);
	char iso[PR_TIME_LEN];
	struct pr_date local;
	struct buf b;

	pr_time_format(t, iso);
	pr_time_local(t, &local);
	buf_init(&b, 256);
	i18n_date(&b, r->lang, &local);
	tv_set(d, "iso", tv_cstr(r->a, iso));
	tv_set(d, "text", tv_str(r->a, buf_str(&b)));
	buf_free(&b);
	return d;
}

const char *site__article_path(struct arena *a, int64_t id, const char *lang,
                               const char *slug, bool print)
{
	return arena_printf(a, "/%s/news/%lld-%s%s", lang, (long long)id, slug,
	                    print ? "/print" : "");
}

/* "News", "Statement": the interface string for a kind of item. */
static const char *kind_label(struct site_req *r, const char *kind)
{
	const char *key = arena_printf(r->a, "kind_%s", kind);

	return key ? i18n(r->lang, key) : kind;
}

static struct tval *item_model(struct site_req *r,
                               const struct article_summary *it)
{
	struct tval *v = tv_obj(r->a);

	tv_set(v, "url",
	       tv_cstr(r->a, site__article_path(r->a, it->id, it->lang,
	                                        it->slug, false)));
	tv_set(v, "title", tv_cstr(r->a, it->title));
	tv_set(v, "lead", tv_cstr(r->a, it->lead));
	tv_set(v, "kind", tv_cstr(r->a, kind_label(r, it->kind)));
	tv_set(v, "date", site__date(r, it->published_at));
	return v;
}

struct tval *site__items(struct site_req *r, const struct article_list *l)
{
	struct tval *list = tv_list(r->a);
	struct tval **v = arena_zalloc(r->a, (l->n + 1) * sizeof(*v));

	for (size_t i = 0; i < l->n; i++) {
		struct tval *it = item_model(r, &l->items[i]);
		if (v)
			v[i] = it;
		tv_push(list, it);
		if (l->items[i].updated_at > r->res->last_modified)
			r->res->last_modified = l->items[i].updated_at;
	}
	if (v && r->st)
		site__item_photos(r, l, v);
	tv_set(r->model, "items", list);
	tv_set(r->model, "has_items", tv_bool(r->a, l->n > 0));
	return list;
}

const char *site__count_text(struct site_req *r, int64_t n)
{
	const char *out;
	struct buf b;

	buf_init(&b, 256);
	i18n_count(&b, r->lang, "items", n);
	out = arena_strndup(r->a, buf_cstr(&b), b.err ? 0 : b.n);
	buf_free(&b);
	return out;
}

const char *site__kind_label(struct site_req *r, const char *kind)
{
	return kind_label(r, kind);
}

enum pr_err site__render(struct site_req *r, const char *name)
{
	struct http_response *res = r->res;
	enum pr_err rc;

	if (!r->model)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	res->cacheable = true;
	res->lang = r->lang;
	rc = tmpl_render(r->tmpl, name, r->model, &res->body, &r->err);
	if (rc == PR_OK && res->body.err != PR_OK)
		rc = pr_fail(&r->err, res->body.err, "page too large");
	return rc;
}

void site__redirect(struct site_req *r, int status, const char *path)
{
	r->res->status = status;
	r->res->location = path;
	r->res->cacheable = false;
	r->res->lang = r->lang;
}

void site__pagination(struct site_req *r, struct tval *m, int64_t page,
                      int64_t pages, bool ranked, site_page_url_fn url,
                      const void *ctx)
{
	struct tval *p = tv_obj(r->a);
	char a[24], b[24];

	snprintf(a, sizeof(a), "%lld", (long long)page);
	snprintf(b, sizeof(b), "%lld", (long long)pages);
	tv_set_int(p, "page", page);
	tv_set_int(p, "pages", pages);
	tv_set_cstr(p, "label", site__text(r->a, r->lang, "page_of", a, b));
	tv_set_cstr(p, "newer_text",
	            i18n(r->lang, ranked ? "previous" : "newer"));
	tv_set_cstr(p, "older_text", i18n(r->lang, ranked ? "next" : "older"));
	if (page > 1)
		tv_set_cstr(p, "newer", url(r, ctx, page - 1));
	if (page < pages)
		tv_set_cstr(p, "older", url(r, ctx, page + 1));
	if (page > 2)
		tv_set_cstr(p, "first", url(r, ctx, 1));
	if (page + 1 < pages)
		tv_set_cstr(p, "last", url(r, ctx, pages));
	tv_set(m, "pagination", p);
	tv_set_bool(m, "has_pagination", pages > 1);
}
