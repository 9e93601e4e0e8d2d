/*
 * http.h: the whole interface of src/http: the server (libmicrohttpd, a
 * thread pool), request validation at the edge, conditional requests,
 * compression and the rendered-page cache. It never touches the database:
 * what a URL shows comes from the handler, and whether a cached page is
 * still good comes from the generation callback.
 */
#ifndef PR_HTTP_H
#define PR_HTTP_H

#include "../core/core.h"

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };

/*
 * A request as the handler sees it. path is percent-decoded, valid UTF-8
 * without NUL or control characters, starts with '/', has no "." or ".."
 * segment and no "//"; anything else was answered with 400 before the
 * handler ran. The arena is freed after the response is sent.
 */
struct http_request {
	enum http_method method;
	const char *method_name; /* as sent */
	struct str path;
	struct str query; /* raw, without '?'; may be empty */
	struct arena *arena;
	void *conn;      /* the library's connection: use the calls below */
	struct str body; /* the request body (POST), at most 1 MB (or the
	                    config's upload_max under upload_prefix) */
};

/* The decoded value of query key, STR_NULL when absent; invalid
 * percent-encoding or UTF-8 in the query was already answered with 400. */
struct str http_query(const struct http_request *r, const char *key);
/* A request header, STR_NULL when absent. */
struct str http_header(const struct http_request *r, const char *name);
/*
 * One part of a multipart/form-data body (http/form.c). name is the
 * field's name; filename is NULL for a plain field, else the file's name
 * as sent (possibly ""), with its content_type (NULL when not sent).
 * Everything lives in the request's arena.
 */
struct http_part {
	const char *name, *filename, *content_type;
	struct str data;
};

/*
 * Parses the request's multipart/form-data body with libmicrohttpd's post
 * processor into *parts (an array of *n in the request's arena). Fails
 * with PR_INVALID and the reason when the body is not multipart/form-data
 * or cannot be parsed, PR_TOOBIG past max_parts, PR_NOMEM.
 */
enum pr_err http_form_parts(const struct http_request *r, size_t max_parts,
                            struct http_part **parts, size_t *n,
                            struct pr_error *e);

/* The client's address ("127.0.0.1", "::1") into out; "" when unknown. */
void http_peer(const struct http_request *r, char *out, size_t n);

/*
 * What the handler fills in. A 200 gets a strong ETag (hash of the body),
 * Last-Modified from last_modified, gzip when the client takes it and the
 * type is text-like, and a 304 when the conditional headers match; every
 * response gets Vary, the security headers (CSP, nosniff, X-Frame-Options,
 * Referrer-Policy), and "no-store" when it is a 5xx. A status outside
 * 200..599 or a body in error becomes a 500 error page. Only a 200 to a
 * GET with cacheable set is kept, under the exact path and query.
 */
struct http_response {
	int status;               /* 200 unless set */
	const char *content_type; /* "text/html; charset=utf-8" unless set */
	struct buf body;          /* initialised by http; freed by http */
	const char *location;     /* Location for redirects; absolute path ok */
	const char *allow;        /* Allow for 405 */
	const char *cache_control; /* default "public, max-age=60" for 200 */
	int64_t last_modified;     /* 0 for none */
	bool cacheable;            /* may be kept under this URL until the
	                              generation changes */
	const char *lang;          /* the page's language: error pages,
	                              Content-Language */
	const char *set_cookie;    /* one Set-Cookie value, NULL for none;
	                              never sent with a cached page */
	/* A 200 may send a file instead of body (/media/): http takes
	 * file_fd (open for reading, file_size bytes) and closes it whatever
	 * happens, sends etag (quoted, strong; NULL for none) and
	 * last_modified as validators, answers Range requests (one byte range:
	 * 206, or 416 when it lies past the end; several: the whole file) and
	 * conditional ones (304), and never keeps it in the page cache. */
	bool has_file;
	int file_fd;
	uint64_t file_size;
	const char *etag;
};

/*
 * Called on the server's threads, several at once. HEAD requests reach it
 * too and must get the same body as GET (http sends only the headers, with
 * the body's Content-Length).
 */
typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
                                struct http_response *res);
/* The current generation; a cached page made under another is stale. */
typedef uint64_t (*http_generation_fn)(void *ctx);
/* Fills res with an error page in the site's design for status and a
 * message that says what was wrong; used for errors found by http itself.
 * When the request's target was the error, req->path is "/" and the query
 * empty. A page left empty or in error is replaced by a plain one. */
typedef void (*http_error_fn)(void *ctx, const struct http_request *req,
                              int status, const char *message,
                              struct http_response *res);

struct http_config {
	const char *listen; /* "127.0.0.1:8080", "[::1]:8080", port 0 = any */
	int threads;
	size_t cache_bytes; /* page cache size; 0 turns it off */
	bool access_log;    /* one line a request through log_info */
	size_t max_body;    /* largest response a handler may build; 0 for
	                       16 MB */
	const char *upload_prefix; /* paths ("/admin" and below) whose bodies
	                              may reach upload_max; NULL for none */
	size_t upload_max;         /* 0 for 1 MB, the limit of other paths */
	http_handler_fn handler;
	http_generation_fn generation; /* NULL: one generation forever */
	http_error_fn error_page;
	void *ctx;
};

struct http_server;

/*
 * Starts serving in background threads (cfg->threads, at least one) and
 * sets *out, which the caller stops and frees with http_stop. cfg is
 * copied; its strings and ctx must outlive the server. Fails with
 * PR_INVALID for a listen string that is not host:port ("127.0.0.1:8080",
 * "[::1]:0", "localhost:8080", ":8080" for every address) and with PR_IO
 * and the reason ("cannot listen on 127.0.0.1:8080: Address already in
 * use") when the address cannot be bound; *out is NULL then.
 */
enum pr_err http_start(struct http_server **out, const struct http_config *cfg,
                       struct pr_error *e);
/* The port actually bound (for port 0). */
int http_port(const struct http_server *h);
/* Stops accepting, finishes requests under way, frees everything. */
void http_stop(struct http_server *h);

/* Counters since start, for logs and benchmarks. */
struct http_stats {
	uint64_t requests, cache_hits, not_modified;
};
void http_get_stats(const struct http_server *h, struct http_stats *out);

#endif
