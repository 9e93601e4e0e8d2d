/*
 * core/slug.c: URL slugs from titles and names. Cyrillic is transliterated
 * by a table (Russian, Ukrainian, Belarusian and Kazakh letters); other
 * scripts lose their diacritics through utf8proc's decomposition.
 */
#include "core.h"

#include <string.h>
#include <utf8proc.h>

/* Latin spelling of the Cyrillic letters U+0430..U+045F (lower case). */
static const char *const cyr[] = {
    "a",
    "b",
    "v",
    "g",
    "d",
    "e",
    "zh",
    "z",
    "i",
    "y",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "r",
    "s",
    "t",
    "u",
    "f",
    "kh",
    "ts",
    "ch",
    "sh",
    "shch",
    "",
    "y",
    "",
    "e",
    "yu",
    "ya",
    /* U+0450..U+045F */
    "e",
    "e",
    "dj",
    "g",
    "ye",
    "dz",
    "i",
    "yi",
    "j",
    "l",
    "n",
    "c",
    "k",
    "i",
    "u",
    "dz",
};

/* Letters of other Cyrillic alphabets outside that block. */
static const struct {
	uint32_t cp;
	const char *latin;
} cyr_extra[] = {
    {0x0491, "g"}, {0x0493, "g"}, {0x049b, "q"}, {0x04a3, "n"}, {0x04af, "u"},
    {0x04b1, "u"}, {0x04bb, "h"}, {0x04d9, "a"}, {0x04e9, "o"}, {0x045e, "u"},
};

/* The Latin letters and digits of cp, lower-cased, or NULL for none. */
static const char *latin_of(uint32_t cp, char tmp[8])
{
	utf8proc_int32_t dec[8];
	utf8proc_ssize_t n, i;
	size_t k = 0, j;

	if (cp >= 0x0410 && cp <= 0x042f)
		cp += 0x20;
	else if (cp >= 0x0400 && cp <= 0x040f)
		cp += 0x50;
	if (cp >= 0x0430 && cp <= 0x045f)
		return cyr[cp - 0x0430];
	for (j = 0; j < sizeof(cyr_extra) / sizeof(cyr_extra[0]); j++)
		if (cyr_extra[j].cp == cp || cyr_extra[j].cp == cp + 1)
			return cyr_extra[j].latin;
	n = utf8proc_decompose_char((utf8proc_int32_t)cp, dec, 8,
	                            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
	                                UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
	                            NULL);
	for (i = 0; i < n && i < 8 && k < 7; i++) {
		if (dec[i] >= 'a' && dec[i] <= 'z')
			tmp[k++] = (char)dec[i];
		else if (dec[i] >= '0' && dec[i] <= '9')
			tmp[k++] = (char)dec[i];
		else if (dec[i] >= 'A' && dec[i] <= 'Z')
			tmp[k++] = (char)(dec[i] + 32);
	}
	tmp[k] = '\0';
	return k ? tmp : NULL;
}

void slug_make(struct buf *out, struct str text, size_t max)
{
	size_t start = out->n, i = 0, len, last_cut = 0;
	bool hyphen = false;
	uint32_t cp;
	char tmp[8];

	if (max == 0 || max > SLUG_MAX)
		max = SLUG_MAX;
	while (i < text.n) {
		const char *lat;
		len = utf8_decode(text.p + i, text.n - i, &cp);
		if (len == 0) {
			i++;
			continue;
		}
		i += len;
		if (cp == '\'' || cp == 0x2019) /* don't → dont */
			continue;
		lat = latin_of(cp, tmp);
		if (lat == NULL) {
			hyphen = out->n > start;
			continue;
		}
		if (lat[0] == '\0')
			continue;
		if (hyphen) {
			last_cut = out->n - start;
			if (out->n - start + 1 >= max)
				break;
			buf_addc(out, '-');
			hyphen = false;
		}
		if (out->n - start + strlen(lat) > max) {
			out->n = start + (last_cut ? last_cut : out->n - start);
			break;
		}
		buf_adds(out, lat);
	}
	if (out->err == PR_OK && out->n == start)
		buf_adds(out, "item");
}

bool slug_valid(struct str s)
{
	size_t i;

	if (s.n == 0 || s.n > SLUG_MAX || s.p[0] == '-' || s.p[s.n - 1] == '-')
		return false;
	for (i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '-' && s.p[i - 1] == '-')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}
