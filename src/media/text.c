/*
 * media/text.c: making text found inside image files fit to show: such
 * text comes in any encoding from any camera or tool, or from an attacker.
 */
#include "media_int.h"

#include <string.h>

/* A code point worth keeping: no C0 or C1 control, no DEL. */
static bool printable(uint32_t cp)
{
	return cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0);
}

static bool blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == 0xa0;
}

/* The next code point of p[0..n) and its length: UTF-8 when the whole text
 * is, else one Latin-1 byte. */
static size_t next(const char *p, size_t n, bool utf8, uint32_t *cp)
{
	if (utf8)
		return utf8_decode(p, n, cp);
	*cp = (unsigned char)p[0];
	return 1;
}

size_t media__clean(const char *p, size_t n, char *out, size_t max)
{
	struct buf b;
	struct str cut;
	bool utf8, space = false;
	uint32_t cp;
	size_t i = 0, len, w = 0;

	const char *nul = p != NULL ? memchr(p, '\0', n) : NULL;

	if (max == 0)
		return 0;
	if (nul != NULL)
		n = (size_t)(nul - p);
	buf_init(&b, 4 * max + 16);
	utf8 = p != NULL && utf8_valid(p, n, NULL);
	while (p != NULL && i < n && b.n < 4 * max) {
		if ((len = next(p + i, n - i, utf8, &cp)) == 0)
			break;
		i += len;
		if (blank(cp)) {
			space = b.n > 0;
			continue;
		}
		if (!printable(cp))
			continue;
		if (space)
			buf_addc(&b, ' ');
		space = false;
		utf8_encode(&b, cp);
	}
	if (b.err == PR_OK && b.n > 0) {
		cut = utf8_prefix(buf_str(&b), max - 1);
		memcpy(out, cut.p, cut.n);
		w = cut.n;
	}
	out[w] = '\0';
	buf_free(&b);
	return w;
}

/* true when item is one of the ", "-separated entries of list. */
static bool listed(const char *list, const char *item, size_t n)
{
	const char *p = list;

	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || (p >= list + 2 && p[-2] == ',')) &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
		p++;
	}
	return false;
}

void media__join(char *out, size_t cap, const char *item)
{
	size_t have = strlen(out), n = strlen(item);

	if (n == 0 || listed(out, item, n) || have + 2 + n >= cap)
		return;
	if (have > 0) {
		memcpy(out + have, ", ", 2);
		have += 2;
	}
	memcpy(out + have, item, n + 1);
}
