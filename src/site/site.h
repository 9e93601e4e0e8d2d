/*
 * site.h: the whole interface of src/site, the reader's side: routing of
 * the public URL map, page models and the handlers behind them. The CLI's
 * `serve` opens a site and hands its callbacks to http_start.
 */
#ifndef PR_SITE_H
#define PR_SITE_H

#include "../core/core.h"
#include "../http/http.h"
#include "../render/render.h"
#include "../store/store.h"

struct site;

/* site/site.c */

/*
 * Opens the site over data_dir (its database is data_dir/pressroom.db) with
 * configuration cfg (copied): loads the theme (cfg->theme or the embedded
 * one) and checks that the database opens. Each serving thread opens its own
 * database connection on first use. Free with site_free.
 */
enum pr_err site_open(struct site **out, const struct config *cfg,
                      const char *data_dir, struct pr_error *e);
void site_free(struct site *s);

/* The callbacks for struct http_config; ctx is the struct site. */
void site_handle(void *ctx, const struct http_request *req,
                 struct http_response *res);
uint64_t site_generation(void *ctx);
void site_error_page(void *ctx, const struct http_request *req, int status,
                     const char *message, struct http_response *res);

/* site/route.c: the public URL map, validated at the edge */

enum site_page {
	SITE_ROOT,          /* /                       redirect */
	SITE_HOME,          /* /{lang}, /{lang}/       news, page 1 */
	SITE_NEWS,          /* /{lang}/news?page=N */
	SITE_ARTICLE,       /* /{lang}/news/{id}[-{slug}] */
	SITE_PRINT,         /* /{lang}/news/{id}[-{slug}]/print */
	SITE_ARCHIVE,       /* /{lang}/archive */
	SITE_ARCHIVE_YEAR,  /* /{lang}/archive/{yyyy} */
	SITE_ARCHIVE_MONTH, /* /{lang}/archive/{yyyy}/{mm} */
	SITE_ARCHIVE_DAY,   /* /{lang}/archive/{yyyy}/{mm}/{dd} */
	SITE_TAG,           /* /{lang}/tags/{slug}?after=T.ID */
	SITE_PERSON,        /* /{lang}/persons/{slug} */
	SITE_PLACE,         /* /{lang}/places/{slug} */
	SITE_STATIC,        /* /static/{file} */
	SITE_ROBOTS,        /* /robots.txt */
};

/* Largest ?page= that is a page number at all (beyond it: 400). */
#define SITE_PAGE_MAX 1000000000

/* A matched route with its typed, validated values. Strings point into
 * the path that was matched. */
struct site_route {
	enum site_page page;
	char lang[3];         /* "" on routes without a language */
	int64_t id;           /* article */
	struct str slug;      /* article slug as written; entity slug */
	struct str file;      /* static file name */
	struct str version;   /* ?v= of a static file, STR_NULL when none */
	int year, month, day; /* archive */
	int64_t page_no;      /* ?page: 1 when absent, 0 when malformed */
	struct cursor after;  /* ?after: zero when absent */
	bool trailing_slash;  /* matched after dropping a final '/' */
};

/* Looks up a query value by key; STR_NULL when absent. */
typedef struct str (*site_query_fn)(void *ctx, const char *key);

/*
 * Matches path (as struct http_request gives it) against the URL map and
 * validates each segment and the route's query keys (through query, which
 * may be NULL for none). PR_OK fills out. PR_NOTFOUND when nothing lives at
 * that path, PR_INVALID when a route matched but a value is malformed; the
 * message in e says what was wrong, in the language of the path.
 */
enum pr_err site_route_match(const struct config *cfg, struct str path,
                             site_query_fn query, void *qctx,
                             struct site_route *out, struct pr_error *e);

/* The language a path names in its first segment when it is one of cfg's,
 * else the default language. Never NULL. */
const char *site_path_lang(const struct config *cfg, struct str path);

/*
 * Records code with the interface string key of lang as the message, each
 * "{}" in it replaced by the next of a1, a2 (either may be NULL). Returns
 * code.
 */
enum pr_err site__fail(struct pr_error *e, enum pr_err code, const char *lang,
                       const char *key, const char *a1, const char *a2);
/* The same text in the arena ("" when out of memory). */
const char *site__text(struct arena *a, const char *lang, const char *key,
                       const char *a1, const char *a2);

/* site/model.c: what every page model holds */

/* One request as the handlers see it. */
struct site_req {
	struct site *site;
	const struct config *cfg;
	const struct tmpl *tmpl;
	const struct http_request *http;
	struct http_response *res;
	struct site_route *route;
	struct store *st;
	struct arena *a;
	const char *lang;
	int64_t now;
	struct tval *model;
	struct pr_error err;
};

/* The URL of a theme asset with its version query; "" when there is none. */
const char *site__asset_url(const struct site *s, const char *name);

/*
 * Starts r->model for a page of r->lang: site name, interface strings,
 * asset links, navigation (current names "news" or "archive", or NULL),
 * the page title and its canonical path (NULL for none). switch_path is
 * the same page in the other language (NULL: its news list).
 */
void site__model(struct site_req *r, const char *title, const char *current,
                 const char *canonical, const char *switch_path);
/* {iso, text} for an instant: "2021-11-18T09:30:00Z", "18 November 2021". */
struct tval *site__date(struct site_req *r, int64_t t);
/* The canonical path of an article (with "/print" when print). */
const char *site__article_path(struct arena *a, int64_t id, const char *lang,
                               const char *slug, bool print);
/* "1 item", "12 items", "21 материал" in r->lang. */
const char *site__count_text(struct site_req *r, int64_t n);
/* The interface string for a kind of item ("News"). */
const char *site__kind_label(struct site_req *r, const char *kind);
/* A list of items for the "list" partial, set as "items" with
 * "has_items"; raises r->res->last_modified to the newest item's. */
struct tval *site__items(struct site_req *r, const struct article_list *l);
/* Renders template name with r->model into the response as a 200 page. */
enum pr_err site__render(struct site_req *r, const char *name);
/* Answers with a 301 (permanent) or 302 to path. */
void site__redirect(struct site_req *r, int status, const char *path);

/* site/pages.c, site/archive.c: the handlers; each returns PR_OK when it
 * filled r->res, else a code and message for the error page. */

enum pr_err site__news(struct site_req *r);
enum pr_err site__article(struct site_req *r);
enum pr_err site__entity(struct site_req *r);
enum pr_err site__archive(struct site_req *r);
enum pr_err site__static(struct site_req *r);
enum pr_err site__robots(struct site_req *r);

#endif
