/*
 * site/site.c: the site object (configuration, theme, one database
 * connection per serving thread), the generation that keys the page cache,
 * the dispatch from a matched route to its handler and the error pages.
 */
#include "site.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The theme's files that every page links to. */
#define N_ASSETS 3
static const char *const asset_names[N_ASSETS] = {"style.css", "print.css",
                                                  "gallery.js"};

struct site {
	struct config cfg;
	char *db_path;
	char *data_dir; /* DATA/media/ holds the photos' files */
	struct tmpl *tmpl;
	uint64_t serial; /* tells this site's thread connections from others' */
	pthread_mutex_t lock;
	struct store **conns; /* every connection opened, closed by site_free */
	size_t n_conns, cap_conns;
	char *asset_urls[N_ASSETS];  /* asset_names with ?v= */
	struct admin *admin;         /* the editors' side under /admin */
	atomic_uint_fast64_t writes; /* the editors' writes in this process */
};

static atomic_uint_fast64_t next_serial = 1;
static atomic_uint_fast64_t failed_generation = 1;

/*
 * A generation read from the store is trusted for this long (and never
 * past the next due item): one read transaction costs 8 to 20 us here,
 * which a busy thread would pay on every request. Changes made by another
 * process (an import) so show up within 5 ms.
 */
#define GENERATION_TTL_NS 5000000

/* The connection of this thread, the site it belongs to and the last
 * generation read through it. */
static _Thread_local struct {
	uint64_t serial;
	struct store *st;
	uint64_t gen;
	int64_t gen_read_at; /* monotonic ns; 0: never read */
	int64_t next_due;
	uint64_t writes_seen; /* site.writes when gen was read */
} this_thread;

static enum pr_err register_conn(struct site *s, struct store *st,
                                 struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	struct store **v;

	pthread_mutex_lock(&s->lock);
	if (s->n_conns == s->cap_conns) {
		size_t cap = s->cap_conns ? 2 * s->cap_conns : 8;
		v = realloc(s->conns, cap * sizeof(*v));
		if (!v) {
			rc = pr_fail(e, PR_NOMEM, "out of memory");
			goto out;
		}
		s->conns = v;
		s->cap_conns = cap;
	}
	s->conns[s->n_conns++] = st;
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* This thread's connection to s's database, opened on first use. */
static enum pr_err thread_store(struct site *s, struct store **out,
                                struct pr_error *e)
{
	struct store *st = NULL;
	enum pr_err rc = PR_OK;

	if (this_thread.serial == s->serial && this_thread.st) {
		*out = this_thread.st;
		goto out;
	}
	if ((rc = store_open(&st, s->db_path, 0, e)) != PR_OK)
		goto out;
	if ((rc = register_conn(s, st, e)) != PR_OK) {
		store_close(st);
		goto out;
	}
	this_thread.serial = s->serial;
	this_thread.st = st;
	this_thread.gen_read_at = 0;
	*out = st;
out:
	return rc;
}

/* "/static/style.css?v=<hash of its bytes>" */
static char *asset_url(const struct tmpl *t, const char *name)
{
	const char *type;
	struct str data;
	struct buf b;

	if (!tmpl_asset(t, str_c(name), &data, &type))
		return NULL;
	buf_init(&b, 256);
	buf_adds(&b, "/static/");
	buf_adds(&b, name);
	buf_addf(&b, "?v=%016llx",
	         (unsigned long long)hash64(data.p, data.n, 0));
	return buf_detach(&b, NULL);
}

const char *site__data_dir(const struct site *s)
{
	return s->data_dir;
}

const char *site__asset_url(const struct site *s, const char *name)
{
	for (size_t i = 0; i < N_ASSETS; i++)
		if (strcmp(asset_names[i], name) == 0 && s->asset_urls[i])
			return s->asset_urls[i];
	return "";
}

static enum pr_err load_theme(struct site *s, struct pr_error *e)
{
	enum pr_err rc;

	rc = tmpl_load(&s->tmpl, s->cfg.theme[0] ? s->cfg.theme : NULL, e);
	for (size_t i = 0; rc == PR_OK && i < N_ASSETS; i++)
		s->asset_urls[i] = asset_url(s->tmpl, asset_names[i]);
	return rc;
}

static enum pr_err preview_page(void *ctx, struct store *st,
                                const struct http_request *req,
                                struct http_response *res,
                                const struct article *a, struct pr_error *e)
{
	return site_article_page(ctx, st, req, res, a, e);
}

/* An editor changed something: no thread may trust the generation it
 * read before, so that the change shows at once, not within 5 ms. */
static void written(void *ctx)
{
	struct site *s = ctx;

	atomic_fetch_add(&s->writes, 1);
}

static enum pr_err open_admin(struct site *s, struct pr_error *e)
{
	struct admin_hooks hooks = {preview_page, written, s, s->data_dir};

	return admin_open(&s->admin, &s->cfg, s->tmpl, &hooks, e);
}

enum pr_err site_open(struct site **out, const struct config *cfg,
                      const char *data_dir, struct pr_error *e)
{
	struct site *s = calloc(1, sizeof(*s));
	struct store *st;
	enum pr_err rc = PR_NOMEM;
	struct buf b;

	*out = NULL;
	buf_init(&b, 8192);
	if (!s)
		goto out;
	s->cfg = *cfg;
	s->serial = atomic_fetch_add(&next_serial, 1);
	pthread_mutex_init(&s->lock, NULL);
	buf_adds(&b, data_dir);
	buf_adds(&b, "/pressroom.db");
	if (!(s->db_path = buf_detach(&b, NULL)) ||
	    !(s->data_dir = strdup(data_dir)))
		goto out;
	if ((rc = load_theme(s, e)) != PR_OK)
		goto out;
	rc = thread_store(s, &st, e);
	if (rc == PR_OK)
		rc = open_admin(s, e);
out:
	if (rc == PR_NOMEM)
		pr_fail(e, rc, "out of memory");
	if (rc != PR_OK)
		site_free(s);
	else
		*out = s;
	buf_free(&b);
	return rc;
}

void site_free(struct site *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_conns; i++)
		store_close(s->conns[i]);
	if (this_thread.serial == s->serial)
		this_thread.st = NULL;
	free(s->conns);
	for (size_t i = 0; i < N_ASSETS; i++)
		free(s->asset_urls[i]);
	admin_free(s->admin);
	tmpl_free(s->tmpl);
	free(s->db_path);
	free(s->data_dir);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/*
 * The store's generation changes with every visible change; next_due moves
 * on each time a scheduled item comes due, so hashing both gives a new
 * value exactly when what readers see changes. It runs on every request,
 * so each thread keeps what it read for GENERATION_TTL_NS. When the
 * database cannot answer, every call gives a new value so that nothing
 * stale is served.
 */
static int64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

uint64_t site_generation(void *ctx)
{
	struct site *s = ctx;
	int64_t now = pr_now(), mono = monotonic_ns(), v[2];
	uint64_t writes = atomic_load(&s->writes);
	struct store *st;

	if (this_thread.serial == s->serial && this_thread.gen_read_at &&
	    mono - this_thread.gen_read_at < GENERATION_TTL_NS &&
	    now < this_thread.next_due && writes == this_thread.writes_seen)
		return this_thread.gen;
	if (thread_store(s, &st, NULL) != PR_OK ||
	    store_generation(st, now, &v[0], &v[1], NULL) != PR_OK)
		return atomic_fetch_add(&failed_generation, 1) << 32;
	this_thread.gen = hash64(v, sizeof(v), s->serial);
	this_thread.gen_read_at = mono;
	this_thread.next_due = v[1];
	this_thread.writes_seen = writes;
	return this_thread.gen;
}

static int status_of(enum pr_err rc)
{
	switch (rc) {
	case PR_NOTFOUND: return 404;
	case PR_INVALID: return 400;
	default: return 500;
	}
}

static enum pr_err root(struct site_req *r)
{
	const char *path =
	    arena_printf(r->a, "/%s/news", r->cfg->default_language);

	site__redirect(r, 302, path);
	return path ? PR_OK : PR_NOMEM;
}

static const struct {
	enum site_page page;
	enum pr_err (*fn)(struct site_req *r);
} handlers[] = {
    {SITE_ROOT, root},
    {SITE_HOME, site__news},
    {SITE_NEWS, site__news},
    {SITE_ARTICLE, site__article},
    {SITE_PRINT, site__article},
    {SITE_HISTORY, site__history},
    {SITE_ARCHIVE, site__archive},
    {SITE_ARCHIVE_YEAR, site__archive},
    {SITE_ARCHIVE_MONTH, site__archive},
    {SITE_ARCHIVE_DAY, site__archive},
    {SITE_TAG, site__entity},
    {SITE_PERSON, site__entity},
    {SITE_PLACE, site__entity},
    {SITE_STATIC, site__static},
    {SITE_ROBOTS, site__robots},
    {SITE_FEED, site__feeds},
    {SITE_TAG_FEED, site__feeds},
    {SITE_PERSON_FEED, site__feeds},
    {SITE_PLACE_FEED, site__feeds},
    {SITE_KIND, site__kind},
    {SITE_KIND_FEED, site__feeds},
    {SITE_SITEMAP_INDEX, site__sitemap_index},
    {SITE_SITEMAP, site__sitemap},
    {SITE_GALLERY, site__gallery},
    {SITE_PHOTO, site__photo},
    {SITE_MEDIA, site__media},
    {SITE_SEARCH, site__search},
    {SITE_SEARCH_FEED, site__search_feed},
    {SITE_API_SEARCH, site__search_api},
};

static struct str query_of(void *ctx, const char *key)
{
	return http_query(ctx, key);
}

/* A final '/' on a page that has none: the address without it. */
static bool drop_slash(struct site_req *r)
{
	const struct http_request *h = r->http;

	if (!r->route->trailing_slash || r->route->page == SITE_HOME)
		return false;
	site__redirect(r, 301, arena_strndup(r->a, h->path.p, h->path.n - 1));
	return true;
}

static enum pr_err dispatch(struct site_req *r)
{
	enum pr_err rc = PR_OK;

	if (drop_slash(r))
		goto out;
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].page != r->route->page)
			continue;
		if ((rc = thread_store(r->site, &r->st, &r->err)) == PR_OK)
			rc = handlers[i].fn(r);
		goto out;
	}
	rc = pr_fail(&r->err, PR_INTERNAL, "no handler for a route");
out:
	return rc;
}

/* The editors' side, with this thread's connection. */
static void to_admin(struct site *s, const struct http_request *req,
                     struct http_response *res)
{
	struct pr_error e = {0};
	struct store *st;

	if (thread_store(s, &st, &e) != PR_OK) {
		log_error("%.*s: %s", STR_FMT(req->path), e.msg);
		site_error_page(s, req, 500, "the database cannot be opened",
		                res);
		return;
	}
	admin_handle(s->admin, st, req, res);
}

void site__req_init(struct site_req *r, struct site *s,
                    const struct http_request *req, struct http_response *res)
{
	memset(r, 0, sizeof(*r));
	r->site = s;
	r->cfg = &s->cfg;
	r->tmpl = s->tmpl;
	r->http = req;
	r->res = res;
	r->a = req->arena;
	r->now = pr_now();
	r->lang = s->cfg.default_language;
}

void site_handle(void *ctx, const struct http_request *req,
                 struct http_response *res)
{
	struct site *s = ctx;
	struct site_route route;
	struct site_req r = {
	    .site = s,
	    .cfg = &s->cfg,
	    .tmpl = s->tmpl,
	    .http = req,
	    .res = res,
	    .route = &route,
	    .a = req->arena,
	    .now = pr_now(),
	};
	enum pr_err rc;

	if (admin_owns(req->path)) {
		to_admin(s, req, res);
		return;
	}
	rc = site_route_match(&s->cfg, req->path, query_of, (void *)req, &route,
	                      &r.err);
	r.lang = site_path_lang(&s->cfg, req->path);
	if (rc == PR_OK && req->method != HTTP_GET &&
	    req->method != HTTP_HEAD) {
		res->allow = "GET, HEAD";
		site__fail(&r.err, PR_INVALID, r.lang, "error_method",
		           req->method_name, NULL);
		site_error_page(s, req, 405, r.err.msg, res);
		return;
	}
	if (rc == PR_OK)
		rc = dispatch(&r);
	if (rc == PR_OK)
		return;
	if (status_of(rc) == 500) {
		log_error("%.*s: %s", STR_FMT(req->path), r.err.msg);
		pr_error_clear(&r.err);
		site__fail(&r.err, rc, r.lang, "server_error_text", NULL, NULL);
	}
	site_error_page(s, req, status_of(rc), r.err.msg, res);
}

/* The interface strings of each error status; unknown ones use the
 * nearest general one. */
static const struct {
	int status;
	const char *title, *text;
} statuses[] = {
    {400, "bad_request_title", "bad_request_text"},
    {404, "not_found_title", "not_found_text"},
    {405, "method_not_allowed_title", "method_not_allowed_text"},
    {410, "gone_title", "gone_text"},
    {414, "uri_too_long_title", "uri_too_long_text"},
    {431, "headers_too_large_title", "headers_too_large_text"},
    {500, "server_error_title", "server_error_text"},
};

static size_t status_index(int status)
{
	size_t n = sizeof(statuses) / sizeof(statuses[0]);

	for (size_t i = 0; i < n; i++)
		if (statuses[i].status == status)
			return i;
	return status >= 500 ? n - 1 : 0;
}

static void error_model(struct site_req *r, int status, const char *message)
{
	size_t i = status_index(status);
	const char *title = i18n(r->lang, statuses[i].title);

	site__model(r, title, NULL, NULL, NULL);
	tv_set(r->model, "status", tv_int(r->a, status));
	tv_set(r->model, "message", tv_cstr(r->a, message ? message : ""));
	tv_set(r->model, "explanation",
	       tv_cstr(r->a, i18n(r->lang, statuses[i].text)));
}

void site_error_page(void *ctx, const struct http_request *req, int status,
                     const char *message, struct http_response *res)
{
	struct site *s = ctx;
	struct arena *own = req ? NULL : arena_new(1 << 20);
	struct site_req r = {
	    .site = s,
	    .cfg = &s->cfg,
	    .tmpl = s->tmpl,
	    .http = req,
	    .res = res,
	    .a = req ? req->arena : own,
	    .now = pr_now(),
	};

	r.lang = site_path_lang(&s->cfg, req ? req->path : STR_NULL);
	buf_reset(&res->body);
	res->content_type = "text/html; charset=utf-8";
	if (r.a)
		error_model(&r, status, message);
	if (!r.a || tmpl_render(s->tmpl, "error", r.model, &res->body,
	                        &r.err) != PR_OK) {
		buf_reset(&res->body);
		buf_addf(&res->body, "%d %s\n", status, message ? message : "");
		res->content_type = "text/plain; charset=utf-8";
	}
	res->status = status;
	res->cacheable = false;
	res->lang = r.lang;
	res->location = NULL;
	res->last_modified = 0;
	arena_free(own);
}
