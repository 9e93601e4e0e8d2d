/*
 * search/suggest.c: "did you mean" from the index's own vocabulary (an
 * fts5vocab table of type row: term, doc, cnt). The vocabulary holds stems,
 * and a misspelt word often keeps an ending the stemmer would have cut
 * ("presidnet" is its own stem, while "president" is "presid"), so a term
 * is a candidate when it is close to the word's stem or to a beginning of
 * the word. The few best candidates are turned back into words as written,
 * read from the first documents holding them, and the word closest to what
 * was typed wins.
 */
#include "search_int.h"

#include <sqlite3.h>
#include <string.h>

#define WORD_CPS  64     /* longer words get no suggestion */
#define MIN_CPS   3      /* nor shorter ones */
#define SCAN_ROWS 400000 /* vocabulary rows read for one word */
#define CANDS     8      /* terms turned back into words */

struct cand {
	char term[SEARCH__TOKEN_MAX];
	size_t n, score;
	sqlite3_int64 doc;
};

/* What was typed, and the best terms so far. */
struct want {
	uint32_t stem[WORD_CPS], word[WORD_CPS];
	size_t n_stem, n_word, k; /* k: the distance allowed */
	struct cand c[CANDS];
	size_t n_c;
	size_t budget; /* rows left to read */
};

static bool valid_name(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_') ||
		    i >= 64)
			return false;
	return true;
}

static enum pr_err sql_fail(sqlite3 *db, struct pr_error *e, const char *what)
{
	int rc = sqlite3_errcode(db);

	return pr_fail(e,
	               rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? PR_BUSY
	               : rc == SQLITE_NOMEM                     ? PR_NOMEM
	                                                        : PR_INTERNAL,
	               "search: %s: %s", what, sqlite3_errmsg(db));
}

/* Code points of p[0..n) into out; SIZE_MAX when more than max. */
static size_t decode_all(const char *p, size_t n, uint32_t *out, size_t max)
{
	size_t i = 0, k = 0, len;

	while (i < n) {
		if (k == max)
			return SIZE_MAX;
		len = utf8_decode(p + i, n - i, &out[k]);
		if (len == 0)
			return SIZE_MAX;
		i += len;
		k++;
	}
	return k;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Damerau-Levenshtein distance (optimal string alignment) of a and b, or
 * k + 1 as soon as it must exceed k. */
static size_t distance(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                       size_t k)
{
	size_t rows[3][WORD_CPS + 1], *p2 = rows[0], *p1 = rows[1],
	                              *cur = rows[2];
	size_t i, j, lo, *t;

	if (n > m + k || m > n + k)
		return k + 1;
	for (j = 0; j <= m; j++)
		p1[j] = j;
	for (i = 1; i <= n; i++) {
		cur[0] = lo = i;
		for (j = 1; j <= m; j++) {
			cur[j] = min3(p1[j] + 1, cur[j - 1] + 1,
			              p1[j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && p2[j - 2] + 1 < cur[j])
				cur[j] = p2[j - 2] + 1;
			if (cur[j] < lo)
				lo = cur[j];
		}
		if (lo > k)
			return k + 1;
		t = p2, p2 = p1, p1 = cur, cur = t;
	}
	return p1[m];
}

/* The distance of a term to the typed stem; when the stemmer left the
 * typed word whole, also one more than its distance to a beginning of the
 * word of about the term's length. */
static size_t score(const struct want *w, const uint32_t *t, size_t n)
{
	size_t d = distance(w->stem, w->n_stem, t, n, w->k), j, d2;

	if (w->n_stem != w->n_word || n + 3 < w->n_word || n > w->n_word)
		return d;
	for (j = n > w->k ? n - w->k : 1; j <= n + w->k && j <= w->n_word; j++)
		if ((d2 = distance(t, n, w->word, j, w->k) + 1) < d)
			d = d2;
	return d;
}

/* Whether candidate a ranks before b: lower score, more documents,
 * shorter, then by bytes. */
static bool before(const struct cand *a, const struct cand *b)
{
	if (a->score != b->score)
		return a->score < b->score;
	if (a->doc != b->doc)
		return a->doc > b->doc;
	if (a->n != b->n)
		return a->n < b->n;
	return memcmp(a->term, b->term, a->n) < 0;
}

static void consider(struct want *w, const char *term, size_t n,
                     sqlite3_int64 doc)
{
	uint32_t cps[WORD_CPS];
	struct cand c;
	size_t cn, i;

	if (n == 0 || term[0] == '~' || n >= SEARCH__TOKEN_MAX ||
	    (cn = decode_all(term, n, cps, WORD_CPS)) == SIZE_MAX ||
	    (c.score = score(w, cps, cn)) > w->k)
		return;
	memcpy(c.term, term, n);
	c.n = n;
	c.doc = doc;
	for (i = w->n_c; i > 0 && before(&c, &w->c[i - 1]); i--)
		if (i < CANDS)
			w->c[i] = w->c[i - 1];
	if (i < CANDS)
		w->c[i] = c;
	if (w->n_c < CANDS)
		w->n_c++;
}

/* Looks at the terms that start with code point first. */
static enum pr_err scan(sqlite3 *db, const char *vocab, uint32_t first,
                        struct want *w, struct pr_error *e)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(
	    "SELECT term, doc FROM \"%w\" WHERE term >= ?1 AND term <= ?2",
	    vocab);
	struct buf lo;
	enum pr_err rc = PR_OK;
	int step = SQLITE_DONE;

	buf_init(&lo, 16);
	utf8_encode(&lo, first);
	if (sql == NULL ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = sql_fail(db, e, "vocabulary");
		goto out;
	}
	sqlite3_bind_text(st, 1, lo.p, (int)lo.n, SQLITE_TRANSIENT);
	buf_add(&lo, "\xf4\x8f\xbf\xbf", 4);
	sqlite3_bind_text(st, 2, lo.p, (int)lo.n, SQLITE_TRANSIENT);
	while (w->budget > 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		w->budget--;
		consider(w, (const char *)sqlite3_column_text(st, 0),
		         (size_t)sqlite3_column_bytes(st, 0),
		         sqlite3_column_int64(st, 1));
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sql_fail(db, e, "vocabulary");
out:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	buf_free(&lo);
	return rc;
}

/* Whether tok is a term of the vocabulary. */
static enum pr_err known(sqlite3 *db, const char *vocab, const char *tok,
                         size_t n, bool *yes, struct pr_error *e)
{
	sqlite3_stmt *st = NULL;
	char *sql =
	    sqlite3_mprintf("SELECT doc FROM \"%w\" WHERE term = ?1", vocab);
	enum pr_err rc = PR_OK;
	int step;

	if (sql == NULL ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = sql_fail(db, e, "vocabulary");
		goto out;
	}
	sqlite3_bind_text(st, 1, tok, (int)n, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sql_fail(db, e, "vocabulary");
	*yes = *yes || (step == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0);
out:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return rc;
}

/* The form of a candidate closest to what was typed. */
struct form {
	const struct want *w;
	size_t dist;
	struct str best;
};

static void find_forms(struct search__stem *st, const char *text, size_t n,
                       const struct cand *c, struct arena *ar, struct form *f)
{
	char tok[SEARCH__TOKEN_MAX];
	uint32_t cps[WORD_CPS];
	struct search__word w;
	struct search__part *p;
	size_t pos = 0, i, cn, d;
	int len;

	while (search__next_word(text, n, &pos, &w)) {
		for (i = 0; i < w.n; i++) {
			p = &w.part[i];
			/* a stem starts with its word's first letter */
			if (p->n < c->n || p->fold[0] != c->term[0])
				continue;
			len = search__stem(st, p, tok);
			if (len != (int)c->n ||
			    memcmp(tok, c->term, c->n) != 0 ||
			    (cn = decode_all(p->fold, p->n, cps, WORD_CPS)) ==
			        SIZE_MAX)
				continue;
			d = distance(f->w->word, f->w->n_word, cps, cn,
			             WORD_CPS);
			if (d >= f->dist)
				continue;
			f->best = arena_str(ar, (struct str){p->fold, p->n});
			f->dist = f->best.p ? d : f->dist;
		}
	}
}

/* The words of the first documents holding the term c (a prefix query
 * finds the term itself, whatever the query-side stemmer would make of
 * it), into f. */
static enum pr_err forms(sqlite3 *db, const char *fts, struct search__stem *st,
                         const struct cand *c, struct arena *ar, struct form *f,
                         struct pr_error *e)
{
	sqlite3_stmt *s = NULL;
	char *sql, *q;
	enum pr_err rc = PR_OK;
	int i;

	sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE \"%w\" MATCH ?1 "
	                      "LIMIT 5",
	                      fts, fts);
	q = sqlite3_mprintf("\"%.*s\"*", (int)c->n, c->term);
	if (sql == NULL || q == NULL ||
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = sql_fail(db, e, "suggestion");
		goto out;
	}
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		for (i = 0; i < sqlite3_column_count(s); i++)
			if (sqlite3_column_type(s, i) == SQLITE_TEXT)
				find_forms(
				    st, (const char *)sqlite3_column_text(s, i),
				    (size_t)sqlite3_column_bytes(s, i), c, ar,
				    f);
out:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	sqlite3_free(q);
	return rc;
}

/* Of the candidates, the one whose word as written is closest to what
 * was typed; the first candidate's term when no document shows one. */
static enum pr_err choose(sqlite3 *db, const char *fts, struct search__stem *st,
                          const struct want *w, struct arena *ar,
                          struct str *out, struct pr_error *e)
{
	struct form f = {w, SIZE_MAX, STR_NULL}, best = f;
	enum pr_err rc = PR_OK;
	size_t i;

	for (i = 0; fts != NULL && i < w->n_c && rc == PR_OK; i++) {
		f.dist = SIZE_MAX;
		f.best = STR_NULL;
		rc = forms(db, fts, st, &w->c[i], ar, &f, e);
		if (f.best.p != NULL && f.dist < best.dist)
			best = f;
	}
	if (rc != PR_OK)
		return rc;
	*out = best.best.p != NULL
	           ? best.best
	           : arena_str(ar, (struct str){w->c[0].term, w->c[0].n});
	return out->p ? PR_OK : pr_fail(e, PR_NOMEM, "search: out of memory");
}

/* The stem and key of a single plain word, as a query sees it. */
struct word_forms {
	struct search__part part;
	char stem[SEARCH__TOKEN_MAX], key[SEARCH__TOKEN_MAX];
	size_t n_stem, n_key;
};

static bool word_forms(struct search__stem *st, struct str word,
                       struct word_forms *f)
{
	struct search__word w;
	size_t pos = 0;
	int len;

	if (!search__next_word(word.p, word.n, &pos, &w) || w.n != 1 ||
	    search__next_word(word.p, word.n, &pos, &w))
		return false;
	f->part = w.part[0];
	if (f->part.digit || search__fold_len(&f->part) < MIN_CPS ||
	    (len = search__stem(st, &f->part, f->stem)) <= 0)
		return false;
	f->n_stem = (size_t)len;
	f->n_key = search__name_key(&f->part, false, f->key);
	return true;
}

static enum pr_err suggest(sqlite3 *db, const char *vocab, const char *fts,
                           struct search__stem *st, struct arena *ar,
                           struct str word, struct str *out, struct pr_error *e)
{
	struct word_forms f;
	struct want *w = NULL;
	bool yes = false;
	enum pr_err rc;

	if (!word_forms(st, word, &f))
		return pr_fail(e, PR_NOTFOUND, "search: no suggestion");
	if ((w = arena_zalloc(ar, sizeof(*w))) == NULL)
		return pr_fail(e, PR_NOMEM, "search: out of memory");
	w->n_stem = decode_all(f.stem, f.n_stem, w->stem, WORD_CPS);
	w->n_word = decode_all(f.part.fold, f.part.n, w->word, WORD_CPS);
	if (w->n_stem == SIZE_MAX || w->n_word == SIZE_MAX)
		return pr_fail(e, PR_NOTFOUND, "search: no suggestion");
	w->k = w->n_word <= 4 ? 1 : 2;
	w->budget = SCAN_ROWS;
	if ((rc = known(db, vocab, f.stem, f.n_stem, &yes, e)) != PR_OK ||
	    (f.n_key &&
	     (rc = known(db, vocab, f.key, f.n_key, &yes, e)) != PR_OK))
		return rc;
	if (yes)
		return pr_fail(e, PR_NOTFOUND, "search: the word is known");
	if ((rc = scan(db, vocab, w->stem[0], w, e)) != PR_OK ||
	    (w->n_stem > 1 && w->stem[1] != w->stem[0] &&
	     (rc = scan(db, vocab, w->stem[1], w, e)) != PR_OK))
		return rc;
	if (w->n_c == 0)
		return pr_fail(e, PR_NOTFOUND, "search: no suggestion");
	return choose(db, fts, st, w, ar, out, e);
}

enum pr_err search_suggest(struct sqlite3 *db, const char *vocab,
                           const char *fts, struct arena *ar, struct str word,
                           struct str *out, struct pr_error *e)
{
	struct search__stem st;
	enum pr_err rc;

	*out = STR_NULL;
	if (!valid_name(vocab) || (fts != NULL && !valid_name(fts)))
		return pr_fail(e, PR_INVALID, "search: bad table name");
	if (search__stem_init(&st, 256) != PR_OK)
		return pr_fail(e, PR_NOMEM, "search: out of memory");
	rc = suggest(db, vocab, fts, &st, ar, word, out, e);
	search__stem_free(&st);
	return rc;
}

enum pr_err search_suggest_query(struct sqlite3 *db, const char *vocab,
                                 const char *fts, struct arena *ar,
                                 struct str q, const struct search_query *pq,
                                 struct str *out, struct pr_error *e)
{
	const struct search_term *t;
	struct pr_error inner;
	struct str s;
	struct buf b;
	size_t i, prev = 0, replaced = 0;
	enum pr_err rc = PR_OK;

	*out = STR_NULL;
	buf_init(&b, q.n + SEARCH_MAX_TERMS * SEARCH__TOKEN_MAX);
	for (i = 0; i < pq->n_terms && rc == PR_OK; i++) {
		t = &pq->terms[i];
		if (t->excluded || t->phrase || t->prefix || t->at < prev ||
		    t->at + t->len > q.n)
			continue;
		pr_error_clear(&inner);
		rc = search_suggest(db, vocab, fts, ar, t->text, &s, &inner);
		if (rc == PR_NOTFOUND) {
			rc = PR_OK;
			continue;
		}
		if (rc != PR_OK)
			break;
		buf_add(&b, q.p + prev, t->at - prev);
		buf_addstr(&b, s);
		prev = t->at + t->len;
		replaced++;
	}
	if (rc != PR_OK) {
		pr_fail(e, rc, "%s", inner.msg);
		goto out;
	}
	buf_add(&b, q.p + prev, q.n - prev);
	if (replaced == 0) {
		rc = pr_fail(e, PR_NOTFOUND, "search: no suggestion");
		goto out;
	}
	*out = arena_str(ar, buf_str(&b));
	if (b.err != PR_OK || out->p == NULL)
		rc = pr_fail(e, PR_NOMEM, "search: out of memory");
out:
	buf_free(&b);
	return rc;
}
