/* core/utf8.c: UTF-8 validation, decoding and encoding. */
#include "core.h"

size_t utf8_decode(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	uint32_t c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool utf8_valid(const char *p, size_t n, size_t *bad_at)
{
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)p[i] < 0x80 && p[i] != '\0') {
			i++;
			continue;
		}
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0 || cp == 0) {
			if (bad_at != NULL)
				*bad_at = i;
			return false;
		}
		i += len;
	}
	return true;
}

void utf8_encode(struct buf *b, uint32_t cp)
{
	char s[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 4);
	}
}

struct str utf8_prefix(struct str s, size_t max)
{
	size_t n;

	if (s.n <= max)
		return s;
	n = max;
	while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80)
		n--;
	return (struct str){s.p, n};
}

size_t utf8_len(struct str s)
{
	size_t i = 0, count = 0, len;
	uint32_t cp;

	while (i < s.n) {
		len = utf8_decode(s.p + i, s.n - i, &cp);
		i += len ? len : 1;
		count++;
	}
	return count;
}
