/*
 * http/response.c: MHD responses with pressroom's headers (validators,
 * caching, compression and the security headers every page carries), and
 * pages: the ready-made responses for one URL, in both encodings and with
 * their 304 twins, that the cache keeps and reuses across requests.
 */
#include "http_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sent with every response that http builds. */
static const char *const security_headers[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; "
     "frame-ancestors 'none'"},
    {"X-Frame-Options", "DENY"},
};

void http__etag(const char *body, size_t n, bool gzip, char out[HTTP__ETAG_LEN])
{
	snprintf(out, HTTP__ETAG_LEN, "\"%016" PRIx64 "%s\"",
	         hash64(body, n, 0), gzip ? "-gz" : "");
}

/* Adds name: value when value is set. MHD refuses values with CR or LF,
 * so a handler cannot split the response. */
static void add(struct MHD_Response *r, const char *name, const char *value)
{
	if (value != NULL && value[0] != '\0' &&
	    MHD_add_response_header(r, name, value) != MHD_YES)
		log_warn("http: header %s refused: %s", name, value);
}

/* The validators and caching headers, shared by a response and its 304. */
static void add_validators(struct MHD_Response *r, const struct http__meta *m)
{
	char date[PR_TIME_LEN];

	add(r, MHD_HTTP_HEADER_ETAG, m->etag);
	if (m->last_modified > 0) {
		pr_time_http(m->last_modified, date);
		add(r, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	}
	add(r, MHD_HTTP_HEADER_CACHE_CONTROL, m->cache_control);
	add(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
}

static void add_headers(struct MHD_Response *r, const struct http__meta *m)
{
	size_t i;

	add(r, MHD_HTTP_HEADER_CONTENT_TYPE, m->content_type);
	if (m->gzip)
		add(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	add_validators(r, m);
	add(r, MHD_HTTP_HEADER_LOCATION, m->location);
	add(r, MHD_HTTP_HEADER_ALLOW, m->allow);
	add(r, MHD_HTTP_HEADER_CONTENT_LANGUAGE, m->lang);
	add(r, MHD_HTTP_HEADER_SET_COOKIE, m->set_cookie);
	add(r, MHD_HTTP_HEADER_ACCEPT_RANGES, m->ranges ? "bytes" : NULL);
	add(r, MHD_HTTP_HEADER_CONTENT_RANGE, m->content_range);
	for (i = 0; i < sizeof(security_headers) / sizeof(*security_headers);
	     i++)
		add(r, security_headers[i][0], security_headers[i][1]);
}

struct MHD_Response *http__response(char *body, size_t n,
                                    const struct http__meta *m)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return NULL;
	}
	add_headers(r, m);
	return r;
}

struct MHD_Response *http__response_fd(int fd, uint64_t offset, uint64_t n,
                                       const struct http__meta *m)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_fd_at_offset64(n, fd, offset);
	if (r == NULL) {
		close(fd);
		return NULL;
	}
	add_headers(r, m);
	return r;
}

/* A 304 sends no body, so MHD never calls this. */
static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

struct MHD_Response *http__response_304(size_t n, const struct http__meta *m)
{
	struct MHD_Response *r;

	/* The size makes Content-Length that of the 200, as RFC 9110 asks
	 * of a 304 that carries one at all. */
	r = MHD_create_response_from_callback(n, 4096, no_body, NULL, NULL);
	if (r != NULL)
		add_validators(r, m);
	return r;
}

/* Makes form v of pg from body (taken). */
static enum pr_err page_form(struct http__page *pg, int v, char *body, size_t n,
                             struct http__meta m)
{
	m.etag = pg->etag[v];
	m.gzip = v == 1;
	pg->size[v] = n;
	pg->full[v] = http__response(body, n, &m);
	pg->nm[v] = http__response_304(n, &m);
	return pg->full[v] && pg->nm[v] ? PR_OK : PR_NOMEM;
}

enum pr_err http__page_build(struct http__page *pg, char *body, size_t n,
                             const struct http__meta *m, bool compress)
{
	enum pr_err rc;
	char *gz = NULL;
	size_t gz_n = 0;

	memset(pg, 0, sizeof(*pg));
	pg->last_modified = m->last_modified;
	http__etag(body, n, false, pg->etag[0]);
	if (compress && n > HTTP__GZIP_MIN &&
	    http__compressible(m->content_type) &&
	    http__gzip(body, n, &gz, &gz_n) == PR_OK)
		http__etag(body, n, true, pg->etag[1]);
	rc = page_form(pg, 0, body, n, *m);
	if (gz != NULL && rc == PR_OK)
		rc = page_form(pg, 1, gz, gz_n, *m);
	else
		free(gz);
	if (rc != PR_OK)
		http__page_clear(pg);
	return rc;
}

void http__page_clear(struct http__page *pg)
{
	int v;

	for (v = 0; v < 2; v++) {
		if (pg->full[v] != NULL)
			MHD_destroy_response(pg->full[v]);
		if (pg->nm[v] != NULL)
			MHD_destroy_response(pg->nm[v]);
		pg->full[v] = pg->nm[v] = NULL;
	}
}

enum MHD_Result http__page_answer(struct http__req *q,
                                  struct MHD_Connection *conn,
                                  const struct http__page *pg)
{
	int v = pg->full[1] != NULL && q->gzip_ok ? 1 : 0;

	bool cond = q->pub.method == HTTP_GET || q->pub.method == HTTP_HEAD;

	if (cond &&
	    http__not_modified(&q->hdrs, pg->etag[v], pg->last_modified)) {
		atomic_fetch_add_explicit(&q->srv->not_modified, 1,
		                          memory_order_relaxed);
		return http__queue(q, conn, MHD_HTTP_NOT_MODIFIED, pg->nm[v],
		                   0);
	}
	return http__queue(q, conn, MHD_HTTP_OK, pg->full[v], pg->size[v]);
}
