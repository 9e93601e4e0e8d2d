/*
 * store/edit.c: what editors change after an article exists. A save
 * writes a new revision together with the article row, its rendered text,
 * its entity links, its place in the lists and the generation, refusing a
 * save that started from an older revision than the current one. Status
 * changes (publish, schedule, withdraw) move the article in and out of
 * the lists without a new revision. Also the workflow beside the status
 * and the revisions read back.
 */
#include "store_int.h"

#include <string.h>

#define TIME_MIN (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define TIME_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */

static enum pr_err workflow_rows(struct store *s, enum stmt which, int64_t id,
                                 int64_t v, const char *text,
                                 struct pr_error *e);

/* What the article is before a change. */
struct current {
	int revision;
	enum article_status status;
	char lang[STORE_LANG_MAX];
	int64_t published_at, pos, group, updated_at; /* pos -1: NULL */
};

static enum pr_err read_current(struct store *s, int64_t id, struct current *c,
                                struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_EDIT_CURRENT);
	const char *status, *lang;
	enum pr_err rc;
	bool row;

	memset(c, 0, sizeof(*c));
	store__bind_int(s, st, 1, id);
	if ((rc = store__row(s, st, &row, e, "reading an article")) != PR_OK)
		return rc;
	if (!row) {
		rc = pr_fail(e, PR_NOTFOUND, "article %lld does not exist",
		             (long long)id);
		goto out;
	}
	c->revision = (int)sqlite3_column_int64(st, 0);
	status = (const char *)sqlite3_column_text(st, 1);
	lang = (const char *)sqlite3_column_text(st, 2);
	c->published_at = sqlite3_column_int64(st, 3);
	c->pos = sqlite3_column_type(st, 4) == SQLITE_NULL
	             ? -1
	             : sqlite3_column_int64(st, 4);
	c->group = sqlite3_column_int64(st, 5);
	c->updated_at = sqlite3_column_int64(st, 7);
	snprintf(c->lang, sizeof(c->lang), "%s", lang ? lang : "");
	if (!store_status_parse(str_c(status), &c->status))
		rc = pr_fail(e, PR_CORRUPT,
		             "%s: article %lld has an unknown status", s->path,
		             (long long)id);
out:
	sqlite3_reset(st);
	return rc;
}

/* Where an article goes in the lists after a change. */
struct placing {
	int64_t pos;            /* -1: not published (NULL) */
	struct lang_tail *tail; /* to update when it went at the end */
};

/*
 * The new list position of article id becoming (status, lang, at) from c:
 * unchanged when it stays where it was, one past the end when it sorts
 * after every published item of its language, else 0 with the language
 * renumbered at the end of the transaction (as article.c does).
 */
static enum pr_err place(struct store *s, int64_t id, const struct current *c,
                         enum article_status status, const char *lang,
                         int64_t at, struct placing *p, struct pr_error *e)
{
	bool was = c->status == ARTICLE_PUBLISHED;
	struct lang_tail *t;
	enum pr_err rc;

	memset(p, 0, sizeof(*p));
	p->pos = -1;
	if (status != ARTICLE_PUBLISHED) {
		if (was)
			store__lang_dirty(s, c->lang);
		return PR_OK;
	}
	if (was && strcmp(c->lang, lang) == 0 && c->published_at == at) {
		p->pos = c->pos;
		return PR_OK;
	}
	if (was)
		store__lang_dirty(s, c->lang);
	p->pos = 0;
	if ((t = store__lang(s, lang)) == NULL || t->dirty) {
		store__lang_dirty(s, lang);
		return PR_OK;
	}
	if ((rc = store__find_tail(s, t, e)) != PR_OK)
		return rc;
	if (t->last_pos == 0 || at > t->last_at ||
	    (at == t->last_at && id > t->last_id)) {
		p->pos = t->last_pos + 1;
		p->tail = t;
	} else {
		store__lang_dirty(s, lang);
	}
	return PR_OK;
}

/* After the row was written: the language's new end, and the generation
 * when readers may see a difference. */
static void placed(struct store *s, const struct current *c,
                   const struct placing *p, int64_t id, int64_t at,
                   bool published)
{
	if (p->tail != NULL) {
		p->tail->last_at = at;
		p->tail->last_id = id;
		p->tail->last_pos = p->pos;
	}
	if (published || c->status == ARTICLE_PUBLISHED)
		store__touch(s);
}

static void bind_pos(struct store *s, sqlite3_stmt *st, int i, int64_t pos)
{
	if (pos >= 0)
		store__bind_int(s, st, i, pos);
	else
		store__bind_null(s, st, i);
}

/* Saving */

/* The translation group of an article linked to translation_of. */
static enum pr_err group_of(struct store *s, const struct article *a,
                            int64_t *group, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	*group = a->id;
	if (a->translation_of == 0)
		return PR_OK;
	if (a->translation_of == a->id)
		return pr_fail(e, PR_INVALID,
		               "article %lld cannot be a translation of itself",
		               (long long)a->id);
	st = store__stmt(s, STMT_ARTICLE_GROUP);
	store__bind_int(s, st, 1, a->translation_of);
	rc = store__row(s, st, &row, e, "finding a translation group");
	if (rc == PR_OK && row)
		*group = sqlite3_column_int64(st, 0);
	else if (rc == PR_OK)
		rc = pr_fail(e, PR_NOTFOUND,
		             "translation of: article %lld does not exist",
		             (long long)a->translation_of);
	sqlite3_reset(st);
	return rc;
}

/* The fields of a save, worked out before anything is written. */
struct save {
	struct article *a;
	const struct revision_meta *m;
	struct current cur;
	struct placing place;
	int64_t group, now, updated_at;
	char slug[SLUG_MAX + 1];
	char hash[65];
};

static enum pr_err write_article(struct store *s, struct save *sv,
                                 struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_EDIT_ARTICLE);
	const struct article *a = sv->a;

	store__bind_int(s, st, 1, a->id);
	store__bind_text(s, st, 2, a->lang);
	bind_pos(s, st, 3, sv->place.pos);
	store__bind_int(s, st, 4, a->published_at);
	store__bind_text(s, st, 5, store_status_name(a->status));
	store__bind_text(s, st, 6, a->kind && a->kind[0] ? a->kind : "news");
	store__bind_int(s, st, 7, sv->group);
	store__bind_int(s, st, 8, sv->cur.revision + 1);
	store__bind_int(s, st, 9, sv->updated_at);
	store__bind_text(s, st, 10, sv->slug);
	store__bind_text(s, st, 11, a->title);
	store__bind_text(s, st, 12, a->lead);
	store__bind_text(s, st, 13, a->author);
	return store__exec(s, st, e, "saving an article");
}

static enum pr_err write_revision(struct store *s, struct save *sv,
                                  struct pr_error *e)
{
	const struct article *a = sv->a;
	const struct revision_meta *m = sv->m;
	sqlite3_stmt *st = store__stmt(s, STMT_EDIT_HTML);
	enum pr_err rc;

	store__bind_int(s, st, 1, a->id);
	store__bind_text(s, st, 2, a->body_html);
	if ((rc = store__exec(s, st, e, "saving the text")) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_REVISION_INSERT);
	store__bind_int(s, st, 1, a->id);
	store__bind_int(s, st, 2, sv->cur.revision + 1);
	store__bind_int(s, st, 3, sv->now);
	store__bind_text(s, st, 4, m->who);
	store__bind_text(s, st, 5, sv->hash);
	store__bind_text(s, st, 6, m->note);
	store__bind_text(s, st, 7, a->title);
	store__bind_text(s, st, 8, a->lead);
	store__bind_text(s, st, 9, a->body);
	if (a->body_text != NULL)
		store__bind_text(s, st, 10, a->body_text);
	else
		store__bind_null(s, st, 10);
	if ((rc = store__exec(s, st, e, "saving a revision")) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_REVINFO_INSERT);
	store__bind_int(s, st, 1, sqlite3_last_insert_rowid(s->db));
	store__bind_int(s, st, 2, m->user_id);
	store__bind_int(s, st, 3, m->public);
	store__bind_int(s, st, 4, m->base);
	return store__exec(s, st, e, "saving a revision");
}

static enum pr_err relink(struct store *s, const struct article *a,
                          struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_EDIT_UNLINK);
	enum pr_err rc;

	store__bind_int(s, st, 1, a->id);
	if ((rc = store__exec(s, st, e, "unlinking entities")) != PR_OK)
		return rc;
	return store__article_link(s, a->id, a, e);
}

/* Checks the base and works out the save; changes nothing. */
static enum pr_err plan_save(struct store *s, struct save *sv,
                             struct pr_error *e)
{
	struct article *a = sv->a;
	enum pr_err rc;

	if ((rc = read_current(s, a->id, &sv->cur, e)) != PR_OK)
		return rc;
	if (sv->m->base != sv->cur.revision)
		return pr_fail(e, PR_CONFLICT,
		               "article %lld was saved again (revision %d) "
		               "after revision %d, which this edit started "
		               "from",
		               (long long)a->id, sv->cur.revision, sv->m->base);
	if ((rc = group_of(s, a, &sv->group, e)) != PR_OK)
		return rc;
	return place(s, a->id, &sv->cur, a->status, a->lang, a->published_at,
	             &sv->place, e);
}

static enum pr_err save_rows(struct store *s, struct save *sv,
                             struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = plan_save(s, sv, e)) != PR_OK)
		goto out;
	if ((rc = write_article(s, sv, e)) != PR_OK)
		goto out;
	if ((rc = write_revision(s, sv, e)) != PR_OK)
		goto out;
	if ((rc = relink(s, sv->a, e)) != PR_OK)
		goto out;
	placed(s, &sv->cur, &sv->place, sv->a->id, sv->a->published_at,
	       sv->a->status == ARTICLE_PUBLISHED);
out:
	return rc;
}

enum pr_err store_article_update(struct store *s, struct article *a,
                                 const struct revision_meta *m,
                                 struct pr_error *e)
{
	struct save sv;
	enum pr_err rc;
	char who[48];

	memset(&sv, 0, sizeof(sv));
	sv.a = a;
	sv.m = m;
	sv.now = m->saved_at ? m->saved_at : pr_now();
	sv.updated_at = a->updated_at ? a->updated_at : sv.now;
	snprintf(who, sizeof(who), "article %lld", (long long)a->id);
	if (a->id <= 0)
		return pr_fail(e, PR_INVALID, "no article id to save");
	if ((rc = store__article_check(a, who, e)) != PR_OK)
		return rc;
	rc = store__article_prepare(s, a, sv.slug, sv.hash, e);
	if (rc != PR_OK)
		return rc;
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = store__write_end(s, save_rows(s, &sv, e), e);
	if (rc == PR_OK) {
		a->revision = sv.cur.revision + 1;
		a->translation_group = sv.group;
		a->updated_at = sv.updated_at;
	}
	return rc;
}

/* Status changes */

static enum pr_err status_rows(struct store *s, int64_t id,
                               enum article_status status, int64_t at,
                               int64_t updated_at, int64_t user,
                               struct pr_error *e)
{
	struct current c;
	struct placing p;
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = read_current(s, id, &c, e)) != PR_OK)
		return rc;
	if ((rc = place(s, id, &c, status, c.lang, at, &p, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_EDIT_STATUS);
	store__bind_int(s, st, 1, id);
	store__bind_text(s, st, 2, store_status_name(status));
	bind_pos(s, st, 3, p.pos);
	store__bind_int(s, st, 4, at);
	if (updated_at != 0)
		store__bind_int(s, st, 5, updated_at);
	else
		store__bind_null(s, st, 5);
	if ((rc = store__exec(s, st, e, "changing a status")) != PR_OK)
		return rc;
	if (status == ARTICLE_PUBLISHED) {
		st = store__stmt(s, STMT_REVINFO_PUBLIC);
		store__bind_int(s, st, 1, id);
		store__bind_int(s, st, 2, c.revision);
		store__bind_int(s, st, 3, user);
		rc = store__exec(s, st, e, "marking a public version");
		if (rc == PR_OK)
			rc = workflow_rows(s, STMT_WF_SUBMIT, id, 0, NULL, e);
	}
	if (rc == PR_OK)
		placed(s, &c, &p, id, at, status == ARTICLE_PUBLISHED);
	return rc;
}

enum pr_err store_article_set_status(struct store *s, int64_t id,
                                     enum article_status status,
                                     int64_t published_at, int64_t updated_at,
                                     int64_t user_id, struct pr_error *e)
{
	enum pr_err rc;

	if ((unsigned)status > ARTICLE_WITHDRAWN)
		return pr_fail(e, PR_INVALID, "status %d is unknown",
		               (int)status);
	if (published_at < TIME_MIN || published_at > TIME_MAX)
		return pr_fail(e, PR_INVALID,
		               "date out of range (years 1 to 9999)");
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = status_rows(s, id, status, published_at, updated_at, user_id, e);
	return store__write_end(s, rc, e);
}

/* The workflow */

enum pr_err store_workflow_get(struct store *s, struct arena *ar, int64_t id,
                               struct workflow *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_WF_GET);
	enum pr_err rc;
	bool row, oom = false;

	memset(out, 0, sizeof(*out));
	out->withdrawn_note = "";
	store__bind_int(s, st, 1, id);
	rc = store__row(s, st, &row, e, "reading the workflow");
	if (rc == PR_OK && row) {
		out->owner_id = sqlite3_column_int64(st, 0);
		out->submitted_at = sqlite3_column_int64(st, 1);
		out->withdrawn_at = sqlite3_column_int64(st, 2);
		out->withdrawn_note = store__col_text(ar, st, 3, &oom);
	}
	sqlite3_reset(st);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	return rc;
}

/* Runs a workflow upsert of article id; v 0 binds NULL. */
static enum pr_err workflow_rows(struct store *s, enum stmt which, int64_t id,
                                 int64_t v, const char *text,
                                 struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, which);
	enum pr_err rc = PR_OK;
	int src;

	store__bind_int(s, st, 1, id);
	if (v != 0)
		store__bind_int(s, st, 2, v);
	else
		store__bind_null(s, st, 2);
	if (text != NULL)
		store__bind_text(s, st, 3, text);
	src = store__step(s, st);
	if (src == SQLITE_CONSTRAINT_FOREIGNKEY)
		rc = pr_fail(e, PR_NOTFOUND,
		             "article %lld or its owner does not exist",
		             (long long)id);
	else if (src != SQLITE_DONE)
		rc = store__fail(s, e, src, "changing the workflow of %lld",
		                 (long long)id);
	sqlite3_reset(st);
	return rc;
}

/* The same in its own write. */
static enum pr_err workflow_write(struct store *s, enum stmt which, int64_t id,
                                  int64_t v, const char *text,
                                  struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = workflow_rows(s, which, id, v, text, e);
	return store__write_end(s, rc, e);
}

enum pr_err store_workflow_set_owner(struct store *s, int64_t id,
                                     int64_t owner_id, struct pr_error *e)
{
	return workflow_write(s, STMT_WF_OWNER, id, owner_id, NULL, e);
}

enum pr_err store_workflow_submit(struct store *s, int64_t id, bool submit,
                                  int64_t now, struct pr_error *e)
{
	return workflow_write(s, STMT_WF_SUBMIT, id, submit ? now : 0, NULL, e);
}

enum pr_err store_workflow_withdrawn(struct store *s, int64_t id, int64_t at,
                                     const char *note, struct pr_error *e)
{
	return workflow_write(s, STMT_WF_WITHDRAWN, id, at, note ? note : "",
	                      e);
}

/* Revisions */

/* Reads REVISION (sql.c), and the text after it when with_text. */
static bool read_revision(struct arena *ar, sqlite3_stmt *st, bool with_text,
                          struct revision *r)
{
	bool oom = false;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->revision = (int)sqlite3_column_int64(st, 1);
	r->saved_at = sqlite3_column_int64(st, 2);
	r->author = store__col_text(ar, st, 3, &oom);
	r->hash = store__col_text(ar, st, 4, &oom);
	r->note = store__col_text(ar, st, 5, &oom);
	r->user_id = sqlite3_column_int64(st, 6);
	r->base = (int)sqlite3_column_int64(st, 7);
	r->public = sqlite3_column_int64(st, 8) != 0;
	if (with_text) {
		r->title = store__col_text(ar, st, 9, &oom);
		r->lead = store__col_text(ar, st, 10, &oom);
		r->body = store__col_text(ar, st, 11, &oom);
	}
	return !oom;
}

enum pr_err store_revisions(struct store *s, struct arena *ar,
                            int64_t article_id, bool with_text,
                            struct revision **out, size_t *n,
                            struct pr_error *e)
{
	sqlite3_stmt *st =
	    store__stmt(s, with_text ? STMT_REVISIONS_TEXT : STMT_REVISIONS);
	struct revision *v = arena_alloc(ar, STORE_REVISIONS_MAX * sizeof(*v));
	enum pr_err rc;
	bool row;

	*out = v;
	*n = 0;
	if (v == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, STORE_REVISIONS_MAX);
	while ((rc = store__row(s, st, &row, e, "reading revisions")) ==
	           PR_OK &&
	       row) {
		if (!read_revision(ar, st, with_text, &v[*n])) {
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < *n / 2; i++) {
		struct revision t = v[i];
		v[i] = v[*n - 1 - i];
		v[*n - 1 - i] = t;
	}
	return rc;
}

enum pr_err store_revision_get(struct store *s, struct arena *ar,
                               int64_t article_id, int revision,
                               struct revision *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_REVISION_GET);
	enum pr_err rc;
	bool row;

	memset(out, 0, sizeof(*out));
	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, revision);
	if ((rc = store__row(s, st, &row, e, "reading a revision")) != PR_OK)
		return rc;
	if (!row)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld has no revision %d",
		             (long long)article_id, revision);
	else if (!read_revision(ar, st, true, out))
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	sqlite3_reset(st);
	return rc;
}
