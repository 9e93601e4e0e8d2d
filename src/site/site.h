/*
 * site.h: the whole interface of src/site, the reader's side: routing of
 * the public URL map, page models and the handlers behind them. The CLI's
 * `serve` opens a site and hands its callbacks to http_start.
 */
#ifndef PR_SITE_H
#define PR_SITE_H

#include "../admin/admin.h"
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
	SITE_HISTORY,       /* /{lang}/news/{id}[-{slug}]/history?v=N */
	SITE_ARCHIVE,       /* /{lang}/archive */
	SITE_ARCHIVE_YEAR,  /* /{lang}/archive/{yyyy} */
	SITE_ARCHIVE_MONTH, /* /{lang}/archive/{yyyy}/{mm} */
	SITE_ARCHIVE_DAY,   /* /{lang}/archive/{yyyy}/{mm}/{dd} */
	SITE_TAG,           /* /{lang}/tags/{slug}?after=T.ID */
	SITE_PERSON,        /* /{lang}/persons/{slug} */
	SITE_PLACE,         /* /{lang}/places/{slug} */
	SITE_STATIC,        /* /static/{file} */
	SITE_ROBOTS,        /* /robots.txt */
	SITE_FEED,          /* /{lang}/{feed}: rss.xml, atom.xml, feed.json */
	SITE_TAG_FEED,      /* /{lang}/tags/{slug}/{feed} */
	SITE_PERSON_FEED,   /* /{lang}/persons/{slug}/{feed} */
	SITE_PLACE_FEED,    /* /{lang}/places/{slug}/{feed} */
	SITE_KIND,          /* /{lang}/kinds/{kind}?after=T.ID */
	SITE_KIND_FEED,     /* /{lang}/kinds/{kind}/{feed} */
	SITE_SITEMAP_INDEX, /* /sitemap.xml */
	SITE_SITEMAP,       /* /sitemaps/{lang}-{n}.xml, {lang}-pages.xml,
	                       news.xml */
	SITE_GALLERY,       /* /{lang}/news/{id}[-{slug}]/photos */
	SITE_PHOTO,         /* /{lang}/news/{id}[-{slug}]/photos/{n} */
	SITE_MEDIA,         /* /media/orig/ab/cd/{sha}.{ext},
	                       /media/r/ab/cd/{sha}-{width}.{webp|jpg} */
	SITE_SEARCH,        /* /{lang}/search?q=&from=&to=&kind=&... */
	SITE_SEARCH_FEED,   /* /{lang}/search/{feed}?q=...: atom.xml, ... */
	SITE_API_SEARCH,    /* /api/v1/search?q=...&cursor= */
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
	int feed;             /* feeds: enum site_feed_format */
	int64_t archive_no;   /* feeds: ?page, 0 for the current feed, -1 when
	                         malformed (the handler answers 400) */
	const char *kind;     /* kind pages: one of store_kinds */
	int sitemap;          /* sitemaps/: enum site_sitemap */
	int64_t file_no;      /* sitemaps/{lang}-{n}.xml: n */
	int photo_no;         /* photos/{n}: 1 for the lead photo */
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
/* The address of page n of a paged list, in r's arena. */
typedef const char *(*site_page_url_fn)(struct site_req *r, const void *ctx,
                                        int64_t n);
/* Sets "pagination" (label, first, newer, older, last and the texts of the
 * newer and older links) and "has_pagination" in m for page of pages, for
 * the "pagination" partial. ranked lists say previous/next rather than
 * newer/older. */
void site__pagination(struct site_req *r, struct tval *m, int64_t page,
                      int64_t pages, bool ranked, site_page_url_fn url,
                      const void *ctx);
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

/* site/editorial.c: corrections, history, withdrawn items, previews */

/*
 * The public page of article a in any status, as readers would get it
 * (a withdrawn one as its notice), into res; for the editors' previews
 * (admin_hooks.article_page). Never cacheable.
 */
enum pr_err site_article_page(struct site *s, struct store *st,
                              const struct http_request *req,
                              struct http_response *res,
                              const struct article *a, struct pr_error *e);
/* Fills r for a request outside the route table (previews). */
void site__req_init(struct site_req *r, struct site *s,
                    const struct http_request *req, struct http_response *res);
/* The article page's model of a (site/article.c). */
enum pr_err site__article_model(struct site_req *r, const struct article *a,
                                const char *path);
/* "Updated on" with the latest change note, and the history link. */
void site__corrections(struct site_req *r, const struct article *a);
/* The notice page (410) of a withdrawn item, its text behind it. */
enum pr_err site__gone(struct site_req *r, const struct article *a);
/* /{lang}/news/{id}-{slug}/history: the published versions. */
enum pr_err site__history(struct site_req *r);

/* site/feed.c: RSS 2.0, Atom 1.0 and JSON Feed 1.1, paged (RFC 5005) */

enum site_feed_format { SITE_FEED_RSS, SITE_FEED_ATOM, SITE_FEED_JSON };

/* The files of a feed under its base path, in the order of the enum. */
extern const char *const site_feed_files[3]; /* "rss.xml", ... */

/* What a feed shows. Paths are absolute paths of this site, already
 * percent-encoded; base_url goes in front of them. */
struct site_feed {
	enum site_feed_format format;
	const char *title;     /* "News", "Ecology": the site's name is added */
	const char *base;      /* the feed is base + "/atom.xml" (etc.) */
	const char *query;     /* NULL, or a query for every link of the
	                          feed, encoded ("q=word&kind=news") */
	const char *html_path; /* the page the feed follows */
	const struct article_list *items; /* newest first */
	int64_t archive;  /* 0: the current feed; n: archive page n */
	int64_t archives; /* complete archive pages (0: no archive links) */
};

/*
 * Writes the feed into r->res as a cacheable 200 with its Content-Type and
 * Last-Modified (the newest change among its items). Every item is read
 * whole (text, author, tags) one at a time, so memory does not grow with
 * the items' size; its content is the lead and, with feed_full_content,
 * the whole text. Reusable for any list, search results included: give
 * archive 0 and archives 0 for a feed without archive pages.
 */
enum pr_err site__feed(struct site_req *r, const struct site_feed *f);

/* The handler of the feed routes (SITE_*FEED). */
enum pr_err site__feeds(struct site_req *r);

/* site/meta.c: what the head of every page says to other software */

/*
 * Sets the autodiscovery links of the page: its own three feeds at base
 * ("/en/tags/ecology": /en/tags/ecology/rss.xml ...; query as in struct
 * site_feed, may be NULL) titled after title, then the language's news
 * feeds. site__model already sets the latter alone.
 */
void site__feed_links(struct site_req *r, const char *base, const char *query,
                      const char *title);

/* The alternates (hreflang, x-default), feed links and Open Graph basics
 * of every page; site__model calls it with its canonical and switch
 * paths. */
void site__head_meta(struct site_req *r, const char *canonical,
                     const char *switch_path);

/*
 * Open Graph type, dates and tags, the Twitter card and the schema.org
 * NewsArticle JSON-LD of an article page (escaped for a <script>
 * element). path is its canonical path.
 */
void site__article_meta(struct site_req *r, const struct article *a,
                        const char *path);

/* A photo as feeds, sitemaps and page metadata show it. */
struct site_photo {
	const char *url;  /* absolute */
	const char *type; /* "image/jpeg" */
	int64_t bytes;    /* 0 when unknown */
	int width, height;
	const char *alt, *caption; /* "" when none */
};

/*
 * Up to max photos of article id, the lead photo first; returns how many
 * (site/photos.c): each as its JPEG rendition at most 1280 pixels wide;
 * bytes only for the first (an enclosure needs it; 0 for the others).
 * Feeds make the first an enclosure (RSS, Atom) and image (JSON Feed),
 * article pages their og:image and the JSON-LD image, sitemaps image
 * entries of them all.
 */
size_t site__photos(struct site_req *r, int64_t id, struct site_photo *out,
                    size_t max);

/* site/sitemap.c: sitemaps and their index, each file written as a
 * stream of at most SITE_SITEMAP_URLS addresses */

#define SITE_SITEMAP_URLS 50000

enum site_sitemap { SITEMAP_ITEMS, SITEMAP_PAGES, SITEMAP_NEWS };

enum pr_err site__sitemap_index(struct site_req *r);
enum pr_err site__sitemap(struct site_req *r);

/* site/photos.c: photos on pages, the gallery, the photo pages and the
 * files under /media/ */

/* The lead photo ("lead_photo": the picture partial's model with caption
 * and credit) and the link to the gallery ("gallery": url, text "9
 * photos", published articles only) of an article page, when it has
 * photos and is not withdrawn; raises Last-Modified to the newest
 * photo's. */
enum pr_err site__article_photos(struct site_req *r, const struct article *a);
/* Sets "photo" (a thumbnail) on items[i] for each item of l with a lead
 * photo; items has l->n entries (NULL ones are skipped). */
void site__item_photos(struct site_req *r, const struct article_list *l,
                       struct tval **items);
enum pr_err site__gallery(struct site_req *r);
enum pr_err site__photo(struct site_req *r);
/* /media/...: a file of DATA/media/ whose name media_name_valid takes,
 * sent as it is stored (Range, 304, cached for a year). */
enum pr_err site__media(struct site_req *r);
/* The data folder the site was opened over. */
const char *site__data_dir(const struct site *s);

/* site/search.c, search_page.c, search_api.c: search (the query's keys
 * are validated by the handlers, see search.c) */

enum pr_err site__search(struct site_req *r);      /* the page */
enum pr_err site__search_feed(struct site_req *r); /* its feeds */
enum pr_err site__search_api(struct site_req *r);  /* JSON, cursors */

/* site/kind.c: the items of one kind */

enum pr_err site__kind(struct site_req *r);
/* "Statements", "Заявления": the title of the list of a kind. */
const char *site__kind_title(struct site_req *r, const char *kind);

#endif
