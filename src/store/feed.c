/*
 * store/feed.c: the lists feeds follow (a language's news, or its items
 * of one tag, person, place or kind), newest first with a keyset cursor
 * or as the pages of a paged archive counted from the oldest item, so that
 * an archive page keeps its items as new ones arrive (RFC 5005); and the
 * time of a language's last change, for Last-Modified.
 */
#include "store_int.h"

#include <string.h>

static enum pr_err check_list(const struct store_list *l, int per_page,
                              struct pr_error *e)
{
	if (l->lang == NULL || l->lang[0] == '\0')
		return pr_fail(e, PR_INVALID, "no language given");
	if (l->entity_id != 0 && l->kind != NULL)
		return pr_fail(e, PR_INVALID,
		               "a list follows an entity or a kind, not both");
	if (l->kind != NULL && !store_kind_valid(str_c(l->kind)))
		return pr_fail(e, PR_INVALID, "kind \"%s\" is unknown",
		               l->kind);
	if (per_page < 1 || per_page > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID,
		               "%d items a page: expected 1 to %d", per_page,
		               STORE_LIMIT_MAX);
	return PR_OK;
}

/* Runs a statement that gives one count. */
static enum pr_err one_count(struct store *s, sqlite3_stmt *st, int64_t *n,
                             struct pr_error *e, const char *what)
{
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, what);
	*n = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc;
}

/* The number of visible items of the list. */
static enum pr_err list_total(struct store *s, const struct store_list *l,
                              int64_t now, int64_t *n, struct pr_error *e)
{
	sqlite3_stmt *st;

	if (l->entity_id == 0 && l->kind == NULL)
		return store__visible_before(s, l->lang, now, INT64_MAX, n,
		                             NULL, e);
	if (l->kind != NULL) {
		st = store__stmt(s, STMT_KIND_COUNT);
		store__bind_text(s, st, 1, l->lang);
		store__bind_text(s, st, 2, l->kind);
	} else {
		st = store__stmt(s, STMT_ENTITY_COUNT);
		store__bind_int(s, st, 1, l->entity_id);
		store__bind_text(s, st, 2, l->lang);
	}
	store__bind_int(s, st, 3, now);
	return one_count(s, st, n, e, "counting a list");
}

/* The statement of the list's newest items after the cursor. */
static sqlite3_stmt *newest_stmt(struct store *s, const struct store_list *l,
                                 int64_t now, struct cursor after, int limit)
{
	int64_t upto = now;
	sqlite3_stmt *st;
	int i = 1;

	if (after.id != 0 && after.published_at < upto)
		upto = after.published_at;
	if (l->kind != NULL) {
		st = store__stmt(s, STMT_KIND_ITEMS);
		store__bind_text(s, st, i++, l->lang);
		store__bind_text(s, st, i++, l->kind);
	} else {
		st = store__stmt(s, STMT_LANG_ITEMS);
		store__bind_text(s, st, i++, l->lang);
	}
	store__bind_int(s, st, i++, upto);
	store__bind_int(s, st, i++, after.published_at);
	store__bind_int(s, st, i++, after.id);
	store__bind_int(s, st, i, (int64_t)limit + 1);
	return st;
}

enum pr_err store_list_items(struct store *s, struct arena *ar,
                             const struct store_list *l, int64_t now,
                             struct cursor after, int per_page,
                             struct article_list *out, struct pr_error *e)
{
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_list(l, per_page, e)) != PR_OK)
		return rc;
	if (l->entity_id != 0)
		return store_entity_items(s, ar, l->entity_id, l->lang, now,
		                          after, per_page, out, e);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = store__list_fill(s, ar, newest_stmt(s, l, now, after, per_page),
	                      per_page, out, e, "reading a list");
	if (rc == PR_OK)
		rc = list_total(s, l, now, &out->total, e);
	store__read_end(s, opened);
	return rc;
}

/* Reverses the items, oldest first to newest first. */
static void reverse(struct article_list *out)
{
	for (size_t i = 0; i < out->n / 2; i++) {
		struct article_summary t = out->items[i];
		out->items[i] = out->items[out->n - 1 - i];
		out->items[out->n - 1 - i] = t;
	}
}

/* Items first..last (1 the oldest) of a list of the language alone, read
 * by their list positions. */
static enum pr_err lang_range(struct store *s, struct arena *ar,
                              const char *lang, int64_t first, int64_t last,
                              int cap, struct article_list *out,
                              struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_NEWS_RANGE);

	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, first);
	store__bind_int(s, st, 3, last);
	return store__list_fill(s, ar, st, cap, out, e, "reading a list");
}

/* The same for a kind or an entity, where items carry no position. */
static enum pr_err other_range(struct store *s, struct arena *ar,
                               const struct store_list *l, int64_t now,
                               int64_t first, int cap, struct article_list *out,
                               struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if (l->kind != NULL) {
		st = store__stmt(s, STMT_KIND_OLDEST);
		store__bind_text(s, st, 1, l->lang);
		store__bind_text(s, st, 2, l->kind);
	} else {
		st = store__stmt(s, STMT_ENTITY_OLDEST);
		store__bind_int(s, st, 1, l->entity_id);
		store__bind_text(s, st, 2, l->lang);
	}
	store__bind_int(s, st, 3, now);
	store__bind_int(s, st, 4, cap);
	store__bind_int(s, st, 5, first - 1);
	rc = store__list_fill(s, ar, st, cap, out, e, "reading a list");
	if (rc == PR_OK)
		reverse(out);
	return rc;
}

enum pr_err store_list_archive(struct store *s, struct arena *ar,
                               const struct store_list *l, int64_t now,
                               int64_t page, int per_page,
                               struct article_list *out, struct pr_error *e)
{
	int64_t first, last;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_list(l, per_page, e)) != PR_OK)
		return rc;
	if (page < 1)
		return pr_fail(e, PR_INVALID, "page %lld: pages start at 1",
		               (long long)page);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = list_total(s, l, now, &out->total, e);
	/* Past the end (written so that a huge page cannot overflow). */
	if (rc != PR_OK || page - 1 >= (out->total + per_page - 1) / per_page)
		goto out;
	first = (page - 1) * per_page + 1;
	last = first + per_page - 1 < out->total ? first + per_page - 1
	                                         : out->total;
	if (l->entity_id == 0 && l->kind == NULL)
		rc = lang_range(s, ar, l->lang, first, last, per_page, out, e);
	else
		rc = other_range(s, ar, l, now, first, per_page, out, e);
	out->has_more = first > 1;
out:
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_lang_changed(struct store *s, const char *lang, int64_t now,
                               int64_t *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_LANG_CHANGED);

	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, now);
	return one_count(s, st, out, e, "finding the last change");
}
