/*
 * test_http.c: the real server on a loopback port, spoken to in raw
 * HTTP/1.1 over TCP: headers, HEAD, conditional requests, gzip, the page
 * cache and its generations, validation at the edge (400, 413, 414, 431),
 * handler failures, concurrency, and the parsers on their own.
 */
#include "http/http_int.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#define LAST_MODIFIED 1637227800 /* 2021-11-18T09:30:00Z */
#define MAX_BODY      (256 * 1024)

/* What the test handler and generation callback count. */
struct site {
	atomic_int calls, gen_calls;
	atomic_uint_fast64_t gen;
	char article[6000];
	size_t article_n;
};

static struct site site;

/* The file /file answers with: FILE_SIZE bytes of 'a' to 'z' over and
 * over. */
#define FILE_SIZE 1000
static char file_path[64];

static void article_body(struct site *s)
{
	struct buf b;
	int i;

	buf_init(&b, sizeof(s->article) - 1);
	buf_adds(&b, "<!DOCTYPE html><html><head><title>News</title></head>"
	             "<body><h1>Igor Krasnov met the delegation</h1>");
	for (i = 0; i < 40; i++)
		buf_addf(&b,
		         "<p>Paragraph %d of the release, about ecology "
		         "and the city.</p>\n",
		         i);
	buf_adds(&b, "</body></html>\n");
	memcpy(s->article, b.p, b.n);
	s->article_n = b.n;
	buf_free(&b);
}

/* The parts of a multipart body as "name|filename|size|first byte;". */
static void form_parts(const struct http_request *req,
                       struct http_response *res)
{
	struct pr_error e = {0};
	struct http_part *v;
	size_t n;

	res->content_type = "text/plain";
	if (http_form_parts(req, 4, &v, &n, &e) != PR_OK) {
		buf_addf(&res->body, "ERR %s", e.msg);
		return;
	}
	for (size_t i = 0; i < n; i++)
		buf_addf(&res->body, "%s|%s|%zu|%c;", v[i].name,
		         v[i].filename ? v[i].filename : "-", v[i].data.n,
		         v[i].data.n ? v[i].data.p[0] : '-');
}

static void handler(void *ctx, const struct http_request *req,
                    struct http_response *res)
{
	struct site *s = ctx;
	struct str p = req->path;
	int i;

	atomic_fetch_add(&s->calls, 1);
	if (req->method == HTTP_OTHER) {
		res->status = 405;
		res->allow = "GET, HEAD, POST";
		buf_adds(&res->body, "method not allowed");
	} else if (str_eq_c(p, "/article") || str_eq_c(p, "/article/")) {
		buf_add(&res->body, s->article, s->article_n);
		res->last_modified = LAST_MODIFIED;
		res->cacheable = true;
	} else if (str_eq_c(p, "/small")) {
		buf_adds(&res->body, "small");
		res->cacheable = true;
	} else if (str_eq_c(p, "/json")) {
		res->content_type = "application/json";
		buf_adds(&res->body, "[");
		for (i = 0; i < 200; i++)
			buf_addf(&res->body, "%s{\"n\": %d}", i ? "," : "", i);
		buf_adds(&res->body, "]");
	} else if (str_eq_c(p, "/png")) {
		res->content_type = "image/png";
		for (i = 0; i < 2000; i++)
			buf_addc(&res->body, 'x');
	} else if (str_eq_c(p, "/nocache")) {
		buf_addf(&res->body, "call %d", atomic_load(&s->calls));
	} else if (str_eq_c(p, "/query")) {
		res->content_type = "text/plain; charset=utf-8";
		buf_addf(&res->body, "[%.*s][%d]",
		         STR_FMT(http_query(req, "q")),
		         http_query(req, "none").p == NULL);
	} else if (str_eq_c(p, "/up/form")) {
		form_parts(req, res);
	} else if (str_eq_c(p, "/post")) {
		res->content_type = "text/plain";
		buf_addf(&res->body, "%s %zu", req->method_name, req->body.n);
	} else if (str_eq_c(p, "/redirect")) {
		res->status = 301;
		res->location = "/article";
	} else if (str_eq_c(p, "/status0")) {
		res->status = 0;
	} else if (str_eq_c(p, "/runaway")) {
		for (i = 0; i < 100000; i++)
			buf_adds(&res->body, "runaway handler output ");
	} else if (str_eq_c(p, "/file")) {
		res->has_file = true;
		res->file_fd = open(file_path, O_RDONLY | O_CLOEXEC);
		res->file_size = FILE_SIZE;
		res->content_type = "image/jpeg";
		res->cache_control = "public, max-age=31536000, immutable";
		res->etag = "\"file-1\"";
		res->last_modified = LAST_MODIFIED;
	} else if (str_eq_c(p, "/file404")) {
		res->has_file = true;
		res->file_fd = open(file_path, O_RDONLY | O_CLOEXEC);
		res->file_size = FILE_SIZE;
		res->status = 404;
		buf_adds(&res->body, "not found");
	} else if (str_eq_c(p, "/header")) {
		res->content_type = "text/plain";
		buf_addstr(&res->body, http_header(req, "X-Test"));
	} else {
		res->status = 404;
		buf_adds(&res->body, "not found");
	}
}

static uint64_t generation(void *ctx)
{
	struct site *s = ctx;

	atomic_fetch_add(&s->gen_calls, 1);
	return atomic_load(&s->gen);
}

static void error_page(void *ctx, const struct http_request *req, int status,
                       const char *message, struct http_response *res)
{
	buf_addf(&res->body, "<p>site error %d at %.*s: %s</p>", status,
	         STR_FMT(req->path), message);
}

static struct http_config test_config(void)
{
	struct http_config c = {
	    .listen = "127.0.0.1:0",
	    .threads = 2,
	    .cache_bytes = 4 * 1024 * 1024,
	    .max_body = MAX_BODY,
	    .upload_prefix = "/up",
	    .upload_max = 3 * 1024 * 1024,
	    .handler = handler,
	    .generation = generation,
	    .ctx = &site,
	};
	return c;
}

static struct http_server *server;
static int port;

/* ---- a tiny HTTP/1.1 client ---- */

struct resp {
	int status;
	char head[16384];
	char *body;
	size_t body_n;
	bool eof; /* the server closed the connection */
};

static void resp_free(struct resp *r)
{
	free(r->body);
	r->body = NULL;
	r->body_n = 0;
}

static int dial(int to_port)
{
	struct sockaddr_in sa;
	struct timeval tv = {10, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)to_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends all of p; false when the server stopped reading. */
static bool send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Value of header name in r (first match), copied into out; NULL when
 * absent. */
static const char *header(const struct resp *r, const char *name, char *out,
                          size_t size)
{
	const char *line = strstr(r->head, "\r\n");
	size_t n = strlen(name), len;
	const char *end;

	while (line != NULL && line[2] != '\0' && line[2] != '\r') {
		line += 2;
		end = strstr(line, "\r\n");
		if (end == NULL)
			break;
		if ((size_t)(end - line) > n + 1 &&
		    strncasecmp(line, name, n) == 0 && line[n] == ':') {
			line += n + 1;
			while (*line == ' ')
				line++;
			len = (size_t)(end - line);
			if (len >= size)
				len = size - 1;
			memcpy(out, line, len);
			out[len] = '\0';
			return out;
		}
		line = end;
	}
	return NULL;
}

static bool has_header(const struct resp *r, const char *name)
{
	char v[1024];

	return header(r, name, v, sizeof(v)) != NULL;
}

/* Reads one response from fd; head set for HEAD requests. */
static bool read_response(int fd, bool head, struct resp *r)
{
	size_t have = 0, want = SIZE_MAX, got;
	char *end = NULL, v[64];
	ssize_t k;
	int64_t len;

	memset(r, 0, sizeof(*r));
	while (end == NULL && have < sizeof(r->head) - 1) {
		k = recv(fd, r->head + have, 1, 0);
		if (k <= 0)
			return false;
		have++;
		r->head[have] = '\0';
		if (have >= 4 && memcmp(r->head + have - 4, "\r\n\r\n", 4) == 0)
			end = r->head + have;
	}
	if (end == NULL || sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
		return false;
	if (header(r, "Content-Length", v, sizeof(v)) != NULL &&
	    str_to_i64(str_c(v), 0, INT64_MAX, &len))
		want = (size_t)len;
	if (head || r->status == 304 || r->status == 204)
		want = 0;
	r->body = malloc(want == SIZE_MAX ? 1 << 20 : want + 1);
	for (got = 0; got < want; got += (size_t)k) {
		size_t room = want == SIZE_MAX ? (1 << 20) - got : want - got;

		if (room == 0)
			break;
		k = recv(fd, r->body + got, room, 0);
		if (k <= 0) {
			r->eof = true;
			break;
		}
	}
	r->body_n = got;
	r->body[got] = '\0';
	return want == SIZE_MAX || got == want;
}

/* True when the server closes fd without sending anything more. */
static bool closed_quietly(int fd)
{
	char c;

	return recv(fd, &c, 1, 0) == 0;
}

/* One request on a fresh connection that asks to be closed after. */
static bool roundtrip(const char *req, size_t n, bool head, struct resp *r)
{
	int fd = dial(port);
	bool ok;

	if (fd < 0)
		return false;
	ok = send_all(fd, req, n) && read_response(fd, head, r);
	if (ok)
		r->eof = closed_quietly(fd);
	close(fd);
	return ok;
}

/* GET path with extra header lines (each ending in \r\n). */
static bool get(const char *method, const char *path, const char *extra,
                struct resp *r)
{
	char req[16384];
	int n = snprintf(req, sizeof(req),
	                 "%s %s HTTP/1.1\r\nHost: test\r\n%sConnection: "
	                 "close\r\n\r\n",
	                 method, path, extra ? extra : "");

	if (n < 0 || (size_t)n >= sizeof(req))
		return false;
	return roundtrip(req, (size_t)n, strcmp(method, "HEAD") == 0, r);
}

static bool inflate_gzip(const char *p, size_t n, char *out, size_t size,
                         size_t *out_n)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + 15) != Z_OK)
		return false;
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)size;
	rc = inflate(&z, Z_FINISH);
	*out_n = z.total_out;
	inflateEnd(&z);
	return rc == Z_STREAM_END;
}

static void expected_etag(const char *body, size_t n, bool gz, char *out)
{
	snprintf(out, 64, "\"%016" PRIx64 "%s\"", hash64(body, n, 0),
	         gz ? "-gz" : "");
}

/* ---- tests ---- */

static void test_start(void)
{
	struct http_config c = test_config();
	struct pr_error e = {0};

	CHECK_INT(http_start(&server, &c, &e), PR_OK);
	port = http_port(server);
	CHECK(port > 0);
}

static void test_get(void)
{
	struct resp r;
	char v[1024], etag[64], date[PR_TIME_LEN];

	CHECK(get("GET", "/article", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body_n, site.article_n);
	CHECK(r.body_n == site.article_n &&
	      memcmp(r.body, site.article, r.body_n) == 0);
	CHECK_STR(header(&r, "Content-Type", v, sizeof(v)),
	          "text/html; charset=utf-8");
	expected_etag(site.article, site.article_n, false, etag);
	CHECK_STR(header(&r, "ETag", v, sizeof(v)), etag);
	pr_time_http(LAST_MODIFIED, date);
	CHECK_STR(header(&r, "Last-Modified", v, sizeof(v)), date);
	CHECK_STR(header(&r, "Cache-Control", v, sizeof(v)),
	          "public, max-age=60");
	CHECK_STR(header(&r, "Vary", v, sizeof(v)), "Accept-Encoding");
	CHECK_STR(header(&r, "X-Content-Type-Options", v, sizeof(v)),
	          "nosniff");
	CHECK_STR(header(&r, "X-Frame-Options", v, sizeof(v)), "DENY");
	CHECK(has_header(&r, "Referrer-Policy"));
	CHECK(header(&r, "Content-Security-Policy", v, sizeof(v)) != NULL &&
	      strstr(v, "default-src 'self'") != NULL &&
	      strstr(v, "frame-ancestors 'none'") != NULL);
	CHECK(!has_header(&r, "Content-Encoding"));
	CHECK(r.eof);
	resp_free(&r);
}

static void test_head(void)
{
	struct resp r, g;
	char v[64], w[64];

	CHECK(get("HEAD", "/article", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body_n, 0);
	CHECK(r.eof); /* nothing followed the headers */
	CHECK(get("GET", "/article", NULL, &g));
	CHECK_STR(header(&r, "Content-Length", v, sizeof(v)),
	          header(&g, "Content-Length", w, sizeof(w)));
	CHECK_STR(header(&r, "ETag", v, sizeof(v)),
	          header(&g, "ETag", w, sizeof(w)));
	resp_free(&r);
	resp_free(&g);
	/* a page made for HEAD first has the right length too */
	CHECK(get("HEAD", "/json?fresh", NULL, &r));
	CHECK(get("GET", "/json?fresh", NULL, &g));
	CHECK_STR(header(&r, "Content-Length", v, sizeof(v)),
	          header(&g, "Content-Length", w, sizeof(w)));
	CHECK_INT(r.body_n, 0);
	resp_free(&r);
	resp_free(&g);
}

static void check_304(const char *extra, int want)
{
	struct resp r;
	char v[256];

	CHECK(get("GET", "/article", extra, &r));
	if (r.status != want)
		fprintf(stderr, "  with %s", extra);
	CHECK_INT(r.status, want);
	if (want == 304) {
		CHECK(has_header(&r, "ETag"));
		CHECK(has_header(&r, "Last-Modified"));
		CHECK_STR(header(&r, "Cache-Control", v, sizeof(v)),
		          "public, max-age=60");
		CHECK_STR(header(&r, "Vary", v, sizeof(v)), "Accept-Encoding");
		CHECK_INT(r.body_n, 0);
		CHECK(r.eof);
	}
	resp_free(&r);
}

static void test_conditional(void)
{
	char etag[64], h[256], date[PR_TIME_LEN];
	struct http_stats before, after;

	http_get_stats(server, &before);
	expected_etag(site.article, site.article_n, false, etag);
	snprintf(h, sizeof(h), "If-None-Match: %s\r\n", etag);
	check_304(h, 304);
	snprintf(h, sizeof(h), "If-None-Match: W/%s\r\n", etag);
	check_304(h, 304);
	snprintf(h, sizeof(h), "If-None-Match: \"nope\", %s\r\n", etag);
	check_304(h, 304);
	check_304("If-None-Match: *\r\n", 304);
	check_304("If-None-Match: \"other\"\r\n", 200);
	check_304("If-None-Match: garbage ,,, \"\r\n", 200);
	pr_time_http(LAST_MODIFIED, date);
	snprintf(h, sizeof(h), "If-Modified-Since: %s\r\n", date);
	check_304(h, 304);
	pr_time_http(LAST_MODIFIED + 3600, date);
	snprintf(h, sizeof(h), "If-Modified-Since: %s\r\n", date);
	check_304(h, 304);
	pr_time_http(LAST_MODIFIED - 1, date);
	snprintf(h, sizeof(h), "If-Modified-Since: %s\r\n", date);
	check_304(h, 200);
	check_304("If-Modified-Since: yesterday at noon\r\n", 200);
	check_304("If-Modified-Since: Thu, 99 Nov 2021 09:30:00 GMT\r\n", 200);
	/* If-None-Match wins over a matching If-Modified-Since */
	pr_time_http(LAST_MODIFIED, date);
	snprintf(h, sizeof(h),
	         "If-None-Match: \"other\"\r\nIf-Modified-Since: %s\r\n", date);
	check_304(h, 200);
	http_get_stats(server, &after);
	CHECK_INT(after.not_modified - before.not_modified, 6);
}

static void check_gzip(const char *path, const char *ae, bool want)
{
	char extra[256], v[256], etag[64], *plain;
	struct resp r, p;
	size_t n = 0;

	snprintf(extra, sizeof(extra), "Accept-Encoding: %s\r\n", ae);
	CHECK(get("GET", path, extra, &r));
	CHECK_INT(r.status, 200);
	if (has_header(&r, "Content-Encoding") != want)
		fprintf(stderr, "  gzip for %s with \"%s\": %d\n", path, ae,
		        !want);
	CHECK(has_header(&r, "Content-Encoding") == want);
	CHECK(get("GET", path, NULL, &p));
	if (want) {
		CHECK_STR(header(&r, "Content-Encoding", v, sizeof(v)), "gzip");
		plain = malloc(1 << 20);
		CHECK(inflate_gzip(r.body, r.body_n, plain, 1 << 20, &n));
		CHECK(n == p.body_n && memcmp(plain, p.body, n) == 0);
		CHECK(r.body_n < p.body_n);
		expected_etag(p.body, p.body_n, true, etag);
		CHECK_STR(header(&r, "ETag", v, sizeof(v)), etag);
		free(plain);
	} else {
		CHECK(r.body_n == p.body_n &&
		      memcmp(r.body, p.body, r.body_n) == 0);
	}
	resp_free(&r);
	resp_free(&p);
}

static void test_gzip(void)
{
	char h[256], etag[64];

	check_gzip("/article", "gzip", true);
	check_gzip("/article", "gzip, deflate, br", true);
	check_gzip("/article", "br;q=1.0, gzip;q=0.5", true);
	check_gzip("/article", "*", true);
	check_gzip("/article", "gzip;q=0", false);
	check_gzip("/article", "gzip;q=0.000, *", false);
	check_gzip("/article", "*;q=0", false);
	check_gzip("/article", "identity", false);
	check_gzip("/article", "deflate", false);
	check_gzip("/small", "gzip", false);     /* too small to pay */
	check_gzip("/png", "gzip", false);       /* not text */
	check_gzip("/json", "gzip", true);       /* not cached, text */
	check_gzip("/query?q=x", "gzip", false); /* small */
	/* the gzip form answers 304 to its own ETag */
	expected_etag(site.article, site.article_n, true, etag);
	snprintf(h, sizeof(h), "If-None-Match: %s\r\nAccept-Encoding: gzip\r\n",
	         etag);
	check_304(h, 304);
}

static void test_cache(void)
{
	struct http_stats before, after;
	struct resp r;
	int calls;

	CHECK(get("GET", "/article?cache", NULL, &r));
	resp_free(&r);
	calls = atomic_load(&site.calls);
	http_get_stats(server, &before);
	CHECK(get("GET", "/article?cache", NULL, &r));
	CHECK_INT(r.status, 200);
	resp_free(&r);
	CHECK(get("HEAD", "/article?cache", NULL, &r));
	resp_free(&r);
	CHECK(get("GET", "/article?cache", "Accept-Encoding: gzip\r\n", &r));
	resp_free(&r);
	CHECK_INT(atomic_load(&site.calls), calls);
	http_get_stats(server, &after);
	CHECK_INT(after.cache_hits - before.cache_hits, 3);
	/* a new generation makes the page again, once */
	atomic_fetch_add(&site.gen, 1);
	CHECK(get("GET", "/article?cache", NULL, &r));
	resp_free(&r);
	CHECK(get("GET", "/article?cache", NULL, &r));
	CHECK_INT(r.status, 200);
	resp_free(&r);
	CHECK_INT(atomic_load(&site.calls), calls + 1);
	/* another query string is another page */
	CHECK(get("GET", "/article?cache=2", NULL, &r));
	resp_free(&r);
	CHECK_INT(atomic_load(&site.calls), calls + 2);
	/* pages that are not cacheable are made every time */
	CHECK(get("GET", "/nocache", NULL, &r));
	resp_free(&r);
	CHECK(get("GET", "/nocache", NULL, &r));
	resp_free(&r);
	CHECK_INT(atomic_load(&site.calls), calls + 4);
	/* POST never comes from the cache */
	CHECK(get("POST", "/article?cache", "Content-Length: 0\r\n", &r));
	CHECK_INT(r.status, 200);
	resp_free(&r);
	CHECK_INT(atomic_load(&site.calls), calls + 5);
	CHECK(site.gen_calls > 0);
}

static void check_status(const char *target, int want, const char *says)
{
	struct resp r;
	char v[64];

	CHECK(get("GET", target, NULL, &r));
	if (r.status != want || (says && !strstr(r.body, says)))
		fprintf(stderr, "  %s -> %d: %s\n", target, r.status,
		        r.body ? r.body : "");
	CHECK_INT(r.status, want);
	if (says != NULL)
		CHECK(r.body != NULL && strstr(r.body, says) != NULL);
	if (want >= 400 && want != 404)
		CHECK_STR(header(&r, "Cache-Control", v, sizeof(v)),
		          "no-store");
	resp_free(&r);
}

static void test_bad_targets(void)
{
	int calls = atomic_load(&site.calls);

	check_status("/a%zz", 400, "percent-encoding");
	check_status("/a%2", 400, "percent-encoding");
	check_status("/a%", 400, "percent-encoding");
	check_status("/../etc/passwd", 400, "&quot;..&quot; segment");
	check_status("/a/./b", 400, "&quot;.&quot; segment");
	check_status("/a/..", 400, "segment");
	check_status("/%2e%2e/x", 400, "segment");
	check_status("/a//b", 400, "empty segment");
	check_status("//a", 400, "empty segment");
	check_status("/a%2f%2fb", 400, "empty segment");
	check_status("/a%ff", 400, "UTF-8");
	check_status("/a%c3%28", 400, "UTF-8");
	check_status("/a%00b", 400, "NUL");
	check_status("/a%0ab", 400, "control character");
	check_status("/a%7f", 400, "control character");
	check_status("/a\\b", 400, "backslash");
	check_status("/a%5cb", 400, "backslash");
	check_status("/query?q=%zz", 400, "percent-encoding in the query");
	check_status("/query?q=%ff", 400, "UTF-8");
	check_status("/query?q=%00", 400, "NUL");
	check_status("/query?q=%01", 400, "control character");
	check_status("/query?%c3=1", 400, "UTF-8");
	check_status("/query?q=a#b", 400, "fragment");
	check_status("noslash", 400, "must start with");
	CHECK_INT(atomic_load(&site.calls), calls);
	/* what is fine */
	check_status("/article/", 200, NULL);
	check_status("/a..b/.c/", 404, NULL);
	check_status("http://example.org/article", 200, NULL);
}

static void test_raw_bytes(void)
{
	static const char nul[] = "GET /a\0b HTTP/1.1\r\nHost: t\r\n"
	                          "Connection: close\r\n\r\n";
	static const char ctl[] = "GET /a\x01"
	                          "b HTTP/1.1\r\nHost: t\r\n"
	                          "Connection: close\r\n\r\n";
	static const char sp[] = "GET /a b HTTP/1.1\r\nHost: t\r\n"
	                         "Connection: close\r\n\r\n";
	struct resp r;

	CHECK(roundtrip(nul, sizeof(nul) - 1, false, &r));
	CHECK_INT(r.status, 400);
	CHECK(r.body && strstr(r.body, "NUL") != NULL);
	resp_free(&r);
	CHECK(roundtrip(ctl, sizeof(ctl) - 1, false, &r));
	CHECK_INT(r.status, 400);
	CHECK(r.body && strstr(r.body, "control character") != NULL);
	resp_free(&r);
	if (roundtrip(sp, sizeof(sp) - 1, false, &r)) {
		CHECK_INT(r.status, 400);
		resp_free(&r);
	}
}

static void test_query(void)
{
	struct resp r;

	CHECK(get("GET", "/query?a=1&q=hello+world%21&q=second", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "[hello world!][1]");
	resp_free(&r);
	CHECK(get("GET", "/query?q=%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
	          NULL, &r));
	CHECK_STR(r.body, "[новости][1]");
	resp_free(&r);
	CHECK(get("GET", "/query?q&&x=", NULL, &r));
	CHECK_STR(r.body, "[][1]");
	resp_free(&r);
	CHECK(get("GET", "/header", "X-Test: value 1\r\n", &r));
	CHECK_STR(r.body, "value 1");
	resp_free(&r);
}

static void test_long(void)
{
	char *target = malloc(48 * 1024), *req = malloc(64 * 1024);
	struct resp r;
	int n;

	memset(target, 'a', 10 * 1024);
	target[0] = '/';
	target[10 * 1024] = '\0';
	CHECK(get("GET", target, NULL, &r));
	CHECK_INT(r.status, 414);
	CHECK(r.body && strstr(r.body, "8 KB") != NULL);
	resp_free(&r);
	/* longer than MHD's buffer: MHD answers itself, and sanely */
	memset(target, 'a', 40 * 1024);
	target[0] = '/';
	target[40 * 1024] = '\0';
	n = snprintf(req, 64 * 1024, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n",
	             target);
	CHECK(roundtrip(req, (size_t)n, false, &r));
	CHECK_INT(r.status, 414);
	CHECK(r.eof);
	resp_free(&r);
	/* headers too large */
	memset(target, 'h', 40 * 1024);
	target[40 * 1024] = '\0';
	n = snprintf(req, 64 * 1024,
	             "GET /article HTTP/1.1\r\nHost: t\r\nX-Big: %s\r\n\r\n",
	             target);
	CHECK(roundtrip(req, (size_t)n, false, &r));
	CHECK_INT(r.status, 431);
	CHECK(r.eof);
	resp_free(&r);
	free(target);
	free(req);
}

static void test_bodies(void)
{
	char *req = malloc(2 * 1024 * 1024 + 256), *p;
	size_t body = 2 * 1024 * 1024;
	struct resp r;
	int n, fd, i;
	bool ok;

	/* a small POST reaches the handler with its body */
	n = snprintf(req, 256,
	             "POST /post HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
	             "Connection: close\r\n\r\nhello");
	CHECK(roundtrip(req, (size_t)n, false, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "POST 5");
	resp_free(&r);
	/* a declared body over 1 MB is refused before it is read */
	n = snprintf(req, 256,
	             "POST /post HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n"
	             "\r\n",
	             body);
	memset(req + n, 'x', body);
	fd = dial(port);
	send_all(fd, req, (size_t)n + 1000);
	ok = read_response(fd, false, &r);
	CHECK(ok);
	CHECK_INT(r.status, 413);
	resp_free(&r);
	close(fd);
	/* a chunked body that grows over 1 MB is cut off */
	fd = dial(port);
	n = snprintf(req, 256,
	             "POST /post HTTP/1.1\r\nHost: t\r\n"
	             "Transfer-Encoding: chunked\r\n\r\n");
	ok = send_all(fd, req, (size_t)n);
	p = req;
	for (i = 0; ok && i < 20; i++) {
		n = snprintf(p, 32, "10000\r\n");
		memset(p + n, 'y', 0x10000);
		memcpy(p + n + 0x10000, "\r\n", 2);
		ok = send_all(fd, p, (size_t)n + 0x10000 + 2);
	}
	CHECK(ok && send_all(fd, "0\r\n\r\n", 5));
	CHECK(read_response(fd, false, &r));
	CHECK_INT(r.status, 413);
	resp_free(&r);
	close(fd);
	/* a GET with a body is refused */
	n = snprintf(req, 256,
	             "GET /article HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
	             "Connection: close\r\n\r\nhello");
	CHECK(roundtrip(req, (size_t)n, false, &r));
	CHECK_INT(r.status, 400);
	CHECK(r.body && strstr(r.body, "must not have a body") != NULL);
	resp_free(&r);
	free(req);
}

/* A multipart POST of a file of size bytes to path; the response. */
static bool multipart(const char *path, size_t size, struct resp *r)
{
	static const char head[] =
	    "--bnd\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "tok\r\n--bnd\r\nContent-Disposition: form-data; name=\"photo\"; "
	    "filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
	static const char tail[] = "\r\n--bnd--\r\n";
	size_t body = sizeof(head) - 1 + size + sizeof(tail) - 1;
	char *req = malloc(body + 512);
	int n, fd;
	bool ok;

	if (req == NULL)
		return false;
	n = snprintf(req, 512,
	             "POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: "
	             "multipart/form-data; boundary=bnd\r\nContent-Length: "
	             "%zu\r\nConnection: close\r\n\r\n%s",
	             path, body, head);
	memset(req + n, 'z', size);
	memcpy(req + n + size, tail, sizeof(tail) - 1);
	fd = dial(port);
	ok = fd >= 0;
	if (ok)
		send_all(fd, req, (size_t)n + size + sizeof(tail) - 1);
	ok = ok && read_response(fd, false, r);
	if (fd >= 0)
		close(fd);
	free(req);
	return ok;
}

/* Bodies under upload_prefix may reach upload_max; their multipart parts
 * come out whole. */
static void test_uploads(void)
{
	struct resp r;
	char want[64];

	CHECK(multipart("/up/form", 2 * 1024 * 1024, &r));
	CHECK_INT(r.status, 200);
	snprintf(want, sizeof(want), "csrf|-|3|t;photo|a.jpg|%d|z;",
	         2 * 1024 * 1024);
	CHECK_STR(r.body, want);
	resp_free(&r);
	CHECK(multipart("/up/form", 4 * 1024 * 1024, &r));
	CHECK_INT(r.status, 413);
	CHECK(r.body && strstr(r.body, "larger than 3 MB") != NULL);
	resp_free(&r);
	/* the prefix is a whole segment: /upload keeps the 1 MB limit */
	CHECK(multipart("/upload", 2 * 1024 * 1024, &r));
	CHECK_INT(r.status, 413);
	CHECK(r.body && strstr(r.body, "larger than 1 MB") != NULL);
	resp_free(&r);
	CHECK(get("POST", "/up/form",
	          "Content-Type: text/plain\r\nContent-Length: 0\r\n", &r));
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, "ERR ") == r.body);
	resp_free(&r);
}

static void test_handler_results(void)
{
	struct resp r;
	char v[256];

	check_status("/status0", 500, "could not be made");
	check_status("/runaway", 500, NULL);
	check_status("/nowhere", 404, NULL);
	CHECK(get("GET", "/redirect", NULL, &r));
	CHECK_INT(r.status, 301);
	CHECK_STR(header(&r, "Location", v, sizeof(v)), "/article");
	CHECK(!has_header(&r, "ETag"));
	resp_free(&r);
	CHECK(get("DELETE", "/article", NULL, &r));
	CHECK_INT(r.status, 405);
	CHECK_STR(header(&r, "Allow", v, sizeof(v)), "GET, HEAD, POST");
	resp_free(&r);
	CHECK(get("GET", "/status0", NULL, &r));
	CHECK_STR(header(&r, "Cache-Control", v, sizeof(v)), "no-store");
	CHECK(strstr(r.body, "<h1>500") != NULL);
	resp_free(&r);
}

static void test_keep_alive(void)
{
	static const char two[] = "GET /article HTTP/1.1\r\nHost: t\r\n\r\n"
	                          "GET /small HTTP/1.1\r\nHost: t\r\n\r\n";
	struct resp r;
	int fd = dial(port);

	CHECK(send_all(fd, two, sizeof(two) - 1));
	CHECK(read_response(fd, false, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body_n, site.article_n);
	resp_free(&r);
	CHECK(read_response(fd, false, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "small");
	resp_free(&r);
	close(fd);
}

struct worker {
	int id, ok;
};

static void *worker_main(void *arg)
{
	static const char *paths[] = {"/article", "/small", "/json", "/nocache",
	                              "/article?w"};
	struct worker *w = arg;
	char req[256];
	struct resp r;
	int fd = -1, i, n;

	for (i = 0; i < 200; i++) {
		if (fd < 0 && (fd = dial(port)) < 0)
			continue;
		n = snprintf(req, sizeof(req),
		             "GET %s HTTP/1.1\r\nHost: t\r\n%s%s\r\n",
		             paths[(i + w->id) % 5],
		             w->id % 2 ? "Accept-Encoding: gzip\r\n" : "",
		             i % 25 == 24 ? "Connection: close\r\n" : "");
		if (send_all(fd, req, (size_t)n) &&
		    read_response(fd, false, &r)) {
			w->ok += r.status == 200 && r.body_n > 0;
			resp_free(&r);
		}
		if (i % 25 == 24) {
			close(fd);
			fd = -1;
		}
		if (i == 100 && w->id == 0)
			atomic_fetch_add(&site.gen, 1);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void test_concurrency(void)
{
	struct worker w[8];
	pthread_t t[8];
	int i, ok = 0;

	for (i = 0; i < 8; i++) {
		w[i].id = i;
		w[i].ok = 0;
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].ok;
	}
	CHECK_INT(ok, 8 * 200);
}

static void test_eviction(void)
{
	struct http_config c = test_config();
	struct http_server *h = NULL;
	struct pr_error e = {0};
	char path[64];
	struct resp r;
	int i, saved = port;

	c.cache_bytes = 64 * 1024;
	CHECK_INT(http_start(&h, &c, &e), PR_OK);
	port = http_port(h);
	for (i = 0; i < 60; i++) {
		snprintf(path, sizeof(path), "/article?page=%d", i);
		CHECK(get("GET", path, "Accept-Encoding: gzip\r\n", &r));
		CHECK_INT(r.status, 200);
		resp_free(&r);
		CHECK(http__cache_bytes(h->cache) <= c.cache_bytes);
	}
	CHECK(http__cache_bytes(h->cache) > 0);
	http_stop(h);
	port = saved;
}

static void test_error_page(void)
{
	struct http_config c = test_config();
	struct http_server *h = NULL;
	struct pr_error e = {0};
	struct resp r;
	int saved = port;

	c.error_page = error_page;
	c.cache_bytes = 0;
	CHECK_INT(http_start(&h, &c, &e), PR_OK);
	port = http_port(h);
	CHECK(get("GET", "/a%zz", NULL, &r));
	CHECK_INT(r.status, 400);
	CHECK(r.body && strstr(r.body, "site error 400 at /: bad "
	                               "percent-encoding") != NULL);
	resp_free(&r);
	CHECK(get("GET", "/status0", NULL, &r));
	CHECK_INT(r.status, 500);
	CHECK(r.body && strstr(r.body, "site error 500 at /status0") != NULL);
	resp_free(&r);
	CHECK(get("GET", "/post?x=1", "Content-Length: 3000000\r\n", &r));
	CHECK_INT(r.status, 400);
	CHECK(r.body &&
	      strstr(r.body, "site error 400 at /post: a GET") != NULL);
	resp_free(&r);
	CHECK(get("GET", "/article", NULL, &r));
	CHECK_INT(r.status, 200);
	resp_free(&r);
	http_stop(h);
	port = saved;
}

static void test_access_log(void)
{
	struct http_config c = test_config();
	struct http_server *h = NULL;
	struct pr_error e = {0};
	char line[4096], all[16384] = "";
	FILE *f = tmpfile();
	struct resp r;
	int saved = port;

	log_set_stream(f);
	log_set_level(LOG_INFO);
	c.access_log = true;
	CHECK_INT(http_start(&h, &c, &e), PR_OK);
	port = http_port(h);
	CHECK(get("GET", "/small?x=%0a", NULL, &r));
	resp_free(&r);
	CHECK(get("GET", "/small", NULL, &r));
	resp_free(&r);
	http_stop(h);
	log_set_level(LOG_WARN);
	log_set_stream(NULL);
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strlen(all) + strlen(line) < sizeof(all))
			memcpy(all + strlen(all), line, strlen(line) + 1);
	fclose(f);
	CHECK(strstr(all, "GET /small 200 5 ") != NULL);
	CHECK(strstr(all, "GET /small?x=%0a 400 ") != NULL);
	port = saved;
}

static void test_listen(void)
{
	static const char *bad[] = {
	    "",        "nonsense", "127.0.0.1",    "127.0.0.1:99999", "::1:80",
	    "[::1]80", "[::1",     "127.0.0.1:-1", "127.0.0.1:8o"};
	struct http_config c = test_config();
	struct http_server *h = NULL;
	struct pr_error e = {0};
	char listen[64], want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		c.listen = bad[i];
		pr_error_clear(&e);
		CHECK_INT(http_start(&h, &c, &e), PR_INVALID);
		CHECK(h == NULL);
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	c.listen = listen;
	pr_error_clear(&e);
	CHECK_INT(http_start(&h, &c, &e), PR_IO);
	snprintf(want, sizeof(want),
	         "cannot listen on %s: Address already in use", listen);
	CHECK_STR(e.msg, want);
	c.listen = "localhost:0";
	pr_error_clear(&e);
	CHECK_INT(http_start(&h, &c, &e), PR_OK);
	CHECK(http_port(h) > 0);
	http_stop(h);
	h = NULL;
	c.listen = "[::1]:0";
	pr_error_clear(&e);
	if (http_start(&h, &c, &e) == PR_OK) {
		CHECK(http_port(h) > 0);
		http_stop(h);
	} else {
		fprintf(stderr, "  (no IPv6 loopback here: %s)\n", e.msg);
	}
}

static void test_parsers(void)
{
	CHECK(http__accepts_gzip("gzip"));
	CHECK(http__accepts_gzip("GZIP;Q=0.1"));
	CHECK(http__accepts_gzip("x-gzip"));
	CHECK(http__accepts_gzip("deflate, *;q=0.5"));
	CHECK(!http__accepts_gzip("gzip;q=0"));
	CHECK(!http__accepts_gzip("gzip;q=0.0, *;q=1"));
	CHECK(!http__accepts_gzip("gzip;q=x"));
	CHECK(!http__accepts_gzip("gzip;q=1.5"));
	CHECK(!http__accepts_gzip(""));
	CHECK(!http__accepts_gzip("br"));
	CHECK(http__etag_match("\"a\"", "\"a\""));
	CHECK(http__etag_match(" W/\"a\" ", "\"a\""));
	CHECK(http__etag_match("\"b\",W/\"a\"", "\"a\""));
	CHECK(http__etag_match("*", "\"a\""));
	CHECK(!http__etag_match("a", "\"a\""));
	CHECK(!http__etag_match("\"a", "\"a\""));
	CHECK(!http__etag_match("W/", "\"a\""));
	CHECK(http__compressible("text/html; charset=utf-8"));
	CHECK(http__compressible("application/atom+xml"));
	CHECK(http__compressible("application/feed+json"));
	CHECK(!http__compressible("image/jpeg"));
	CHECK(!http__compressible(NULL));
}

static enum pr_err parse(const char *t, struct http__req *q, struct arena *a,
                         struct pr_error *e)
{
	memset(q, 0, sizeof(*q));
	pr_error_clear(e);
	return http__parse_target(q, str_c(t), a, e);
}

static void test_validator(void)
{
	struct arena *a = arena_new(1 << 20);
	struct http__req q;
	struct pr_error e = {0};

	CHECK_INT(parse("/", &q, a, &e), PR_OK);
	CHECK(str_eq_c(q.pub.path, "/"));
	CHECK_INT(parse("/ru/news/67075041-ekologiya?page=2", &q, a, &e),
	          PR_OK);
	CHECK(str_eq_c(q.pub.query, "page=2"));
	CHECK(str_eq_c(http_query(&q.pub, "page"), "2"));
	CHECK_INT(parse("/%D0%BD%D0%BE", &q, a, &e), PR_OK);
	CHECK(str_eq_c(q.pub.path, "/но"));
	CHECK_INT(parse("/a+b", &q, a, &e), PR_OK);
	CHECK(str_eq_c(q.pub.path, "/a+b"));
	CHECK_INT(parse("/a?x=%2B+y", &q, a, &e), PR_OK);
	CHECK(str_eq_c(http_query(&q.pub, "x"), "+ y"));
	CHECK_INT(parse("/a/%2e", &q, a, &e), PR_INVALID);
	CHECK_INT(parse("/a/b/", &q, a, &e), PR_OK);
	CHECK_INT(parse("/a?", &q, a, &e), PR_OK);
	CHECK_INT(q.pub.query.n, 0);
	CHECK_INT(parse("/%e2%82", &q, a, &e), PR_INVALID);
	CHECK(strstr(e.msg, "UTF-8") != NULL);
	CHECK_INT(parse("/x%4", &q, a, &e), PR_INVALID);
	CHECK(strstr(e.msg, "at byte 3") != NULL);
	CHECK_INT(parse("", &q, a, &e), PR_INVALID);
	CHECK_INT(parse("HTTPS://h", &q, a, &e), PR_OK);
	CHECK(str_eq_c(q.pub.path, "/"));
	arena_free(a);
}

static void test_range_parser(void)
{
	uint64_t a = 7, b = 7;

	CHECK_INT(http__parse_range("bytes=0-9", 100, &a, &b), HTTP__RANGE_OK);
	CHECK(a == 0 && b == 9);
	CHECK_INT(http__parse_range("Bytes=90-", 100, &a, &b), HTTP__RANGE_OK);
	CHECK(a == 90 && b == 99);
	CHECK_INT(http__parse_range("bytes=90-1000", 100, &a, &b),
	          HTTP__RANGE_OK);
	CHECK(a == 90 && b == 99);
	CHECK_INT(http__parse_range("bytes=-5", 100, &a, &b), HTTP__RANGE_OK);
	CHECK(a == 95 && b == 99);
	CHECK_INT(http__parse_range("bytes=-500", 100, &a, &b), HTTP__RANGE_OK);
	CHECK(a == 0 && b == 99);
	CHECK_INT(http__parse_range("bytes=99-99", 100, &a, &b),
	          HTTP__RANGE_OK);
	CHECK(a == 99 && b == 99);
	CHECK_INT(http__parse_range("bytes=100-", 100, &a, &b),
	          HTTP__RANGE_UNSAT);
	CHECK_INT(
	    http__parse_range("bytes=99999999999999999999999-", 100, &a, &b),
	    HTTP__RANGE_UNSAT);
	CHECK_INT(http__parse_range("bytes=-0", 100, &a, &b),
	          HTTP__RANGE_UNSAT);
	CHECK_INT(http__parse_range("bytes=0-", 0, &a, &b), HTTP__RANGE_UNSAT);
	CHECK_INT(http__parse_range("bytes=0-1,5-6", 100, &a, &b),
	          HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("bytes=9-0", 100, &a, &b),
	          HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("bytes=a-b", 100, &a, &b),
	          HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("bytes=1", 100, &a, &b), HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("bytes=-", 100, &a, &b), HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("bytes=+1-2", 100, &a, &b),
	          HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("items=0-1", 100, &a, &b),
	          HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range("", 100, &a, &b), HTTP__RANGE_NONE);
	CHECK_INT(http__parse_range(NULL, 100, &a, &b), HTTP__RANGE_NONE);
	CHECK(http__if_range_ok(NULL, "\"x\"", 0));
	CHECK(http__if_range_ok("\"x\"", "\"x\"", 0));
	CHECK(!http__if_range_ok("W/\"x\"", "\"x\"", 0));
	CHECK(!http__if_range_ok("\"y\"", "\"x\"", 0));
	CHECK(http__if_range_ok("Thu, 18 Nov 2021 09:30:00 GMT", NULL,
	                        LAST_MODIFIED));
	CHECK(!http__if_range_ok("Thu, 18 Nov 2021 09:30:01 GMT", NULL,
	                         LAST_MODIFIED));
	CHECK(!http__if_range_ok("Thu, 18 Nov 2021 09:30:00 GMT", NULL, 0));
}

static bool file_bytes(const struct resp *r, size_t from, size_t n)
{
	if (r->body_n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (r->body[i] != (char)('a' + (from + i) % 26))
			return false;
	return true;
}

/* A handler's file: whole, ranges, 416, conditional, HEAD, never cached. */
static void test_file(void)
{
	struct resp r;
	char v[128];
	int calls;

	CHECK(get("GET", "/file", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(file_bytes(&r, 0, FILE_SIZE));
	CHECK_STR(header(&r, "Accept-Ranges", v, sizeof(v)), "bytes");
	CHECK_STR(header(&r, "ETag", v, sizeof(v)), "\"file-1\"");
	CHECK_STR(header(&r, "Content-Type", v, sizeof(v)), "image/jpeg");
	CHECK_STR(header(&r, "Cache-Control", v, sizeof(v)),
	          "public, max-age=31536000, immutable");
	CHECK(!has_header(&r, "Content-Encoding"));
	resp_free(&r);
	CHECK(get("GET", "/file", "Range: bytes=0-9\r\n", &r));
	CHECK_INT(r.status, 206);
	CHECK(file_bytes(&r, 0, 10));
	CHECK_STR(header(&r, "Content-Range", v, sizeof(v)), "bytes 0-9/1000");
	resp_free(&r);
	CHECK(get("GET", "/file", "Range: bytes=-30\r\n", &r));
	CHECK_INT(r.status, 206);
	CHECK(file_bytes(&r, 970, 30));
	CHECK_STR(header(&r, "Content-Range", v, sizeof(v)),
	          "bytes 970-999/1000");
	resp_free(&r);
	CHECK(get("GET", "/file", "Range: bytes=995-2000\r\n", &r));
	CHECK_INT(r.status, 206);
	CHECK(file_bytes(&r, 995, 5));
	resp_free(&r);
	CHECK(get("GET", "/file", "Range: bytes=1000-\r\n", &r));
	CHECK_INT(r.status, 416);
	CHECK_STR(header(&r, "Content-Range", v, sizeof(v)), "bytes */1000");
	resp_free(&r);
	CHECK(get("GET", "/file", "Range: bytes=0-1, 5-6\r\n", &r));
	CHECK_INT(r.status, 200);
	CHECK(file_bytes(&r, 0, FILE_SIZE));
	resp_free(&r);
	CHECK(get("GET", "/file",
	          "Range: bytes=10-19\r\nIf-Range: \"other\"\r\n", &r));
	CHECK_INT(r.status, 200);
	resp_free(&r);
	CHECK(get("GET", "/file",
	          "Range: bytes=10-19\r\nIf-Range: \"file-1\"\r\n", &r));
	CHECK_INT(r.status, 206);
	CHECK(file_bytes(&r, 10, 10));
	resp_free(&r);
	CHECK(get("GET", "/file", "If-None-Match: \"file-1\"\r\n", &r));
	CHECK_INT(r.status, 304);
	CHECK_INT(r.body_n, 0);
	resp_free(&r);
	CHECK(get("GET", "/file",
	          "If-Modified-Since: Thu, 18 Nov 2021 09:30:00 GMT\r\n", &r));
	CHECK_INT(r.status, 304);
	resp_free(&r);
	CHECK(get("HEAD", "/file", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(header(&r, "Content-Length", v, sizeof(v)), "1000");
	resp_free(&r);
	calls = atomic_load(&site.calls);
	CHECK(get("GET", "/file", NULL, &r));
	CHECK_INT(atomic_load(&site.calls), calls + 1);
	resp_free(&r);
	CHECK(get("GET", "/file404", NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(r.body, "not found");
	resp_free(&r);
}

static void file_setup(void)
{
	char data[FILE_SIZE];
	int fd;

	snprintf(file_path, sizeof(file_path), "/tmp/test_http.XXXXXX");
	fd = mkstemp(file_path);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	CHECK(fd >= 0 && write(fd, data, sizeof(data)) == FILE_SIZE);
	if (fd >= 0)
		close(fd);
}

static void test_stop(void)
{
	struct http_stats s;

	http_get_stats(server, &s);
	CHECK(s.requests > 1600);
	CHECK(s.cache_hits > 0);
	http_stop(server);
	server = NULL;
}

int main(void)
{
	article_body(&site);
	log_set_level(LOG_WARN);
	TEST_RUN(test_parsers);
	TEST_RUN(test_validator);
	TEST_RUN(test_range_parser);
	file_setup();
	TEST_RUN(test_start);
	if (server == NULL)
		TEST_DONE();
	TEST_RUN(test_get);
	TEST_RUN(test_head);
	TEST_RUN(test_conditional);
	TEST_RUN(test_gzip);
	TEST_RUN(test_cache);
	TEST_RUN(test_bad_targets);
	TEST_RUN(test_raw_bytes);
	TEST_RUN(test_query);
	TEST_RUN(test_long);
	TEST_RUN(test_bodies);
	TEST_RUN(test_uploads);
	TEST_RUN(test_handler_results);
	TEST_RUN(test_keep_alive);
	TEST_RUN(test_concurrency);
	TEST_RUN(test_eviction);
	TEST_RUN(test_error_page);
	TEST_RUN(test_access_log);
	TEST_RUN(test_listen);
	TEST_RUN(test_file);
	unlink(file_path);
	TEST_RUN(test_stop);
	TEST_DONE();
}
