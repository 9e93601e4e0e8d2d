/*
 * store/archive.c: the archive by year, month and day in the site's time
 * zone, and the items of a period. Counting walks no rows: the number of
 * visible items published before an instant is the list position of the
 * last of them (one index seek, see list.c), so the items of a period are
 * the difference of two such numbers at its local midnights. The
 * midnights come from core (pr_time_local_midnight, the process's zone),
 * the same function the day pages use for store_items_between, so the
 * counts and the pages they link to always agree, across DST changes too.
 */
#include "store_int.h"

#include <string.h>

#define YEARS_MAX 10000

/*
 * Counts the visible items of lang in [t[i], t[i + 1]) for i < n and keeps
 * the periods that have any, keyed key0 + i, ascending or newest first.
 */
static enum pr_err count_periods(struct store *s, struct arena *ar,
                                 const char *lang, int64_t now,
                                 const int64_t *t, int n, int key0,
                                 bool newest_first, struct archive *out,
                                 struct pr_error *e)
{
	int64_t below, upto;
	enum pr_err rc;
	int i;

	out->n = 0;
	out->v = arena_alloc(ar, (size_t)n * sizeof(*out->v));
	if (out->v == NULL)
		return pr_fail(e, PR_NOMEM, "%s: archive: out of memory",
		               s->path);
	rc = store__visible_before(s, lang, now, t[0], &below, NULL, e);
	for (i = 0; i < n && rc == PR_OK; i++) {
		rc = store__visible_before(s, lang, now, t[i + 1], &upto, NULL,
		                           e);
		if (rc == PR_OK && upto > below)
			out->v[out->n++] =
			    (struct archive_count){key0 + i, upto - below};
		below = upto;
	}
	for (i = 0; newest_first && i < (int)out->n / 2; i++) {
		struct archive_count c = out->v[i];
		out->v[i] = out->v[out->n - 1 - i];
		out->v[out->n - 1 - i] = c;
	}
	return rc;
}

/* The local years of the oldest and the newest visible item of lang;
 * *any is false when there is none. */
static enum pr_err year_span(struct store *s, const char *lang, int64_t now,
                             int *first, int *last, bool *any,
                             struct pr_error *e)
{
	sqlite3_stmt *st;
	struct pr_date d;
	int64_t top, last_at;
	enum pr_err rc;
	bool row;

	*any = false;
	rc = store__visible_before(s, lang, now, INT64_MAX, &top, &last_at, e);
	if (rc != PR_OK || top == 0)
		return rc;
	pr_time_local(last_at, &d);
	*last = d.year;
	st = store__stmt(s, STMT_FIRST_OF_LANG);
	store__bind_text(s, st, 1, lang);
	rc = store__row(s, st, &row, e, "finding the oldest item");
	if (rc == PR_OK && row) {
		pr_time_local(sqlite3_column_int64(st, 0), &d);
		*first = d.year;
		*any = *first <= *last && *last - *first < YEARS_MAX;
	}
	sqlite3_reset(st);
	return rc;
}

static enum pr_err check_lang(const char *lang, struct pr_error *e)
{
	if (lang == NULL || lang[0] == '\0')
		return pr_fail(e, PR_INVALID, "no language given");
	return PR_OK;
}

enum pr_err store_archive_years(struct store *s, struct arena *ar,
                                const char *lang, int64_t now,
                                struct archive *out, struct pr_error *e)
{
	int64_t *t = NULL;
	int first = 0, last = 0, i, n;
	enum pr_err rc;
	bool opened = false, any;

	memset(out, 0, sizeof(*out));
	if ((rc = check_lang(lang, e)) != PR_OK)
		return rc;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = year_span(s, lang, now, &first, &last, &any, e);
	if (rc != PR_OK || !any)
		goto out;
	n = last - first + 1;
	if ((t = arena_alloc(ar, (size_t)(n + 1) * sizeof(*t))) == NULL) {
		rc =
		    pr_fail(e, PR_NOMEM, "%s: archive: out of memory", s->path);
		goto out;
	}
	for (i = 0; i <= n; i++)
		t[i] = pr_time_local_midnight(first + i, 1, 1);
	rc = count_periods(s, ar, lang, now, t, n, first, true, out, e);
out:
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_archive_months(struct store *s, struct arena *ar,
                                 const char *lang, int64_t now, int year,
                                 struct archive *out, struct pr_error *e)
{
	int64_t t[13];
	enum pr_err rc;
	bool opened = false;
	int m;

	memset(out, 0, sizeof(*out));
	if ((rc = check_lang(lang, e)) != PR_OK)
		return rc;
	if (year < 1 || year > 9999)
		return pr_fail(e, PR_INVALID, "year %d is out of range", year);
	for (m = 1; m <= 13; m++)
		t[m - 1] = pr_time_local_midnight(year, m, 1);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = count_periods(s, ar, lang, now, t, 12, 1, false, out, e);
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_archive_days(struct store *s, struct arena *ar,
                               const char *lang, int64_t now, int year,
                               int month, struct archive *out,
                               struct pr_error *e)
{
	int64_t t[32];
	enum pr_err rc;
	bool opened = false;
	int d, n;

	memset(out, 0, sizeof(*out));
	if ((rc = check_lang(lang, e)) != PR_OK)
		return rc;
	if (year < 1 || year > 9999 || month < 1 || month > 12)
		return pr_fail(e, PR_INVALID, "month %d-%d is out of range",
		               year, month);
	n = pr_days_in_month(year, month);
	for (d = 1; d <= n + 1; d++)
		t[d - 1] = pr_time_local_midnight(year, month, d);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = count_periods(s, ar, lang, now, t, n, 1, false, out, e);
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_items_between(struct store *s, struct arena *ar,
                                const char *lang, int64_t now, int64_t from,
                                int64_t to, int limit, struct article_list *out,
                                struct pr_error *e)
{
	int64_t below = 0, upto = 0;
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_lang(lang, e)) != PR_OK)
		return rc;
	if (limit < 1 || limit > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID, "limit %d: expected 1 to %d",
		               limit, STORE_LIMIT_MAX);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_ITEMS_BETWEEN);
	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, from);
	store__bind_int(s, st, 3, to);
	store__bind_int(s, st, 4, now);
	store__bind_int(s, st, 5, (int64_t)limit + 1);
	rc = store__list_fill(s, ar, st, limit, out, e, "reading a period");
	if (rc == PR_OK && from < to)
		rc = store__visible_before(s, lang, now, from, &below, NULL, e);
	if (rc == PR_OK && from < to)
		rc = store__visible_before(s, lang, now, to, &upto, NULL, e);
	out->total = upto - below;
	store__read_end(s, opened);
	return rc;
}
