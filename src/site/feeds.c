/*
 * site/feeds.c: the feed routes: the news of a language, the items of a
 * tag, a person, a place or a kind, each as RSS, Atom and JSON Feed, the
 * current feed or a page of its archive (?page=N, counted from the
 * oldest item; only complete pages exist, so each one is stable).
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

static const struct {
	enum site_page page;
	enum entity_type type;
	const char *dir;
} entity_feeds[] = {
    {SITE_TAG_FEED, ENTITY_TAG, "tags"},
    {SITE_PERSON_FEED, ENTITY_PERSON, "persons"},
    {SITE_PLACE_FEED, ENTITY_PLACE, "places"},
};

static enum pr_err entity_source(struct site_req *r, struct store_list *l,
                                 struct site_feed *f)
{
	const struct site_route *rt = r->route;
	struct entity en;
	enum pr_err rc;
	size_t k = 0;

	while (k < 2 && entity_feeds[k].page != rt->page)
		k++;
	rc = store_entity_get(r->st, r->a, entity_feeds[k].type, rt->slug, &en,
	                      &r->err);
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		return site__fail(&r->err, rc, r->lang, "error_no_entity", NULL,
		                  NULL);
	}
	if (rc != PR_OK)
		return rc;
	l->entity_id = en.id;
	f->title = en.name;
	f->base = arena_printf(r->a, "/%s/%s/%s", r->lang, entity_feeds[k].dir,
	                       en.slug);
	f->html_path = f->base;
	return PR_OK;
}

/* The list the route's feed follows, its title and its paths. */
static enum pr_err feed_source(struct site_req *r, struct store_list *l,
                               struct site_feed *f)
{
	const struct site_route *rt = r->route;

	l->lang = r->lang;
	f->format = (enum site_feed_format)rt->feed;
	switch (rt->page) {
	case SITE_FEED:
		f->title = i18n(r->lang, "news");
		f->base = arena_printf(r->a, "/%s", r->lang);
		f->html_path = arena_printf(r->a, "/%s/news", r->lang);
		break;
	case SITE_KIND_FEED:
		l->kind = rt->kind;
		f->title = site__kind_title(r, rt->kind);
		f->base = arena_printf(r->a, "/%s/kinds/%s", r->lang, rt->kind);
		f->html_path = f->base;
		break;
	default: return entity_source(r, l, f);
	}
	return f->base && f->html_path
	           ? PR_OK
	           : pr_fail(&r->err, PR_NOMEM, "out of memory");
}

/* 404 for an archive page past the last complete one. */
static enum pr_err past_end(struct site_req *r, int64_t pages)
{
	char n[24];

	if (pages == 0)
		return site__fail(&r->err, PR_NOTFOUND, r->lang,
		                  "error_no_archive", NULL, NULL);
	snprintf(n, sizeof(n), "%lld", (long long)pages);
	return site__fail(&r->err, PR_NOTFOUND, r->lang,
	                  "error_archive_past_end", n, NULL);
}

enum pr_err site__feeds(struct site_req *r)
{
	const struct site_route *rt = r->route;
	int per = (int)r->cfg->page_size;
	struct article_list items;
	struct store_list l = {0};
	struct site_feed f = {0};
	enum pr_err rc;

	if ((rc = feed_source(r, &l, &f)) != PR_OK)
		goto out;
	if (rt->archive_no < 0) {
		rc = site__fail(&r->err, PR_INVALID, r->lang,
		                "error_bad_archive", NULL, NULL);
		goto out;
	}
	if (rt->archive_no == 0)
		rc = store_list_items(r->st, r->a, &l, r->now,
		                      (struct cursor){0, 0}, per, &items,
		                      &r->err);
	else
		rc = store_list_archive(r->st, r->a, &l, r->now, rt->archive_no,
		                        per, &items, &r->err);
	if (rc != PR_OK)
		goto out;
	f.items = &items;
	f.archive = rt->archive_no;
	f.archives = items.total / per;
	if (f.archive > f.archives) {
		rc = past_end(r, f.archives);
		goto out;
	}
	rc = site__feed(r, &f);
out:
	return rc;
}
