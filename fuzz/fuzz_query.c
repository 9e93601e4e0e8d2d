/*
 * fuzz_query.c: libFuzzer target for search_parse and the "pressroom"
 * tokenizer. Besides crashes and sanitizer reports it checks what search
 * promises: valid UTF-8 always parses and invalid UTF-8 never does; the
 * MATCH expression of any query runs on a real FTS5 table without an
 * SQLite error; tokens of arbitrary bytes are non-empty, bounded and lie
 * inside the text; a snippet of arbitrary bytes is valid UTF-8 holding no
 * tag but <mark>.
 */
#include "search/search.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match_st;
static fts5_tokenizer tk;
static Fts5Tokenizer *tok;

static const char *const docs[] = {
    "Igor Krasnov, Prosecutor General, took part in the meeting in "
    "Nur-Sultan on COVID-19 and 2021\xe2\x80\x93"
    "2025 plans (CCPG).",
    "Генеральный прокурор Игорь Краснов провёл встречу с прокурорами в "
    "Нур-Султане; новогодняя ёлка.",
};

static void setup(void)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	void *ud;
	size_t i;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    search_register(db, NULL) != PR_OK ||
	    sqlite3_exec(db,
	                 "CREATE VIRTUAL TABLE doc USING fts5(title, body, "
	                 "tokenize='pressroom')",
	                 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sqlite3_prepare_v2(db, "INSERT INTO doc(body) VALUES (?1)", -1,
		                   &st, NULL);
		sqlite3_bind_text(st, 1, docs[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			abort();
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM doc WHERE doc MATCH ?1",
	                       -1, &match_st, NULL) != SQLITE_OK)
		abort();
	sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (api == NULL || api->xFindTokenizer(api, "pressroom", &ud, &tk) ||
	    tk.xCreate(ud, NULL, 0, &tok))
		abort();
}

struct span {
	int n;
};

static int check_token(void *ctx, int flags, const char *t, int n, int start,
                       int end)
{
	struct span *s = ctx;

	if (n <= 0 || n > 128 || start < 0 || start > end || end > s->n)
		abort();
	return t[0] == '\0' ? SQLITE_ERROR : SQLITE_OK;
}

static void run_match(const char *match)
{
	int rc;

	sqlite3_bind_text(match_st, 1, match, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(match_st)) == SQLITE_ROW)
		;
	sqlite3_reset(match_st);
	if (rc != SQLITE_DONE && rc != SQLITE_NOMEM)
		abort();
}

/* Only <mark> and </mark> may open a tag in highlighted output. */
static void check_html(const struct buf *b)
{
	const char *p = b->p ? b->p : "", *end = p + b->n;

	if (!utf8_valid(p, b->n, NULL))
		abort();
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (strncmp(p, "<mark>", 6) != 0 &&
		    strncmp(p, "</mark>", 7) != 0)
			abort();
		p++;
	}
}

static void check_snippet(const struct search_query *q, struct str text)
{
	struct search_hl *h = NULL;
	struct buf b;

	if (search_hl_new(&h, q, NULL) != PR_OK)
		return;
	buf_init(&b, 1u << 22);
	search_snippet(h, &b, text, 0);
	if (b.err == PR_OK)
		check_html(&b);
	buf_reset(&b);
	search_highlight(h, &b, text);
	if (b.err == PR_OK)
		check_html(&b);
	buf_free(&b);
	search_hl_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str q = {(const char *)data, size};
	struct span sp = {(int)size};
	struct search_query sq;
	struct arena *ar;
	enum pr_err rc;
	int flags;

	if (db == NULL)
		setup();
	if (size > 1u << 20 || (ar = arena_new(16u << 20)) == NULL)
		return 0;
	rc = search_parse(ar, q, &sq, NULL);
	if ((rc == PR_INVALID) == utf8_valid(q.p, q.n, NULL))
		abort();
	if (rc == PR_OK && !sq.empty)
		run_match(sq.match);
	if (rc == PR_OK)
		check_snippet(&sq, q);
	flags = size % 2 ? FTS5_TOKENIZE_DOCUMENT : FTS5_TOKENIZE_QUERY;
	if (tk.xTokenize(tok, &sp, flags, q.p, (int)size, check_token) !=
	    SQLITE_OK)
		abort();
	arena_free(ar);
	return 0;
}
