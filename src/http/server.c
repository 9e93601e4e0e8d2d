/*
 * http/server.c: the libmicrohttpd daemon. Binds the listening socket
 * itself (so that a failure names its reason), runs MHD's thread pool on
 * epoll, owns each request's state from the URI callback (which sees the
 * target before MHD unescapes it) to the completion callback (which
 * writes the access log line and frees it), and keeps the counters.
 */
#include "http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG     511
#define CONNECTION_TIMEOUT 30 /* seconds of silence before a close */
#define MAX_THREADS        256

/* Takes the target before MHD splits and unescapes it in place. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *h = cls;
	size_t n, copy;
	struct http__req *q;

	if (uri == NULL)
		uri = "";
	n = strnlen(uri, HTTP__URI_MAX + 1);
	copy = n > HTTP__URI_MAX ? 0 : n;
	if ((q = malloc(sizeof(*q) + copy + 1)) == NULL)
		return NULL;
	memset(q, 0, sizeof(*q));
	q->srv = h;
	q->raw_at = uri;
	q->too_long = n > HTTP__URI_MAX;
	q->uri_n = copy;
	memcpy(q->uri, uri, copy);
	q->uri[copy] = '\0';
	buf_init(&q->upload, 0);
	if (h->cfg.access_log)
		clock_gettime(CLOCK_MONOTONIC, &q->start);
	return q;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_n, void **cc)
{
	struct http__req *q = *cc;

	if (q == NULL)
		return MHD_NO;
	if (!q->started)
		return http__begin(q, conn, method, version);
	if (*upload_n > 0)
		return http__upload(q, conn, upload, upload_n);
	if (q->status != 0)
		return MHD_YES;
	return http__finish(q, conn);
}

/* One line a request; log_msg neutralises control characters in it. */
static void access_log(const struct http__req *q)
{
	struct timespec now;
	long long us;
	char status[12] = "-";

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long)(now.tv_sec - q->start.tv_sec) * 1000000 +
	     (now.tv_nsec - q->start.tv_nsec) / 1000;
	if (q->status != 0)
		snprintf(status, sizeof(status), "%d", q->status);
	log_info("%s %s %s %zu %lldus", q->method[0] ? q->method : "-",
	         q->too_long ? "(target over 8 KB)" : q->uri, status, q->bytes,
	         us);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **cc,
                         enum MHD_RequestTerminationCode toe)
{
	struct http_server *h = cls;
	struct http__req *q = *cc;

	if (q == NULL)
		return;
	*cc = NULL;
	if (h->cfg.access_log)
		access_log(q);
	arena_free(q->pub.arena);
	buf_free(&q->upload);
	free(q);
}

enum MHD_Result http__queue(struct http__req *q, struct MHD_Connection *conn,
                            int status, struct MHD_Response *resp, size_t bytes)
{
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);

	if (ret == MHD_YES) {
		q->status = status;
		q->bytes = q->pub.method == HTTP_HEAD ? 0 : bytes;
	}
	return ret;
}

/* MHD's own messages: warnings while starting, then only for debugging,
 * since every misbehaving client causes some. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *h = cls;
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (atomic_load(&h->started))
		log_debug("http: libmicrohttpd: %s", line);
	else
		log_warn("http: libmicrohttpd: %s", line);
}

/*
 * Splits "host:port", "[v6]:port", ":port" or "*:port" into host (""
 * for every address) and port.
 */
static enum pr_err split_listen(const char *listen, char *host,
                                size_t host_size, char *port, size_t port_size,
                                struct pr_error *e)
{
	struct str s = str_c(listen), hs, ps;
	const char *colon;
	int64_t v;
	long close;

	if (s.n == 0 || s.n >= 256)
		return pr_fail(e, PR_INVALID, "listen: \"%s\" is not host:port",
		               listen ? listen : "");
	if (s.p[0] == '[') {
		close = str_index(s, ']');
		if (close < 0 || (size_t)close + 1 >= s.n ||
		    s.p[close + 1] != ':')
			return pr_fail(e, PR_INVALID,
			               "listen: \"%s\" is not [address]:port",
			               listen);
		hs = (struct str){s.p + 1, (size_t)close - 1};
		ps = (struct str){s.p + close + 2, s.n - (size_t)close - 2};
	} else {
		colon = memrchr(s.p, ':', s.n);
		if (colon == NULL || memchr(s.p, ':', (size_t)(colon - s.p)))
			return pr_fail(e, PR_INVALID,
			               "listen: \"%s\" is not host:port (IPv6 "
			               "addresses go in brackets)",
			               listen);
		hs = (struct str){s.p, (size_t)(colon - s.p)};
		ps = (struct str){colon + 1, s.n - (size_t)(colon - s.p) - 1};
	}
	if (ps.n == 0 || ps.n > 5 || ps.p[0] == '+' || ps.p[0] == '-' ||
	    !str_to_i64(ps, 0, 65535, &v))
		return pr_fail(e, PR_INVALID,
		               "listen: \"%s\": the port must be 0 to 65535",
		               listen);
	if (str_eq_c(hs, "*"))
		hs = STR_LIT("");
	snprintf(host, host_size, "%.*s", STR_FMT(hs));
	snprintf(port, port_size, "%d", (int)v);
	return PR_OK;
}

/* A bound, listening, non-blocking socket for ai; -1 with errno set. */
static int bind_one(const struct addrinfo *ai)
{
	int fd, one = 1, saved;

	fd = socket(ai->ai_family,
	            ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	            ai->ai_protocol);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
	    listen(fd, LISTEN_BACKLOG) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Tries the addresses of res, IPv4 first (what "localhost" users mean
 * most often); returns the socket and its family, or -1 with errno. */
static int bind_any(const struct addrinfo *res, int *family)
{
	static const int order[] = {AF_INET, AF_INET6};
	const struct addrinfo *ai;
	int fd = -1, err = EADDRNOTAVAIL;
	size_t i;

	for (i = 0; i < 2 && fd < 0; i++)
		for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
			if (ai->ai_family != order[i])
				continue;
			if ((fd = bind_one(ai)) < 0)
				err = errno;
			else
				*family = ai->ai_family;
		}
	errno = err;
	return fd;
}

static enum pr_err open_listener(const char *listen, int *fd, int *family,
                                 struct pr_error *e)
{
	struct addrinfo hints, *res = NULL;
	char host[256], port[8];
	enum pr_err rc;
	int gai;

	rc = split_listen(listen, host, sizeof(host), port, sizeof(port), e);
	if (rc != PR_OK)
		return rc;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (host[0] ? 0 : AI_PASSIVE);
	gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (gai != 0)
		return pr_fail(e, PR_INVALID, "cannot listen on %s: %s", listen,
		               gai_strerror(gai));
	if ((*fd = bind_any(res, family)) < 0)
		rc = pr_fail(e, PR_IO, "cannot listen on %s: %s", listen,
		             strerror(errno));
	freeaddrinfo(res);
	return rc;
}

static unsigned pool_size(int threads)
{
	if (threads < 1)
		return 1;
	return threads > MAX_THREADS ? MAX_THREADS : (unsigned)threads;
}

static struct MHD_Daemon *start_daemon(struct http_server *h, int fd,
                                       int family)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	unsigned threads = pool_size(h->cfg.threads);
	struct MHD_OptionItem opts[] = {
	    {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, h},
	    {MHD_OPTION_LISTEN_SOCKET, fd, NULL},
	    {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, h},
	    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, h},
	    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP__POOL_BYTES, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT, NULL},
	    {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
	     threads, NULL},
	    {MHD_OPTION_END, 0, NULL},
	};

	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL;
	else
		flags |= MHD_USE_POLL;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
	                        MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* The port bound: MHD's answer, else the socket's own. */
static int bound_port(struct MHD_Daemon *d, int fd)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info != NULL && info->port != 0)
		return info->port;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static struct http_server *server_new(const struct http_config *cfg)
{
	struct http_server *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->cfg = *cfg;
	if (h->cfg.max_body == 0)
		h->cfg.max_body = HTTP__BODY_DEFAULT;
	atomic_init(&h->started, false);
	atomic_init(&h->requests, 0);
	atomic_init(&h->cache_hits, 0);
	atomic_init(&h->not_modified, 0);
	if (cfg->cache_bytes > 0 &&
	    (h->cache = http__cache_new(cfg->cache_bytes)) == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

enum pr_err http_start(struct http_server **out, const struct http_config *cfg,
                       struct pr_error *e)
{
	struct http_server *h = NULL;
	int fd = -1, family = AF_INET;
	enum pr_err rc;

	*out = NULL;
	if (cfg == NULL || cfg->handler == NULL) {
		rc = pr_fail(e, PR_INVALID, "http: no handler");
		goto out;
	}
	if ((h = server_new(cfg)) == NULL) {
		rc = pr_fail(e, PR_NOMEM, "http: out of memory");
		goto out;
	}
	if ((rc = open_listener(cfg->listen, &fd, &family, e)) != PR_OK)
		goto out;
	if ((h->daemon = start_daemon(h, fd, family)) == NULL) {
		rc = pr_fail(e, PR_IO,
		             "cannot serve on %s: libmicrohttpd "
		             "did not start (see the log above)",
		             cfg->listen);
		/* MHD may or may not have closed the socket it was given. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		goto out;
	}
	h->port = bound_port(h->daemon, fd);
	atomic_store(&h->started, true);
	*out = h;
	h = NULL;
out:
	if (h != NULL) {
		http__cache_free(h->cache);
		free(h);
	}
	return rc;
}

int http_port(const struct http_server *h)
{
	return h ? h->port : 0;
}

void http_stop(struct http_server *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->daemon);
	http__cache_free(h->cache);
	free(h);
}

void http_get_stats(const struct http_server *h, struct http_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (h == NULL)
		return;
	out->requests =
	    atomic_load_explicit(&h->requests, memory_order_relaxed);
	out->cache_hits =
	    atomic_load_explicit(&h->cache_hits, memory_order_relaxed);
	out->not_modified =
	    atomic_load_explicit(&h->not_modified, memory_order_relaxed);
}
