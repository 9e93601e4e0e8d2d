/*
 * bench/search_bench.c: the query side of bench/search.sh, in one process
 * so that only searching is timed (no HTTP). Two engines over the same
 * queries:
 *
 *   search_bench pressroom DB QUERIES [--facets | --exhaustive]
 *       store_search (top 10, relevance) on a pressroom database, then the
 *       snippet of each hit's text and its highlighted title, as the
 *       search page makes them (--exhaustive: walking every match);
 *   search_bench compare DB QUERIES
 *       how much of the exhaustive top 10 the budgeted search returns
 *       (the average share, and the share of queries with the same ten);
 *   search_bench fts5 DB QUERIES
 *       stock FTS5 (`porter unicode61`) built by `search_bench fts5-build`:
 *       ORDER BY bm25(fts, 10, 4, 1) LIMIT 10 with snippet() and
 *       highlight();
 *   search_bench fts5-build JSONL DB
 *       loads title, lead and body of each JSON Lines record into a plain
 *       table and an external-content FTS5 index over it, in one
 *       transaction (what a user of FTS5 alone would do).
 *
 * QUERIES has one query a line: the text as typed, a tab, the same as an
 * FTS5 expression. Each query runs once to warm up, then every query runs
 * in order, timed one by one, PR_BENCH_ROUNDS times (default 1); a query's
 * time is its best round, which keeps out most of what other work on the
 * machine adds. Prints one line: count, p50, p90, p99, max
 * and mean in ms, queries per second, and hits per query on average; with
 * PR_BENCH_VERBOSE set, the ids found for each query too.
 */
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/search.h"
#include "store/store.h"

#define MAX_QUERIES 100000

struct query {
	char *text, *fts;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int rounds(void)
{
	const char *v = getenv("PR_BENCH_ROUNDS");
	int n = v ? (int)strtol(v, NULL, 10) : 1;

	return n < 1 ? 1 : n > 100 ? 100 : n;
}

/* Keeps the best time of query i. */
static void keep(double *t, size_t i, int round, double ms)
{
	if (round == 0 || ms < t[i])
		t[i] = ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static size_t read_queries(const char *path, struct query *q)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *tab;
	size_t cap = 0, n = 0;
	ssize_t len;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while (n < MAX_QUERIES && (len = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		q[n].text = strdup(line);
		q[n].fts = strdup(tab + 1);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static void report(const char *name, double *t, size_t n, double hits)
{
	double sum = 0;
	size_t i;

	qsort(t, n, sizeof(*t), cmp_double);
	for (i = 0; i < n; i++)
		sum += t[i];
	printf("%s queries=%zu p50=%.3f p90=%.3f p99=%.3f max=%.3f mean=%.3f "
	       "qps=%.0f hits=%.2f\n",
	       name, n, t[n / 2], t[n * 90 / 100], t[n * 99 / 100], t[n - 1],
	       sum / (double)n, sum > 0 ? 1000.0 * (double)n / sum : 0,
	       hits / (double)n);
}

/* pressroom */

struct pr_bench {
	struct store *s;
	struct arena *ar;
	struct buf out;
	bool facets, verbose, exhaustive;
	int64_t ids[10];
};

static size_t pr_one(struct pr_bench *b, const char *text)
{
	struct store_search_req req = {0};
	struct store_search_result res;
	struct search_query q;
	struct search_hl *hl = NULL;
	struct pr_error e = {0};
	size_t i;

	arena_reset(b->ar);
	buf_reset(&b->out);
	if (search_parse(b->ar, str_c(text), &q, &e) != PR_OK || q.empty)
		return 0;
	req.q = &q;
	req.now = pr_now();
	req.limit = 10;
	req.facets = b->facets;
	req.exhaustive = b->exhaustive;
	if (store_search(b->s, b->ar, &req, &res, &e) != PR_OK) {
		fprintf(stderr, "%s: %s\n", text, e.msg);
		return 0;
	}
	if (search_hl_new(&hl, &q, &e) != PR_OK)
		return 0;
	for (i = 0; i < res.n; i++) {
		search_highlight(hl, &b->out, str_c(res.hits[i].item.title));
		search_snippet(hl, &b->out, str_c(res.hits[i].text), 30);
	}
	search_hl_free(hl);
	for (i = 0; i < 10; i++)
		b->ids[i] = i < res.n ? res.hits[i].item.id : 0;
	if (b->verbose) {
		printf("%s\t%lld%s\t", text, (long long)res.total,
		       res.approximate ? "~" : "");
		for (i = 0; i < res.n; i++)
			printf("%lld ", (long long)res.hits[i].item.id);
	}
	return res.n;
}

/* The share of the exhaustive top 10 that the budgeted search found. */
static int run_compare(const char *db, struct query *q, size_t n)
{
	struct pr_bench b = {0};
	struct pr_error e = {0};
	double share = 0, same = 0;
	int64_t exact[10];
	size_t i, k, j, hit, all;

	if (store_open(&b.s, db, STORE_READONLY, &e) != PR_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	b.ar = arena_new((size_t)1 << 30);
	buf_init(&b.out, (size_t)1 << 24);
	for (i = 0; i < n; i++) {
		b.exhaustive = true;
		pr_one(&b, q[i].text);
		memcpy(exact, b.ids, sizeof(exact));
		b.exhaustive = false;
		pr_one(&b, q[i].text);
		for (k = hit = all = 0; k < 10 && exact[k] != 0; k++, all++)
			for (j = 0; j < 10; j++)
				hit += b.ids[j] == exact[k];
		share += all ? (double)hit / (double)all : 1.0;
		same += hit == all;
	}
	printf("compare queries=%zu top10_share=%.3f same_top10=%.3f\n", n,
	       share / (double)n, same / (double)n);
	buf_free(&b.out);
	arena_free(b.ar);
	store_close(b.s);
	return 0;
}

static int run_pressroom(const char *db, struct query *q, size_t n, bool facets,
                         bool exhaustive)
{
	struct pr_bench b = {.facets = facets,
	                     .exhaustive = exhaustive,
	                     .verbose = getenv("PR_BENCH_VERBOSE") != NULL};
	struct pr_error e = {0};
	double *t = calloc(n, sizeof(*t)), a, hits = 0;
	size_t got;
	size_t i;

	if (store_open(&b.s, db, STORE_READONLY, &e) != PR_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	b.ar = arena_new((size_t)1 << 30);
	buf_init(&b.out, (size_t)1 << 24);
	b.verbose = false;
	for (i = 0; i < n; i++)
		pr_one(&b, q[i].text);
	b.verbose = getenv("PR_BENCH_VERBOSE") != NULL;
	for (int k = 0; k < rounds(); k++) {
		for (i = 0; i < n; i++) {
			a = now_ms();
			got = pr_one(&b, q[i].text);
			keep(t, i, k, now_ms() - a);
			hits += k == 0 ? (double)got : 0;
			if (b.verbose)
				printf("\t%.3f ms\n", t[i]);
		}
		b.verbose = false;
	}
	report(exhaustive ? "pressroom-exhaustive"
	       : facets   ? "pressroom+facets"
	                  : "pressroom",
	       t, n, hits);
	buf_free(&b.out);
	arena_free(b.ar);
	store_close(b.s);
	free(t);
	return 0;
}

/* stock FTS5 */

static const char *fts5_sql =
    "SELECT rowid, highlight(fts, 0, '<mark>', '</mark>'), "
    "snippet(fts, 2, '<mark>', '</mark>', '…', 30) FROM fts "
    "WHERE fts MATCH ?1 ORDER BY bm25(fts, 10, 4, 1) LIMIT 10";

static size_t fts5_one(sqlite3_stmt *st, const struct query *q, bool verbose)
{
	size_t n = 0;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, q->fts, -1, SQLITE_STATIC);
	if (verbose)
		printf("%s\t", q->text);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (verbose)
			printf("%lld ", (long long)sqlite3_column_int64(st, 0));
		n++;
	}
	if (verbose)
		printf("\n");
	return n;
}

static int run_fts5(const char *db, struct query *q, size_t n)
{
	double *t = calloc(n, sizeof(*t)), a, hits = 0;
	size_t got;
	bool verbose = getenv("PR_BENCH_VERBOSE") != NULL;
	sqlite3_stmt *st = NULL;
	sqlite3 *h = NULL;
	size_t i;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA cache_size = -32768", NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(h, fts5_sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", db, sqlite3_errmsg(h));
		return 1;
	}
	for (i = 0; i < n; i++)
		fts5_one(st, &q[i], false);
	for (int k = 0; k < rounds(); k++)
		for (i = 0; i < n; i++) {
			a = now_ms();
			got = fts5_one(st, &q[i], verbose && k == 0);
			keep(t, i, k, now_ms() - a);
			hits += k == 0 ? (double)got : 0;
		}
	report("fts5", t, n, hits);
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(t);
	return 0;
}

static const char *fts5_schema =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "CREATE TABLE doc (id INTEGER PRIMARY KEY, title TEXT, lead TEXT,"
    " body TEXT);"
    "CREATE VIRTUAL TABLE fts USING fts5 (title, lead, body, content = 'doc',"
    " content_rowid = 'id', tokenize = 'porter unicode61');";

static int fts5_build(const char *jsonl, const char *db)
{
	const char *col[3] = {"title", "lead", "body"};
	sqlite3_stmt *d = NULL, *f = NULL;
	FILE *in = fopen(jsonl, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	sqlite3 *h = NULL;
	int64_t id = 0;
	json_t *j;
	int k;

	if (in == NULL || sqlite3_open(db, &h) != SQLITE_OK ||
	    sqlite3_exec(h, fts5_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "INSERT INTO doc VALUES (?1, ?2, ?3, ?4)", -1,
	                       &d, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h,
	                       "INSERT INTO fts (rowid, title, lead, body) "
	                       "VALUES (?1, ?2, ?3, ?4)",
	                       -1, &f, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", db, h ? sqlite3_errmsg(h) : "?");
		return 1;
	}
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	while ((len = getline(&line, &cap, in)) > 0) {
		if ((j = json_loadb(line, (size_t)len, 0, NULL)) == NULL)
			continue;
		id++;
		sqlite3_bind_int64(d, 1, id);
		sqlite3_bind_int64(f, 1, id);
		for (k = 0; k < 3; k++) {
			const char *v =
			    json_string_value(json_object_get(j, col[k]));
			sqlite3_bind_text(d, k + 2, v ? v : "", -1,
			                  SQLITE_TRANSIENT);
			sqlite3_bind_text(f, k + 2, v ? v : "", -1,
			                  SQLITE_TRANSIENT);
		}
		sqlite3_step(d);
		sqlite3_reset(d);
		sqlite3_step(f);
		sqlite3_reset(f);
		json_decref(j);
	}
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	sqlite3_finalize(d);
	sqlite3_finalize(f);
	sqlite3_close(h);
	free(line);
	fclose(in);
	return 0;
}

int main(int argc, char **argv)
{
	struct query *q;
	size_t n;

	if (argc >= 4 && strcmp(argv[1], "fts5-build") == 0)
		return fts5_build(argv[2], argv[3]);
	if (argc < 4) {
		fprintf(stderr, "usage: search_bench pressroom|fts5|compare DB "
		                "QUERIES [--facets|--exhaustive]\n"
		                "       search_bench fts5-build JSONL DB\n");
		return 2;
	}
	q = calloc(MAX_QUERIES, sizeof(*q));
	if ((n = read_queries(argv[3], q)) == 0) {
		fprintf(stderr, "%s: no queries\n", argv[3]);
		return 1;
	}
	if (strcmp(argv[1], "fts5") == 0)
		return run_fts5(argv[2], q, n);
	if (strcmp(argv[1], "compare") == 0)
		return run_compare(argv[2], q, n);
	return run_pressroom(argv[2], q, n,
	                     argc > 4 && strcmp(argv[4], "--facets") == 0,
	                     argc > 4 && strcmp(argv[4], "--exhaustive") == 0);
}
