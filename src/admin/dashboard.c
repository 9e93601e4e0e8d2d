/*
 * admin/dashboard.c: the dashboard (my drafts, waiting for review,
 * scheduled, recently published, items missing a translation) and the
 * item list with its filters, continued with a keyset cursor so that
 * every page costs the same at 100,000 items.
 */
#include "admin_int.h"

#include <string.h>

static struct tval *item_list(struct areq *r, const struct item_list *l)
{
	struct tval *list = tv_list(r->a);

	for (size_t i = 0; i < l->n; i++)
		tv_push(list, admin__item(r, &l->items[i]));
	return list;
}

/* {items, has}: a list of the dashboard for the admin_list partial. */
static struct tval *section(struct areq *r, struct tval *items)
{
	struct tval *v = tv_obj(r->a);

	tv_set(v, "items", items);
	tv_set_bool(v, "has", tv_count(items) > 0);
	return v;
}

/* Sets key to one list of the dashboard. */
static enum pr_err dash_list(struct areq *r, const char *key,
                             enum store_dash which, const char *lang)
{
	struct item_list l;
	enum pr_err rc;

	rc = store_dashboard(r->st, r->a, which, r->user.id, lang, r->now,
	                     ADMIN_DASH_ITEMS, &l, &r->err);
	if (rc == PR_OK)
		tv_set(r->model, key, section(r, item_list(r, &l)));
	return rc;
}

/* Items of the last 30 days without a version in each other language. */
static enum pr_err untranslated(struct areq *r)
{
	const struct config *c = &r->ad->cfg;
	struct tval *list = tv_list(r->a), *v;
	struct item_list l;
	enum pr_err rc = PR_OK;

	for (int i = 0; i < c->n_languages && c->n_languages > 1; i++) {
		rc = store_dashboard(r->st, r->a, DASH_UNTRANSLATED, 0,
		                     c->languages[i], r->now, ADMIN_DASH_ITEMS,
		                     &l, &r->err);
		if (rc != PR_OK)
			break;
		for (size_t j = 0; j < l.n; j++) {
			v = admin__item(r, &l.items[j]);
			tv_set_cstr(v, "missing", c->languages[i]);
			tv_push(list, v);
		}
	}
	tv_set(r->model, "untranslated", section(r, list));
	return rc;
}

enum pr_err admin__dashboard(struct areq *r)
{
	enum pr_err rc;

	admin__model(r, "Dashboard", "dashboard");
	if ((rc = dash_list(r, "mine", DASH_MY_DRAFTS, NULL)) != PR_OK)
		return rc;
	if ((rc = dash_list(r, "review", DASH_REVIEW, NULL)) != PR_OK)
		return rc;
	if ((rc = dash_list(r, "scheduled", DASH_SCHEDULED, NULL)) != PR_OK)
		return rc;
	if ((rc = dash_list(r, "recent", DASH_RECENT, NULL)) != PR_OK)
		return rc;
	if ((rc = untranslated(r)) != PR_OK)
		return rc;
	return admin__render(r, "admin_dashboard", 200);
}

/* The item list */

/* A query value checked against a list of allowed ones ("" for any). */
static const char *one_of(struct areq *r, const char *key,
                          const char *const *allowed)
{
	struct str v = http_query(r->http, key);

	for (size_t i = 0; v.n > 0 && allowed[i] != NULL; i++)
		if (str_eq_c(v, allowed[i]))
			return allowed[i];
	return "";
}

/* "<updated_at>.<id>" as the "older" link writes it. */
static bool parse_after(struct str v, struct cursor *c)
{
	struct str rest = v, t = str_cut(&rest, '.');

	memset(c, 0, sizeof(*c));
	if (v.n == 0)
		return true;
	return str_to_i64(t, INT64_MIN, INT64_MAX, &c->published_at) &&
	       str_to_i64(rest, 1, INT64_MAX, &c->id);
}

static void filter_model(struct areq *r, const struct item_filter *f, bool mine)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "state", f->state);
	tv_set_cstr(v, "lang", f->lang);
	tv_set_cstr(v, "kind", f->kind);
	tv_set_str(v, "q", f->q);
	tv_set_bool(v, "mine", mine);
	tv_set_bool(v, arena_printf(r->a, "state_%s", f->state), true);
	tv_set_bool(v, arena_printf(r->a, "lang_%s", f->lang), true);
	tv_set_bool(v, arena_printf(r->a, "kind_%s", f->kind), true);
	tv_set(r->model, "filter", v);
}

/* The address of the next page: the filters and the cursor. */
static const char *older_url(struct areq *r, const struct item_filter *f,
                             bool mine, const struct item *last)
{
	struct buf b;
	const char *out;

	buf_init(&b, 4096);
	buf_addf(&b,
	         "/admin/items?state=%s&lang=%s&kind=%s&mine=%d&q=", f->state,
	         f->lang, f->kind, mine ? 1 : 0);
	url_escape(&b, f->q);
	buf_addf(&b, "&after=%lld.%lld", (long long)last->updated_at,
	         (long long)last->id);
	out = arena_strndup(r->a, buf_cstr(&b), b.n);
	buf_free(&b);
	return out;
}

static void langs_model(struct areq *r, const char *current)
{
	struct tval *list = tv_list(r->a), *v;

	for (int i = 0; i < r->ad->cfg.n_languages; i++) {
		v = tv_obj(r->a);
		tv_set_cstr(v, "value", r->ad->cfg.languages[i]);
		tv_set_bool(v, "selected",
		            strcmp(r->ad->cfg.languages[i], current) == 0);
		tv_push(list, v);
	}
	tv_set(r->model, "langs", list);
}

enum pr_err admin__items(struct areq *r)
{
	static const char *const states[] = {
	    "draft", "submitted", "scheduled", "published", "withdrawn", NULL};
	struct item_filter f = {0};
	struct cursor after;
	struct item_list l;
	bool mine = str_eq_c(http_query(r->http, "mine"), "1");
	enum pr_err rc;

	f.state = one_of(r, "state", states);
	f.kind = one_of(r, "kind", store_kinds);
	f.lang = "";
	for (int i = 0; i < r->ad->cfg.n_languages; i++)
		if (str_eq_c(http_query(r->http, "lang"),
		             r->ad->cfg.languages[i]))
			f.lang = r->ad->cfg.languages[i];
	f.q = utf8_prefix(str_trim(http_query(r->http, "q")), 200);
	f.owner_id = mine ? r->user.id : 0;
	if (!parse_after(http_query(r->http, "after"), &after))
		return admin__fail(r, PR_INVALID, 400,
		                   "after: expected TIME.ID as the \"older\" "
		                   "link gives it");
	rc = store_items(r->st, r->a, &f, r->now, after, ADMIN_PAGE_ITEMS, &l,
	                 &r->err);
	if (rc != PR_OK)
		return rc;
	admin__model(r, "Items", "items");
	filter_model(r, &f, mine);
	langs_model(r, f.lang);
	tv_set(r->model, "items", item_list(r, &l));
	tv_set_bool(r->model, "has_items", l.n > 0);
	if (l.has_more)
		tv_set_cstr(r->model, "older",
		            older_url(r, &f, mine, &l.items[l.n - 1]));
	tv_set_bool(r->model, "paged", after.id != 0);
	return admin__render(r, "admin_items", 200);
}
