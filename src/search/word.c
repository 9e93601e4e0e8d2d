/*
 * search/word.c: what a word is and its folded form. A word is a run of
 * letters and digits (marks and invisible format characters inside it are
 * kept), with apostrophes between letters ("general's") and up to
 * SEARCH__PARTS_MAX parts joined by hyphens ("Нур-Султан", "COVID-19").
 * Folding is NFKC with case folding and marks stripped, done a code point
 * at a time (with fast paths for ASCII and Russian), except that ё becomes
 * е and й stays й, also when typed as и + U+0306. Words written with
 * Latin look-alikes among Cyrillic letters (or the reverse) are read in
 * their majority script.
 */
#include "search_int.h"

#include <string.h>
#include <utf8proc.h>

enum cls {
	C_SEP,    /* ends a word */
	C_ALNUM,  /* a letter or digit */
	C_MARK,   /* a combining mark: inside a word, dropped */
	C_IGNORE, /* a format character: inside a word, dropped */
	C_HYPHEN, /* joins parts */
	C_APOS,   /* inside a word between letters */
};

static enum cls cls_of(uint32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80) {
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return C_ALNUM;
		if (cp >= '0' && cp <= '9')
			return C_ALNUM;
		return cp == '-' ? C_HYPHEN : cp == '\'' ? C_APOS : C_SEP;
	}
	if (cp >= 0x400 && cp <= 0x4ff && (cp < 0x482 || cp > 0x489))
		return C_ALNUM;
	switch (cp) {
	case 0x2010:
	case 0x2011: return C_HYPHEN;
	case 0x2019:
	case 0x02bc: return C_APOS;
	case 0x200b: return C_SEP;
	}
	cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
		return C_ALNUM;
	if (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)
		return C_ALNUM;
	if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
		return C_MARK;
	return cat == UTF8PROC_CATEGORY_CF ? C_IGNORE : C_SEP;
}

static bool ascii_alnum(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= '0' && c <= '9');
}

static bool is_upper(uint32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	if (cp >= 0x400 && cp <= 0x42f)
		return true;
	if (cp >= 0x430 && cp <= 0x45f)
		return false;
	cat = utf8proc_category((utf8proc_int32_t)cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* Appends cp's UTF-8 when it fits; false when the part is full. */
static bool put(struct search__part *p, uint32_t cp)
{
	char *s = p->fold + p->n;

	if (p->n + 4 > SEARCH__TOKEN_MAX) {
		p->cut = true;
		return false;
	}
	if (cp < 0x80) {
		s[0] = (char)cp;
		p->n += 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		p->n += 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		p->n += 3;
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		p->n += 4;
	}
	return true;
}

/* Appends one folded code point and counts its script. */
static void put_counted(struct search__part *p, uint32_t cp)
{
	utf8proc_category_t cat;

	if (!put(p, cp))
		return;
	if (cp < 0x80)
		(cp >= '0' && cp <= '9') ? p->digit++ : p->lat++;
	else if (cp >= 0x400 && cp <= 0x52f)
		p->cyr++;
	else if (cp < 0x250)
		p->lat++;
	else if ((cat = utf8proc_category((utf8proc_int32_t)cp)) >=
	             UTF8PROC_CATEGORY_ND &&
	         cat <= UTF8PROC_CATEGORY_NO)
		p->digit++;
	else
		p->other++;
}

/* Folds through utf8proc: compatibility decomposition, case folding,
 * marks stripped; keeps only letters and digits of the result. */
static void fold_general(struct search__part *p, uint32_t cp)
{
	utf8proc_int32_t dec[16];
	utf8proc_ssize_t n, i;
	utf8proc_category_t cat;

	n = utf8proc_decompose_char((utf8proc_int32_t)cp, dec, 16,
	                            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                                UTF8PROC_STRIPMARK |
	                                UTF8PROC_DECOMPOSE | UTF8PROC_IGNORE,
	                            NULL);
	for (i = 0; i < n && i < 16; i++) {
		cat = utf8proc_category(dec[i]);
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		     cat <= UTF8PROC_CATEGORY_LO) ||
		    (cat >= UTF8PROC_CATEGORY_ND &&
		     cat <= UTF8PROC_CATEGORY_NO))
			put_counted(p, (uint32_t)dec[i]);
	}
}

/* The first letter or digit of a part decides whether it is capitalised. */
static void first_cp(struct search__part *p, uint32_t cp)
{
	if (p->n == 0 && p->lat + p->cyr + p->digit + p->other == 0)
		p->cap = is_upper(cp);
}

static void fold_cp(struct search__part *p, uint32_t cp)
{
	first_cp(p, cp);
	if (cp < 0x80) {
		put_counted(p, (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp);
	} else if (cp == 0x401 || cp == 0x451) {
		put_counted(p, 0x435); /* ё -> е */
	} else if (cp >= 0x410 && cp <= 0x42f) {
		put_counted(p, cp + 0x20);
	} else if (cp >= 0x430 && cp <= 0x44f) {
		put_counted(p, cp); /* including й, which NFKD would split */
	} else {
		fold_general(p, cp);
	}
}

/* A combining breve after и makes й (text in NFD); other marks go. */
static void fold_mark(struct search__part *p, uint32_t cp)
{
	if (cp == 0x306 && p->n >= 2 &&
	    (unsigned char)p->fold[p->n - 2] == 0xd0 &&
	    (unsigned char)p->fold[p->n - 1] == 0xb8)
		p->fold[p->n - 1] = (char)0xb9;
}

/* Latin letters that look like Cyrillic ones, and the reverse. */
static const char lat_like[] = "aceopxykmtbh";
static const uint32_t cyr_like[] = {0x430, 0x441, 0x435, 0x43e, 0x440, 0x445,
                                    0x443, 0x43a, 0x43c, 0x442, 0x432, 0x43d};

/* The look-alike of cp in the other script, or 0. */
static uint32_t look_alike(uint32_t cp, bool to_cyr)
{
	size_t i;

	for (i = 0; i < sizeof(cyr_like) / sizeof(cyr_like[0]); i++) {
		if (to_cyr && cp == (uint32_t)lat_like[i])
			return cyr_like[i];
		if (!to_cyr && cp == cyr_like[i])
			return (uint32_t)lat_like[i];
	}
	return 0;
}

/* Rewrites a part mixing Latin and Cyrillic letters into its majority
 * script when every minority letter has a look-alike there. */
static void fix_mixed(struct search__part *p)
{
	struct search__part q;
	bool to_cyr = p->cyr > p->lat;
	size_t i = 0, len;
	uint32_t cp, alt;

	if (p->lat == 0 || p->cyr == 0 || p->other || p->cut ||
	    p->cyr == p->lat)
		return;
	memset(&q, 0, offsetof(struct search__part, fold));
	while (i < p->n) {
		len = utf8_decode(p->fold + i, p->n - i, &cp);
		if (len == 0)
			return;
		i += len;
		alt = look_alike(cp, to_cyr);
		if ((to_cyr && cp < 0x80 && !(cp >= '0' && cp <= '9')) ||
		    (!to_cyr && cp >= 0x400 && cp <= 0x52f)) {
			if (alt == 0)
				return;
			cp = alt;
		}
		put_counted(&q, cp);
	}
	memcpy(p->fold, q.fold, q.n);
	p->n = q.n;
	p->lat = q.lat;
	p->cyr = q.cyr;
	p->digit = q.digit;
	p->cut = q.cut;
}

static void part_begin(struct search__part *p, size_t at)
{
	memset(p, 0, offsetof(struct search__part, fold));
	p->start = p->end = at;
}

/* The class of the code point at text[i], or C_SEP at the end or on a
 * malformed byte. */
static enum cls cls_at(const char *text, size_t n, size_t i)
{
	uint32_t cp;

	if (i >= n || utf8_decode(text + i, n - i, &cp) == 0)
		return C_SEP;
	return cls_of(cp);
}

/* Skips to the first letter or digit at or after *pos; false at the end. */
static bool skip_to_word(const char *text, size_t n, size_t *pos)
{
	size_t i = *pos, len;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)text[i] < 0x80 &&
		    !ascii_alnum((unsigned char)text[i])) {
			i++;
			continue;
		}
		len = utf8_decode(text + i, n - i, &cp);
		if (len == 0) {
			i++;
			continue;
		}
		if (cls_of(cp) == C_ALNUM) {
			*pos = i;
			return true;
		}
		i += len;
	}
	*pos = n;
	return false;
}

/* The common cases, ASCII letters and digits and the Russian alphabet,
 * without decoding or a table lookup; false when the general path must
 * look at the code point. */
static bool fast_step(const char *text, size_t n, size_t *i,
                      struct search__part *p)
{
	unsigned char c = (unsigned char)text[*i], d;
	uint32_t cp;

	if (c < 0x80 && ascii_alnum(c)) {
		first_cp(p, c);
		put_counted(p, (c >= 'A' && c <= 'Z') ? c + 32u : c);
		p->end = *i += 1;
		return true;
	}
	if ((c != 0xd0 && c != 0xd1) || *i + 1 >= n)
		return false;
	d = (unsigned char)text[*i + 1];
	cp = ((uint32_t)(c & 0x1f) << 6) | (d & 0x3fu);
	if ((d & 0xc0) != 0x80 ||
	    !((cp >= 0x410 && cp <= 0x44f) || cp == 0x401 || cp == 0x451))
		return false;
	fold_cp(p, cp);
	p->end = *i += 2;
	return true;
}

/* Consumes one code point of a word; false when it ends the word. */
static bool word_step(const char *text, size_t n, size_t *i,
                      struct search__word *w)
{
	struct search__part *p = &w->part[w->n];
	uint32_t cp;
	size_t len;

	if (fast_step(text, n, i, p))
		return true;
	if ((len = utf8_decode(text + *i, n - *i, &cp)) == 0)
		return false;
	switch (cls_of(cp)) {
	case C_ALNUM: fold_cp(p, cp); break;
	case C_MARK: fold_mark(p, cp); break;
	case C_IGNORE: *i += len; return true;
	case C_APOS:
		if (p->lat + p->cyr == 0 ||
		    cls_at(text, n, *i + len) != C_ALNUM)
			return false;
		put(p, '\'');
		break;
	case C_HYPHEN:
		if (w->n + 1 >= SEARCH__PARTS_MAX ||
		    cls_at(text, n, *i + len) != C_ALNUM)
			return false;
		fix_mixed(p);
		w->n++;
		part_begin(&w->part[w->n], *i + len);
		*i += len;
		return true;
	case C_SEP: return false;
	}
	*i += len;
	p->end = *i;
	return true;
}

bool search__next_word(const char *text, size_t n, size_t *pos,
                       struct search__word *w)
{
	size_t i = *pos;

	if (!skip_to_word(text, n, &i)) {
		*pos = n;
		return false;
	}
	w->n = 0;
	w->start = i;
	part_begin(&w->part[0], i);
	while (i < n && word_step(text, n, &i, w))
		;
	fix_mixed(&w->part[w->n]);
	w->n++;
	w->end = w->part[w->n - 1].end;
	*pos = i > w->start ? i : w->start + 1;
	return true;
}

enum search__script search__script(const struct search__part *p)
{
	if (p->other != 0)
		return SEARCH__OTHER;
	if (p->lat != 0 && p->cyr == 0)
		return SEARCH__LATIN;
	if (p->cyr != 0 && p->lat == 0)
		return SEARCH__CYRILLIC;
	return SEARCH__OTHER;
}

size_t search__fold_len(const struct search__part *p)
{
	size_t i, k = 0;

	for (i = 0; i < p->n; i++)
		if (((unsigned char)p->fold[i] & 0xc0) != 0x80)
			k++;
	return k;
}

void search__join(const struct search__word *w, struct search__part *out)
{
	const struct search__part *p;
	size_t i;

	part_begin(out, w->start);
	out->end = w->end;
	for (i = 0; i < w->n; i++) {
		p = &w->part[i];
		if (out->n + p->n > SEARCH__TOKEN_MAX - 4 || p->cut) {
			out->cut = true;
			break;
		}
		memcpy(out->fold + out->n, p->fold, p->n);
		out->n += p->n;
		out->lat += p->lat;
		out->cyr += p->cyr;
		out->digit += p->digit;
		out->other += p->other;
		out->cap = out->cap || p->cap;
	}
}
