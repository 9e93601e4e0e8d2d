/*
 * fuzz_http_path.c: libFuzzer target for the request-target validator
 * (http__parse_target) and the header parsers beside it. Besides crashes
 * and sanitizer reports it checks what a handler is promised: an accepted
 * path starts with '/', is valid UTF-8 without NUL or control characters,
 * has no "." or ".." segment, no "//" and no backslash, and every decoded
 * query key and value is valid UTF-8 without control characters.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool clean_text(struct str s)
{
	size_t i;

	if (!utf8_valid(s.p, s.n, NULL))
		return false;
	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return false;
	return true;
}

static void check_path(struct str path)
{
	struct str rest, seg;

	if (path.n == 0 || path.p[0] != '/' || !clean_text(path) ||
	    memchr(path.p, '\\', path.n) != NULL)
		abort();
	rest = (struct str){path.p + 1, path.n - 1};
	while (rest.n > 0) {
		seg = str_cut(&rest, '/');
		if (seg.n == 0 || str_eq_c(seg, ".") || str_eq_c(seg, ".."))
			abort();
	}
}

static void check_accepted(const struct http__req *q)
{
	size_t i;

	check_path(q->pub.path);
	for (i = 0; i < q->n_params; i++)
		if (!clean_text(q->params[i].key) ||
		    !clean_text(q->params[i].value))
			abort();
	if (q->n_params > 0 && !str_eq(http_query(&q->pub, q->params[0].key.p),
	                               q->params[0].value))
		abort();
}

/* The header parsers take NUL-ended values, as MHD hands them over. */
static void headers(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)http__accepts_gzip(s);
	(void)http__etag_match(s, "\"0123456789abcdef\"");
	(void)http__compressible(s);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1u << 24);
	struct str t = {(const char *)data, size};
	struct pr_error e = {0};
	struct http__req q;
	enum pr_err rc;

	if (a == NULL)
		return 0;
	memset(&q, 0, sizeof(q));
	rc = http__parse_target(&q, t, a, &e);
	if (rc == PR_OK)
		check_accepted(&q);
	else if (rc != PR_INVALID || e.msg[0] == '\0')
		abort();
	headers(data, size);
	arena_free(a);
	return 0;
}
