/*
 * site/route.c: the public URL map of the reader's side as a table of
 * patterns, a validator for each kind of segment and for each query key,
 * so that handlers receive typed values and every malformed address gets a
 * message saying what was wrong.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

#define MAX_SEGMENTS 8

typedef enum pr_err (*seg_fn)(const struct config *cfg, struct str s,
                              struct site_route *r, struct pr_error *e);

static enum pr_err seg_lang(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_article(const struct config *cfg, struct str s,
                               struct site_route *r, struct pr_error *e);
static enum pr_err seg_year(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_month(const struct config *cfg, struct str s,
                             struct site_route *r, struct pr_error *e);
static enum pr_err seg_day(const struct config *cfg, struct str s,
                           struct site_route *r, struct pr_error *e);
static enum pr_err seg_slug(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_file(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_feed(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_kind(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e);
static enum pr_err seg_sitemap(const struct config *cfg, struct str s,
                               struct site_route *r, struct pr_error *e);
static enum pr_err seg_photo_no(const struct config *cfg, struct str s,
                                struct site_route *r, struct pr_error *e);
static enum pr_err seg_media(const struct config *cfg, struct str s,
                             struct site_route *r, struct pr_error *e);

/* "{name}" in a pattern: the validator of that segment. */
static const struct {
	const char *name;
	seg_fn fn;
} segments[] = {
    {"{lang}", seg_lang},  {"{article}", seg_article},
    {"{yyyy}", seg_year},  {"{mm}", seg_month},
    {"{dd}", seg_day},     {"{slug}", seg_slug},
    {"{file}", seg_file},  {"{feed}", seg_feed},
    {"{kind}", seg_kind},  {"{sitemap}", seg_sitemap},
    {"{n}", seg_photo_no}, {"{m}", seg_media},
};

static const struct {
	enum site_page page;
	const char *pattern; /* segments after the leading '/' */
} routes[] = {
    {SITE_ROOT, ""},
    {SITE_HOME, "{lang}"},
    {SITE_NEWS, "{lang}/news"},
    {SITE_ARTICLE, "{lang}/news/{article}"},
    {SITE_PRINT, "{lang}/news/{article}/print"},
    {SITE_HISTORY, "{lang}/news/{article}/history"},
    {SITE_ARCHIVE, "{lang}/archive"},
    {SITE_ARCHIVE_YEAR, "{lang}/archive/{yyyy}"},
    {SITE_ARCHIVE_MONTH, "{lang}/archive/{yyyy}/{mm}"},
    {SITE_ARCHIVE_DAY, "{lang}/archive/{yyyy}/{mm}/{dd}"},
    {SITE_TAG, "{lang}/tags/{slug}"},
    {SITE_PERSON, "{lang}/persons/{slug}"},
    {SITE_PLACE, "{lang}/places/{slug}"},
    {SITE_STATIC, "static/{file}"},
    {SITE_ROBOTS, "robots.txt"},
    {SITE_FEED, "{lang}/{feed}"},
    {SITE_TAG_FEED, "{lang}/tags/{slug}/{feed}"},
    {SITE_PERSON_FEED, "{lang}/persons/{slug}/{feed}"},
    {SITE_PLACE_FEED, "{lang}/places/{slug}/{feed}"},
    {SITE_KIND, "{lang}/kinds/{kind}"},
    {SITE_KIND_FEED, "{lang}/kinds/{kind}/{feed}"},
    {SITE_SITEMAP_INDEX, "sitemap.xml"},
    {SITE_SITEMAP, "sitemaps/{sitemap}"},
    {SITE_GALLERY, "{lang}/news/{article}/photos"},
    {SITE_PHOTO, "{lang}/news/{article}/photos/{n}"},
    {SITE_MEDIA, "media/{m}/{m}/{m}/{m}"},
    {SITE_SEARCH, "{lang}/search"},
    {SITE_SEARCH_FEED, "{lang}/search/{feed}"},
    {SITE_API_SEARCH, "api/v1/search"},
};

typedef enum pr_err (*query_fn)(struct str v, struct site_route *r,
                                struct pr_error *e);

static enum pr_err q_page(struct str v, struct site_route *r,
                          struct pr_error *e);
static enum pr_err q_after(struct str v, struct site_route *r,
                           struct pr_error *e);
static enum pr_err q_version(struct str v, struct site_route *r,
                             struct pr_error *e);
static enum pr_err q_archive(struct str v, struct site_route *r,
                             struct pr_error *e);

/* The query keys a page reads; all others are ignored. */
static const struct {
	enum site_page page;
	const char *key;
	query_fn fn;
} queries[] = {
    {SITE_NEWS, "page", q_page},          {SITE_TAG, "after", q_after},
    {SITE_PERSON, "after", q_after},      {SITE_PLACE, "after", q_after},
    {SITE_STATIC, "v", q_version},        {SITE_FEED, "page", q_archive},
    {SITE_TAG_FEED, "page", q_archive},   {SITE_PERSON_FEED, "page", q_archive},
    {SITE_PLACE_FEED, "page", q_archive}, {SITE_KIND_FEED, "page", q_archive},
    {SITE_KIND, "after", q_after},
};

static const char *msg_lang(const struct config *cfg,
                            const struct site_route *r)
{
	return r->lang[0] ? r->lang : cfg->default_language;
}

static bool all_digits(struct str s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return s.n > 0;
}

/* A copy of s for a message, cut to a readable length. */
static const char *quote(struct str s, char out[64])
{
	struct str cut = utf8_prefix(s, 40);

	memcpy(out, cut.p, cut.n);
	memcpy(out + cut.n, cut.n < s.n ? "..." : "", cut.n < s.n ? 4 : 1);
	return out;
}

static enum pr_err seg_lang(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	if (s.n != 2 || !config_has_language(cfg, s))
		return site__fail(e, PR_NOTFOUND, cfg->default_language,
		                  "error_no_page", NULL, NULL);
	memcpy(r->lang, s.p, 2);
	r->lang[2] = '\0';
	return PR_OK;
}

/* "{id}" or "{id}-{slug}": the id is what counts, the slug is checked by
 * the handler against the article's own. */
static enum pr_err seg_article(const struct config *cfg, struct str s,
                               struct site_route *r, struct pr_error *e)
{
	struct str rest = s, digits = str_cut(&rest, '-');
	char q[64];
	int64_t id;

	if (!all_digits(digits))
		return site__fail(e, PR_INVALID, msg_lang(cfg, r),
		                  "error_bad_id", quote(s, q), NULL);
	if (digits.n > 18 || !str_to_i64(digits, 0, INT64_MAX, &id))
		return site__fail(e, PR_INVALID, msg_lang(cfg, r),
		                  "error_long_id", NULL, NULL);
	if (id == 0)
		return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r),
		                  "error_no_article", "0", NULL);
	r->id = id;
	r->slug = rest;
	return PR_OK;
}

/* Exactly n digits with a value in [min, max]; false otherwise. */
static bool fixed_digits(struct str s, size_t n, int min, int max, int *out)
{
	int64_t v;

	if (s.n != n || !all_digits(s) || !str_to_i64(s, min, max, &v))
		return false;
	*out = (int)v;
	return true;
}

static enum pr_err seg_year(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	if (!fixed_digits(s, 4, 1, 9999, &r->year))
		return site__fail(e, PR_INVALID, msg_lang(cfg, r),
		                  "error_bad_year", NULL, NULL);
	return PR_OK;
}

static enum pr_err seg_month(const struct config *cfg, struct str s,
                             struct site_route *r, struct pr_error *e)
{
	if (!fixed_digits(s, 2, 1, 12, &r->month))
		return site__fail(e, PR_INVALID, msg_lang(cfg, r),
		                  "error_bad_month", NULL, NULL);
	return PR_OK;
}

static enum pr_err seg_day(const struct config *cfg, struct str s,
                           struct site_route *r, struct pr_error *e)
{
	int days = pr_days_in_month(r->year, r->month);
	char n[16];

	if (fixed_digits(s, 2, 1, days, &r->day))
		return PR_OK;
	snprintf(n, sizeof(n), "%d", days);
	return site__fail(e, PR_INVALID, msg_lang(cfg, r), "error_bad_day", n,
	                  NULL);
}

static enum pr_err seg_slug(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	if (s.n > SLUG_MAX || !slug_valid(s))
		return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r),
		                  "error_no_page", NULL, NULL);
	r->slug = s;
	return PR_OK;
}

/* Theme assets: plain names, never hidden files nor templates. */
static enum pr_err seg_file(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	bool ok = s.n > 0 && s.n <= 100 && s.p[0] != '.' &&
	          !str_suffix(s, STR_LIT(".html"));

	for (size_t i = 0; ok && i < s.n; i++) {
		char c = s.p[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
	}
	if (!ok)
		return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r),
		                  "error_no_page", NULL, NULL);
	r->file = s;
	return PR_OK;
}

/* "rss.xml", "atom.xml", "feed.json" */
static enum pr_err seg_feed(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	for (int i = 0; i < 3; i++)
		if (str_eq_c(s, site_feed_files[i])) {
			r->feed = i;
			return PR_OK;
		}
	return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r), "error_no_page",
	                  NULL, NULL);
}

/* One of store_kinds; any other word is no page. */
static enum pr_err seg_kind(const struct config *cfg, struct str s,
                            struct site_route *r, struct pr_error *e)
{
	for (size_t i = 0; store_kinds[i] != NULL; i++)
		if (str_eq_c(s, store_kinds[i])) {
			r->kind = store_kinds[i];
			return PR_OK;
		}
	return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r), "error_no_page",
	                  NULL, NULL);
}

/* "news.xml", "{lang}-pages.xml" or "{lang}-{n}.xml" (n from 1, without
 * leading zeros). */
static bool sitemap_name(const struct config *cfg, struct str s,
                         struct site_route *r)
{
	struct str rest = {s.p, s.n - 4}, lang;
	int64_t n;

	if (str_eq_c(rest, "news")) {
		r->sitemap = SITEMAP_NEWS;
		return true;
	}
	lang = str_cut(&rest, '-');
	if (lang.n != 2 || !config_has_language(cfg, lang))
		return false;
	memcpy(r->lang, lang.p, 2);
	r->lang[2] = '\0';
	r->sitemap = SITEMAP_PAGES;
	if (str_eq_c(rest, "pages"))
		return true;
	r->sitemap = SITEMAP_ITEMS;
	if (!all_digits(rest) || rest.p[0] == '0' || rest.n > 9 ||
	    !str_to_i64(rest, 1, SITE_PAGE_MAX, &n))
		return false;
	r->file_no = n;
	return true;
}

static enum pr_err seg_sitemap(const struct config *cfg, struct str s,
                               struct site_route *r, struct pr_error *e)
{
	if (str_suffix(s, STR_LIT(".xml")) && s.n > 4 &&
	    sitemap_name(cfg, s, r))
		return PR_OK;
	r->lang[0] = '\0';
	return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r), "error_no_page",
	                  NULL, NULL);
}

/* A photo's number in its article: 1 to STORE_PHOTOS_MAX, no leading
 * zero. */
static enum pr_err seg_photo_no(const struct config *cfg, struct str s,
                                struct site_route *r, struct pr_error *e)
{
	int64_t n;

	if (!all_digits(s) || s.p[0] == '0' || s.n > 4 ||
	    !str_to_i64(s, 1, STORE_PHOTOS_MAX, &n))
		return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r),
		                  "error_no_page", NULL, NULL);
	r->photo_no = (int)n;
	return PR_OK;
}

/* A piece of a /media/ name; the handler checks the whole of it. */
static enum pr_err seg_media(const struct config *cfg, struct str s,
                             struct site_route *r, struct pr_error *e)
{
	bool ok = s.n > 0 && s.n <= 80;

	for (size_t i = 0; ok && i < s.n; i++)
		ok = (s.p[i] >= 'a' && s.p[i] <= 'z') ||
		     (s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '.' ||
		     s.p[i] == '-';
	if (!ok)
		return site__fail(e, PR_NOTFOUND, msg_lang(cfg, r),
		                  "error_no_page", NULL, NULL);
	return PR_OK;
}

/* Whole numbers from 1 to SITE_PAGE_MAX without leading zeros; page_no 0
 * marks a malformed one, for the handler to answer with the page count. */
static enum pr_err q_page(struct str v, struct site_route *r,
                          struct pr_error *e)
{
	int64_t n;

	if (!v.p)
		return PR_OK;
	if (!all_digits(v) || v.p[0] == '0' || v.n > 10 ||
	    !str_to_i64(v, 1, SITE_PAGE_MAX, &n))
		n = 0;
	r->page_no = n;
	return PR_OK;
}

/* "<published_at>.<id>", as the "older" links write it. */
static enum pr_err q_after(struct str v, struct site_route *r,
                           struct pr_error *e)
{
	struct str rest = v, t = str_cut(&rest, '.');
	struct str digits = t;
	int64_t at, id;

	if (!v.p)
		return PR_OK;
	if (digits.n && digits.p[0] == '-')
		digits = (struct str){digits.p + 1, digits.n - 1};
	if (!all_digits(digits) || !all_digits(rest) ||
	    !str_to_i64(t, INT64_MIN, INT64_MAX, &at) ||
	    !str_to_i64(rest, 1, INT64_MAX, &id))
		return site__fail(e, PR_INVALID, r->lang, "error_bad_after",
		                  NULL, NULL);
	r->after.published_at = at;
	r->after.id = id;
	return PR_OK;
}

/* A feed's archive page: absent is the current feed (0), anything but a
 * whole number from 1 to SITE_PAGE_MAX without leading zeros is -1, for
 * the handler to answer 400. */
static enum pr_err q_archive(struct str v, struct site_route *r,
                             struct pr_error *e)
{
	int64_t n = 0;

	if (v.p != NULL && (!all_digits(v) || v.p[0] == '0' || v.n > 10 ||
	                    !str_to_i64(v, 1, SITE_PAGE_MAX, &n)))
		n = -1;
	r->archive_no = n;
	return PR_OK;
}

/* Any value will do: only the current one earns the long cache life. */
static enum pr_err q_version(struct str v, struct site_route *r,
                             struct pr_error *e)
{
	r->version = v;
	return PR_OK;
}

/* Splits path (after its leading '/') at each '/' into at most max
 * segments; false when there are more, or an empty one ("a//b"). */
static bool split(struct str path, struct str *seg, size_t max, size_t *n)
{
	size_t i = path.n && path.p[0] == '/' ? 1 : 0, start = i;

	*n = 0;
	if (i == path.n)
		return true;
	for (; i <= path.n; i++) {
		if (i < path.n && path.p[i] != '/')
			continue;
		if (i == start || *n == max)
			return false;
		seg[(*n)++] = (struct str){path.p + start, i - start};
		start = i + 1;
	}
	return true;
}

static seg_fn find_segment(struct str name)
{
	for (size_t i = 0; i < sizeof(segments) / sizeof(segments[0]); i++)
		if (str_eq_c(name, segments[i].name))
			return segments[i].fn;
	return NULL;
}

/* Whether the literal segments and the count of pattern fit the path. */
static bool shape_fits(const char *pattern, const struct str *seg, size_t n)
{
	struct str pat = str_c(pattern), p[MAX_SEGMENTS];
	size_t np;

	if (!split(pat, p, MAX_SEGMENTS, &np) || np != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!find_segment(p[i]) && !str_eq(p[i], seg[i]))
			return false;
	return true;
}

static enum pr_err validate(const struct config *cfg, const char *pattern,
                            const struct str *seg, struct site_route *r,
                            struct pr_error *e)
{
	struct str p[MAX_SEGMENTS];
	enum pr_err rc = PR_OK;
	size_t np;

	split(str_c(pattern), p, MAX_SEGMENTS, &np);
	for (size_t i = 0; i < np && rc == PR_OK; i++) {
		seg_fn fn = find_segment(p[i]);
		if (fn)
			rc = fn(cfg, seg[i], r, e);
	}
	return rc;
}

static enum pr_err read_query(enum site_page page, site_query_fn query,
                              void *qctx, struct site_route *r,
                              struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		if (queries[i].page != page || !query)
			continue;
		rc = queries[i].fn(query(qctx, queries[i].key), r, e);
		if (rc != PR_OK)
			break;
	}
	return rc;
}

/* Tries the route at i; PR_NOTFOUND lets the next one try. */
static enum pr_err try_route(const struct config *cfg, size_t i,
                             const struct str *seg, site_query_fn query,
                             void *qctx, struct site_route *out,
                             struct pr_error *e)
{
	bool slash = out->trailing_slash;
	enum pr_err rc;

	memset(out, 0, sizeof(*out));
	out->page_no = 1;
	out->trailing_slash = slash;
	out->page = routes[i].page;
	rc = validate(cfg, routes[i].pattern, seg, out, e);
	if (rc == PR_OK)
		rc = read_query(out->page, query, qctx, out, e);
	return rc;
}

enum pr_err site_route_match(const struct config *cfg, struct str path,
                             site_query_fn query, void *qctx,
                             struct site_route *out, struct pr_error *e)
{
	struct pr_error first = {0}, le;
	struct str seg[MAX_SEGMENTS];
	enum pr_err rc = PR_NOTFOUND;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (path.n > 1 && path.p[path.n - 1] == '/') {
		path.n--;
		out->trailing_slash = true;
	}
	if (!split(path, seg, MAX_SEGMENTS, &n))
		goto notfound;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!shape_fits(routes[i].pattern, seg, n))
			continue;
		pr_error_clear(&le);
		rc = try_route(cfg, i, seg, query, qctx, out, &le);
		if (rc == PR_INVALID)
			pr_fail(e, rc, "%s", le.msg);
		if (rc != PR_NOTFOUND)
			goto out;
		if (first.code == PR_OK)
			first = le;
	}
notfound:
	if (first.code != PR_OK)
		rc = pr_fail(e, first.code, "%s", first.msg);
	else
		rc = site__fail(e, PR_NOTFOUND, site_path_lang(cfg, path),
		                "error_no_page", NULL, NULL);
out:
	return rc;
}

const char *site_path_lang(const struct config *cfg, struct str path)
{
	for (int i = 0; i < cfg->n_languages; i++) {
		const char *l = cfg->languages[i];
		if (path.n >= 3 && path.p[0] == '/' &&
		    memcmp(path.p + 1, l, 2) == 0 &&
		    (path.n == 3 || path.p[3] == '/'))
			return l;
	}
	return cfg->default_language;
}

/* Appends text with each "{}" replaced by the next argument. */
static void fill(struct buf *b, const char *text, const char *a1,
                 const char *a2)
{
	const char *args[2] = {a1 ? a1 : "", a2 ? a2 : ""};
	int next = 0;

	for (const char *p = text; *p; p++) {
		if (p[0] == '{' && p[1] == '}' && next < 2) {
			buf_adds(b, args[next++]);
			p++;
		} else {
			buf_addc(b, *p);
		}
	}
}

const char *site__text(struct arena *a, const char *lang, const char *key,
                       const char *a1, const char *a2)
{
	struct buf b;
	const char *out;

	buf_init(&b, 4096);
	fill(&b, i18n(lang, key), a1, a2);
	out = b.err ? "" : arena_strndup(a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return out ? out : "";
}

enum pr_err site__fail(struct pr_error *e, enum pr_err code, const char *lang,
                       const char *key, const char *a1, const char *a2)
{
	struct buf b;

	buf_init(&b, sizeof(e->msg) - 1);
	fill(&b, i18n(lang, key), a1, a2);
	pr_fail(e, code, "%s", buf_cstr(&b));
	buf_free(&b);
	return code;
}
