/*
 * store/audit.c: the audit log (who did what and when, appended in the
 * same transaction as the action), embargo preview tokens and the forms
 * the editor's autosave script keeps.
 */
#include "store_int.h"

#include <string.h>

#define PREVIEWS_MAX 100

enum pr_err store_audit_add(struct store *s, const struct audit_entry *a,
                            struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if (a->action == NULL || a->action[0] == '\0')
		return pr_fail(e, PR_INVALID, "audit: no action");
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_AUDIT_INSERT);
	store__bind_int(s, st, 1, a->at ? a->at : pr_now());
	store__bind_int(s, st, 2, a->user_id);
	store__bind_text(s, st, 3, a->login);
	store__bind_text(s, st, 4, a->action);
	store__bind_int(s, st, 5, a->article_id);
	store__bind_text(s, st, 6, a->detail);
	store__bind_text(s, st, 7, a->address);
	rc = store__exec(s, st, e, "writing the audit log");
	return store__write_end(s, rc, e);
}

static bool read_audit(struct arena *ar, sqlite3_stmt *st,
                       struct audit_entry *a)
{
	bool oom = false;

	a->id = sqlite3_column_int64(st, 0);
	a->at = sqlite3_column_int64(st, 1);
	a->user_id = sqlite3_column_int64(st, 2);
	a->login = store__col_text(ar, st, 3, &oom);
	a->action = store__col_text(ar, st, 4, &oom);
	a->article_id = sqlite3_column_int64(st, 5);
	a->detail = store__col_text(ar, st, 6, &oom);
	a->address = store__col_text(ar, st, 7, &oom);
	return !oom;
}

enum pr_err store_audit_list(struct store *s, struct arena *ar,
                             int64_t before_id, int limit, int64_t article_id,
                             const char *login, struct audit_entry **out,
                             size_t *n, struct pr_error *e)
{
	sqlite3_stmt *st;
	struct audit_entry *v;
	enum pr_err rc;
	bool row;

	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > STORE_AUDIT_PAGE_MAX)
		return pr_fail(e, PR_INVALID, "%d lines: expected 1 to %d",
		               limit, STORE_AUDIT_PAGE_MAX);
	if ((v = arena_zalloc(ar, (size_t)limit * sizeof(*v))) == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	st = store__stmt(s, STMT_AUDIT_LIST);
	store__bind_int(s, st, 1, before_id > 0 ? before_id : INT64_MAX);
	store__bind_int(s, st, 2, article_id);
	store__bind_text(s, st, 3, login ? login : "");
	store__bind_int(s, st, 4, limit);
	while ((rc = store__row(s, st, &row, e, "reading the audit log")) ==
	           PR_OK &&
	       row) {
		if (!read_audit(ar, st, &v[*n])) {
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	*out = v;
	return rc;
}

/* Embargo preview tokens */

enum pr_err store_preview_add(struct store *s, const struct preview_token *t,
                              struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	int src;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_PREVIEW_INSERT);
	store__bind_text(s, st, 1, t->id);
	store__bind_int(s, st, 2, t->article_id);
	store__bind_int(s, st, 3, t->user_id);
	store__bind_int(s, st, 4, t->created_at);
	store__bind_int(s, st, 5, t->expires_at);
	src = store__step(s, st);
	if (src == SQLITE_CONSTRAINT_FOREIGNKEY)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld does not exist",
		             (long long)t->article_id);
	else if (src != SQLITE_DONE)
		rc = store__fail(s, e, src, "adding a preview link");
	sqlite3_reset(st);
	return store__write_end(s, rc, e);
}

enum pr_err store_preview_find(struct store *s, const char *id, int64_t now,
                               int64_t *article_id, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PREVIEW_FIND);
	enum pr_err rc;
	bool row;

	*article_id = 0;
	store__bind_text(s, st, 1, id);
	store__bind_int(s, st, 2, now);
	rc = store__row(s, st, &row, e, "reading a preview link");
	if (rc == PR_OK && row)
		*article_id = sqlite3_column_int64(st, 0);
	else if (rc == PR_OK)
		rc = pr_fail(e, PR_NOTFOUND,
		             "this preview link is unknown, expired or "
		             "revoked");
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_preview_revoke(struct store *s, int64_t article_id,
                                 int64_t now, int64_t *n, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	*n = 0;
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_PREVIEW_REVOKE);
	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, now);
	rc = store__exec(s, st, e, "revoking preview links");
	if (rc == PR_OK)
		*n = sqlite3_changes(s->db);
	return store__write_end(s, rc, e);
}

enum pr_err store_preview_list(struct store *s, struct arena *ar,
                               int64_t article_id, int64_t now,
                               struct preview_token **out, size_t *n,
                               struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PREVIEW_LIST);
	struct preview_token *v = arena_zalloc(ar, PREVIEWS_MAX * sizeof(*v));
	enum pr_err rc;
	bool row, oom = false;

	*out = v;
	*n = 0;
	if (v == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, now);
	store__bind_int(s, st, 3, PREVIEWS_MAX);
	while ((rc = store__row(s, st, &row, e, "listing preview links")) ==
	           PR_OK &&
	       row && !oom) {
		struct preview_token *t = &v[(*n)++];
		t->id = store__col_text(ar, st, 0, &oom);
		t->article_id = sqlite3_column_int64(st, 1);
		t->user_id = sqlite3_column_int64(st, 2);
		t->created_at = sqlite3_column_int64(st, 3);
		t->expires_at = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	return rc;
}

/* Autosaved forms */

enum pr_err store_autosave_put(struct store *s, const struct autosave *a,
                               struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_AUTOSAVE_PUT);
	store__bind_int(s, st, 1, a->user_id);
	store__bind_int(s, st, 2, a->article_id);
	store__bind_int(s, st, 3, a->base);
	store__bind_int(s, st, 4, a->saved_at ? a->saved_at : pr_now());
	store__bind_text(s, st, 5, a->form);
	rc = store__exec(s, st, e, "autosaving");
	return store__write_end(s, rc, e);
}

enum pr_err store_autosave_get(struct store *s, struct arena *ar,
                               int64_t user_id, int64_t article_id,
                               struct autosave *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_AUTOSAVE_GET);
	enum pr_err rc;
	bool row, oom = false;

	memset(out, 0, sizeof(*out));
	store__bind_int(s, st, 1, user_id);
	store__bind_int(s, st, 2, article_id);
	if ((rc = store__row(s, st, &row, e, "reading an autosave")) != PR_OK)
		return rc;
	if (row) {
		out->user_id = user_id;
		out->article_id = article_id;
		out->base = sqlite3_column_int64(st, 0);
		out->saved_at = sqlite3_column_int64(st, 1);
		out->form = store__col_text(ar, st, 2, &oom);
	}
	sqlite3_reset(st);
	if (!row)
		return pr_fail(e, PR_NOTFOUND, "no autosave");
	if (oom)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	return PR_OK;
}

enum pr_err store_autosave_delete(struct store *s, int64_t user_id,
                                  int64_t article_id, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_AUTOSAVE_DELETE);
	store__bind_int(s, st, 1, user_id);
	store__bind_int(s, st, 2, article_id);
	rc = store__exec(s, st, e, "removing an autosave");
	return store__write_end(s, rc, e);
}
