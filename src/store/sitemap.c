/*
 * store/sitemap.c: what sitemaps are made of, without ever holding more
 * than one row. A language's visible items are cut into files of
 * per_file consecutive list positions (1 the oldest), so file n of a
 * language is a range of positions read through an index: finding it
 * costs the same for the last file of a million items as for the first,
 * and its items stay in it as new ones are published. The newest change
 * of each file comes from an index that holds (published_at, id,
 * updated_at), so the sitemap index reads no article rows.
 */
#include "store_int.h"

#include <string.h>

/* The most files a language can have: a sitemap index lists at most
 * 50,000 sitemaps. */
#define FILES_MAX 50000

/* Time and id of the item at list position pos. */
static enum pr_err item_at(struct store *s, const char *lang, int64_t pos,
                           int64_t *at, int64_t *id, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_POS_AT);
	enum pr_err rc;
	bool row;

	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, pos);
	rc = store__row(s, st, &row, e, "finding a list position");
	if (rc == PR_OK && !row)
		rc = pr_fail(e, PR_CORRUPT,
		             "%s: no %s item at list position %lld (run "
		             "pressroom reindex)",
		             s->path, lang, (long long)pos);
	if (rc == PR_OK) {
		*at = sqlite3_column_int64(st, 0);
		*id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc;
}

/* The newest updated_at among the items at positions first..last. */
static enum pr_err range_lastmod(struct store *s, const char *lang,
                                 struct sitemap_file *f, struct pr_error *e)
{
	int64_t a0, i0, a1, i1;
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	if ((rc = item_at(s, lang, f->first, &a0, &i0, e)) != PR_OK)
		return rc;
	if ((rc = item_at(s, lang, f->last, &a1, &i1, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_MAX_UPDATED);
	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, a0);
	store__bind_int(s, st, 3, i0);
	store__bind_int(s, st, 4, a1);
	store__bind_int(s, st, 5, i1);
	rc = store__row(s, st, &row, e, "finding a sitemap's last change");
	f->lastmod = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc;
}

static enum pr_err check_per_file(int per_file, struct pr_error *e)
{
	if (per_file < 1 || per_file > 50000)
		return pr_fail(e, PR_INVALID,
		               "%d items a sitemap: expected 1 to 50000",
		               per_file);
	return PR_OK;
}

enum pr_err store_sitemap_files(struct store *s, struct arena *ar,
                                const char *lang, int64_t now, int per_file,
                                struct sitemap_files *out, struct pr_error *e)
{
	int64_t top, n;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_per_file(per_file, e)) != PR_OK)
		return rc;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = store__visible_before(s, lang, now, INT64_MAX, &top, NULL, e);
	n = (top + per_file - 1) / per_file;
	if (rc != PR_OK || n == 0)
		goto out;
	if (n > FILES_MAX)
		n = FILES_MAX;
	out->v = arena_zalloc(ar, (size_t)n * sizeof(*out->v));
	if (out->v == NULL) {
		rc =
		    pr_fail(e, PR_NOMEM, "%s: sitemap: out of memory", s->path);
		goto out;
	}
	for (int64_t i = 0; i < n && rc == PR_OK; i++) {
		struct sitemap_file *f = &out->v[out->n++];
		f->first = i * per_file + 1;
		f->last = f->first + per_file - 1 < top
		              ? f->first + per_file - 1
		              : top;
		rc = range_lastmod(s, lang, f, e);
	}
out:
	store__read_end(s, opened);
	return rc;
}

/* The summary columns of the row st stands on, pointing into SQLite's
 * memory: valid until the next step. */
static void row_summary(sqlite3_stmt *st, struct article_summary *it)
{
	it->id = sqlite3_column_int64(st, 0);
	it->slug = (const char *)sqlite3_column_text(st, 1);
	it->lang = (const char *)sqlite3_column_text(st, 2);
	it->kind = (const char *)sqlite3_column_text(st, 3);
	it->title = (const char *)sqlite3_column_text(st, 4);
	it->lead = (const char *)sqlite3_column_text(st, 5);
	it->published_at = sqlite3_column_int64(st, 6);
	it->updated_at = sqlite3_column_int64(st, 7);
}

static enum pr_err each_row(struct store *s, sqlite3_stmt *st, store_item_fn fn,
                            void *ctx, struct pr_error *e)
{
	struct article_summary it;
	enum pr_err rc;
	bool row;

	while ((rc = store__row(s, st, &row, e, "reading a sitemap")) ==
	           PR_OK &&
	       row) {
		row_summary(st, &it);
		if (it.slug == NULL || it.title == NULL) {
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
			break;
		}
		if ((rc = fn(ctx, &it)) != PR_OK)
			break;
	}
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_sitemap_each(struct store *s, const char *lang, int64_t now,
                               int64_t file_no, int per_file, store_item_fn fn,
                               void *ctx, struct pr_error *e)
{
	int64_t top, first, last;
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened = false;

	if ((rc = check_per_file(per_file, e)) != PR_OK)
		return rc;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = store__visible_before(s, lang, now, INT64_MAX, &top, NULL, e);
	if (rc == PR_OK && (file_no < 1 || file_no > FILES_MAX ||
	                    file_no - 1 >= (top + per_file - 1) / per_file))
		rc = pr_fail(e, PR_NOTFOUND, "sitemap %s-%lld does not exist",
		             lang, (long long)file_no);
	if (rc != PR_OK)
		goto out;
	first = (file_no - 1) * per_file + 1;
	last = first + per_file - 1 < top ? first + per_file - 1 : top;
	st = store__stmt(s, STMT_NEWS_RANGE);
	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, first);
	store__bind_int(s, st, 3, last);
	rc = each_row(s, st, fn, ctx, e);
out:
	store__read_end(s, opened);
	return rc;
}
