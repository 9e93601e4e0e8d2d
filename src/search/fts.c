/*
 * search/fts.c: the FTS5 tokenizer "pressroom". FTS5 calls xCreate once
 * for every table on every connection (each table's configuration holds
 * its own tokenizer instance), so each instance owns its stemmers and
 * cache and needs no lock: a connection is used by one thread at a time.
 */
#include "search_int.h"

#include <sqlite3.h>

_Static_assert(SEARCH__NOMEM == SQLITE_NOMEM, "SEARCH__NOMEM");

#define CACHE_SLOTS 4096 /* about 380 KB of recent stems an instance */

struct tok {
	struct search__stem st;
};

struct emit_ctx {
	void *ctx;
	int (*x_token)(void *, int, const char *, int, int, int);
};

static int tok_create(void *user, const char **argv, int argc,
                      Fts5Tokenizer **out)
{
	struct tok *t;

	*out = NULL;
	if (argc != 0)
		return SQLITE_ERROR;
	if ((t = sqlite3_malloc(sizeof(*t))) == NULL)
		return SQLITE_NOMEM;
	if (search__stem_init(&t->st, CACHE_SLOTS) != PR_OK) {
		sqlite3_free(t);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	struct tok *t = (struct tok *)p;

	if (t == NULL)
		return;
	search__stem_free(&t->st);
	sqlite3_free(t);
}

static int emit(void *ctx, bool colocated, const char *tok, size_t n,
                size_t start, size_t end, int part)
{
	struct emit_ctx *c = ctx;

	return c->x_token(c->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok,
	                  (int)n, (int)start, (int)end);
}

static int
tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
             int (*x_token)(void *, int, const char *, int, int, int))
{
	struct tok *t = (struct tok *)p;
	struct emit_ctx c = {ctx, x_token};
	enum search__mode mode = SEARCH__DOC;
	struct search__word w;
	size_t pos = 0;
	int rc = SQLITE_OK;

	if (flags & FTS5_TOKENIZE_QUERY)
		mode = (flags & FTS5_TOKENIZE_PREFIX) ? SEARCH__PREFIX
		                                      : SEARCH__QUERY;
	if (text == NULL || n <= 0)
		return SQLITE_OK;
	if (mode == SEARCH__DOC &&
	    search__pretok_replay(text, (size_t)n, emit, &c, &rc))
		return rc;
	while (rc == SQLITE_OK && search__next_word(text, (size_t)n, &pos, &w))
		rc = search__tokens(&t->st, mode, &w, emit, &c);
	return rc; /* FTS5 wants the callback's code back as it was */
}

static fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};

/* The FTS5 API of db, or NULL when SQLite was built without FTS5. */
static fts5_api *fts5_of(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	fts5_api *api = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
out:
	sqlite3_finalize(stmt);
	return api;
}

enum pr_err search_register(struct sqlite3 *db, struct pr_error *e)
{
	fts5_api *api = fts5_of(db);
	int rc;

	if (api == NULL || api->iVersion < 2)
		return pr_fail(e, PR_INTERNAL, "search: SQLite has no FTS5");
	rc = api->xCreateTokenizer(api, "pressroom", NULL, &tokenizer, NULL);
	if (rc == SQLITE_NOMEM)
		return pr_fail(e, PR_NOMEM, "search: out of memory");
	if (rc != SQLITE_OK)
		return pr_fail(e, PR_INTERNAL, "search: FTS5 tokenizer: %s",
		               sqlite3_errstr(rc));
	return search__rank_register(db, api, e);
}
