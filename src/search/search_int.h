/*
 * search/search_int.h: helpers shared by the files of src/search and by
 * nothing else: words and their folded forms, stems and name keys, and the
 * tokens the index holds for a word.
 */
#ifndef PR_SEARCH_INT_H
#define PR_SEARCH_INT_H

#include "search.h"

/* search/word.c */

#define SEARCH__TOKEN_MAX 128 /* bytes of a folded word, a stem or a key */
#define SEARCH__PARTS_MAX 8   /* hyphenated parts of one word */

/*
 * One run of letters and digits (a part of a hyphenated word): its span in
 * the text and its folded form (NFKC, case folded, marks removed, ё -> е,
 * й kept), with counts of the folded code points by script.
 */
struct search__part {
	size_t start, end; /* bytes of the text */
	size_t n;          /* bytes of fold */
	uint32_t lat, cyr, digit, other;
	bool cap; /* the first letter was upper case */
	bool cut; /* fold was cut at SEARCH__TOKEN_MAX */
	char fold[SEARCH__TOKEN_MAX];
};

/* A word: one part, or parts joined by hyphens ("Нур-Султан"). */
struct search__word {
	size_t start, end;
	size_t n;
	struct search__part part[SEARCH__PARTS_MAX];
};

enum search__script {
	SEARCH__LATIN,
	SEARCH__CYRILLIC,
	SEARCH__OTHER, /* numbers, mixed words, other scripts */
};

/*
 * Finds the next word of text[0..n) at or after *pos and moves *pos past
 * it; false when there is none. Bytes that are not UTF-8 separate words.
 */
bool search__next_word(const char *text, size_t n, size_t *pos,
                       struct search__word *w);

/* The script that decides a part's stemmer and name key. */
enum search__script search__script(const struct search__part *p);

/* Number of code points of the folded form. */
size_t search__fold_len(const struct search__part *p);

/* The parts of w joined into one (for "нурсултан"), in *out. */
void search__join(const struct search__word *w, struct search__part *out);

/* search/name.c */

/*
 * Writes the name key of a folded part ("~" and its Latin skeleton) into
 * out (SEARCH__TOKEN_MAX bytes) and returns its length; 0 when the part has
 * none (numbers, other scripts). With prefix, the case ending is left on,
 * since a prefix is not a whole word.
 */
size_t search__name_key(const struct search__part *p, bool prefix, char *out);

/* search/stem.c */

/* Stemmers for Russian and English with a cache of recent words; one
 * thread at a time. */
struct search__stem {
	struct sb_stemmer *ru, *en;
	struct search__slot *slot;
	size_t mask;
};

/* slots: a power of two, or 0 for no cache. PR_NOMEM on failure. */
enum pr_err search__stem_init(struct search__stem *st, size_t slots);
void search__stem_free(struct search__stem *st);

/* Writes the stem of a part into out (SEARCH__TOKEN_MAX bytes) and
 * returns its length, or -1 when out of memory. */
int search__stem(struct search__stem *st, const struct search__part *p,
                 char *out);

/* search/tokens.c */

enum search__mode {
	SEARCH__DOC,    /* a document: stems, name keys of capitalised words,
	                   joined forms of hyphenated words */
	SEARCH__QUERY,  /* a query: stems and name keys of every word */
	SEARCH__PREFIX, /* a query ending in '*': folded forms too, and keys
	                   without case endings */
};

#define SEARCH__NOMEM  7  /* SQLITE_NOMEM, without sqlite3.h */
#define SEARCH__JOINED -1 /* the part number of a joined form */

/*
 * Receives the tokens of a word: colocated when at the previous token's
 * position, the span of the text it stands for, and the number of its
 * part (SEARCH__JOINED for the joined form). A non-zero return stops the
 * word and is passed on.
 */
typedef int (*search__emit_fn)(void *ctx, bool colocated, const char *tok,
                               size_t n, size_t start, size_t end, int part);

/* Emits the tokens of w for mode; returns 0, the emitter's non-zero
 * return, or SEARCH__NOMEM. */
int search__tokens(struct search__stem *st, enum search__mode mode,
                   const struct search__word *w, search__emit_fn emit,
                   void *ctx);

/* search/pretok.c */

/* When the set in use on this thread holds text, replays its tokens to
 * emit (rc gets what emit returned) and returns true. */
bool search__pretok_replay(const char *text, size_t n, search__emit_fn emit,
                           void *ctx, int *rc);

/* search/rank.c */

/* Registers pressroom_tf() through fts5 (an fts5_api *). */
enum pr_err search__rank_register(struct sqlite3 *db, void *fts5,
                                  struct pr_error *e);

/* search/snippet.c */

/* Appends text[0..n) HTML-escaped; invalid UTF-8 becomes U+FFFD. With
 * squeeze, runs of white space and control characters become one space. */
void search__escape(struct buf *out, const char *text, size_t n, bool squeeze);

#endif
