/*
 * search/snippet.c: highlighting and snippets. The query's terms are
 * turned into the tokens a query gives (stems and name keys, folded
 * prefixes); a word of the text is marked when one of the tokens it gives
 * as a document equals one of those, or starts with a prefix. So what is
 * marked is what the index matched, forms of the same stem and names in
 * the other alphabet included. Output is HTML, escaped here: search does
 * not depend on render.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define HL_TOKENS  512 /* query tokens kept; more are not highlighted */
#define HL_FIRST   64  /* first letters of query tokens kept for the filter */
#define WINDOW     30  /* words of a snippet by default */
#define WINDOW_MAX 256

_Static_assert(SEARCH_MAX_TERMS <= 64, "term masks are 64 bits");

struct hl_tok {
	unsigned char n;
	unsigned char term; /* index among the query's terms */
	bool prefix;
	char s[SEARCH__TOKEN_MAX];
};

/*
 * A stem starts with the first letter of its word (Snowball changes
 * endings only, and the folded form is what is stemmed), so a word that
 * is not capitalised (no name key) and whose parts start with none of the
 * first letters of the query's stems cannot match: it is not stemmed at
 * all, which is most of the words of a text.
 */
struct search_hl {
	struct search__stem st;
	struct hl_tok *tok;
	size_t n_tok;
	size_t n_terms;           /* terms that are highlighted */
	uint32_t first[HL_FIRST]; /* first code points of tokens but keys */
	size_t n_first;
	bool no_filter; /* more first letters than HL_FIRST */
};

/* --- escaping ------------------------------------------------------------ */

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	}
	return NULL;
}

static bool is_blank(uint32_t cp)
{
	return cp <= 0x20 || cp == 0x7f || cp == 0x85 || cp == 0xa0 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x3000;
}

/* Bytes copied as they are: printable ASCII but the five above, and the
 * space unless spaces are squeezed. */
static bool plain(unsigned char c, bool squeeze)
{
	if (c == ' ')
		return !squeeze;
	return c > 0x20 && c < 0x7f && entity(c) == NULL;
}

/* Appends one code point that is not plain; drops control characters. */
static void put_special(struct buf *out, const char *p, size_t len, uint32_t cp)
{
	if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
		return;
	if (len == 0)
		buf_adds(out, "\xef\xbf\xbd");
	else if (cp < 0x80 && entity((unsigned char)cp) != NULL)
		buf_adds(out, entity((unsigned char)cp));
	else
		buf_add(out, p, len);
}

void search__escape(struct buf *out, const char *text, size_t n, bool squeeze)
{
	size_t i = 0, j, len = 0;
	bool space = false;
	uint32_t cp = 0;

	while (i < n) {
		for (j = i; j < n && plain((unsigned char)text[j], squeeze);
		     j++)
			;
		if (j == i) {
			len = utf8_decode(text + i, n - i, &cp);
			if (len == 0)
				cp = 0xfffd;
			if (squeeze && is_blank(cp)) {
				space = true;
				i += len ? len : 1;
				continue;
			}
		}
		if (space)
			buf_addc(out, ' ');
		space = false;
		if (j > i) {
			buf_add(out, text + i, j - i);
			i = j;
			continue;
		}
		put_special(out, text + i, len, cp);
		i += len ? len : 1;
	}
	if (space)
		buf_addc(out, ' ');
}

/* --- query tokens -------------------------------------------------------- */

struct collect {
	struct search_hl *h;
	unsigned char term;
	bool prefix;
};

/* Notes the first code point of a token that is not a name key. */
static void note_first(struct search_hl *h, const char *tok, size_t n)
{
	uint32_t cp;
	size_t i;

	if (n == 0 || tok[0] == '~')
		return;
	if (utf8_decode(tok, n, &cp) == 0) {
		h->no_filter = true;
		return;
	}
	for (i = 0; i < h->n_first; i++)
		if (h->first[i] == cp)
			return;
	if (h->n_first == HL_FIRST)
		h->no_filter = true;
	else
		h->first[h->n_first++] = cp;
}

static int collect_tok(void *ctx, bool colocated, const char *tok, size_t n,
                       size_t start, size_t end, int part)
{
	struct collect *c = ctx;
	struct search_hl *h = c->h;
	struct hl_tok *t;
	bool prefix = c->prefix;
	size_t i;

	note_first(h, tok, n);
	for (i = 0; i < h->n_tok; i++) {
		t = &h->tok[i];
		if (t->n == n && t->term == c->term && t->prefix == prefix &&
		    memcmp(t->s, tok, n) == 0)
			return 0;
	}
	if (h->n_tok == HL_TOKENS)
		return 0;
	t = &h->tok[h->n_tok++];
	t->n = (unsigned char)n;
	t->term = c->term;
	t->prefix = prefix;
	memcpy(t->s, tok, n);
	return 0;
}

static int add_term(struct search_hl *h, const struct search_term *t)
{
	struct collect c = {h, (unsigned char)h->n_terms, false};
	struct search__word w, last;
	size_t pos = 0, words = 0;
	int rc = 0;

	while (rc == 0 && search__next_word(t->text.p, t->text.n, &pos, &w)) {
		if (words++ > 0)
			rc = search__tokens(&h->st, SEARCH__QUERY, &last,
			                    collect_tok, &c);
		last = w;
	}
	if (words == 0 || rc != 0)
		return rc;
	if (t->prefix) {
		c.prefix = true;
		return search__tokens(&h->st, SEARCH__PREFIX, &last,
		                      collect_tok, &c);
	}
	if ((rc = search__tokens(&h->st, SEARCH__QUERY, &last, collect_tok,
	                         &c)) != 0 ||
	    words > 1 || last.n == 1 || t->phrase)
		return rc;
	search__join(&last, &w.part[0]);
	w.n = 1;
	return w.part[0].cut
	           ? 0
	           : search__tokens(&h->st, SEARCH__QUERY, &w, collect_tok, &c);
}

enum pr_err search_hl_new(struct search_hl **out, const struct search_query *q,
                          struct pr_error *e)
{
	struct search_hl *h;
	enum pr_err rc = PR_NOMEM;
	size_t i;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto out;
	if ((h->tok = malloc(HL_TOKENS * sizeof(*h->tok))) == NULL)
		goto out;
	if (search__stem_init(&h->st, 512) != PR_OK)
		goto out;
	for (i = 0; i < q->n_terms && h->n_terms < 64; i++) {
		if (q->terms[i].excluded)
			continue;
		if (add_term(h, &q->terms[i]) != 0)
			goto out;
		h->n_terms++;
	}
	*out = h;
	h = NULL;
	rc = PR_OK;
out:
	search_hl_free(h);
	if (rc != PR_OK)
		pr_fail(e, rc, "search: out of memory");
	return rc;
}

void search_hl_free(struct search_hl *h)
{
	if (h == NULL)
		return;
	if (h->st.ru != NULL)
		search__stem_free(&h->st);
	free(h->tok);
	free(h);
}

/* --- matching words ------------------------------------------------------ */

struct match {
	struct search_hl *h;
	uint64_t part[SEARCH__PARTS_MAX];
	uint64_t joined;
};

static int match_tok(void *ctx, bool colocated, const char *tok, size_t n,
                     size_t start, size_t end, int part)
{
	struct match *m = ctx;
	const struct hl_tok *t;
	uint64_t bits = 0;
	size_t i;

	for (i = 0; i < m->h->n_tok; i++) {
		t = &m->h->tok[i];
		if (t->s[0] != tok[0] || (t->prefix ? n < t->n : n != t->n))
			continue;
		if (memcmp(t->s, tok, t->n) == 0)
			bits |= (uint64_t)1 << t->term;
	}
	if (part == SEARCH__JOINED)
		m->joined |= bits;
	else
		m->part[part] |= bits;
	return 0;
}

/* Whether a token of w may equal a query token (see struct search_hl). */
static bool may_match(const struct search_hl *h, const struct search__word *w)
{
	const struct search__part *p;
	uint32_t cp;
	size_t i, k;

	if (h->no_filter)
		return true;
	for (i = 0; i < w->n; i++) {
		p = &w->part[i];
		if (p->cap)
			return true;
		if (p->n == 0)
			continue;
		if (utf8_decode(p->fold, p->n, &cp) == 0)
			return true;
		for (k = 0; k < h->n_first; k++)
			if (h->first[k] == cp)
				return true;
	}
	return false;
}

/* The terms each part of w matches, into bits[]. */
static void match_word(struct search_hl *h, const struct search__word *w,
                       uint64_t bits[SEARCH__PARTS_MAX])
{
	struct match m;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.h = h;
	if (h != NULL && h->n_tok > 0 && may_match(h, w))
		search__tokens(&h->st, SEARCH__DOC, w, match_tok, &m);
	for (i = 0; i < w->n; i++)
		bits[i] = m.part[i] | m.joined;
}

static void put_part(struct buf *out, const char *text,
                     const struct search__part *p, bool marked)
{
	if (marked)
		buf_adds(out, "<mark>");
	search__escape(out, text + p->start, p->end - p->start, false);
	if (marked)
		buf_adds(out, "</mark>");
}

void search_highlight(struct search_hl *h, struct buf *out, struct str text)
{
	uint64_t bits[SEARCH__PARTS_MAX];
	struct search__word w;
	size_t pos = 0, prev = 0, i;

	while (search__next_word(text.p, text.n, &pos, &w)) {
		match_word(h, &w, bits);
		for (i = 0; i < w.n; i++) {
			search__escape(out, text.p + prev,
			               w.part[i].start - prev, false);
			put_part(out, text.p, &w.part[i], bits[i] != 0);
			prev = w.part[i].end;
		}
	}
	search__escape(out, text.p + prev, text.n - prev, false);
}

/* --- snippets ------------------------------------------------------------ */

/* A window of the last n words of a text and the terms they hold. */
struct window {
	size_t n, idx; /* words a window, words seen */
	size_t at[WINDOW_MAX];
	uint64_t bits[WINDOW_MAX];
	uint32_t count[64];
	size_t distinct, matches;
	/* the best window so far */
	size_t best_score, best_idx, best_at;
};

static void count_bits(struct window *wn, uint64_t bits, int d)
{
	int t;

	for (t = 0; bits != 0; t++, bits >>= 1) {
		if (!(bits & 1))
			continue;
		if (d > 0 && wn->count[t]++ == 0)
			wn->distinct++;
		else if (d < 0 && --wn->count[t] == 0)
			wn->distinct--;
	}
	if (d > 0)
		wn->matches++;
	else
		wn->matches--;
}

/* Centres the matches of the window ending at the current word. */
static void take_best(struct window *wn)
{
	size_t last = wn->idx, first = last + 1 > wn->n ? last + 1 - wn->n : 0;
	size_t f = first, back;

	while (f < last && wn->bits[f % wn->n] == 0)
		f++;
	back = (wn->n - (last - f + 1)) / 2;
	wn->best_idx = f - (back < f - first ? back : f - first);
	wn->best_at = wn->at[wn->best_idx % wn->n];
}

/* Adds one word; true when the window holds every term (good enough). */
static bool window_add(struct window *wn, size_t at, uint64_t bits, size_t all)
{
	size_t slot = wn->idx % wn->n, score;

	if (wn->idx >= wn->n && wn->bits[slot] != 0)
		count_bits(wn, wn->bits[slot], -1);
	wn->at[slot] = at;
	wn->bits[slot] = bits;
	if (wn->idx == 0)
		wn->best_at = at;
	if (bits != 0) {
		count_bits(wn, bits, 1);
		score = wn->distinct * 1024 +
		        (wn->matches < 1023 ? wn->matches : 1023);
		if (score > wn->best_score) {
			wn->best_score = score;
			take_best(wn);
		}
	}
	wn->idx++;
	return all > 0 && wn->distinct == all;
}

/* Records a word after the search is over, for fill_left. */
static void window_push(struct window *wn, size_t at)
{
	wn->at[wn->idx % wn->n] = at;
	wn->bits[wn->idx % wn->n] = 0;
	wn->idx++;
}

/* Near the end of the text, the window starts earlier so that it still
 * shows n words. */
static void fill_left(struct window *wn)
{
	size_t start = wn->idx > wn->n ? wn->idx - wn->n : 0;

	if (start < wn->best_idx) {
		wn->best_idx = start;
		wn->best_at = wn->at[start % wn->n];
	}
}

static void find_window(struct search_hl *h, struct str text, struct window *wn)
{
	uint64_t bits[SEARCH__PARTS_MAX] = {0};
	struct search__word w;
	size_t pos = 0, i, all = h ? h->n_terms : 0, stop = SIZE_MAX;

	while (wn->idx < stop) {
		if (!search__next_word(text.p, text.n, &pos, &w)) {
			fill_left(wn);
			return;
		}
		if (stop == SIZE_MAX)
			match_word(h, &w, bits);
		for (i = 0; i < w.n; i++) {
			if (stop != SIZE_MAX)
				window_push(wn, w.part[i].start);
			else if (window_add(wn, w.part[i].start, bits[i], all))
				stop = wn->idx + wn->n;
		}
	}
}

/* Writes n words from byte `at`; returns whether words were left over. */
static bool put_window(struct search_hl *h, struct buf *out, struct str text,
                       size_t at, size_t n)
{
	uint64_t bits[SEARCH__PARTS_MAX];
	struct search__word w;
	size_t pos = at, prev = at, i, k = 0;

	while (k < n && search__next_word(text.p, text.n, &pos, &w)) {
		match_word(h, &w, bits);
		for (i = 0; i < w.n && k < n; i++, k++) {
			if (k > 0)
				search__escape(out, text.p + prev,
				               w.part[i].start - prev, true);
			put_part(out, text.p, &w.part[i], bits[i] != 0);
			prev = w.part[i].end;
		}
		if (i < w.n)
			return true;
	}
	return search__next_word(text.p, text.n, &prev, &w);
}

void search_snippet(struct search_hl *h, struct buf *out, struct str text,
                    size_t words)
{
	struct window *wn = calloc(1, sizeof(*wn));

	if (wn == NULL) {
		if (out->err == PR_OK)
			out->err = PR_NOMEM;
		return;
	}
	wn->n = words == 0 ? WINDOW : words > WINDOW_MAX ? WINDOW_MAX : words;
	find_window(h, text, wn);
	if (wn->idx > 0) {
		if (wn->best_idx > 0)
			buf_adds(out, "\xe2\x80\xa6 ");
		if (put_window(h, out, text, wn->best_at, wn->n))
			buf_adds(out, " \xe2\x80\xa6");
	}
	free(wn);
}
