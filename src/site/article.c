/*
 * site/article.c: the article page and its print version: visibility,
 * the canonical address every other form of it redirects to, and the page
 * model (dates, body, named entities, translations, permalink).
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

/* The folder of each entity type in paths, also its key in the model. */
static const char *const entity_dirs[ENTITY_TYPES] = {"tags", "persons",
                                                      "places"};
static const char *const has_keys[ENTITY_TYPES] = {"has_tags", "has_persons",
                                                   "has_places"};

static bool visible(const struct site_req *r, const struct article *a)
{
	return a->status == ARTICLE_PUBLISHED && a->published_at <= r->now &&
	       config_has_language(r->cfg, str_c(a->lang));
}

/* The visible article of the route's id; 404 for anything else. */
static enum pr_err load(struct site_req *r, struct article *a)
{
	enum pr_err rc;
	char id[24];

	rc = store_article_get(r->st, r->a, r->route->id, a, &r->err);
	if (rc == PR_OK && !visible(r, a) && a->status != ARTICLE_WITHDRAWN)
		rc = PR_NOTFOUND;
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		snprintf(id, sizeof(id), "%lld", (long long)r->route->id);
		rc = site__fail(&r->err, rc, r->lang, "error_no_article", id,
		                NULL);
	}
	return rc;
}

static void entities_model(struct site_req *r, const struct article *a)
{
	bool any = false;

	for (int t = 0; t < ENTITY_TYPES; t++) {
		const struct names *n = &a->entities[t];
		struct tval *list = tv_list(r->a);
		for (size_t i = 0; i < n->n; i++) {
			struct tval *v = tv_obj(r->a);
			tv_set(v, "name", tv_cstr(r->a, n->name[i]));
			tv_set(v, "url",
			       tv_cstr(r->a, arena_printf(
			                         r->a, "/%s/%s/%s", r->lang,
			                         entity_dirs[t], n->slug[i])));
			tv_push(list, v);
		}
		tv_set(r->model, entity_dirs[t], list);
		tv_set(r->model, has_keys[t], tv_bool(r->a, n->n > 0));
		any = any || n->n > 0;
	}
	tv_set(r->model, "has_entities", tv_bool(r->a, any));
}

static struct tval *translation_value(struct site_req *r,
                                      const struct article_summary *it)
{
	const char *path =
	    site__article_path(r->a, it->id, it->lang, it->slug, false);
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "url", path);
	tv_set_cstr(v, "permalink",
	            arena_printf(r->a, "%s%s", r->cfg->base_url, path));
	tv_set_cstr(v, "lang", it->lang);
	tv_set_cstr(v, "version", i18n(it->lang, "lang_version"));
	tv_set_cstr(v, "title", it->title);
	return v;
}

static void translations_model(struct site_req *r, const struct article_list *l)
{
	struct tval *list = tv_list(r->a);

	for (size_t i = 0; i < l->n; i++)
		if (config_has_language(r->cfg, str_c(l->items[i].lang)))
			tv_push(list, translation_value(r, &l->items[i]));
	tv_set(r->model, "translations", list);
}

/* The translation to switch to: the first in another configured language. */
static const char *switch_path(struct site_req *r, const struct article_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct article_summary *it = &l->items[i];
		if (strcmp(it->lang, r->lang) != 0 &&
		    config_has_language(r->cfg, str_c(it->lang)))
			return site__article_path(r->a, it->id, it->lang,
			                          it->slug, false);
	}
	return NULL;
}

static struct tval *article_value(struct site_req *r, const struct article *a,
                                  const char *path)
{
	struct tval *v = tv_obj(r->a);

	tv_set(v, "id", tv_int(r->a, a->id));
	tv_set(v, "title", tv_cstr(r->a, a->title));
	tv_set(v, "lead", tv_cstr(r->a, a->lead));
	tv_set(v, "body", tv_html(r->a, str_c(a->body_html)));
	tv_set(v, "kind", tv_cstr(r->a, site__kind_label(r, a->kind)));
	tv_set_cstr(v, "kind_url",
	            arena_printf(r->a, "/%s/kinds/%s", a->lang, a->kind));
	tv_set(v, "author", tv_cstr(r->a, a->author));
	tv_set(v, "date", site__date(r, a->published_at));
	if (a->updated_at > a->published_at)
		tv_set(v, "updated", site__date(r, a->updated_at));
	tv_set(v, "url", tv_cstr(r->a, path));
	tv_set(v, "print_url",
	       tv_cstr(r->a, site__article_path(r->a, a->id, a->lang, a->slug,
	                                        true)));
	tv_set(
	    v, "permalink",
	    tv_cstr(r->a, arena_printf(r->a, "%s%s", r->cfg->base_url, path)));
	return v;
}

static enum pr_err article_model(struct site_req *r, const struct article *a,
                                 const char *path)
{
	struct article_list tr;
	enum pr_err rc;

	rc = store_translations(r->st, r->a, a->translation_group, a->id,
	                        r->now, &tr, &r->err);
	if (rc != PR_OK)
		goto out;
	site__model(r, a->title, NULL, path, switch_path(r, &tr));
	tv_set(r->model, "article", article_value(r, a, path));
	tv_set_cstr(r->model, "description", a->lead);
	site__corrections(r, a);
	entities_model(r, a);
	translations_model(r, &tr);
	rc = site__article_photos(r, a);
	site__article_meta(r, a, path);
out:
	return rc;
}

enum pr_err site__article(struct site_req *r)
{
	bool print = r->route->page == SITE_PRINT;
	const char *path, *canonical;
	struct article a;
	enum pr_err rc;

	if ((rc = load(r, &a)) != PR_OK)
		goto out;
	if (a.status == ARTICLE_WITHDRAWN) {
		rc = site__gone(r, &a);
		goto out;
	}
	r->lang = a.lang;
	path = site__article_path(r->a, a.id, a.lang, a.slug, false);
	canonical =
	    print ? site__article_path(r->a, a.id, a.lang, a.slug, true) : path;
	if (!path || !canonical) {
		rc = pr_fail(&r->err, PR_NOMEM, "out of memory");
		goto out;
	}
	if (!str_eq_c(r->http->path, canonical)) {
		site__redirect(r, 301, canonical);
		goto out;
	}
	if ((rc = article_model(r, &a, path)) != PR_OK)
		goto out;
	if (a.updated_at > r->res->last_modified)
		r->res->last_modified = a.updated_at;
	rc = site__render(r, print ? "print" : "article");
out:
	return rc;
}

enum pr_err site__article_model(struct site_req *r, const struct article *a,
                                const char *path)
{
	return article_model(r, a, path);
}
