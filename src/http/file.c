/*
 * http/file.c: answers that send a file the handler opened (the photos
 * under /media/) rather than a body it built: sent by MHD from the file
 * descriptor, never compressed nor cached in memory, with its validators,
 * 304s and single byte ranges (206, 416), since readers resume downloads
 * of originals and players and browsers ask for parts of large files.
 */
#include "http_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CACHE "public, max-age=60"

static void file_meta(struct http__meta *m, const struct http_response *res)
{
	memset(m, 0, sizeof(*m));
	m->status = MHD_HTTP_OK;
	m->content_type =
	    res->content_type ? res->content_type : "application/octet-stream";
	m->cache_control =
	    res->cache_control ? res->cache_control : DEFAULT_CACHE;
	m->lang = res->lang;
	m->last_modified = res->last_modified;
	m->etag = res->etag;
	m->ranges = true;
}

static enum MHD_Result send_304(struct http__req *q,
                                struct MHD_Connection *conn,
                                const struct http__meta *m, uint64_t size)
{
	struct MHD_Response *r = http__response_304((size_t)size, m);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	atomic_fetch_add_explicit(&q->srv->not_modified, 1,
	                          memory_order_relaxed);
	ret = http__queue(q, conn, MHD_HTTP_NOT_MODIFIED, r, 0);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_416(struct http__req *q,
                                struct MHD_Connection *conn,
                                struct http__meta *m, uint64_t size)
{
	static const char text[] = "the range asked for lies past the end of "
	                           "the file\n";
	char range[48], *body = strdup(text);
	struct MHD_Response *r;
	enum MHD_Result ret;

	snprintf(range, sizeof(range), "bytes */%" PRIu64, size);
	m->content_range = range;
	m->content_type = "text/plain; charset=utf-8";
	m->cache_control = "no-store";
	if (body == NULL ||
	    (r = http__response(body, sizeof(text) - 1, m)) == NULL)
		return MHD_NO;
	ret = http__queue(q, conn, MHD_HTTP_RANGE_NOT_SATISFIABLE, r,
	                  sizeof(text) - 1);
	MHD_destroy_response(r);
	return ret;
}

/* Sends bytes first..last of the file (its whole when status is 200). */
static enum MHD_Result send_part(struct http__req *q,
                                 struct MHD_Connection *conn, int fd,
                                 struct http__meta *m, int status,
                                 uint64_t first, uint64_t last, uint64_t size)
{
	uint64_t n = size == 0 ? 0 : last - first + 1;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char range[80];

	if (status == MHD_HTTP_PARTIAL_CONTENT) {
		snprintf(range, sizeof(range),
		         "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, first, last,
		         size);
		m->content_range = range;
	}
	if ((r = http__response_fd(fd, first, n, m)) == NULL)
		return MHD_NO;
	ret = http__queue(q, conn, status, r, (size_t)n);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http__send_file(struct http__req *q,
                                struct MHD_Connection *conn,
                                struct http_response *res)
{
	const struct http__hdrs *h = &q->hdrs;
	uint64_t size = res->file_size, first = 0, last = size ? size - 1 : 0;
	enum http__range range = HTTP__RANGE_NONE;
	int fd = res->file_fd;
	struct http__meta m;

	res->has_file = false;
	file_meta(&m, res);
	if (http__not_modified(h, m.etag, m.last_modified)) {
		close(fd);
		return send_304(q, conn, &m, size);
	}
	if (h->range != NULL &&
	    http__if_range_ok(h->if_range, m.etag, m.last_modified))
		range = http__parse_range(h->range, size, &first, &last);
	if (range == HTTP__RANGE_UNSAT) {
		close(fd);
		return send_416(q, conn, &m, size);
	}
	if (range == HTTP__RANGE_NONE) {
		first = 0;
		last = size ? size - 1 : 0;
	}
	return send_part(q, conn, fd, &m,
	                 range == HTTP__RANGE_OK ? MHD_HTTP_PARTIAL_CONTENT
	                                         : MHD_HTTP_OK,
	                 first, last, size);
}
