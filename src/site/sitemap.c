/*
 * site/sitemap.c: sitemaps for search engines. /sitemap.xml is an index of
 * files of at most 50,000 addresses each: per language one of its list
 * and archive pages ({lang}-pages.xml) and the permalinks of its items in
 * runs of list positions ({lang}-1.xml holds the oldest 50,000), plus a
 * Google News sitemap of the last two days (news.xml). Each file is
 * written as a stream: the store hands over one row at a time and the
 * response holds only the XML, so memory does not grow with the site.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

#define NEWS_WINDOW  (2 * 86400)
#define NEWS_MAX     1000
#define PHOTOS_MAX   32
#define LOC_MAX      4096
#define SCRATCH_MAX  ((size_t)1 << 20)
#define SITEMAP_TYPE "application/xml; charset=utf-8"
#define NS_SITEMAP   "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_NEWS      "http://www.google.com/schemas/sitemap-news/0.9"
#define NS_IMAGE     "http://www.google.com/schemas/sitemap-image/1.1"

/* One sitemap while it is written. */
struct map {
	struct site_req *r;
	struct xmlw x;
	struct buf loc; /* the address being written */
	size_t urls;
	int64_t newest; /* for Last-Modified */
	const char *lang;
};

static void map_begin(struct map *m, struct site_req *r, const char *root)
{
	memset(m, 0, sizeof(*m));
	m->r = r;
	buf_init(&m->loc, LOC_MAX);
	buf_reset(&r->res->body);
	xmlw_begin(&m->x, &r->res->body);
	xmlw_open(&m->x, root);
	xmlw_attr_c(&m->x, "xmlns", NS_SITEMAP);
}

static void lastmod(struct map *m, int64_t t)
{
	char s[PR_TIME_LEN];

	if (t <= 0)
		return;
	if (t > m->newest)
		m->newest = t;
	pr_time_format(t, s);
	xmlw_leaf_c(&m->x, "lastmod", s);
}

/* m->loc: base_url followed by the formatted path. */
static struct str loc(struct map *m, const char *fmt, ...) PR_PRINTF(2, 3);
static struct str loc(struct map *m, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&m->loc);
	buf_adds(&m->loc, m->r->cfg->base_url);
	va_start(ap, fmt);
	buf_vaddf(&m->loc, fmt, ap);
	va_end(ap);
	return buf_str(&m->loc);
}

/* Closes the document and makes it the response. */
static enum pr_err map_end(struct map *m)
{
	struct http_response *res = m->r->res;
	enum pr_err rc;

	xmlw_close(&m->x);
	rc = xmlw_end(&m->x);
	if (rc == PR_OK && m->loc.err != PR_OK)
		rc = m->loc.err;
	buf_free(&m->loc);
	if (rc != PR_OK)
		return pr_fail(&m->r->err, rc, "sitemap: %s", pr_strerror(rc));
	res->status = 200;
	res->content_type = SITEMAP_TYPE;
	res->cacheable = true;
	res->last_modified = m->newest;
	return PR_OK;
}

/* The index */

static void index_entry(struct map *m, struct str where, int64_t t)
{
	xmlw_open(&m->x, "sitemap");
	xmlw_leaf(&m->x, "loc", where);
	lastmod(m, t);
	xmlw_close(&m->x);
}

static enum pr_err index_lang(struct map *m, const char *lang)
{
	struct site_req *r = m->r;
	struct sitemap_files files;
	int64_t changed = 0;
	enum pr_err rc;

	rc = store_lang_changed(r->st, lang, r->now, &changed, &r->err);
	if (rc != PR_OK)
		return rc;
	index_entry(m, loc(m, "/sitemaps/%s-pages.xml", lang), changed);
	rc = store_sitemap_files(r->st, r->a, lang, r->now, SITE_SITEMAP_URLS,
	                         &files, &r->err);
	for (size_t i = 0; rc == PR_OK && i < files.n; i++)
		index_entry(m, loc(m, "/sitemaps/%s-%zu.xml", lang, i + 1),
		            files.v[i].lastmod);
	return rc;
}

/* The items of the last two days of each language, NEWS_MAX at most. */
static enum pr_err recent_items(struct site_req *r, const char *lang,
                                struct article_list *l)
{
	return store_items_between(r->st, r->a, lang, r->now,
	                           r->now - NEWS_WINDOW, r->now + 1, NEWS_MAX,
	                           l, &r->err);
}

/* Whether there is news for news.xml, and its newest change. */
static enum pr_err news_state(struct site_req *r, bool *any, int64_t *newest)
{
	struct article_list l;
	enum pr_err rc = PR_OK;

	*any = false;
	*newest = 0;
	for (int i = 0; i < r->cfg->n_languages && rc == PR_OK; i++) {
		rc = recent_items(r, r->cfg->languages[i], &l);
		for (size_t j = 0; rc == PR_OK && j < l.n; j++) {
			*any = true;
			if (l.items[j].updated_at > *newest)
				*newest = l.items[j].updated_at;
		}
	}
	return rc;
}

enum pr_err site__sitemap_index(struct site_req *r)
{
	enum pr_err rc = PR_OK;
	int64_t newest;
	struct map m;
	bool news;

	map_begin(&m, r, "sitemapindex");
	for (int i = 0; i < r->cfg->n_languages && rc == PR_OK; i++)
		rc = index_lang(&m, r->cfg->languages[i]);
	if (rc == PR_OK)
		rc = news_state(r, &news, &newest);
	if (rc == PR_OK && news)
		index_entry(&m, loc(&m, "/sitemaps/news.xml"), newest);
	if (rc == PR_OK)
		rc = map_end(&m);
	else
		buf_free(&m.loc);
	return rc;
}

/* The permalinks of a language */

/* The image entries of an item: its photos, once it has any. */
static void images(struct map *m, int64_t id)
{
	struct site_photo p[PHOTOS_MAX];
	size_t n = site__photos(m->r, id, p, PHOTOS_MAX);

	for (size_t i = 0; i < n; i++) {
		xmlw_open(&m->x, "image:image");
		xmlw_leaf_c(&m->x, "image:loc", p[i].url);
		xmlw_close(&m->x);
	}
}

static enum pr_err item_url(void *ctx, const struct article_summary *it)
{
	struct map *m = ctx;

	if (m->urls == SITE_SITEMAP_URLS)
		return PR_OK;
	m->urls++;
	xmlw_open(&m->x, "url");
	xmlw_leaf(
	    &m->x, "loc",
	    loc(m, "/%s/news/%lld-%s", it->lang, (long long)it->id, it->slug));
	lastmod(m, it->updated_at);
	images(m, it->id);
	xmlw_close(&m->x);
	return m->x.out->err;
}

static enum pr_err items_map(struct site_req *r)
{
	const struct site_route *rt = r->route;
	enum pr_err rc;
	struct map m;

	map_begin(&m, r, "urlset");
	xmlw_attr_c(&m.x, "xmlns:image", NS_IMAGE);
	rc = store_sitemap_each(r->st, rt->lang, r->now, rt->file_no,
	                        SITE_SITEMAP_URLS, item_url, &m, &r->err);
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		rc = site__fail(&r->err, rc, r->lang, "error_no_page", NULL,
		                NULL);
	}
	if (rc == PR_OK)
		return map_end(&m);
	buf_free(&m.loc);
	return rc;
}

/* The list and archive pages of a language */

static void page_url(struct map *m, struct str where, int64_t t)
{
	if (m->urls == SITE_SITEMAP_URLS)
		return;
	m->urls++;
	xmlw_open(&m->x, "url");
	xmlw_leaf(&m->x, "loc", where);
	lastmod(m, t);
	xmlw_close(&m->x);
}

static enum pr_err kind_pages(struct map *m, struct arena *a)
{
	struct site_req *r = m->r;
	struct store_list sl = {.lang = m->lang};
	struct article_list l;
	enum pr_err rc = PR_OK;

	for (size_t k = 0; store_kinds[k] != NULL && rc == PR_OK; k++) {
		sl.kind = store_kinds[k];
		arena_reset(a);
		rc = store_list_items(r->st, a, &sl, r->now,
		                      (struct cursor){0, 0}, 1, &l, &r->err);
		if (rc == PR_OK && l.total > 0)
			page_url(m, loc(m, "/%s/kinds/%s", m->lang, sl.kind),
			         0);
	}
	return rc;
}

static enum pr_err month_pages(struct map *m, struct arena *a, int y, int mo)
{
	struct site_req *r = m->r;
	struct archive days;
	enum pr_err rc;

	page_url(m, loc(m, "/%s/archive/%04d/%02d", m->lang, y, mo), 0);
	rc = store_archive_days(r->st, a, m->lang, r->now, y, mo, &days,
	                        &r->err);
	for (size_t i = 0; rc == PR_OK && i < days.n; i++)
		page_url(m,
		         loc(m, "/%s/archive/%04d/%02d/%02d", m->lang, y, mo,
		             days.v[i].key),
		         0);
	return rc;
}

/* Years newest first, each with its months and days. */
static enum pr_err archive_pages(struct map *m, struct arena *a)
{
	struct site_req *r = m->r;
	struct archive years, months;
	enum pr_err rc;

	page_url(m, loc(m, "/%s/archive", m->lang), 0);
	rc = store_archive_years(r->st, r->a, m->lang, r->now, &years, &r->err);
	for (size_t i = 0; rc == PR_OK && i < years.n; i++) {
		int y = years.v[i].key;
		arena_reset(a);
		page_url(m, loc(m, "/%s/archive/%04d", m->lang, y), 0);
		rc = store_archive_months(r->st, a, m->lang, r->now, y, &months,
		                          &r->err);
		for (size_t j = 0; rc == PR_OK && j < months.n; j++)
			rc = month_pages(m, a, y, months.v[j].key);
		if (m->urls == SITE_SITEMAP_URLS)
			break;
	}
	return rc;
}

static enum pr_err pages_map(struct site_req *r)
{
	struct arena *a = arena_new(SCRATCH_MAX);
	int64_t changed = 0;
	enum pr_err rc;
	struct map m;

	map_begin(&m, r, "urlset");
	m.lang = r->route->lang;
	rc = a ? store_lang_changed(r->st, m.lang, r->now, &changed, &r->err)
	       : pr_fail(&r->err, PR_NOMEM, "out of memory");
	if (rc == PR_OK) {
		page_url(&m, loc(&m, "/%s/news", m.lang), changed);
		rc = kind_pages(&m, a);
	}
	if (rc == PR_OK)
		rc = archive_pages(&m, a);
	if (m.urls == SITE_SITEMAP_URLS)
		log_warn("sitemap %s-pages.xml: cut at %d addresses", m.lang,
		         SITE_SITEMAP_URLS);
	arena_free(a);
	if (rc == PR_OK)
		return map_end(&m);
	buf_free(&m.loc);
	return rc;
}

/* The news of the last two days */

static void news_url(struct map *m, const struct article_summary *it)
{
	char t[PR_TIME_LEN];

	xmlw_open(&m->x, "url");
	xmlw_leaf(
	    &m->x, "loc",
	    loc(m, "/%s/news/%lld-%s", it->lang, (long long)it->id, it->slug));
	lastmod(m, it->updated_at);
	xmlw_open(&m->x, "news:news");
	xmlw_open(&m->x, "news:publication");
	xmlw_leaf_c(&m->x, "news:name", config_site_name(m->r->cfg, it->lang));
	xmlw_leaf_c(&m->x, "news:language", it->lang);
	xmlw_close(&m->x);
	pr_time_format(it->published_at, t);
	xmlw_leaf_c(&m->x, "news:publication_date", t);
	xmlw_leaf_c(&m->x, "news:title", it->title);
	xmlw_close(&m->x);
	xmlw_close(&m->x);
}

static enum pr_err news_map(struct site_req *r)
{
	struct article_list l;
	enum pr_err rc = PR_OK;
	struct map m;

	map_begin(&m, r, "urlset");
	xmlw_attr_c(&m.x, "xmlns:news", NS_NEWS);
	for (int i = 0; i < r->cfg->n_languages && rc == PR_OK; i++) {
		rc = recent_items(r, r->cfg->languages[i], &l);
		for (size_t j = 0; rc == PR_OK && j < l.n; j++)
			if (m.urls < NEWS_MAX && ++m.urls)
				news_url(&m, &l.items[j]);
	}
	if (rc == PR_OK && m.urls == 0)
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang,
		                "error_no_recent", NULL, NULL);
	if (rc == PR_OK)
		return map_end(&m);
	buf_free(&m.loc);
	return rc;
}

enum pr_err site__sitemap(struct site_req *r)
{
	switch (r->route->sitemap) {
	case SITEMAP_PAGES: return pages_map(r);
	case SITEMAP_NEWS: return news_map(r);
	default: return items_map(r);
	}
}
