/*
 * search/pretok.c: the tokens of documents worked out ahead of time, on
 * another thread, so that the thread writing the index (SQLite allows one
 * writer) spends its time in FTS5 and not in folding and stemming. The
 * tokens are exactly those of the tokenizer (the same search__tokens), kept
 * under a hash of the text's bytes; the tokenizer replays them when the
 * writing thread has handed it the set (search_pretok_use).
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define PRETOK_SLOTS 4096 /* stem cache of a set */

/* A token as recorded: flags (1: colocated), length, span, bytes. */
struct rec_head {
	uint8_t colocated, n;
	uint32_t start, end;
};

struct entry {
	uint64_t hash;
	size_t len;        /* of the text */
	size_t from, upto; /* its tokens in the byte buffer */
};

struct search_pretok {
	struct search__stem st;
	struct entry *e;
	size_t n, cap;
	struct buf toks;
};

static _Thread_local const struct search_pretok *in_use;

enum pr_err search_pretok_new(struct search_pretok **out, struct pr_error *e)
{
	struct search_pretok *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL || search__stem_init(&p->st, PRETOK_SLOTS) != PR_OK) {
		free(p);
		return pr_fail(e, PR_NOMEM, "search: out of memory");
	}
	buf_init(&p->toks, (size_t)1 << 30);
	*out = p;
	return PR_OK;
}

void search_pretok_free(struct search_pretok *p)
{
	if (p == NULL)
		return;
	if (in_use == p)
		in_use = NULL;
	search__stem_free(&p->st);
	buf_free(&p->toks);
	free(p->e);
	free(p);
}

void search_pretok_reset(struct search_pretok *p)
{
	p->n = 0;
	buf_reset(&p->toks);
}

static uint64_t text_hash(const char *p, size_t n)
{
	return hash64(p, n, 0x70726574);
}

static int record(void *ctx, bool colocated, const char *tok, size_t n,
                  size_t start, size_t end, int part)
{
	struct buf *b = ctx;
	struct rec_head h = {colocated, (uint8_t)n, (uint32_t)start,
	                     (uint32_t)end};

	buf_add(b, &h, sizeof(h));
	buf_add(b, tok, n);
	return b->err != PR_OK ? SEARCH__NOMEM : 0;
}

enum pr_err search_pretok_add(struct search_pretok *p, struct str text)
{
	struct search__word w;
	struct entry *e;
	size_t pos = 0, cap;
	int rc = 0;

	if (text.n > UINT32_MAX)
		return PR_TOOBIG;
	if (p->n == p->cap) {
		cap = p->cap ? 2 * p->cap : 64;
		if ((e = realloc(p->e, cap * sizeof(*e))) == NULL)
			return PR_NOMEM;
		p->e = e;
		p->cap = cap;
	}
	e = &p->e[p->n];
	e->hash = text_hash(text.p, text.n);
	e->len = text.n;
	e->from = p->toks.n;
	while (rc == 0 && search__next_word(text.p, text.n, &pos, &w))
		rc = search__tokens(&p->st, SEARCH__DOC, &w, record, &p->toks);
	if (rc != 0 || p->toks.err != PR_OK)
		return PR_NOMEM;
	e->upto = p->toks.n;
	p->n++;
	return PR_OK;
}

void search_pretok_use(const struct search_pretok *p)
{
	in_use = p;
}

/* The recorded tokens of text, or NULL. */
static const struct entry *find(const struct search_pretok *p, const char *text,
                                size_t n)
{
	uint64_t h = text_hash(text, n);

	for (size_t i = 0; i < p->n; i++)
		if (p->e[i].hash == h && p->e[i].len == n)
			return &p->e[i];
	return NULL;
}

bool search__pretok_replay(const char *text, size_t n, search__emit_fn emit,
                           void *ctx, int *rc)
{
	const struct search_pretok *p = in_use;
	const struct entry *e;
	struct rec_head h;
	size_t at;

	if (p == NULL || (e = find(p, text, n)) == NULL)
		return false;
	*rc = 0;
	for (at = e->from; at < e->upto && *rc == 0;) {
		memcpy(&h, p->toks.p + at, sizeof(h));
		at += sizeof(h);
		*rc = emit(ctx, h.colocated != 0, p->toks.p + at, h.n, h.start,
		           h.end, 0);
		at += h.n;
	}
	return true;
}
