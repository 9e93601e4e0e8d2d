/*
 * search/stem.c: Snowball stemmers (libstemmer) for Russian and English,
 * chosen by a word's script, with a direct-mapped cache of recent words:
 * word frequencies follow Zipf's law, so most words of a text were stemmed
 * a moment ago. Numbers, words mixing letters and digits, words of other
 * scripts and words cut at SEARCH__TOKEN_MAX are kept as folded.
 */
#include "search_int.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_BYTES 46 /* words and stems longer than this skip the cache */

struct search__slot {
	uint32_t hash;
	unsigned char wn, sn; /* wn == 0: empty */
	char w[SLOT_BYTES];
	char s[SLOT_BYTES];
};

enum pr_err search__stem_init(struct search__stem *st, size_t slots)
{
	memset(st, 0, sizeof(*st));
	st->ru = sb_stemmer_new("russian", "UTF_8");
	st->en = sb_stemmer_new("english", "UTF_8");
	if (slots != 0) {
		st->slot = calloc(slots, sizeof(*st->slot));
		st->mask = slots - 1;
	}
	if (st->ru == NULL || st->en == NULL ||
	    (slots != 0 && st->slot == NULL)) {
		search__stem_free(st);
		return PR_NOMEM;
	}
	return PR_OK;
}

void search__stem_free(struct search__stem *st)
{
	if (st->ru != NULL)
		sb_stemmer_delete(st->ru);
	if (st->en != NULL)
		sb_stemmer_delete(st->en);
	free(st->slot);
	memset(st, 0, sizeof(*st));
}

static uint32_t hash32(const char *p, size_t n, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

/* The cache slot for a word, or NULL when the word skips the cache. */
static struct search__slot *slot_for(struct search__stem *st, const char *w,
                                     size_t n, enum search__script sc,
                                     uint32_t *hash)
{
	if (st->slot == NULL || n > SLOT_BYTES)
		return NULL;
	*hash = hash32(w, n, (uint32_t)sc);
	return &st->slot[*hash & st->mask];
}

static int snowball(struct search__stem *st, const char *w, size_t n,
                    enum search__script sc, char *out)
{
	struct sb_stemmer *sb = sc == SEARCH__CYRILLIC ? st->ru : st->en;
	const sb_symbol *s;
	int len;

	s = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)n);
	if (s == NULL)
		return -1;
	len = sb_stemmer_length(sb);
	if (len <= 0 || len > SEARCH__TOKEN_MAX) {
		memcpy(out, w, n);
		return (int)n;
	}
	memcpy(out, s, (size_t)len);
	return len;
}

int search__stem(struct search__stem *st, const struct search__part *p,
                 char *out)
{
	enum search__script sc = search__script(p);
	struct search__slot *sl;
	uint32_t hash = 0;
	int len;

	if ((sc != SEARCH__LATIN && sc != SEARCH__CYRILLIC) || p->digit ||
	    p->cut) {
		memcpy(out, p->fold, p->n);
		return (int)p->n;
	}
	sl = slot_for(st, p->fold, p->n, sc, &hash);
	if (sl != NULL && sl->wn == p->n && sl->hash == hash &&
	    memcmp(sl->w, p->fold, p->n) == 0) {
		memcpy(out, sl->s, sl->sn);
		return sl->sn;
	}
	len = snowball(st, p->fold, p->n, sc, out);
	if (sl != NULL && len > 0 && len <= SLOT_BYTES) {
		sl->hash = hash;
		sl->wn = (unsigned char)p->n;
		sl->sn = (unsigned char)len;
		memcpy(sl->w, p->fold, p->n);
		memcpy(sl->s, out, (size_t)len);
	}
	return len;
}
