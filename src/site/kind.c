/*
 * site/kind.c: the items of one kind (statements, speeches, ...) of a
 * language, newest first, with the same keyset "older" links as the pages
 * of a tag, and its feeds.
 */
#include "site.h"

#include <string.h>

const char *site__kind_title(struct site_req *r, const char *kind)
{
	const char *key = arena_printf(r->a, "kinds_%s", kind);

	return key ? i18n(r->lang, key) : kind;
}

static const char *kind_path(struct site_req *r, const char *lang)
{
	return arena_printf(r->a, "/%s/kinds/%s", lang, r->route->kind);
}

static void links_model(struct site_req *r, const char *base,
                        const struct article_list *l)
{
	const struct article_summary *last = l->n ? &l->items[l->n - 1] : NULL;

	if (l->has_more && last)
		tv_set_cstr(r->model, "older",
		            arena_printf(r->a, "%s?after=%lld.%lld", base,
		                         (long long)last->published_at,
		                         (long long)last->id));
	if (r->route->after.id)
		tv_set_cstr(r->model, "newest", base);
	tv_set_bool(r->model, "has_more_links",
	            (l->has_more && last) || r->route->after.id);
}

static void kind_model(struct site_req *r, const struct article_list *l)
{
	const char *title = site__kind_title(r, r->route->kind);
	const char *path = kind_path(r, r->lang), *other = NULL;
	struct tval *ev = tv_obj(r->a);

	for (int i = 0; i < r->cfg->n_languages; i++)
		if (strcmp(r->cfg->languages[i], r->lang) != 0)
			other = kind_path(r, r->cfg->languages[i]);
	site__model(r, title, NULL, path, other);
	tv_set_cstr(ev, "name", title);
	tv_set_cstr(ev, "label", i18n(r->lang, "kind"));
	tv_set(r->model, "entity", ev);
	tv_set_int(r->model, "total", l->total);
	tv_set_cstr(r->model, "total_text", site__count_text(r, l->total));
	site__items(r, l);
	links_model(r, path, l);
	site__feed_links(r, path, NULL, title);
}

enum pr_err site__kind(struct site_req *r)
{
	struct store_list sl = {.lang = r->lang, .kind = r->route->kind};
	struct article_list l;
	enum pr_err rc;

	rc = store_list_items(r->st, r->a, &sl, r->now, r->route->after,
	                      (int)r->cfg->page_size, &l, &r->err);
	if (rc != PR_OK)
		goto out;
	if (r->route->after.id && l.n == 0) {
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_older",
		                NULL, NULL);
		goto out;
	}
	kind_model(r, &l);
	rc = site__render(r, "entity");
out:
	return rc;
}
