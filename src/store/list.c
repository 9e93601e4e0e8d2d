/*
 * store/list.c: the lists readers browse: the news of a language page by
 * page, the items of a tag, person or place, and the translations of an
 * article. A news page costs the same deep in the archive as at its start:
 * every published item carries its position in its language's list (1 the
 * oldest, see STMT_RENUMBER_LANG), so the number of visible items is the
 * position of the newest one that is not in the future, and a page is a
 * range of positions read through an index.
 */
#include "store_int.h"

#include <string.h>

#define TRANSLATIONS_MAX 64

enum pr_err store__visible_before(struct store *s, const char *lang,
                                  int64_t now, int64_t t, int64_t *count,
                                  int64_t *last_at, struct pr_error *e)
{
	int64_t end = now < INT64_MAX ? now + 1 : INT64_MAX;
	sqlite3_stmt *st = store__stmt(s, STMT_POS_BEFORE);
	enum pr_err rc;
	bool row;

	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, t < end ? t : end);
	rc = store__row(s, st, &row, e, "counting visible items");
	*count = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
	if (last_at != NULL)
		*last_at = rc == PR_OK && row ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	return rc;
}

/* Reads the summary columns (SUMMARY in sql.c) of the row st stands on. */
static bool read_summary(struct arena *ar, sqlite3_stmt *st, void *p)
{
	struct article_summary *it = p;
	bool oom = false;

	it->id = sqlite3_column_int64(st, 0);
	it->slug = store__col_text(ar, st, 1, &oom);
	it->lang = store__col_text(ar, st, 2, &oom);
	it->kind = store__col_text(ar, st, 3, &oom);
	it->title = store__col_text(ar, st, 4, &oom);
	it->lead = store__col_text(ar, st, 5, &oom);
	it->published_at = sqlite3_column_int64(st, 6);
	it->updated_at = sqlite3_column_int64(st, 7);
	return !oom;
}

enum pr_err store__collect(struct store *s, struct arena *ar, sqlite3_stmt *st,
                           int cap, size_t size, store__read_fn read,
                           void **items, size_t *n, bool *has_more,
                           struct pr_error *e, const char *what)
{
	enum pr_err rc;
	char *v;
	bool row;

	*n = 0;
	*has_more = false;
	*items = v = arena_alloc(ar, (size_t)cap * size);
	if (v == NULL) {
		sqlite3_reset(st);
		return pr_fail(e, PR_NOMEM, "%s: %s: out of memory", s->path,
		               what);
	}
	while ((rc = store__row(s, st, &row, e, what)) == PR_OK && row) {
		if (*n == (size_t)cap) {
			*has_more = true;
			break;
		}
		if (!read(ar, st, v + (*n)++ * size)) {
			rc = pr_fail(e, PR_NOMEM, "%s: %s: out of memory",
			             s->path, what);
			break;
		}
	}
	sqlite3_reset(st);
	return rc;
}

enum pr_err store__list_fill(struct store *s, struct arena *ar,
                             sqlite3_stmt *st, int cap,
                             struct article_list *out, struct pr_error *e,
                             const char *what)
{
	void *items;
	enum pr_err rc;

	rc = store__collect(s, ar, st, cap, sizeof(*out->items), read_summary,
	                    &items, &out->n, &out->has_more, e, what);
	out->items = items;
	return rc;
}

static enum pr_err check_args(const char *lang, int64_t per_page,
                              struct pr_error *e)
{
	if (lang == NULL || lang[0] == '\0')
		return pr_fail(e, PR_INVALID, "no language given");
	if (per_page < 1 || per_page > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID,
		               "%lld items a page: expected 1 to %d",
		               (long long)per_page, STORE_LIMIT_MAX);
	return PR_OK;
}

enum pr_err store_news_page(struct store *s, struct arena *ar, const char *lang,
                            int64_t now, int64_t page, int per_page,
                            struct article_list *out, struct pr_error *e)
{
	int64_t top, hi, lo;
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_args(lang, per_page, e)) != PR_OK)
		return rc;
	if (page < 1)
		return pr_fail(e, PR_INVALID, "page %lld: pages start at 1",
		               (long long)page);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = store__visible_before(s, lang, now, INT64_MAX, &top, NULL, e);
	out->total = top;
	/* Past the end (written so that a huge page cannot overflow). */
	if (rc != PR_OK || page - 1 >= (top + per_page - 1) / per_page)
		goto out;
	hi = top - (page - 1) * per_page;
	lo = hi - per_page + 1 > 1 ? hi - per_page + 1 : 1;
	st = store__stmt(s, STMT_NEWS_RANGE);
	store__bind_text(s, st, 1, lang);
	store__bind_int(s, st, 2, lo);
	store__bind_int(s, st, 3, hi);
	rc = store__list_fill(s, ar, st, per_page, out, e, "reading news");
	out->has_more = lo > 1;
out:
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_entity_get(struct store *s, struct arena *ar,
                             enum entity_type type, struct str slug,
                             struct entity *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ENTITY_GET);
	enum pr_err rc;
	bool row, oom = false;

	memset(out, 0, sizeof(*out));
	if ((unsigned)type >= ENTITY_TYPES)
		return pr_fail(e, PR_INVALID, "entity type %d is unknown",
		               (int)type);
	store__bind_text(s, st, 1, store_entity_type_name(type));
	store__bind_str(s, st, 2, slug);
	if ((rc = store__row(s, st, &row, e, "reading an entity")) != PR_OK)
		return rc;
	if (!row) {
		rc = pr_fail(e, PR_NOTFOUND, "no %s has the slug \"%.*s\"",
		             store_entity_type_name(type), STR_FMT(slug));
		goto out;
	}
	out->id = sqlite3_column_int64(st, 0);
	out->type = type;
	out->name = store__col_text(ar, st, 1, &oom);
	out->slug = store__col_text(ar, st, 2, &oom);
	if (oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
out:
	sqlite3_reset(st);
	return rc;
}

static enum pr_err entity_count(struct store *s, int64_t entity_id,
                                const char *lang, int64_t now, int64_t *total,
                                struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ENTITY_COUNT);
	enum pr_err rc;
	bool row;

	store__bind_int(s, st, 1, entity_id);
	store__bind_text(s, st, 2, lang);
	store__bind_int(s, st, 3, now);
	rc = store__row(s, st, &row, e, "counting an entity's items");
	*total = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_entity_items(struct store *s, struct arena *ar,
                               int64_t entity_id, const char *lang, int64_t now,
                               struct cursor after, int per_page,
                               struct article_list *out, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_args(lang, per_page, e)) != PR_OK)
		return rc;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_ENTITY_ITEMS);
	store__bind_int(s, st, 1, entity_id);
	store__bind_text(s, st, 2, lang);
	store__bind_int(s, st, 3, now);
	store__bind_int(s, st, 4, after.published_at);
	store__bind_int(s, st, 5, after.id);
	store__bind_int(s, st, 6, (int64_t)per_page + 1);
	rc = store__list_fill(s, ar, st, per_page, out, e,
	                      "reading an entity's items");
	if (rc == PR_OK)
		rc = entity_count(s, entity_id, lang, now, &out->total, e);
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_translations(struct store *s, struct arena *ar, int64_t group,
                               int64_t except_id, int64_t now,
                               struct article_list *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_TRANSLATIONS);
	enum pr_err rc;

	memset(out, 0, sizeof(*out));
	store__bind_int(s, st, 1, group);
	store__bind_int(s, st, 2, except_id);
	store__bind_int(s, st, 3, now);
	store__bind_int(s, st, 4, TRANSLATIONS_MAX + 1);
	rc = store__list_fill(s, ar, st, TRANSLATIONS_MAX, out, e,
	                      "reading translations");
	out->total = (int64_t)out->n;
	return rc;
}
