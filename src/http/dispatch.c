/*
 * http/dispatch.c: one request from its headers to its response. The
 * headers are checked first (request bodies where none belong, sizes),
 * then a GET or HEAD is answered from the page cache when it can be, and
 * only then is the target validated and the handler called. Errors found
 * here become pages from cfg->error_page, or a small page of our own.
 */
#include "http_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DEFAULT_TYPE  "text/html; charset=utf-8"
#define DEFAULT_CACHE "public, max-age=60"

static enum http_method method_of(const char *m)
{
	if (strcmp(m, MHD_HTTP_METHOD_GET) == 0)
		return HTTP_GET;
	if (strcmp(m, MHD_HTTP_METHOD_HEAD) == 0)
		return HTTP_HEAD;
	if (strcmp(m, MHD_HTTP_METHOD_POST) == 0)
		return HTTP_POST;
	return HTTP_OTHER;
}

static bool is_get(const struct http__req *q)
{
	return q->pub.method == HTTP_GET || q->pub.method == HTTP_HEAD;
}

/* Keeps the first of each header that steers the request. */
static void keep(const char **slot, const char *value)
{
	if (*slot == NULL)
		*slot = value;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	struct http__hdrs *h = cls;

	switch (key[0] | 0x20) {
	case 'a':
		if (strcasecmp(key, "Accept-Encoding") == 0)
			keep(&h->accept_encoding, value);
		break;
	case 'c':
		if (strcasecmp(key, "Content-Length") == 0)
			keep(&h->content_length, value);
		break;
	case 'i':
		if (strcasecmp(key, "If-None-Match") == 0)
			keep(&h->if_none_match, value);
		else if (strcasecmp(key, "If-Modified-Since") == 0)
			keep(&h->if_modified_since, value);
		else if (strcasecmp(key, "If-Range") == 0)
			keep(&h->if_range, value);
		break;
	case 'r':
		if (strcasecmp(key, "Range") == 0)
			keep(&h->range, value);
		break;
	case 't':
		if (strcasecmp(key, "Transfer-Encoding") == 0)
			keep(&h->transfer_encoding, value);
		break;
	}
	return MHD_YES;
}

static bool ensure_arena(struct http__req *q)
{
	if (q->pub.arena == NULL)
		q->pub.arena = arena_new(HTTP__ARENA_MAX + 2 * q->upload.n);
	return q->pub.arena != NULL;
}

static void response_init(struct http_response *res,
                          const struct http_server *h)
{
	memset(res, 0, sizeof(*res));
	res->status = MHD_HTTP_OK;
	res->content_type = DEFAULT_TYPE;
	buf_init(&res->body, h->cfg.max_body);
}

static void meta_of(struct http__meta *m, const struct http_response *res)
{
	memset(m, 0, sizeof(*m));
	m->status = res->status;
	m->content_type = res->content_type ? res->content_type : DEFAULT_TYPE;
	m->location = res->location;
	m->allow = res->allow;
	m->lang = res->lang;
	m->set_cookie = res->set_cookie;
	m->last_modified = res->last_modified;
	m->cache_control = res->cache_control;
	if (res->status >= 500)
		m->cache_control = "no-store";
	else if (m->cache_control == NULL && res->status == MHD_HTTP_OK)
		m->cache_control = DEFAULT_CACHE;
}

static void html_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

/* The page used when the site has no error page or it failed. */
static void default_page(struct buf *b, int status, const char *msg)
{
	const char *reason = MHD_get_reason_phrase_for((unsigned)status);

	buf_reset(b);
	buf_addf(b,
	         "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	         "<title>%d %s</title></head>\n<body><h1>%d %s</h1>\n<p>",
	         status, reason, status, reason);
	html_text(b, msg);
	buf_adds(b, "</p></body></html>\n");
}

/* Queues res (its body is taken) as it stands, without validators. */
static enum MHD_Result send_plain(struct http__req *q,
                                  struct MHD_Connection *conn,
                                  struct http_response *res)
{
	struct MHD_Response *resp;
	struct http__meta m;
	enum MHD_Result ret;
	size_t n = 0;
	char *body;

	meta_of(&m, res);
	if ((body = buf_detach(&res->body, &n)) == NULL)
		return MHD_NO;
	if ((resp = http__response(body, n, &m)) == NULL)
		return MHD_NO;
	ret = http__queue(q, conn, res->status, resp, n);
	MHD_destroy_response(resp);
	return ret;
}

/* Gives the request a harmless target: "/" and no query. */
static void forget_target(struct http__req *q)
{
	q->pub.path = STR_LIT("/");
	q->pub.query = STR_LIT("");
	q->n_params = 0;
}

/* The error page sees the request's own target when it is valid. */
static void error_target(struct http__req *q)
{
	struct pr_error e = {0};

	if (q->pub.path.p != NULL)
		return;
	if (q->too_long || http__parse_target(q, (struct str){q->uri, q->uri_n},
	                                      q->pub.arena, &e) != PR_OK)
		forget_target(q);
}

enum MHD_Result http__error(struct http__req *q, struct MHD_Connection *conn,
                            int status, const char *msg)
{
	const struct http_config *cfg = &q->srv->cfg;
	struct http_response res;

	response_init(&res, q->srv);
	if (cfg->error_page != NULL && ensure_arena(q)) {
		error_target(q);
		res.status = status;
		cfg->error_page(cfg->ctx, &q->pub, status, msg, &res);
	}
	if (res.body.err != PR_OK || res.body.n == 0) {
		buf_free(&res.body);
		buf_init(&res.body, 64 * 1024);
		res.content_type = DEFAULT_TYPE;
		default_page(&res.body, status, msg);
	}
	res.status = status;
	res.last_modified = 0;
	res.cache_control = "no-store";
	return send_plain(q, conn, &res);
}

/* Answers right away; MHD then closes the connection instead of reading
 * a request body that nobody wants. */
static enum MHD_Result refuse(struct http__req *q, struct MHD_Connection *conn,
                              int status, const char *msg)
{
	q->early_status = status;
	return http__error(q, conn, status, msg);
}

/* true when the headers announce a request body. */
static bool has_body(const struct http__hdrs *h, int64_t *len)
{
	*len = 0;
	if (h->transfer_encoding != NULL)
		return true;
	if (h->content_length == NULL)
		return false;
	if (!str_to_i64(str_trim(str_c(h->content_length)), 0, INT64_MAX, len))
		*len = INT64_MAX;
	return *len > 0;
}

/* Whether MHD's copy of the target ended early at a NUL byte: the version
 * follows the target in MHD's buffer, so the distance tells. */
static bool target_has_nul(const struct http__req *q, const char *version)
{
	uintptr_t at = (uintptr_t)q->raw_at, v = (uintptr_t)version;

	return v > at && v - at - 1 > q->uri_n &&
	       v - at - 1 <= q->uri_n + HTTP__URI_MAX;
}

/* The body limit of q's target: upload_max under the upload prefix (the
 * raw target, so an encoded prefix gets the smaller limit). */
static void body_limit(struct http__req *q)
{
	const struct http_config *cfg = &q->srv->cfg;
	const char *pre = cfg->upload_prefix;
	size_t n = pre ? strlen(pre) : 0;
	char next;

	q->body_max = HTTP__UPLOAD_MAX;
	if (n > 0 && cfg->upload_max > 0 && q->uri_n >= n &&
	    memcmp(q->uri, pre, n) == 0) {
		next = q->uri[n];
		if (next == '\0' || next == '/' || next == '?')
			q->body_max = cfg->upload_max;
	}
	snprintf(q->too_big, sizeof(q->too_big),
	         "the request body is larger than %zu MB",
	         (q->body_max + (1u << 20) - 1) >> 20);
}

enum MHD_Result http__begin(struct http__req *q, struct MHD_Connection *conn,
                            const char *method, const char *version)
{
	int64_t len;
	bool body;

	q->started = true;
	q->pub.conn = conn;
	q->pub.method = method_of(method);
	q->pub.method_name = method;
	snprintf(q->method, sizeof(q->method), "%s", method);
	atomic_fetch_add_explicit(&q->srv->requests, 1, memory_order_relaxed);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, scan_header, &q->hdrs);
	q->gzip_ok = q->hdrs.accept_encoding != NULL &&
	             http__accepts_gzip(q->hdrs.accept_encoding);
	body = has_body(&q->hdrs, &len);
	if (body && is_get(q))
		return refuse(q, conn, MHD_HTTP_BAD_REQUEST,
		              "a GET or HEAD request must not have a body");
	body_limit(q);
	if (len > 0 && (uint64_t)len > q->body_max)
		return refuse(q, conn, MHD_HTTP_CONTENT_TOO_LARGE, q->too_big);
	if (q->too_long) {
		q->early_status = MHD_HTTP_URI_TOO_LONG;
		q->early_msg = "the address is longer than 8 KB";
	} else if (target_has_nul(q, version)) {
		q->early_status = MHD_HTTP_BAD_REQUEST;
		q->early_msg = "a NUL byte in the request target";
	}
	if (body)
		buf_init(&q->upload, q->body_max);
	return MHD_YES;
}

enum MHD_Result http__upload(struct http__req *q, struct MHD_Connection *conn,
                             const char *data, size_t *n)
{
	if (q->early_status == 0) {
		buf_add(&q->upload, data, *n);
		if (q->upload.err != PR_OK) {
			buf_free(&q->upload);
			q->early_status = MHD_HTTP_CONTENT_TOO_LARGE;
			q->early_msg = q->too_big;
		}
	} else {
		/* MHD takes no response in the middle of a body: the rest is
		 * read and dropped, up to a point, and then 413 answered. */
		q->dropped += *n;
		if (q->dropped > HTTP__DROP_MAX)
			return MHD_NO;
	}
	*n = 0;
	return MHD_YES;
}

/* Answers a 200 from the handler: a page with validators, kept in the
 * cache when it may be. */
static enum MHD_Result send_page(struct http__req *q,
                                 struct MHD_Connection *conn,
                                 struct http_response *res, uint64_t gen)
{
	struct http__cache *cache = q->srv->cache;
	bool store =
	    cache != NULL && res->cacheable && q->pub.method == HTTP_GET;
	struct http__page pg;
	struct http__meta m;
	enum MHD_Result ret;
	size_t n = 0;
	char *body;

	meta_of(&m, res);
	if ((body = buf_detach(&res->body, &n)) == NULL)
		return MHD_NO;
	if (http__page_build(&pg, body, n, &m, store || q->gzip_ok) != PR_OK)
		return MHD_NO;
	ret = http__page_answer(q, conn, &pg);
	if (store)
		http__cache_put(cache, (struct str){q->uri, q->uri_n}, gen,
		                &pg);
	else
		http__page_clear(&pg);
	return ret;
}

static enum MHD_Result run_handler(struct http__req *q,
                                   struct MHD_Connection *conn, uint64_t gen)
{
	const struct http_config *cfg = &q->srv->cfg;
	struct http_response res;
	struct pr_error e = {0};
	enum pr_err rc;

	if (!ensure_arena(q))
		return MHD_NO;
	rc = http__parse_target(q, (struct str){q->uri, q->uri_n}, q->pub.arena,
	                        &e);
	if (rc != PR_OK) {
		forget_target(q);
		return http__error(q, conn,
		                   rc == PR_INVALID
		                       ? MHD_HTTP_BAD_REQUEST
		                       : MHD_HTTP_SERVICE_UNAVAILABLE,
		                   e.msg);
	}
	q->pub.body = buf_str(&q->upload);
	response_init(&res, q->srv);
	cfg->handler(cfg->ctx, &q->pub, &res);
	if (res.has_file && res.status == MHD_HTTP_OK && !res.body.err) {
		buf_free(&res.body);
		return http__send_file(q, conn, &res);
	}
	if (res.has_file)
		close(res.file_fd);
	if (res.status < 200 || res.status > 599 || res.body.err != PR_OK) {
		if (res.body.err != PR_OK)
			log_error("http: %s %s: the page's body failed: %s",
			          q->method, q->uri, pr_strerror(res.body.err));
		else
			log_error("http: %s %s: the handler set status %d",
			          q->method, q->uri, res.status);
		buf_free(&res.body);
		return http__error(q, conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		                   "the page could not be made");
	}
	if (res.status == MHD_HTTP_OK)
		return send_page(q, conn, &res, gen);
	return send_plain(q, conn, &res);
}

enum MHD_Result http__finish(struct http__req *q, struct MHD_Connection *conn)
{
	struct http_server *h = q->srv;
	enum MHD_Result ret;
	uint64_t gen = 0;

	if (q->early_status != 0)
		return http__error(q, conn, q->early_status, q->early_msg);
	if (h->cache == NULL || !is_get(q))
		return run_handler(q, conn, 0);
	if (h->cfg.generation != NULL)
		gen = h->cfg.generation(h->cfg.ctx);
	if (http__cache_answer(h->cache, (struct str){q->uri, q->uri_n}, gen, q,
	                       conn, &ret)) {
		atomic_fetch_add_explicit(&h->cache_hits, 1,
		                          memory_order_relaxed);
		return ret;
	}
	return run_handler(q, conn, gen);
}
