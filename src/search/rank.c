/*
 * search/rank.c: what ranking needs from FTS5 and the score itself. The
 * auxiliary function pressroom_tf() hands the caller, row by row, how
 * often each phrase of the query occurs in each column, without reading
 * the document sizes (FTS5's bm25() reads the %_docsize row of every match
 * and builds an array of every instance, which makes it cost several times
 * what walking the matches costs); the caller knows the sizes already and
 * computes BM25 with search_bm25().
 */
#include "search_int.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#define K1 1.2

/* Column weights and length normalisation: title above lead above body;
 * titles are short and alike, so their length counts little. */
static const double col_weight[SEARCH_RANK_COLUMNS] = {10.0, 4.0, 1.0};
static const double col_b[SEARCH_RANK_COLUMNS] = {0.3, 0.5, 0.75};

static void tf_fn(const Fts5ExtensionApi *api, Fts5Context *fts,
                  sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct search_tf *tf;
	Fts5PhraseIter it;
	int p, col, off, n, cols;

	if (argc != 1 ||
	    (tf = sqlite3_value_pointer(argv[0], SEARCH_TF_TYPE)) == NULL) {
		sqlite3_result_error(ctx, "pressroom_tf: wrong arguments", -1);
		return;
	}
	n = api->xPhraseCount(fts);
	cols = api->xColumnCount(fts);
	tf->rowid = api->xRowid(fts);
	tf->n_phrases = n < SEARCH_RANK_PHRASES ? n : SEARCH_RANK_PHRASES;
	tf->n_columns = cols < SEARCH_RANK_COLUMNS ? cols : SEARCH_RANK_COLUMNS;
	memset(tf->tf, 0, sizeof(tf->tf[0]) * (size_t)tf->n_phrases);
	for (p = 0; p < tf->n_phrases; p++) {
		for (api->xPhraseFirst(fts, p, &it, &col, &off); col >= 0;
		     api->xPhraseNext(fts, &it, &col, &off)) {
			tf->instances++;
			if (col < tf->n_columns && tf->tf[p][col] < UINT16_MAX)
				tf->tf[p][col]++;
		}
	}
	sqlite3_result_null(ctx);
}

enum pr_err search__rank_register(struct sqlite3 *db, void *fts5,
                                  struct pr_error *e)
{
	fts5_api *api = fts5;
	int rc;

	rc = api->xCreateFunction(api, "pressroom_tf", NULL, tf_fn, NULL);
	if (rc == SQLITE_NOMEM)
		return pr_fail(e, PR_NOMEM, "search: out of memory");
	if (rc != SQLITE_OK)
		return pr_fail(e, PR_INTERNAL, "search: FTS5 function: %s",
		               sqlite3_errstr(rc));
	return PR_OK;
}

double search_idf(int64_t docs, int64_t df)
{
	double n = docs > 0 ? (double)docs : 1.0;
	double d = df < 0 ? 0.0 : df > docs ? n : (double)df;

	return log(1.0 + (n - d + 0.5) / (d + 0.5));
}

void search_rank_init(struct search_rank *r)
{
	size_t c;

	memset(r, 0, sizeof(*r));
	for (c = 0; c < SEARCH_RANK_COLUMNS; c++)
		r->avg_len[c] = 1.0;
}

double search_bm25(const struct search_rank *r, const struct search_tf *tf,
                   const uint32_t len[SEARCH_RANK_COLUMNS])
{
	double score = 0.0, norm[SEARCH_RANK_COLUMNS], sum, t;
	int p, c;

	for (c = 0; c < SEARCH_RANK_COLUMNS; c++)
		norm[c] = K1 * (1.0 - col_b[c] +
		                col_b[c] * (double)len[c] /
		                    (r->avg_len[c] > 0 ? r->avg_len[c] : 1.0));
	for (p = 0; p < tf->n_phrases && (size_t)p < r->n_phrases; p++) {
		if (r->idf[p] <= 0.0)
			continue;
		sum = 0.0;
		for (c = 0; c < tf->n_columns; c++) {
			t = (double)tf->tf[p][c];
			if (t > 0)
				sum += col_weight[c] * t * (K1 + 1.0) /
				       (t + norm[c]);
		}
		score += r->idf[p] * sum;
	}
	return score;
}

double search_bm25_max(const struct search_rank *r)
{
	double w = 0.0, score = 0.0;
	size_t p, c;

	for (c = 0; c < SEARCH_RANK_COLUMNS; c++)
		w += col_weight[c] * (K1 + 1.0);
	for (p = 0; p < r->n_phrases; p++)
		if (r->idf[p] > 0.0)
			score += r->idf[p] * w;
	return score;
}
