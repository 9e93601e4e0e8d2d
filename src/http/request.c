/*
 * http/request.c: validation at the edge. The raw request-target is
 * checked and decoded here before any handler runs (percent-encoding,
 * UTF-8, control characters, dot segments, empty segments, backslashes),
 * and the headers that steer a GET (Accept-Encoding, If-None-Match,
 * If-Modified-Since) are parsed.
 */
#include "http_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Raw bytes that no request-target may hold: controls, space, '#'. */
static bool raw_bad(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '#';
}

static const char *raw_what(unsigned char c)
{
	if (c == ' ')
		return "a space";
	if (c == '#')
		return "a fragment ('#')";
	return c == 0 ? "a NUL byte" : "a control character";
}

/*
 * Percent-decodes s into out (room for s.n bytes), '+' as a space when
 * plus is set. where names the part for messages ("path", "query").
 */
static enum pr_err decode(struct str s, bool plus, char *out, size_t *out_n,
                          const char *where, struct pr_error *e)
{
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (raw_bad(c))
			return pr_fail(e, PR_INVALID,
			               "%s in the %s at byte %zu", raw_what(c),
			               where, i + 1);
		if (c == '%') {
			hi = i + 2 < s.n ? hex_value((unsigned char)s.p[i + 1])
			                 : -1;
			lo =
			    hi >= 0 ? hex_value((unsigned char)s.p[i + 2]) : -1;
			if (lo < 0)
				return pr_fail(e, PR_INVALID,
				               "bad percent-encoding in the %s "
				               "at byte %zu: '%%' must be "
				               "followed by two hex digits",
				               where, i + 1);
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		out[n++] = (char)c;
	}
	*out_n = n;
	return PR_OK;
}

/* Checks decoded text: UTF-8, no NUL, no control characters. */
static enum pr_err check_text(struct str s, const char *where,
                              struct pr_error *e)
{
	size_t i, bad;

	if (!utf8_valid(s.p, s.n, &bad))
		return pr_fail(e, PR_INVALID,
		               s.p[bad] == '\0'
		                   ? "a NUL byte in the decoded %s"
		                   : "invalid UTF-8 in the decoded %s",
		               where);
	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return pr_fail(e, PR_INVALID,
			               "a control character in the decoded %s",
			               where);
	return PR_OK;
}

/* Checks the segments of a decoded path that starts with '/'. */
static enum pr_err check_segments(struct str path, struct pr_error *e)
{
	struct str rest = {path.p + 1, path.n - 1}, seg;

	if (memchr(path.p, '\\', path.n) != NULL)
		return pr_fail(e, PR_INVALID, "a backslash in the path");
	while (rest.n > 0) {
		seg = str_cut(&rest, '/');
		if (seg.n == 0)
			return pr_fail(e, PR_INVALID,
			               "an empty segment (\"//\") in the path");
		if (str_eq_c(seg, ".") || str_eq_c(seg, ".."))
			return pr_fail(e, PR_INVALID,
			               "a \"%.*s\" segment in the path",
			               STR_FMT(seg));
	}
	return PR_OK;
}

/* Drops "http://host" from an absolute-form target. */
static struct str origin_form(struct str t)
{
	size_t skip = 0, i;

	if (t.n >= 7 && strncasecmp(t.p, "http://", 7) == 0)
		skip = 7;
	else if (t.n >= 8 && strncasecmp(t.p, "https://", 8) == 0)
		skip = 8;
	if (skip == 0)
		return t;
	for (i = skip; i < t.n && t.p[i] != '/'; i++)
		;
	if (i == t.n)
		return STR_LIT("/");
	return (struct str){t.p + i, t.n - i};
}

static enum pr_err parse_path(struct http__req *q, struct str raw,
                              struct arena *a, struct pr_error *e)
{
	enum pr_err rc;
	char *out;
	size_t n;

	if (raw.n == 0 || raw.p[0] != '/')
		return pr_fail(e, PR_INVALID,
		               "the request target must start with '/'");
	if ((out = arena_alloc(a, raw.n + 1)) == NULL)
		return pr_fail(e, PR_NOMEM, "out of memory");
	if ((rc = decode(raw, false, out, &n, "path", e)) != PR_OK)
		goto out;
	out[n] = '\0';
	q->pub.path = (struct str){out, n};
	if ((rc = check_text(q->pub.path, "path", e)) != PR_OK)
		goto out;
	rc = check_segments(q->pub.path, e);
out:
	return rc;
}

/* Decodes one "key=value" piece of the query into p. */
static enum pr_err parse_param(struct str piece, struct http__param *p,
                               struct arena *a, struct pr_error *e)
{
	struct str key = str_cut(&piece, '=');
	char *out = arena_alloc(a, key.n + piece.n + 2);
	enum pr_err rc;
	size_t n;

	if (out == NULL)
		return pr_fail(e, PR_NOMEM, "out of memory");
	if ((rc = decode(key, true, out, &n, "query", e)) != PR_OK)
		goto out;
	out[n] = '\0';
	p->key = (struct str){out, n};
	out += n + 1;
	if ((rc = decode(piece, true, out, &n, "query", e)) != PR_OK)
		goto out;
	out[n] = '\0';
	p->value = (struct str){out, n};
	if ((rc = check_text(p->key, "query", e)) != PR_OK)
		goto out;
	rc = check_text(p->value, "query", e);
out:
	return rc;
}

static enum pr_err parse_query(struct http__req *q, struct str query,
                               struct arena *a, struct pr_error *e)
{
	struct str rest = query, piece;
	size_t max = 1, i;
	enum pr_err rc = PR_OK;

	for (i = 0; i < query.n; i++)
		max += query.p[i] == '&';
	q->params = arena_alloc(a, max * sizeof(*q->params));
	if (q->params == NULL)
		return pr_fail(e, PR_NOMEM, "out of memory");
	while (rest.n > 0) {
		piece = str_cut(&rest, '&');
		if (piece.n == 0)
			continue;
		rc = parse_param(piece, &q->params[q->n_params], a, e);
		if (rc != PR_OK)
			break;
		q->n_params++;
	}
	return rc;
}

enum pr_err http__parse_target(struct http__req *q, struct str t,
                               struct arena *a, struct pr_error *e)
{
	struct str path;
	long at;
	enum pr_err rc;

	q->n_params = 0;
	q->params = NULL;
	t = origin_form(t);
	at = str_index(t, '?');
	path = at < 0 ? t : (struct str){t.p, (size_t)at};
	q->pub.query = at < 0
	                   ? (struct str){t.p + t.n, 0}
	                   : (struct str){t.p + at + 1, t.n - (size_t)at - 1};
	if ((rc = parse_path(q, path, a, e)) != PR_OK)
		goto out;
	rc = parse_query(q, q->pub.query, a, e);
out:
	return rc;
}

struct str http_query(const struct http_request *r, const char *key)
{
	const struct http__req *q =
	    (const struct http__req *)((const char *)r -
	                               offsetof(struct http__req, pub));
	size_t i;

	for (i = 0; i < q->n_params; i++)
		if (str_eq_c(q->params[i].key, key))
			return q->params[i].value;
	return STR_NULL;
}

struct str http_header(const struct http_request *r, const char *name)
{
	if (r == NULL || r->conn == NULL || name == NULL)
		return STR_NULL;
	return str_c(
	    MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name));
}

void http_peer(const struct http_request *r, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = NULL;
	const struct sockaddr *sa;

	if (n == 0)
		return;
	out[0] = '\0';
	if (r != NULL && r->conn != NULL)
		ci = MHD_get_connection_info(
		    r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		          out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		          (socklen_t)n);
}

static bool ieq(struct str s, const char *c)
{
	size_t n = strlen(c);

	return s.n == n && strncasecmp(s.p, c, n) == 0;
}

/* The q-value of a parameter list (";q=0.5"), in thousandths: 1000 when
 * absent, 0 when malformed. */
static int qvalue(struct str params)
{
	struct str p, v;
	int q = 1000, scale = 100;
	size_t i;

	while (params.n > 0) {
		p = str_trim(str_cut(&params, ';'));
		if (p.n < 2 || (p.p[0] != 'q' && p.p[0] != 'Q') ||
		    p.p[1] != '=')
			continue;
		v = (struct str){p.p + 2, p.n - 2};
		if (v.n == 0 || v.n > 5 || (v.p[0] != '0' && v.p[0] != '1') ||
		    (v.n > 1 && v.p[1] != '.'))
			return 0;
		q = (v.p[0] - '0') * 1000;
		for (i = 2; i < v.n; i++, scale /= 10) {
			if (v.p[i] < '0' || v.p[i] > '9')
				return 0;
			q += (v.p[i] - '0') * scale;
		}
		return q > 1000 ? 0 : q;
	}
	return q;
}

bool http__accepts_gzip(const char *ae)
{
	struct str s = str_c(ae), item, name;
	int gzip = -1, star = -1, q;

	while (s.n > 0) {
		item = str_cut(&s, ',');
		name = str_trim(str_cut(&item, ';'));
		q = qvalue(item);
		if (ieq(name, "gzip") || ieq(name, "x-gzip"))
			gzip = q > gzip ? q : gzip;
		else if (ieq(name, "*"))
			star = q;
	}
	return gzip >= 0 ? gzip > 0 : star > 0;
}

bool http__etag_match(const char *inm, const char *etag)
{
	struct str s = str_c(inm), tag;

	if (etag == NULL)
		return false;
	if (str_eq_c(str_trim(s), "*"))
		return true;
	while (s.n > 0) {
		tag = str_trim(str_cut(&s, ','));
		if (tag.n > 2 && tag.p[0] == 'W' && tag.p[1] == '/') {
			tag.p += 2;
			tag.n -= 2;
		}
		if (str_eq_c(tag, etag))
			return true;
	}
	return false;
}

bool http__not_modified(const struct http__hdrs *h, const char *etag,
                        int64_t last_modified)
{
	int64_t t;

	/* If-None-Match wins: If-Modified-Since counts only without it. */
	if (h->if_none_match != NULL)
		return http__etag_match(h->if_none_match, etag);
	if (h->if_modified_since == NULL || last_modified <= 0)
		return false;
	if (!pr_time_parse_http(str_trim(str_c(h->if_modified_since)), &t))
		return false;
	return last_modified <= t;
}

/* Digits of s as a number, saturating at UINT64_MAX; false when s is not
 * one or more digits. */
static bool range_number(struct str s, uint64_t *out)
{
	uint64_t v = 0;

	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v > (UINT64_MAX - 9) / 10
		        ? UINT64_MAX
		        : v * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = v;
	return true;
}

/* "-N": the last N bytes. */
static enum http__range suffix_range(struct str n, uint64_t size,
                                     uint64_t *first, uint64_t *last)
{
	uint64_t len;

	if (!range_number(n, &len))
		return HTTP__RANGE_NONE;
	if (len == 0 || size == 0)
		return HTTP__RANGE_UNSAT;
	*first = len >= size ? 0 : size - len;
	*last = size - 1;
	return HTTP__RANGE_OK;
}

enum http__range http__parse_range(const char *v, uint64_t size,
                                   uint64_t *first, uint64_t *last)
{
	struct str s = str_trim(str_c(v)), a;
	uint64_t lo, hi = UINT64_MAX;

	if (v == NULL || s.n < 6 || strncasecmp(s.p, "bytes=", 6) != 0)
		return HTTP__RANGE_NONE;
	s = str_trim((struct str){s.p + 6, s.n - 6});
	if (str_index(s, ',') >= 0 || str_index(s, '-') < 0)
		return HTTP__RANGE_NONE;
	a = str_trim(str_cut(&s, '-'));
	s = str_trim(s);
	if (a.n == 0)
		return suffix_range(s, size, first, last);
	if (!range_number(a, &lo) || (s.n > 0 && !range_number(s, &hi)) ||
	    hi < lo)
		return HTTP__RANGE_NONE;
	if (lo >= size)
		return HTTP__RANGE_UNSAT;
	*first = lo;
	*last = hi >= size ? size - 1 : hi;
	return HTTP__RANGE_OK;
}

bool http__if_range_ok(const char *v, const char *etag, int64_t last_modified)
{
	struct str s = str_trim(str_c(v));
	int64_t t;

	if (v == NULL)
		return true;
	if (s.n > 0 && (s.p[0] == '"' || s.p[0] == 'W'))
		return etag != NULL && str_eq_c(s, etag);
	return last_modified > 0 && pr_time_parse_http(s, &t) &&
	       t == last_modified;
}
