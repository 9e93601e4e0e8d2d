/*
 * http_int.h: what the files of src/http share and nothing outside needs:
 * the server and per-request state, the request-target validator, the
 * conditional-request and Accept-Encoding parsers, gzip, response building
 * and the page cache. Names here start with http__.
 */
#ifndef PR_HTTP_INT_H
#define PR_HTTP_INT_H

#include "http.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <time.h>

#define HTTP__URI_MAX      8192               /* request-target, else 414 */
#define HTTP__UPLOAD_MAX   (1024 * 1024)      /* request body, else 413 */
#define HTTP__DROP_MAX     (8u * 1024 * 1024) /* read past it, then close */
#define HTTP__ARENA_MAX    (16u * 1024 * 1024)
#define HTTP__BODY_DEFAULT (16u * 1024 * 1024) /* max_body when 0 */
#define HTTP__GZIP_MIN     512          /* smaller bodies go as they are */
#define HTTP__ETAG_LEN     24           /* "\"" 16 hex "-gz\"" NUL */
#define HTTP__POOL_BYTES   (32u * 1024) /* MHD's memory per connection */

struct http__cache;

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_config cfg;
	struct http__cache *cache; /* NULL when cache_bytes is 0 */
	int port;
	atomic_bool started; /* MHD's messages are warnings until then */
	atomic_uint_fast64_t requests, cache_hits, not_modified;
};

/* The headers that steer a GET, read in one pass over the request. */
struct http__hdrs {
	const char *accept_encoding, *if_none_match, *if_modified_since;
	const char *content_length, *transfer_encoding;
	const char *range, *if_range;
};

/* A decoded query parameter. */
struct http__param {
	struct str key, value;
};

/*
 * One request, from MHD's URI callback to its completion callback, which
 * frees it. pub comes first so that a struct http_request pointer handed
 * to the handler leads back here.
 */
struct http__req {
	struct http_request pub;
	struct http_server *srv;
	const char *raw_at; /* MHD's copy of the target, compared by address */
	struct http__hdrs hdrs;
	struct http__param *params;
	size_t n_params;
	struct buf upload; /* the request body, at most body_max */
	size_t body_max;  /* HTTP__UPLOAD_MAX, or upload_max under the prefix */
	char too_big[64]; /* the 413's message */
	size_t dropped;   /* body bytes read after a refusal */
	struct timespec start;
	size_t bytes;     /* body bytes of the response, for the log */
	int status;       /* 0 until a response was queued */
	int early_status; /* decided at the headers, answered at the end */
	const char *early_msg;
	bool started, too_long, gzip_ok;
	char method[16]; /* for the log */
	size_t uri_n;
	char uri[]; /* the raw target, NUL-ended; empty if too_long */
};

/* http/request.c */

/*
 * Checks and decodes the raw request-target t (path and query, as sent):
 * on success sets q->pub.path (decoded, in a), q->pub.query (raw, in t)
 * and q->params (decoded, in a). On failure returns PR_INVALID with a
 * message for the 400 page saying what was wrong and where, or PR_NOMEM.
 */
enum pr_err http__parse_target(struct http__req *q, struct str t,
                               struct arena *a, struct pr_error *e);
/* true when an Accept-Encoding value admits gzip (q-values honoured). */
bool http__accepts_gzip(const char *ae);
/* true when an If-None-Match value matches etag (quoted, strong) under
 * the weak comparison, or is "*". */
bool http__etag_match(const char *inm, const char *etag);
/* true when the conditional headers in h make a 304 the answer for a
 * representation with etag and last_modified (0 for none). */
bool http__not_modified(const struct http__hdrs *h, const char *etag,
                        int64_t last_modified);

/* What a Range header asks of a representation. */
enum http__range {
	HTTP__RANGE_NONE,  /* no Range, or one to ignore: send it whole */
	HTTP__RANGE_OK,    /* one satisfiable byte range: *first..*last */
	HTTP__RANGE_UNSAT, /* past the end: 416 */
};

/*
 * Parses a Range value (RFC 9110 14.1.2) for a representation of size
 * bytes: "bytes=A-B", "bytes=A-" and "bytes=-N" give HTTP__RANGE_OK with
 * the inclusive bounds cut to the size; a range starting at or past the
 * end, or "-0", HTTP__RANGE_UNSAT; several ranges, other units and
 * malformed values HTTP__RANGE_NONE (the whole representation is sent,
 * as the RFC allows).
 */
enum http__range http__parse_range(const char *v, uint64_t size,
                                   uint64_t *first, uint64_t *last);
/* true when an If-Range value (absent: NULL) lets the Range count for a
 * representation with the strong etag and last_modified. */
bool http__if_range_ok(const char *v, const char *etag, int64_t last_modified);

/* http/compress.c */

/* true for content types worth compressing (text, JSON, XML, SVG, JS). */
bool http__compressible(const char *content_type);
/*
 * Compresses p[0..n) into a gzip stream in *out (malloc'd, the caller
 * frees). PR_TOOBIG when the result would not be smaller, PR_NOMEM or
 * PR_INTERNAL on failure; *out is NULL then.
 */
enum pr_err http__gzip(const char *p, size_t n, char **out, size_t *out_n);

/* http/response.c */

/* What the headers of one representation say. */
struct http__meta {
	int status;
	const char *content_type, *location, *allow, *cache_control, *lang;
	const char *set_cookie;
	int64_t last_modified;
	const char *etag;          /* NULL for none */
	const char *content_range; /* 206 and 416 */
	bool ranges;               /* Accept-Ranges: bytes */
	bool gzip;
};

/*
 * A page ready to answer with: MHD responses for the identity form [0]
 * and the gzip form [1] (NULL when there is none), with their 304 twins.
 * Each response holds one reference, dropped by http__page_clear.
 */
struct http__page {
	struct MHD_Response *full[2], *nm[2];
	char etag[2][HTTP__ETAG_LEN];
	size_t size[2];
	int64_t last_modified;
};

/* Writes the strong ETag of body into out ("\"<hex>\"" or with -gz). */
void http__etag(const char *body, size_t n, bool gzip,
                char out[HTTP__ETAG_LEN]);
/* An MHD response for body (taken: freed by MHD, even on failure) with
 * every header of m; NULL when out of memory. */
struct MHD_Response *http__response(char *body, size_t n,
                                    const struct http__meta *m);
/* An MHD response for bytes offset..offset+n of the file fd (taken:
 * closed by MHD, or here on failure) with every header of m. */
struct MHD_Response *http__response_fd(int fd, uint64_t offset, uint64_t n,
                                       const struct http__meta *m);
/* The 304 twin of a representation of n bytes: m's validators and
 * caching headers, Content-Length n, no body. NULL when out of memory. */
struct MHD_Response *http__response_304(size_t n, const struct http__meta *m);
/* Fills pg from a 200 body (taken) and its meta: both forms when
 * compress is set and it pays. PR_NOMEM when out of memory, pg cleared. */
enum pr_err http__page_build(struct http__page *pg, char *body, size_t n,
                             const struct http__meta *m, bool compress);
/* Drops the page's references; the page may be in flight still. */
void http__page_clear(struct http__page *pg);
/* Queues the fitting form of pg for q (gzip when accepted, 304 when the
 * conditional headers say so). */
enum MHD_Result http__page_answer(struct http__req *q,
                                  struct MHD_Connection *conn,
                                  const struct http__page *pg);

/* http/file.c */

/* Answers a handler's 200 with a file (res->has_file): 200, 206, 304 or
 * 416; closes res->file_fd in every case. */
enum MHD_Result http__send_file(struct http__req *q,
                                struct MHD_Connection *conn,
                                struct http_response *res);

/* http/cache.c */

/* A cache of at most max bytes; NULL when out of memory. */
struct http__cache *http__cache_new(size_t max);
/* Frees the cache and drops its references to the pages. */
void http__cache_free(struct http__cache *c);
/*
 * Answers q from the page stored under key when it was made under
 * generation gen: the page is queued while the cache's lock is held, so
 * that eviction cannot free it before MHD takes its reference. Returns
 * true and sets *ret when it answered, false on a miss.
 */
bool http__cache_answer(struct http__cache *c, struct str key, uint64_t gen,
                        struct http__req *q, struct MHD_Connection *conn,
                        enum MHD_Result *ret);
/* Stores pg (its references are taken; on refusal they are dropped)
 * under key for generation gen, evicting what must go. */
void http__cache_put(struct http__cache *c, struct str key, uint64_t gen,
                     struct http__page *pg);
/* Bytes held now, for tests. */
size_t http__cache_bytes(struct http__cache *c);

/* http/dispatch.c: the three stages of MHD's access handler. */

/* The headers are in: checks them, answers at once what is refused. */
enum MHD_Result http__begin(struct http__req *q, struct MHD_Connection *conn,
                            const char *method, const char *version);
/* A piece of the request body (consumed; *n set to 0). */
enum MHD_Result http__upload(struct http__req *q, struct MHD_Connection *conn,
                             const char *data, size_t *n);
/* The request is complete: answers from the cache or the handler. */
enum MHD_Result http__finish(struct http__req *q, struct MHD_Connection *conn);
/* Answers status with an error page saying msg. */
enum MHD_Result http__error(struct http__req *q, struct MHD_Connection *conn,
                            int status, const char *msg);

/* http/server.c */

/* Queues resp with status for q and records both for the log. */
enum MHD_Result http__queue(struct http__req *q, struct MHD_Connection *conn,
                            int status, struct MHD_Response *resp,
                            size_t bytes);

#endif
