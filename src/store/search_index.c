/*
 * store/search_index.c: keeping the search index of migration 4: new
 * articles enter it when their write ends (see store__search_pending),
 * `pressroom reindex` rebuilds it with the plain texts worked out again,
 * store_open rebuilds it for a new tokenizer, store_check compares it with
 * the articles. Edits and deletes keep it in step through the schema's
 * triggers.
 */
#include "store_int.h"

#include "../search/search.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Rebuilding and checking */

/* One current revision whose text is computed again. */
struct text_row {
	int64_t revision, article;
	const char *text; /* NULL: unchanged */
};

#define TEXT_BATCH 256

/* Reads up to TEXT_BATCH current revisions after article *after and works
 * out their plain text; *n gets how many were read. */
static enum pr_err text_batch(struct store *s, struct arena *ar,
                              store_text_fn fn, void *ctx, int64_t *after,
                              struct text_row *rows, size_t *n,
                              struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_TEXTS);
	const char *md, *old;
	enum pr_err rc;
	struct buf b;
	bool row;

	*n = 0;
	buf_init(&b, (size_t)1 << 28);
	store__bind_int(s, st, 1, *after);
	store__bind_int(s, st, 2, TEXT_BATCH);
	while ((rc = store__row(s, st, &row, e, "reading texts")) == PR_OK &&
	       row) {
		rows[*n].revision = sqlite3_column_int64(st, 0);
		rows[*n].article = *after = sqlite3_column_int64(st, 1);
		md = (const char *)sqlite3_column_text(st, 2);
		old = (const char *)sqlite3_column_text(st, 3);
		buf_reset(&b);
		if ((rc = fn(ctx, str_c(md ? md : ""), &b, e)) != PR_OK)
			break;
		rows[*n].text = old != NULL && strcmp(old, buf_cstr(&b)) == 0
		                    ? NULL
		                    : arena_strdup(ar, buf_cstr(&b));
		if (b.err != PR_OK ||
		    (rows[*n].text == NULL &&
		     (old == NULL || strcmp(old, buf_cstr(&b)) != 0))) {
			rc = pr_fail(e, PR_NOMEM,
			             "%s: article %lld: out of "
			             "memory",
			             s->path, (long long)*after);
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	buf_free(&b);
	return rc;
}

static enum pr_err write_texts(struct store *s, const struct text_row *rows,
                               size_t n, int64_t *changed, struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n && rc == PR_OK; i++) {
		if (rows[i].text == NULL)
			continue;
		st = store__stmt(s, STMT_SEARCH_SET_TEXT);
		store__bind_int(s, st, 1, rows[i].revision);
		store__bind_text(s, st, 2, rows[i].text);
		rc = store__exec(s, st, e, "saving a text");
		(*changed)++;
	}
	return rc;
}

static enum pr_err redo_texts(struct store *s, store_text_fn fn, void *ctx,
                              int64_t *changed, struct pr_error *e)
{
	struct text_row rows[TEXT_BATCH];
	struct arena *ar = arena_new((size_t)1 << 30);
	enum pr_err rc = PR_OK;
	int64_t after = 0;
	size_t n = TEXT_BATCH;

	if (ar == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	while (rc == PR_OK && n == TEXT_BATCH) {
		arena_reset(ar);
		rc = text_batch(s, ar, fn, ctx, &after, rows, &n, e);
		if (rc == PR_OK)
			rc = write_texts(s, rows, n, changed, e);
	}
	arena_free(ar);
	return rc;
}

/* Notes every article for indexing. */
static enum pr_err queue_all(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_IDS);
	enum pr_err rc;
	bool row;

	while ((rc = store__row(s, st, &row, e,
	                        "rebuilding the search "
	                        "index")) == PR_OK &&
	       row)
		if ((rc = store__search_pending(s, sqlite3_column_int64(st, 0),
		                                e)) != PR_OK)
			break;
	sqlite3_reset(st);
	return rc;
}

static enum pr_err rebuild_rows(struct store *s, store_text_fn fn, void *ctx,
                                int64_t *changed, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc = PR_OK;

	if (fn != NULL)
		rc = redo_texts(s, fn, ctx, changed, e);
	if (rc == PR_OK)
		rc = store__exec(s, store__stmt(s, STMT_SEARCH_CLEAR), e,
		                 "rebuilding the search index");
	if (rc == PR_OK)
		rc = store__exec(s, store__stmt(s, STMT_SEARCH_CLEAR_HEAD), e,
		                 "rebuilding the search index");
	if (rc == PR_OK && (rc = queue_all(s, e)) == PR_OK) {
		/* readers' tables of what articles are stay good for none */
		if (s->n_pending > 0)
			store__touch(s);
		rc = store__search_flush(s, e);
	}
	if (rc == PR_OK) {
		st = store__stmt(s, STMT_SEARCH_SET_VERSION);
		store__bind_int(s, st, 1, SEARCH_TOKENIZER_VERSION);
		rc = store__exec(s, st, e, "rebuilding the search index");
	}
	return rc;
}

enum pr_err store_search_rebuild(struct store *s, store_text_fn fn, void *ctx,
                                 int64_t *changed, struct pr_error *e)
{
	int64_t n = 0;
	enum pr_err rc;

	if (s->readonly)
		return pr_fail(e, PR_READONLY,
		               "%s: opened read-only, cannot rebuild the index",
		               s->path);
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = store__write_end(s, rebuild_rows(s, fn, ctx, &n, e), e);
	if (changed != NULL)
		*changed = rc == PR_OK ? n : 0;
	return rc;
}

enum pr_err store__search_setup(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_VERSION);
	int64_t version = 0;
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, "reading the search index version");
	if (rc == PR_OK && row)
		version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != PR_OK || version == SEARCH_TOKENIZER_VERSION)
		return rc;
	return store_search_rebuild(s, NULL, NULL, NULL, e);
}

/* A row of st, the table and id of an article, says what is wrong. */
static enum pr_err check_rows(struct store *s, enum stmt id, const char *why,
                              struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, id);
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, "checking the search index");
	if (rc == PR_OK && row)
		rc = pr_fail(e, PR_CORRUPT,
		             "%s: search index %s: %s %lld; run `pressroom "
		             "reindex`",
		             s->path, (const char *)sqlite3_column_text(st, 0),
		             why, (long long)sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	return rc;
}

/* A connection that may run FTS5's integrity check, which is an INSERT
 * even though it writes nothing: s's own, or for a read-only s one of its
 * own (that writes nothing either); NULL when the file cannot be opened
 * for writing, and the check is left out. */
static sqlite3 *check_db(struct store *s)
{
	sqlite3 *db = NULL;

	if (!s->readonly)
		return s->db;
	if (sqlite3_open_v2(s->path, &db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK ||
	    sqlite3_db_readonly(db, "main") != 0 ||
	    search_register(db, NULL) != PR_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	return db;
}

static int fts_check(struct store *s, const char **why)
{
	sqlite3 *db = check_db(s);
	int rc = SQLITE_OK;

	if (db == NULL)
		return SQLITE_OK;
	*why = "article_fts";
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, store__sql[STMT_SEARCH_CHECK], NULL, NULL,
		                  NULL);
	if (rc == SQLITE_OK) {
		*why = "article_head";
		rc = sqlite3_exec(db, store__sql[STMT_SEARCH_CHECK_HEAD], NULL,
		                  NULL, NULL);
	}
	if (db != s->db)
		sqlite3_close(db);
	return rc;
}

enum pr_err store__search_check(struct store *s, struct pr_error *e)
{
	const char *why = "";
	enum pr_err rc;
	int src;

	if ((rc = check_rows(s, STMT_SEARCH_MISSING, "no entry for article",
	                     e)) != PR_OK ||
	    (rc = check_rows(s, STMT_SEARCH_STRAY,
	                     "an entry for no article, id", e)) != PR_OK)
		return rc;
	src = fts_check(s, &why);
	if ((src & 0xff) == SQLITE_CORRUPT)
		return pr_fail(e, PR_CORRUPT,
		               "%s: search index %s does not match the "
		               "articles; run `pressroom reindex`",
		               s->path, why);
	if (src != SQLITE_OK)
		return pr_fail(e, store__code(src),
		               "%s: checking search index %s: %s", s->path, why,
		               sqlite3_errstr(src));
	return PR_OK;
}

/* Indexing new articles */

enum pr_err store__search_pending(struct store *s, int64_t id,
                                  struct pr_error *e)
{
	size_t cap = s->cap_pending ? 2 * s->cap_pending : 1024;
	int64_t *v;

	if (s->n_pending == s->cap_pending) {
		if ((v = realloc(s->pending, cap * sizeof(*v))) == NULL)
			return pr_fail(e, PR_NOMEM, "%s: out of memory",
			               s->path);
		s->pending = v;
		s->cap_pending = cap;
	}
	s->pending[s->n_pending++] = id;
	return PR_OK;
}

/* Writes one article's texts (title, lead, body) into both indexes. */
static enum pr_err index_texts(struct store *s, int64_t id,
                               const char *const texts[3], struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_INSERT);
	enum pr_err rc;
	int i;

	store__bind_int(s, st, 1, id);
	for (i = 0; i < 3; i++)
		store__bind_text(s, st, i + 2, texts[i]);
	if ((rc = store__exec(s, st, e, "indexing an article")) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_SEARCH_INSERT_HEAD);
	store__bind_int(s, st, 1, id);
	for (i = 0; i < 2; i++)
		store__bind_text(s, st, i + 2, texts[i]);
	return store__exec(s, st, e, "indexing an article");
}

/* Reads the texts of article id as the index holds them into texts
 * (malloc'd copies); *found is false when there is no such article. */
static enum pr_err read_texts(struct store *s, int64_t id, char *texts[3],
                              bool *found, struct pr_error *e)
{
	sqlite3_stmt *doc = store__stmt(s, STMT_SEARCH_DOC);
	const char *t;
	enum pr_err rc;
	int i;

	store__bind_int(s, doc, 1, id);
	rc = store__row(s, doc, found, e, "indexing");
	for (i = 0; i < 3 && rc == PR_OK && *found; i++) {
		t = (const char *)sqlite3_column_text(doc, i);
		if ((texts[i] = strdup(t ? t : "")) == NULL)
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	}
	sqlite3_reset(doc);
	return rc;
}

/* Indexing in a pipeline: a worker thread works out the tokens of the
 * next INDEX_BATCH articles (search_pretok) while this thread, the only
 * one that may use the connection, reads their texts and writes the
 * previous batch into FTS5, whose tokenizer replays what the worker made.
 * Runs of fewer than INDEX_PIPE_MIN articles, or a failure to start the
 * thread, take the plain way. */
#define INDEX_BATCH    64
#define INDEX_PIPE_MIN 256

struct batch {
	int64_t id[INDEX_BATCH];
	char *text[INDEX_BATCH][3];
	bool found[INDEX_BATCH];
	size_t n;
	struct search_pretok *pt;
	bool ready; /* tokens worked out */
};

struct pipe {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *queued; /* for the worker; NULL: nothing yet */
	bool stop;
	struct batch b[2];
};

static void batch_clear(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		for (int k = 0; k < 3; k++) {
			free(b->text[i][k]);
			b->text[i][k] = NULL;
		}
	b->n = 0;
	b->ready = false;
}

static void tokenize_batch(struct batch *b)
{
	search_pretok_reset(b->pt);
	for (size_t i = 0; i < b->n; i++)
		for (int k = 0; k < 3 && b->found[i]; k++)
			if (search_pretok_add(b->pt, str_c(b->text[i][k])) !=
			    PR_OK)
				return; /* what is missing is tokenized later */
}

static void *worker(void *arg)
{
	struct pipe *p = arg;
	struct batch *b;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->queued == NULL && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->queued == NULL)
			break;
		b = p->queued;
		pthread_mutex_unlock(&p->mu);
		tokenize_batch(b);
		pthread_mutex_lock(&p->mu);
		b->ready = true;
		p->queued = NULL;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void hand_over(struct pipe *p, struct batch *b)
{
	pthread_mutex_lock(&p->mu);
	b->ready = false;
	p->queued = b;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void wait_ready(struct pipe *p, struct batch *b)
{
	pthread_mutex_lock(&p->mu);
	while (!b->ready)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* Reads the texts of pending[*next ..] into b. */
static enum pr_err load_batch(struct store *s, struct batch *b, size_t *next,
                              struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	batch_clear(b);
	while (b->n < INDEX_BATCH && *next < s->n_pending && rc == PR_OK) {
		b->id[b->n] = s->pending[*next];
		rc = read_texts(s, b->id[b->n], b->text[b->n], &b->found[b->n],
		                e);
		b->n++;
		(*next)++;
	}
	return rc;
}

static enum pr_err write_batch(struct store *s, struct batch *b,
                               struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	search_pretok_use(b->pt);
	for (size_t i = 0; i < b->n && rc == PR_OK; i++)
		if (b->found[i])
			rc = index_texts(s, b->id[i],
			                 (const char *const *)b->text[i], e);
	search_pretok_use(NULL);
	return rc;
}

static enum pr_err run_pipe(struct store *s, struct pipe *p, struct pr_error *e)
{
	struct batch *cur = &p->b[0], *nxt = &p->b[1], *t;
	size_t next = 0;
	enum pr_err rc;

	if ((rc = load_batch(s, cur, &next, e)) != PR_OK)
		return rc;
	hand_over(p, cur);
	while (cur->n > 0) {
		rc = load_batch(s, nxt, &next, e);
		wait_ready(p, cur);
		if (rc != PR_OK)
			break;
		if (nxt->n > 0)
			hand_over(p, nxt);
		if ((rc = write_batch(s, cur, e)) != PR_OK)
			break;
		t = cur;
		cur = nxt;
		nxt = t;
	}
	return rc; /* pipe_stop waits for a batch still being worked on */
}

static bool pipe_start(struct pipe *p)
{
	memset(p, 0, sizeof(*p));
	if (search_pretok_new(&p->b[0].pt, NULL) != PR_OK ||
	    search_pretok_new(&p->b[1].pt, NULL) != PR_OK) {
		search_pretok_free(p->b[0].pt);
		return false;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->th, NULL, worker, p) == 0)
		return true;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	search_pretok_free(p->b[0].pt);
	search_pretok_free(p->b[1].pt);
	return false;
}

static void pipe_stop(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	for (int i = 0; i < 2; i++) {
		batch_clear(&p->b[i]);
		search_pretok_free(p->b[i].pt);
	}
}

static enum pr_err index_one(struct store *s, int64_t id, struct pr_error *e)
{
	char *texts[3] = {NULL, NULL, NULL};
	enum pr_err rc;
	bool found;

	rc = read_texts(s, id, texts, &found, e);
	if (rc == PR_OK && found)
		rc = index_texts(s, id, (const char *const *)texts, e);
	for (int i = 0; i < 3; i++)
		free(texts[i]);
	return rc;
}

enum pr_err store__search_flush(struct store *s, struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	struct pipe p;
	size_t i;

	if (s->n_pending >= INDEX_PIPE_MIN && pipe_start(&p)) {
		rc = run_pipe(s, &p, e);
		pipe_stop(&p);
	} else {
		for (i = 0; i < s->n_pending && rc == PR_OK; i++)
			rc = index_one(s, s->pending[i], e);
	}
	if (rc == PR_OK)
		s->n_pending = 0;
	return rc;
}
