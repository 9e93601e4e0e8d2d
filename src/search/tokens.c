/*
 * search/tokens.c: the tokens the index holds for a word, shared by the
 * FTS5 tokenizer, the highlighter and the suggestions so that all three
 * see words the same way. For a word of parts p1-p2-...:
 *   p1's stem, then at the same position p1's name key (documents: when
 *   capitalised; queries: always), the joined form's stem and key
 *   (documents only: a query asks for the joined form by itself, see
 *   search/query.c); then each further part at the next position with its
 *   key. A prefix query gives each part's folded form, its stem and its key
 *   without case ending, all at one position.
 */
#include "search_int.h"

#include <string.h>

struct out {
	search__emit_fn emit;
	void *ctx;
	bool first; /* nothing emitted at this position yet */
};

static int emit_tok(struct out *o, const char *tok, size_t n,
                    const struct search__part *p, int part)
{
	int rc;

	if (n == 0)
		return 0;
	rc = o->emit(o->ctx, !o->first, tok, n, p->start, p->end, part);
	o->first = false;
	return rc;
}

/* The stem and, when wanted, the key of one part (or of the joined form). */
static int stem_and_key(struct search__stem *st, struct out *o,
                        const struct search__part *p, bool key, int part)
{
	char tok[SEARCH__TOKEN_MAX];
	int len, rc;
	size_t k;

	if ((len = search__stem(st, p, tok)) < 0)
		return SEARCH__NOMEM;
	if ((rc = emit_tok(o, tok, (size_t)len, p, part)) != 0)
		return rc;
	if (key && (k = search__name_key(p, false, tok)) != 0)
		return emit_tok(o, tok, k, p, part);
	return 0;
}

static int prefix_forms(struct search__stem *st, struct out *o,
                        const struct search__part *p, int part)
{
	char tok[SEARCH__TOKEN_MAX];
	int len, rc;
	size_t k;

	if ((rc = emit_tok(o, p->fold, p->n, p, part)) != 0)
		return rc;
	if ((len = search__stem(st, p, tok)) < 0)
		return SEARCH__NOMEM;
	if (((size_t)len != p->n || memcmp(tok, p->fold, p->n) != 0) &&
	    (rc = emit_tok(o, tok, (size_t)len, p, part)) != 0)
		return rc;
	if ((k = search__name_key(p, true, tok)) != 0)
		return emit_tok(o, tok, k, p, part);
	return 0;
}

static int joined_forms(struct search__stem *st, struct out *o,
                        const struct search__word *w)
{
	struct search__part j;

	search__join(w, &j);
	if (j.cut)
		return 0;
	return stem_and_key(st, o, &j, j.cap, SEARCH__JOINED);
}

int search__tokens(struct search__stem *st, enum search__mode mode,
                   const struct search__word *w, search__emit_fn emit,
                   void *ctx)
{
	struct out o = {emit, ctx, true};
	const struct search__part *p;
	bool joined = mode == SEARCH__DOC && w->n > 1;
	size_t i;
	int rc = 0;

	for (i = 0; i < w->n && rc == 0; i++) {
		p = &w->part[i];
		if (p->n == 0)
			continue;
		o.first = true;
		if (mode == SEARCH__PREFIX)
			rc = prefix_forms(st, &o, p, (int)i);
		else
			rc = stem_and_key(
			    st, &o, p, mode == SEARCH__QUERY || p->cap, (int)i);
		if (rc == 0 && joined) {
			rc = joined_forms(st, &o, w);
			joined = false;
		}
	}
	return rc;
}
