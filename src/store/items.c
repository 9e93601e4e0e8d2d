/*
 * store/items.c: the editors' lists: every item in any status with
 * filters, most recently changed first and continued by a keyset cursor
 * (so page 500 costs what page 1 does), the dashboard's short lists and
 * the names of entities for suggestions.
 */
#include "store_int.h"

#include <string.h>

#define NAMES_MAX 2000

/* Reads ITEM (sql.c) of the row st stands on. */
static bool read_item(struct arena *ar, sqlite3_stmt *st, void *p)
{
	struct item *it = p;
	const char *status;
	bool oom = false;

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->slug = store__col_text(ar, st, 1, &oom);
	it->lang = store__col_text(ar, st, 2, &oom);
	it->kind = store__col_text(ar, st, 3, &oom);
	it->title = store__col_text(ar, st, 4, &oom);
	it->author = store__col_text(ar, st, 5, &oom);
	status = (const char *)sqlite3_column_text(st, 6);
	if (!store_status_parse(str_c(status), &it->status))
		it->status = ARTICLE_DRAFT;
	it->published_at = sqlite3_column_int64(st, 7);
	it->updated_at = sqlite3_column_int64(st, 8);
	it->submitted_at = sqlite3_column_int64(st, 9);
	it->owner_id = sqlite3_column_int64(st, 10);
	it->revision = (int)sqlite3_column_int64(st, 11);
	return !oom;
}

/* Steps st and keeps up to cap items; has_more tells whether another
 * followed. Resets st. */
static enum pr_err fill(struct store *s, struct arena *ar, sqlite3_stmt *st,
                        int cap, struct item_list *out, struct pr_error *e,
                        const char *what)
{
	void *items;
	enum pr_err rc;

	memset(out, 0, sizeof(*out));
	rc = store__collect(s, ar, st, cap, sizeof(*out->items), read_item,
	                    &items, &out->n, &out->has_more, e, what);
	out->items = items;
	return rc;
}

static bool state_valid(const char *state)
{
	static const char *const states[] = {
	    "", "draft", "submitted", "scheduled", "published", "withdrawn",
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(state, states[i]) == 0)
			return true;
	return false;
}

/* States kept in the small index of unpublished items. */
static bool unpublished_state(const char *state)
{
	return strcmp(state, "draft") == 0 || strcmp(state, "submitted") == 0 ||
	       strcmp(state, "withdrawn") == 0;
}

enum pr_err store_items(struct store *s, struct arena *ar,
                        const struct item_filter *f, int64_t now,
                        struct cursor after, int limit, struct item_list *out,
                        struct pr_error *e)
{
	const char *state = f->state ? f->state : "";
	sqlite3_stmt *st;

	memset(out, 0, sizeof(*out));
	if (limit < 1 || limit > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID,
		               "%d items a page: expected 1 to %d", limit,
		               STORE_LIMIT_MAX);
	if (!state_valid(state))
		return pr_fail(e, PR_INVALID, "state \"%s\" is unknown", state);
	st = store__stmt(s, unpublished_state(state) ? STMT_ITEMS_UNPUBLISHED
	                                             : STMT_ITEMS_ANY);
	store__bind_text(s, st, 1, f->lang ? f->lang : "");
	store__bind_text(s, st, 2, f->kind ? f->kind : "");
	store__bind_int(s, st, 3, f->owner_id);
	store__bind_str(s, st, 4, f->q.p ? f->q : STR_LIT(""));
	store__bind_int(s, st, 5, after.id ? after.published_at : INT64_MAX);
	store__bind_int(s, st, 6, after.id ? after.id : INT64_MAX);
	store__bind_int(s, st, 7, (int64_t)limit + 1);
	store__bind_text(s, st, 8, state);
	store__bind_int(s, st, 9, now);
	return fill(s, ar, st, limit, out, e, "listing items");
}

enum pr_err store_dashboard(struct store *s, struct arena *ar,
                            enum store_dash which, int64_t user_id,
                            const char *lang, int64_t now, int limit,
                            struct item_list *out, struct pr_error *e)
{
	static const enum stmt stmts[] = {
	    [DASH_MY_DRAFTS] = STMT_DASH_MY_DRAFTS,
	    [DASH_REVIEW] = STMT_DASH_REVIEW,
	    [DASH_SCHEDULED] = STMT_DASH_SCHEDULED,
	    [DASH_RECENT] = STMT_DASH_RECENT,
	    [DASH_UNTRANSLATED] = STMT_DASH_UNTRANSLATED,
	};
	sqlite3_stmt *st;

	memset(out, 0, sizeof(*out));
	if ((unsigned)which > DASH_UNTRANSLATED || limit < 1 ||
	    limit > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID, "dashboard: bad list or limit");
	st = store__stmt(s, stmts[which]);
	if (which == DASH_UNTRANSLATED)
		store__bind_text(s, st, 1, lang ? lang : "");
	else
		store__bind_int(s, st, 1, user_id);
	store__bind_int(s, st, 2, now);
	store__bind_int(s, st, 3, (int64_t)limit + 1);
	return fill(s, ar, st, limit, out, e, "reading the dashboard");
}

enum pr_err store_entity_names(struct store *s, struct arena *ar,
                               enum entity_type type, int limit,
                               const char ***out, size_t *n, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ENTITY_NAMES);
	const char **v;
	enum pr_err rc;
	bool row, oom = false;

	*n = 0;
	if (limit < 1 || limit > NAMES_MAX)
		limit = NAMES_MAX;
	if ((*out = v = arena_alloc(ar, (size_t)limit * sizeof(*v))) == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	store__bind_text(s, st, 1, store_entity_type_name(type));
	store__bind_int(s, st, 2, limit);
	while ((rc = store__row(s, st, &row, e, "listing names")) == PR_OK &&
	       row && !oom)
		v[(*n)++] = store__col_text(ar, st, 0, &oom);
	sqlite3_reset(st);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	return rc;
}
