/*
 * http/compress.c: gzip (zlib) for text-like responses. Cached pages are
 * compressed once when they are stored; pages made for one request only
 * when the client asked for it.
 */
#include "http_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

bool http__compressible(const char *ct)
{
	struct str t = str_c(ct);

	if (t.n == 0)
		return false;
	t = str_trim(str_cut(&t, ';'));
	if (t.n >= 5 && strncasecmp(t.p, "text/", 5) == 0)
		return true;
	if (memmem(t.p, t.n, "json", 4) != NULL ||
	    memmem(t.p, t.n, "xml", 3) != NULL ||
	    memmem(t.p, t.n, "javascript", 10) != NULL)
		return true;
	return false;
}

enum pr_err http__gzip(const char *p, size_t n, char **out, size_t *out_n)
{
	z_stream z;
	enum pr_err rc = PR_INTERNAL;
	uLong bound;
	char *dst = NULL;

	*out = NULL;
	memset(&z, 0, sizeof(z));
	if (n > UINT_MAX)
		return PR_TOOBIG;
	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return PR_NOMEM;
	bound = deflateBound(&z, (uLong)n);
	if (bound > UINT_MAX) {
		rc = PR_TOOBIG;
		goto out;
	}
	if ((dst = malloc(bound)) == NULL) {
		rc = PR_NOMEM;
		goto out;
	}
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)dst;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		goto out;
	if (z.total_out >= n) {
		rc = PR_TOOBIG;
		goto out;
	}
	*out = dst;
	*out_n = z.total_out;
	dst = NULL;
	rc = PR_OK;
out:
	deflateEnd(&z);
	free(dst);
	return rc;
}
