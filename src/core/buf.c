/* core/buf.c: growable byte buffers with a maximum and a sticky error. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->n = b->cap = 0;
	b->max = max;
	b->err = PR_OK;
}

/* Makes room for extra more bytes plus a NUL; sets err on failure. */
static bool buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->err != PR_OK)
		return false;
	if (extra > b->max || b->n > b->max - extra) {
		b->err = PR_TOOBIG;
		return false;
	}
	need = b->n + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->p, cap);
	if (p == NULL) {
		b->err = PR_NOMEM;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || !buf_grow(b, n))
		return;
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void buf_addc(struct buf *b, char c)
{
	if (b->n + 1 < b->cap && b->err == PR_OK && b->n < b->max) {
		b->p[b->n++] = c;
		return;
	}
	buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_add(b, s, strlen(s));
}

void buf_addstr(struct buf *b, struct str s)
{
	buf_add(b, s.p, s.n);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int len;

	if (b->err != PR_OK)
		return;
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0) {
		b->err = PR_INVALID;
		return;
	}
	if (!buf_grow(b, (size_t)len))
		return;
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	b->n += (size_t)len;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(struct buf *b)
{
	if (b->err != PR_OK)
		return "";
	if (b->p == NULL && !buf_grow(b, 0))
		return "";
	b->p[b->n] = '\0';
	return b->p;
}

struct str buf_str(const struct buf *b)
{
	return (struct str){b->p ? b->p : "", b->n};
}

void buf_reset(struct buf *b)
{
	b->n = 0;
	b->err = PR_OK;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->err = PR_OK;
}

char *buf_detach(struct buf *b, size_t *n)
{
	char *p;

	if (b->err != PR_OK) {
		buf_free(b);
		return NULL;
	}
	buf_cstr(b);
	if (b->err != PR_OK) {
		buf_free(b);
		return NULL;
	}
	p = b->p;
	if (n != NULL)
		*n = b->n;
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}
