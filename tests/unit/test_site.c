/*
 * test_site.c: the reader's URL map: which paths match which page, the
 * typed values their segments and query keys give, and which malformed or
 * unknown addresses give 400 (PR_INVALID) or 404 (PR_NOTFOUND).
 */
#include "site/site.h"
#include "test.h"

#include <stdint.h>

static struct config cfg;

/* Query lookup over "k=v&k=v" as written (no decoding needed here). */
static struct str query_get(void *ctx, const char *key)
{
	struct str q = str_c(ctx);

	while (q.n) {
		struct str pair = str_cut(&q, '&');
		struct str k = str_cut(&pair, '=');
		if (str_eq_c(k, key))
			return pair.p ? pair : STR_LIT("");
	}
	return STR_NULL;
}

struct route_case {
	const char *path, *query;
	enum pr_err rc;
	enum site_page page;
	const char *lang;
	int64_t id;
	const char *slug;
	int year, month, day;
	int64_t page_no;
};

static const struct route_case cases[] = {
    /* the pages */
    {"/", "", PR_OK, SITE_ROOT, "", 0, NULL, 0, 0, 0, 1},
    {"/en", "", PR_OK, SITE_HOME, "en", 0, NULL, 0, 0, 0, 1},
    {"/ru/", "", PR_OK, SITE_HOME, "ru", 0, NULL, 0, 0, 0, 1},
    {"/en/news", "", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 1},
    {"/ru/news", "page=3", PR_OK, SITE_NEWS, "ru", 0, NULL, 0, 0, 0, 3},
    {"/en/news", "utm_source=x&page=12", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0,
     0, 12},
    {"/en/news/67075041-igor-krasnov", "", PR_OK, SITE_ARTICLE, "en", 67075041,
     "igor-krasnov", 0, 0, 0, 1},
    {"/en/news/42", "", PR_OK, SITE_ARTICLE, "en", 42, "", 0, 0, 0, 1},
    {"/ru/news/42-", "", PR_OK, SITE_ARTICLE, "ru", 42, "", 0, 0, 0, 1},
    {"/en/news/0042-x", "", PR_OK, SITE_ARTICLE, "en", 42, "x", 0, 0, 0, 1},
    {"/en/news/7-a-b-c/print", "", PR_OK, SITE_PRINT, "en", 7, "a-b-c", 0, 0, 0,
     1},
    {"/en/news/7-a-b/photos", "", PR_OK, SITE_GALLERY, "en", 7, "a-b", 0, 0, 0,
     1},
    {"/ru/news/7/photos/12", "", PR_OK, SITE_PHOTO, "ru", 7, "", 0, 0, 0, 1},
    {"/media/r/ab/cd/abcd-320.webp", "", PR_OK, SITE_MEDIA, "", 0, NULL, 0, 0,
     0, 1},
    {"/en/news/999999999999999999", "", PR_OK, SITE_ARTICLE, "en",
     999999999999999999, "", 0, 0, 0, 1},
    {"/en/archive", "", PR_OK, SITE_ARCHIVE, "en", 0, NULL, 0, 0, 0, 1},
    {"/en/archive/2021", "", PR_OK, SITE_ARCHIVE_YEAR, "en", 0, NULL, 2021, 0,
     0, 1},
    {"/ru/archive/2021/11", "", PR_OK, SITE_ARCHIVE_MONTH, "ru", 0, NULL, 2021,
     11, 0, 1},
    {"/en/archive/2021/11/18", "", PR_OK, SITE_ARCHIVE_DAY, "en", 0, NULL, 2021,
     11, 18, 1},
    {"/en/archive/2020/02/29", "", PR_OK, SITE_ARCHIVE_DAY, "en", 0, NULL, 2020,
     2, 29, 1},
    {"/en/archive/0001/01/01", "", PR_OK, SITE_ARCHIVE_DAY, "en", 0, NULL, 1, 1,
     1, 1},
    {"/en/archive/9999/12/31", "", PR_OK, SITE_ARCHIVE_DAY, "en", 0, NULL, 9999,
     12, 31, 1},
    {"/en/tags/ecology", "", PR_OK, SITE_TAG, "en", 0, "ecology", 0, 0, 0, 1},
    {"/ru/persons/igor-krasnov", "", PR_OK, SITE_PERSON, "ru", 0,
     "igor-krasnov", 0, 0, 0, 1},
    {"/en/places/nur-sultan", "after=1637227800.42", PR_OK, SITE_PLACE, "en", 0,
     "nur-sultan", 0, 0, 0, 1},
    {"/static/style.css", "v=0123", PR_OK, SITE_STATIC, "", 0, NULL, 0, 0, 0,
     1},
    {"/robots.txt", "", PR_OK, SITE_ROBOTS, "", 0, NULL, 0, 0, 0, 1},
    /* a trailing slash is noted, for a redirect */
    {"/en/news/", "", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 1},
    /* malformed ?page is for the handler, who knows the page count */
    {"/en/news", "page=0", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=-1", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=abc", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=02", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=1.5", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=+2", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0, 0},
    {"/en/news", "page=99999999999999999999999", PR_OK, SITE_NEWS, "en", 0,
     NULL, 0, 0, 0, 0},
    {"/en/news", "page=1000000001", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0,
     0},
    {"/en/news", "page=1000000000", PR_OK, SITE_NEWS, "en", 0, NULL, 0, 0, 0,
     1000000000},
};

/* Addresses that route nowhere (404) or carry malformed values (400). */
static const struct {
	const char *path, *query;
	enum pr_err rc;
} bad_cases[] = {
    /* nothing lives there: 404 */
    {"/de/news", "", PR_NOTFOUND},
    {"/EN/news", "", PR_NOTFOUND},
    {"/english/news", "", PR_NOTFOUND},
    {"/en/nothing", "", PR_NOTFOUND},
    {"/en/news/1/print/x", "", PR_NOTFOUND},
    {"/en/news/1/photos/0", "", PR_NOTFOUND},
    {"/en/news/1/photos/01", "", PR_NOTFOUND},
    {"/en/news/1/photos/1001", "", PR_NOTFOUND},
    {"/en/news/1/photos/x", "", PR_NOTFOUND},
    {"/media/orig/ab/cd/X.jpg", "", PR_NOTFOUND},
    {"/media/orig/ab/cd", "", PR_NOTFOUND},
    {"/news", "", PR_NOTFOUND},
    {"/en/news/0", "", PR_NOTFOUND},
    {"/en/news/000", "", PR_NOTFOUND},
    {"/en/tags/Ecology", "", PR_NOTFOUND},
    {"/en/tags/eco--logy", "", PR_NOTFOUND},
    {"/en/tags/-eco", "", PR_NOTFOUND},
    {"/static/.hidden", "", PR_NOTFOUND},
    {"/static/news.html", "", PR_NOTFOUND},
    {"/static/a%2fb", "", PR_NOTFOUND},
    {"/en/archive/2021/11/18/x", "", PR_NOTFOUND},
    {"/a/b/c/d/e/f/g/h/i/j", "", PR_NOTFOUND},
    {"/en//news", "", PR_NOTFOUND},
    {"/etc/passwd", "", PR_NOTFOUND},
    /* malformed values: 400 */
    {"/en/news/abc", "", PR_INVALID},
    {"/en/news/-5", "", PR_INVALID},
    {"/en/news/12abc", "", PR_INVALID},
    {"/en/news/1234567890123456789", "", PR_INVALID},
    {"/en/news/99999999999999999999999999", "", PR_INVALID},
    {"/en/news/abc/print", "", PR_INVALID},
    {"/en/archive/21", "", PR_INVALID},
    {"/en/archive/0000", "", PR_INVALID},
    {"/en/archive/10000", "", PR_INVALID},
    {"/en/archive/20x1", "", PR_INVALID},
    {"/en/archive/2021/13", "", PR_INVALID},
    {"/en/archive/2021/00", "", PR_INVALID},
    {"/en/archive/2021/1", "", PR_INVALID},
    {"/en/archive/2021/02/29", "", PR_INVALID},
    {"/en/archive/2021/02/30", "", PR_INVALID},
    {"/en/archive/2021/04/31", "", PR_INVALID},
    {"/en/archive/2021/11/00", "", PR_INVALID},
    {"/en/archive/2021/11/1", "", PR_INVALID},
    {"/en/tags/ecology", "after=x", PR_INVALID},
    {"/en/tags/ecology", "after=", PR_INVALID},
    {"/en/tags/ecology", "after=12", PR_INVALID},
    {"/en/tags/ecology", "after=12.", PR_INVALID},
    {"/en/tags/ecology", "after=.5", PR_INVALID},
    {"/en/tags/ecology", "after=12.0", PR_INVALID},
    {"/en/tags/ecology", "after=12.5.6", PR_INVALID},
    {"/en/tags/ecology", "after=99999999999999999999.5", PR_INVALID},
};

static void test_bad_routes(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct pr_error e = {0};
		struct site_route r;
		enum pr_err rc;

		rc = site_route_match(&cfg, str_c(bad_cases[i].path), query_get,
		                      (void *)bad_cases[i].query, &r, &e);
		if (rc != bad_cases[i].rc)
			fprintf(stderr, "%s?%s: %s\n", bad_cases[i].path,
			        bad_cases[i].query, pr_strerror(rc));
		CHECK_INT(rc, bad_cases[i].rc);
		CHECK(e.msg[0] != '\0');
	}
}

static void test_routes(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct route_case *c = &cases[i];
		struct pr_error e = {0};
		struct site_route r;
		enum pr_err rc;

		rc = site_route_match(&cfg, str_c(c->path), query_get,
		                      (void *)c->query, &r, &e);
		if (rc != c->rc)
			fprintf(stderr, "%s?%s: %s (%s)\n", c->path, c->query,
			        pr_strerror(rc), e.msg);
		CHECK_INT(rc, c->rc);
		if (rc != PR_OK)
			continue;
		CHECK_INT(r.page, c->page);
		CHECK_STR(r.lang, c->lang);
		CHECK_INT(r.id, c->id);
		if (c->slug)
			CHECK(str_eq_c(r.slug, c->slug));
		CHECK_INT(r.year, c->year);
		CHECK_INT(r.month, c->month);
		CHECK_INT(r.day, c->day);
		CHECK_INT(r.page_no, c->page_no);
	}
}

static void test_trailing_slash(void)
{
	struct site_route r;

	CHECK_INT(site_route_match(&cfg, STR_LIT("/en/archive/2021/"), NULL,
	                           NULL, &r, NULL),
	          PR_OK);
	CHECK(r.trailing_slash);
	CHECK_INT(r.page, SITE_ARCHIVE_YEAR);
	CHECK_INT(
	    site_route_match(&cfg, STR_LIT("/en/news"), NULL, NULL, &r, NULL),
	    PR_OK);
	CHECK(!r.trailing_slash);
}

static void test_cursor(void)
{
	struct site_route r;

	CHECK_INT(site_route_match(&cfg, STR_LIT("/en/tags/ecology"), query_get,
	                           "after=1637227800.67075041", &r, NULL),
	          PR_OK);
	CHECK_INT(r.after.published_at, 1637227800);
	CHECK_INT(r.after.id, 67075041);
	CHECK_INT(site_route_match(&cfg, STR_LIT("/en/tags/ecology"), query_get,
	                           "after=-86400.3", &r, NULL),
	          PR_OK);
	CHECK_INT(r.after.published_at, -86400);
	CHECK_INT(r.after.id, 3);
	CHECK_INT(site_route_match(&cfg, STR_LIT("/en/tags/ecology"), query_get,
	                           "", &r, NULL),
	          PR_OK);
	CHECK_INT(r.after.id, 0);
}

static void test_static_file(void)
{
	struct site_route r;

	CHECK_INT(site_route_match(&cfg, STR_LIT("/static/print.css"),
	                           query_get, "v=abc", &r, NULL),
	          PR_OK);
	CHECK(str_eq_c(r.file, "print.css"));
	CHECK(str_eq_c(r.version, "abc"));
}

struct feed_case {
	const char *path, *query;
	enum pr_err rc;
	enum site_page page;
	const char *lang;
	int feed;
	int64_t archive_no;
	const char *kind;
	int sitemap;
	int64_t file_no;
};

static const struct feed_case feed_cases[] = {
    {"/en/rss.xml", "", PR_OK, SITE_FEED, "en", SITE_FEED_RSS, 0, NULL, 0, 0},
    {"/ru/atom.xml", "page=3", PR_OK, SITE_FEED, "ru", SITE_FEED_ATOM, 3, NULL,
     0, 0},
    {"/en/feed.json", "page=1000000000", PR_OK, SITE_FEED, "en", SITE_FEED_JSON,
     1000000000, NULL, 0, 0},
    /* absurd or malformed archive pages are for the handler: 400 */
    {"/en/atom.xml", "page=0", PR_OK, SITE_FEED, "en", SITE_FEED_ATOM, -1, NULL,
     0, 0},
    {"/en/atom.xml", "page=01", PR_OK, SITE_FEED, "en", SITE_FEED_ATOM, -1,
     NULL, 0, 0},
    {"/en/atom.xml", "page=-1", PR_OK, SITE_FEED, "en", SITE_FEED_ATOM, -1,
     NULL, 0, 0},
    {"/en/atom.xml", "page=1000000001", PR_OK, SITE_FEED, "en", SITE_FEED_ATOM,
     -1, NULL, 0, 0},
    {"/en/atom.xml", "page=99999999999999999999", PR_OK, SITE_FEED, "en",
     SITE_FEED_ATOM, -1, NULL, 0, 0},
    {"/en/atom.xml", "page=", PR_OK, SITE_FEED, "en", SITE_FEED_ATOM, -1, NULL,
     0, 0},
    {"/en/tags/ecology/rss.xml", "", PR_OK, SITE_TAG_FEED, "en", SITE_FEED_RSS,
     0, NULL, 0, 0},
    {"/ru/persons/igor-krasnov/feed.json", "page=2", PR_OK, SITE_PERSON_FEED,
     "ru", SITE_FEED_JSON, 2, NULL, 0, 0},
    {"/en/places/minsk/atom.xml", "", PR_OK, SITE_PLACE_FEED, "en",
     SITE_FEED_ATOM, 0, NULL, 0, 0},
    {"/en/kinds/speech", "", PR_OK, SITE_KIND, "en", 0, 0, "speech", 0, 0},
    {"/ru/kinds/statement/rss.xml", "", PR_OK, SITE_KIND_FEED, "ru",
     SITE_FEED_RSS, 0, "statement", 0, 0},
    {"/sitemap.xml", "", PR_OK, SITE_SITEMAP_INDEX, "", 0, 0, NULL, 0, 0},
    {"/sitemaps/news.xml", "", PR_OK, SITE_SITEMAP, "", 0, 0, NULL,
     SITEMAP_NEWS, 0},
    {"/sitemaps/ru-pages.xml", "", PR_OK, SITE_SITEMAP, "ru", 0, 0, NULL,
     SITEMAP_PAGES, 0},
    {"/sitemaps/en-12.xml", "", PR_OK, SITE_SITEMAP, "en", 0, 0, NULL,
     SITEMAP_ITEMS, 12},
};

/* Addresses near those of feeds and sitemaps where nothing lives. */
static const char *const feed_404[] = {
    "/en/atom",
    "/en/rss.xml.gz",
    "/en/kinds/poem",
    "/en/kinds/poem/atom.xml",
    "/en/kinds/News",
    "/en/tags/Eco/rss.xml",
    "/en/tags/ecology/feed.xml",
    "/de/rss.xml",
    "/sitemaps/en-0.xml",
    "/sitemaps/en-01.xml",
    "/sitemaps/en-1",
    "/sitemaps/de-1.xml",
    "/sitemaps/en-.xml",
    "/sitemaps/.xml",
    "/sitemaps/en-1234567890.xml",
    "/sitemaps/en-x.xml",
    "/sitemaps/",
    "/en/sitemap.xml",
};

/* Feeds, kind pages and sitemaps: their routes and typed values. */
static void test_feed_routes(void)
{
	size_t n = sizeof(feed_cases) / sizeof(feed_cases[0]);

	for (size_t i = 0; i < n; i++) {
		const struct feed_case *c = &feed_cases[i];
		struct pr_error e = {0};
		struct site_route r;
		enum pr_err rc;

		rc = site_route_match(&cfg, str_c(c->path), query_get,
		                      (void *)c->query, &r, &e);
		if (rc != c->rc)
			fprintf(stderr, "%s?%s: %s (%s)\n", c->path, c->query,
			        pr_strerror(rc), e.msg);
		CHECK_INT(rc, c->rc);
		if (rc != PR_OK) {
			CHECK(e.msg[0] != '\0');
			continue;
		}
		CHECK_INT(r.page, c->page);
		CHECK_STR(r.lang, c->lang);
		CHECK_INT(r.feed, c->feed);
		CHECK_INT(r.archive_no, c->archive_no);
		CHECK((r.kind == NULL) == (c->kind == NULL));
		if (c->kind && r.kind)
			CHECK_STR(r.kind, c->kind);
		CHECK_INT(r.sitemap, c->sitemap);
		CHECK_INT(r.file_no, c->file_no);
	}
	for (size_t i = 0; i < sizeof(feed_404) / sizeof(feed_404[0]); i++) {
		struct pr_error e = {0};
		struct site_route r;

		CHECK_INT(site_route_match(&cfg, str_c(feed_404[i]), query_get,
		                           "", &r, &e),
		          PR_NOTFOUND);
		CHECK(e.msg[0] != '\0');
	}
}

/* Messages come in the language of the path, saying what was wrong. */
static void test_messages(void)
{
	struct pr_error e = {0};
	struct site_route r;

	site_route_match(&cfg, STR_LIT("/ru/archive/2021/13"), NULL, NULL, &r,
	                 &e);
	CHECK(strstr(e.msg, "Месяц") != NULL);
	pr_error_clear(&e);
	site_route_match(&cfg, STR_LIT("/en/archive/2021/02/29"), NULL, NULL,
	                 &r, &e);
	CHECK(strstr(e.msg, "01 to 28") != NULL);
	pr_error_clear(&e);
	site_route_match(&cfg, STR_LIT("/en/news/abc"), NULL, NULL, &r, &e);
	CHECK(strstr(e.msg, "abc") != NULL);
	pr_error_clear(&e);
	site_route_match(&cfg, STR_LIT("/ru/nothing"), NULL, NULL, &r, &e);
	CHECK_STR(e.msg, i18n("ru", "error_no_page"));
}

static void test_path_lang(void)
{
	CHECK_STR(site_path_lang(&cfg, STR_LIT("/ru/news/1")), "ru");
	CHECK_STR(site_path_lang(&cfg, STR_LIT("/ru")), "ru");
	CHECK_STR(site_path_lang(&cfg, STR_LIT("/rus")), "en");
	CHECK_STR(site_path_lang(&cfg, STR_LIT("/")), "en");
	CHECK_STR(site_path_lang(&cfg, STR_NULL), "en");
}

static void test_fail_fills(void)
{
	struct pr_error e = {0};
	struct arena *a = arena_new(1 << 16);

	CHECK_INT(site__fail(&e, PR_INVALID, "en", "page_of", "2", "7"),
	          PR_INVALID);
	CHECK_STR(e.msg, "Page 2 of 7");
	CHECK_STR(site__text(a, "ru", "page_of", "2", NULL), "Страница 2 из ");
	CHECK_STR(site__text(a, "en", "no such key {}", "x", NULL),
	          "no such key x");
	arena_free(a);
}

/* Only the configured languages route. */
static void test_one_language(void)
{
	struct config one = cfg;
	struct site_route r;

	one.n_languages = 1;
	CHECK_INT(
	    site_route_match(&one, STR_LIT("/ru/news"), NULL, NULL, &r, NULL),
	    PR_NOTFOUND);
	CHECK_INT(
	    site_route_match(&one, STR_LIT("/en/news"), NULL, NULL, &r, NULL),
	    PR_OK);
}

int main(void)
{
	config_defaults(&cfg);
	TEST_RUN(test_routes);
	TEST_RUN(test_bad_routes);
	TEST_RUN(test_trailing_slash);
	TEST_RUN(test_cursor);
	TEST_RUN(test_static_file);
	TEST_RUN(test_messages);
	TEST_RUN(test_path_lang);
	TEST_RUN(test_fail_fills);
	TEST_RUN(test_one_language);
	TEST_RUN(test_feed_routes);
	TEST_DONE();
}
