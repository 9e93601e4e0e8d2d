/*
 * search/query.c: from what a person types to a safe FTS5 MATCH
 * expression. The query is cut into terms (words, "phrases") and operators
 * (a leading '-', a trailing '*', OR / ИЛИ, NOT, AND) by our own rules;
 * FTS5 then sees only what we write: each term as an FTS5 string (in
 * double quotes, any quote inside doubled), with OR, NOT, parentheses and
 * '*' placed by us. So no typed character is ever read as FTS5 syntax, and
 * terms that hold no word at all are dropped before FTS5 sees them (FTS5
 * matches nothing for an empty phrase, so "a !!!" would find nothing).
 *
 * Grouping: OR binds tighter than the implicit AND, as in web search
 * engines: `a OR b c` is (a OR b) AND c. Exclusions apply to the whole
 * query: (positive part) NOT x NOT y. AND is always written out: FTS5
 * reads juxtaposition as AND only between phrases, not after a group. A
 * hyphenated word also matches its joined form: Nur-Sultan -> ("Nur-Sultan" OR
 * "NurSultan").
 */
#include "search_int.h"

#include <string.h>

#define MATCH_MAX 65536 /* bytes of a MATCH expression; 32 terms fit */

enum lex_kind { LX_TERM, LX_OR, LX_NOT, LX_AND };

struct lexeme {
	enum lex_kind kind;
	struct str text; /* the term without its operators */
	size_t at;       /* offset of text in the query */
	bool phrase, prefix, minus;
};

struct parse {
	struct arena *ar;
	struct search_query *out;
	size_t cap;
	bool pending_or, pending_not;
	int groups;
};

static bool is_space(uint32_t cp)
{
	if (cp <= 0x20 || cp == 0x7f || cp == 0x85 || cp == 0xa0)
		return true;
	if (cp < 0x80)
		return strchr("(),;!?[]{}<>|", (int)cp) != NULL;
	return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 ||
	       cp == 0xfeff;
}

static bool is_open_quote(uint32_t cp)
{
	return cp == '"' || cp == 0xab || cp == 0x201c || cp == 0x201d ||
	       cp == 0x201e;
}

static bool is_close_quote(uint32_t cp)
{
	return cp == '"' || cp == 0xbb || cp == 0x201c || cp == 0x201d;
}

/* The code point at q[i] (the query is valid UTF-8) and its length. */
static size_t cp_at(struct str q, size_t i, uint32_t *cp)
{
	size_t len;

	if (i >= q.n)
		return 0;
	len = utf8_decode(q.p + i, q.n - i, cp);
	return len ? len : 1;
}

static bool sep_at(struct str q, size_t i)
{
	uint32_t cp;

	return cp_at(q, i, &cp) == 0 || is_space(cp) || is_open_quote(cp);
}

/* A phrase from the opening quote at *i to its closing quote (or to the
 * end of the query when it has none). */
static void lex_phrase(struct str q, size_t *i, struct lexeme *lx)
{
	size_t j, len;
	uint32_t cp;

	*i += cp_at(q, *i, &cp);
	lx->phrase = true;
	lx->at = *i;
	for (j = *i; (len = cp_at(q, j, &cp)) != 0; j += len)
		if (is_close_quote(cp))
			break;
	lx->text = (struct str){q.p + *i, j - *i};
	*i = j + len;
	if (*i < q.n && q.p[*i] == '*') {
		lx->prefix = true;
		(*i)++;
	}
}

static void lex_word(struct str q, size_t *i, struct lexeme *lx)
{
	size_t j = *i, len;
	uint32_t cp;

	while ((len = cp_at(q, j, &cp)) != 0 && !is_space(cp) &&
	       !is_open_quote(cp))
		j += len;
	lx->at = *i;
	lx->text = (struct str){q.p + *i, j - *i};
	*i = j;
	while (lx->text.n > 0 && lx->text.p[lx->text.n - 1] == '*') {
		lx->text.n--;
		lx->prefix = true;
	}
	if (lx->minus || lx->prefix)
		return;
	if (str_eq_c(lx->text, "OR") || str_eq_c(lx->text, "ИЛИ"))
		lx->kind = LX_OR;
	else if (str_eq_c(lx->text, "NOT"))
		lx->kind = LX_NOT;
	else if (str_eq_c(lx->text, "AND"))
		lx->kind = LX_AND;
}

/* The next term or operator at or after *i; false at the end. */
static bool next_lexeme(struct str q, size_t *i, struct lexeme *lx)
{
	uint32_t cp;
	size_t len;

	while ((len = cp_at(q, *i, &cp)) != 0 && is_space(cp))
		*i += len;
	if (len == 0)
		return false;
	memset(lx, 0, sizeof(*lx));
	if (cp == '+' || (cp == '-' && !sep_at(q, *i + 1))) {
		lx->minus = cp == '-';
		(*i)++;
		cp_at(q, *i, &cp);
	}
	if (*i < q.n && is_open_quote(cp))
		lex_phrase(q, i, lx);
	else
		lex_word(q, i, lx);
	return true;
}

/* What the tokenizer will see in a term: its number of words, the first
 * word (for the joined form) and the letters of its last part. */
struct scan {
	size_t words, last_len;
	struct search__word first;
};

static void scan_term(struct str text, struct scan *sc)
{
	struct search__word w;
	size_t pos = 0;

	sc->words = 0;
	sc->last_len = 0;
	while (search__next_word(text.p, text.n, &pos, &w)) {
		if (sc->words++ == 0)
			sc->first = w;
		sc->last_len = search__fold_len(&w.part[w.n - 1]);
	}
}

static enum pr_err add_term(struct parse *ps, const struct lexeme *lx,
                            struct str text)
{
	struct search_query *out = ps->out;
	struct search_term *t = &out->terms[out->n_terms];
	bool excluded = lx->minus || ps->pending_not;
	struct scan sc;

	scan_term(text, &sc);
	ps->pending_not = false;
	if (sc.words == 0)
		return PR_OK;
	if (out->n_terms == ps->cap) {
		out->truncated = true;
		return PR_TOOBIG;
	}
	memset(t, 0, sizeof(*t));
	t->text.p = arena_strndup(ps->ar, text.p, text.n);
	if (t->text.p == NULL)
		return PR_NOMEM;
	t->text.n = text.n;
	t->at = lx->at;
	t->len = lx->text.n;
	t->phrase = lx->phrase;
	t->prefix = lx->prefix && sc.last_len >= SEARCH_MIN_PREFIX;
	t->excluded = excluded;
	if (!excluded && ps->pending_or && out->n_terms > 0 &&
	    !out->terms[out->n_terms - 1].excluded)
		t->group = out->terms[out->n_terms - 1].group;
	else
		t->group = ps->groups++;
	ps->pending_or = false;
	out->n_terms++;
	return PR_OK;
}

static enum pr_err take(struct parse *ps, const struct lexeme *lx)
{
	struct search_query *out = ps->out;
	struct str text = lx->text;

	switch (lx->kind) {
	case LX_OR:
		ps->pending_or =
		    out->n_terms > 0 && !out->terms[out->n_terms - 1].excluded;
		return PR_OK;
	case LX_NOT: ps->pending_not = true; return PR_OK;
	case LX_AND: return PR_OK;
	case LX_TERM: break;
	}
	if (text.n > SEARCH_MAX_TERM_BYTES) {
		text = utf8_prefix(text, SEARCH_MAX_TERM_BYTES);
		out->truncated = true;
	}
	return add_term(ps, lx, text);
}

/* An FTS5 string: the text in double quotes, quotes inside doubled. */
static void put_string(struct buf *b, const char *p, size_t n)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, p[i]);
	}
	buf_addc(b, '"');
}

/* The joined form of a hyphenated word: its parts as typed, run together. */
static void put_joined(struct buf *b, struct str text,
                       const struct search__word *w)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < w->n; i++)
		buf_add(b, text.p + w->part[i].start,
		        w->part[i].end - w->part[i].start);
	buf_addc(b, '"');
}

static void put_term(struct buf *b, const struct search_term *t)
{
	struct scan sc;
	bool alt = false;

	if (!t->phrase && !t->prefix) {
		scan_term(t->text, &sc);
		alt = sc.words == 1 && sc.first.n > 1;
	}
	if (alt)
		buf_addc(b, '(');
	put_string(b, t->text.p, t->text.n);
	if (t->prefix)
		buf_addc(b, '*');
	if (alt) {
		buf_adds(b, " OR ");
		put_joined(b, t->text, &sc.first);
		buf_addc(b, ')');
	}
}

/* The positive terms, OR groups in parentheses; returns how many groups. */
static int put_positive(struct buf *b, const struct search_query *q)
{
	const struct search_term *t, *next;
	size_t i, j;
	int groups = 0, last = -1;
	bool open = false;

	for (i = 0; i < q->n_terms; i = j) {
		t = &q->terms[i];
		for (j = i + 1; j < q->n_terms && q->terms[j].excluded; j++)
			;
		if (t->excluded)
			continue;
		next = j < q->n_terms ? &q->terms[j] : NULL;
		if (t->group != last) {
			if (groups++ > 0)
				buf_adds(b, " AND ");
			open = next != NULL && next->group == t->group;
			if (open)
				buf_addc(b, '(');
		} else {
			buf_adds(b, " OR ");
		}
		put_term(b, t);
		if (open && (next == NULL || next->group != t->group)) {
			buf_addc(b, ')');
			open = false;
		}
		last = t->group;
	}
	return groups;
}

static void build_match(struct buf *b, const struct search_query *q)
{
	struct buf pos;
	size_t i;
	int groups;

	buf_init(&pos, MATCH_MAX);
	groups = put_positive(&pos, q);
	if (groups == 0)
		goto out;
	for (i = 0; i < q->n_terms && !q->terms[i].excluded; i++)
		;
	if (i < q->n_terms && groups > 1) {
		buf_addc(b, '(');
		buf_addstr(b, buf_str(&pos));
		buf_addc(b, ')');
	} else {
		buf_addstr(b, buf_str(&pos));
	}
	for (i = 0; i < q->n_terms; i++) {
		if (!q->terms[i].excluded)
			continue;
		buf_adds(b, " NOT ");
		put_term(b, &q->terms[i]);
	}
out:
	if (pos.err != PR_OK && b->err == PR_OK)
		b->err = pos.err;
	buf_free(&pos);
}

static enum pr_err lex_all(struct parse *ps, struct str q)
{
	struct lexeme lx;
	size_t i = 0;
	enum pr_err rc = PR_OK;

	while (rc == PR_OK && next_lexeme(q, &i, &lx))
		rc = take(ps, &lx);
	return rc == PR_TOOBIG ? PR_OK : rc;
}

enum pr_err search_parse(struct arena *ar, struct str q,
                         struct search_query *out, struct pr_error *e)
{
	struct parse ps = {ar, out, SEARCH_MAX_TERMS, false, false, 0};
	struct buf m;
	size_t bad = 0;
	enum pr_err rc;

	memset(out, 0, sizeof(*out));
	out->match = "";
	buf_init(&m, MATCH_MAX);
	if (q.n > 0 && !utf8_valid(q.p, q.n, &bad)) {
		rc = pr_fail(e, PR_INVALID, "query: invalid UTF-8 at byte %zu",
		             bad);
		goto out;
	}
	out->terms = arena_alloc(ar, SEARCH_MAX_TERMS * sizeof(*out->terms));
	if (out->terms == NULL) {
		rc = pr_fail(e, PR_NOMEM, "query: out of memory");
		goto out;
	}
	if ((rc = lex_all(&ps, q)) != PR_OK) {
		pr_fail(e, rc, "query: out of memory");
		goto out;
	}
	build_match(&m, out);
	if (m.err != PR_OK ||
	    (out->match = arena_strdup(ar, buf_cstr(&m))) == NULL) {
		rc = pr_fail(e, PR_NOMEM, "query: out of memory");
		goto out;
	}
	out->empty = out->match[0] == '\0';
out:
	if (rc != PR_OK) {
		memset(out, 0, sizeof(*out));
		out->match = "";
		out->empty = true;
	}
	buf_free(&m);
	return rc;
}

/* Appends to out the phrases put_term writes for term ti; false when out
 * of memory. */
static bool term_phrases(struct arena *ar, const struct search_query *q,
                         size_t ti, struct search_phrase *out, size_t *n)
{
	const struct search_term *t = &q->terms[ti];
	struct scan sc;
	struct buf b;
	bool alt = false, ok;

	if (!t->phrase && !t->prefix) {
		scan_term(t->text, &sc);
		alt = sc.words == 1 && sc.first.n > 1;
	}
	buf_init(&b, MATCH_MAX);
	put_string(&b, t->text.p, t->text.n);
	if (t->prefix)
		buf_addc(&b, '*');
	out[*n] = (struct search_phrase){arena_strdup(ar, buf_cstr(&b)), ti,
	                                 t->excluded};
	ok = b.err == PR_OK && out[(*n)++].match != NULL;
	if (ok && alt) {
		buf_reset(&b);
		put_joined(&b, t->text, &sc.first);
		out[*n] = (struct search_phrase){arena_strdup(ar, buf_cstr(&b)),
		                                 ti, t->excluded};
		ok = b.err == PR_OK && out[(*n)++].match != NULL;
	}
	buf_free(&b);
	return ok;
}

enum pr_err search_phrases(struct arena *ar, const struct search_query *q,
                           struct search_phrase **out, size_t *n,
                           struct pr_error *e)
{
	size_t i, pass;
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (q->empty || q->n_terms == 0)
		return PR_OK;
	*out = arena_alloc(ar, 2 * q->n_terms * sizeof(**out));
	if (*out == NULL)
		return pr_fail(e, PR_NOMEM, "query: out of memory");
	/* put_positive writes the terms kept in order, build_match the
	 * exclusions after them. */
	for (pass = 0; pass < 2 && ok; pass++)
		for (i = 0; i < q->n_terms && ok; i++)
			if (q->terms[i].excluded == (pass == 1))
				ok = term_phrases(ar, q, i, *out, n);
	if (!ok) {
		*n = 0;
		return pr_fail(e, PR_NOMEM, "query: out of memory");
	}
	return PR_OK;
}
