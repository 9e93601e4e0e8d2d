/*
 * site/list.c: the lists of items: the news list with its numbered pages
 * and the pages of a tag, a person or a place with their keyset "older"
 * links.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

static const char *news_path(struct site_req *r, int64_t page)
{
	if (page <= 1)
		return arena_printf(r->a, "/%s/news", r->lang);
	return arena_printf(r->a, "/%s/news?page=%lld", r->lang,
	                    (long long)page);
}

/* Sets p.key to the path of page when cond holds. */
static const char *news_url(struct site_req *r, const void *ctx, int64_t n)
{
	(void)ctx;
	return news_path(r, n);
}

/* The first page of the news in another language: the same page there. */
static const char *other_news(struct site_req *r)
{
	for (int i = 0; i < r->cfg->n_languages; i++)
		if (strcmp(r->cfg->languages[i], r->lang) != 0)
			return arena_printf(r->a, "/%s/news",
			                    r->cfg->languages[i]);
	return NULL;
}

/* "News", or "News, page 2" past the first. */
static const char *news_title(struct site_req *r, int64_t page)
{
	char n[24];

	if (page == 1)
		return i18n(r->lang, "news");
	snprintf(n, sizeof(n), "%lld", (long long)page);
	return site__text(r->a, r->lang, "news_page_title", n, NULL);
}

enum pr_err site__news(struct site_req *r)
{
	int64_t page = r->route->page_no ? r->route->page_no : 1, pages;
	int per = (int)r->cfg->page_size;
	struct article_list l;
	enum pr_err rc;
	char n[24];

	rc = store_news_page(r->st, r->a, r->lang, r->now, page, per, &l,
	                     &r->err);
	if (rc != PR_OK)
		goto out;
	pages = l.total > 0 ? (l.total + per - 1) / per : 1;
	snprintf(n, sizeof(n), "%lld", (long long)pages);
	if (r->route->page_no == 0) {
		rc = site__fail(&r->err, PR_INVALID, r->lang, "error_bad_page",
		                n, NULL);
		goto out;
	}
	if (page > pages) {
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang,
		                "error_page_past_end", n, NULL);
		goto out;
	}
	site__model(r, news_title(r, page), "news", news_path(r, page),
	            page == 1 ? other_news(r) : NULL);
	site__items(r, &l);
	site__pagination(r, r->model, page, pages, false, news_url, NULL);
	tv_set(r->model, "total", tv_int(r->a, l.total));
	tv_set(r->model, "total_text",
	       tv_cstr(r->a, site__count_text(r, l.total)));
	rc = site__render(r, "news");
out:
	return rc;
}

static const struct {
	enum site_page page;
	enum entity_type type;
	const char *dir;   /* in the path */
	const char *label; /* interface string */
} entity_pages[] = {
    {SITE_TAG, ENTITY_TAG, "tags", "tag"},
    {SITE_PERSON, ENTITY_PERSON, "persons", "person"},
    {SITE_PLACE, ENTITY_PLACE, "places", "place"},
};

static size_t entity_index(enum site_page page)
{
	size_t i = 0;

	while (i < 2 && entity_pages[i].page != page)
		i++;
	return i;
}

/* "/en/tags/ecology" in lang. */
static const char *entity_path(struct site_req *r, size_t k, const char *lang)
{
	return arena_printf(r->a, "/%s/%s/%.*s", lang, entity_pages[k].dir,
	                    STR_FMT(r->route->slug));
}

static void entity_links(struct site_req *r, size_t k,
                         const struct article_list *l)
{
	const struct article_summary *last = l->n ? &l->items[l->n - 1] : NULL;
	const char *base = entity_path(r, k, r->lang);

	if (l->has_more && last)
		tv_set(
		    r->model, "older",
		    tv_cstr(r->a, arena_printf(r->a, "%s?after=%lld.%lld", base,
		                               (long long)last->published_at,
		                               (long long)last->id)));
	if (r->route->after.id)
		tv_set(r->model, "newest", tv_cstr(r->a, base));
	tv_set(r->model, "has_more_links",
	       tv_bool(r->a, (l->has_more && last) || r->route->after.id));
}

static void entity_model(struct site_req *r, size_t k, const struct entity *en,
                         const struct article_list *l)
{
	const char *other = NULL;
	struct tval *ev = tv_obj(r->a);

	for (int i = 0; i < r->cfg->n_languages; i++)
		if (strcmp(r->cfg->languages[i], r->lang) != 0)
			other = entity_path(r, k, r->cfg->languages[i]);
	site__model(r, en->name, NULL, entity_path(r, k, r->lang), other);
	tv_set(ev, "name", tv_cstr(r->a, en->name));
	tv_set(ev, "label",
	       tv_cstr(r->a, i18n(r->lang, entity_pages[k].label)));
	tv_set(r->model, "entity", ev);
	tv_set(r->model, "total", tv_int(r->a, l->total));
	tv_set(r->model, "total_text",
	       tv_cstr(r->a, site__count_text(r, l->total)));
	site__items(r, l);
	entity_links(r, k, l);
	site__feed_links(r, entity_path(r, k, r->lang), NULL, en->name);
}

enum pr_err site__entity(struct site_req *r)
{
	size_t k = entity_index(r->route->page);
	int per = (int)r->cfg->page_size;
	struct article_list l;
	struct entity en;
	enum pr_err rc;

	rc = store_entity_get(r->st, r->a, entity_pages[k].type, r->route->slug,
	                      &en, &r->err);
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		rc = site__fail(&r->err, rc, r->lang, "error_no_entity", NULL,
		                NULL);
	}
	if (rc != PR_OK)
		goto out;
	rc = store_entity_items(r->st, r->a, en.id, r->lang, r->now,
	                        r->route->after, per, &l, &r->err);
	if (rc != PR_OK)
		goto out;
	if (r->route->after.id && l.n == 0) {
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_older",
		                NULL, NULL);
		goto out;
	}
	entity_model(r, k, &en, &l);
	rc = site__render(r, "entity");
out:
	return rc;
}
