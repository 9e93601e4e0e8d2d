/*
 * admin/revisions.c: every saved version of an item, the differences
 * between any two of them (title, lead and body, word by word), and the
 * restore of an old one as a new revision (a correction, with its public
 * note, when the item is out).
 */
#include "admin_int.h"

#include <string.h>

#define DIFF_MAX ((size_t)8 << 20)

static struct tval *revision_value(struct areq *r, const struct revision *v,
                                   int a, int b)
{
	struct tval *t = tv_obj(r->a);

	tv_set_int(t, "revision", v->revision);
	tv_set(t, "saved", admin__time(r, v->saved_at));
	tv_set_cstr(t, "author", v->author);
	tv_set_cstr(t, "note", v->note);
	tv_set_bool(t, "public", v->public);
	tv_set_int(t, "base", v->base);
	tv_set_bool(t, "is_a", v->revision == a);
	tv_set_bool(t, "is_b", v->revision == b);
	return t;
}

/* The differences of one part ("title", "lead", "body") into key. */
static enum pr_err diff_part(struct areq *r, struct tval *obj, const char *key,
                             const char *a, const char *b)
{
	struct buf out;
	enum pr_err rc;

	buf_init(&out, DIFF_MAX);
	rc = render_diff(&out, str_c(a), str_c(b), &r->err);
	if (rc == PR_OK)
		tv_set(obj, key, tv_html(r->a, buf_str(&out)));
	tv_set_bool(obj, arena_printf(r->a, "%s_changed", key),
	            strcmp(a, b) != 0);
	buf_free(&out);
	return rc;
}

static enum pr_err diff_model(struct areq *r, int a, int b)
{
	struct revision ra, rb;
	struct tval *d = tv_obj(r->a);
	enum pr_err rc;

	if ((rc = store_revision_get(r->st, r->a, r->id, a, &ra, &r->err)) !=
	        PR_OK ||
	    (rc = store_revision_get(r->st, r->a, r->id, b, &rb, &r->err)) !=
	        PR_OK) {
		r->status = rc == PR_NOTFOUND ? 404 : 0;
		return rc;
	}
	tv_set_int(d, "a", a);
	tv_set_int(d, "b", b);
	if ((rc = diff_part(r, d, "title", ra.title, rb.title)) == PR_OK &&
	    (rc = diff_part(r, d, "lead", ra.lead, rb.lead)) == PR_OK)
		rc = diff_part(r, d, "body", ra.body, rb.body);
	tv_set(r->model, "diff", d);
	return rc;
}

/* ?a=N&b=M, each 1..current; the defaults compare the last two. */
static int rev_arg(struct areq *r, const char *key, int dflt, int max)
{
	int64_t v;

	if (!str_to_i64(http_query(r->http, key), 1, max, &v))
		return dflt;
	return (int)v;
}

enum pr_err admin__revisions(struct areq *r)
{
	struct tval *list = tv_list(r->a);
	struct revision *v;
	struct workflow wf;
	enum item_state st;
	struct article art;
	enum pr_err rc;
	size_t n;
	int a, b;

	if ((rc = admin__load_item(r, ACT_VIEW, &art, &wf, &st)) != PR_OK)
		return rc;
	if ((rc = store_revisions(r->st, r->a, r->id, false, &v, &n,
	                          &r->err)) != PR_OK)
		return rc;
	b = rev_arg(r, "b", art.revision, art.revision);
	a = rev_arg(r, "a", b > 1 ? b - 1 : 1, art.revision);
	admin__model(r, "Revisions", "items");
	for (size_t i = n; i-- > 0;)
		tv_push(list, revision_value(r, &v[i], a, b));
	tv_set(r->model, "revisions", list);
	tv_set_int(r->model, "id", art.id);
	tv_set_cstr(r->model, "title", art.title);
	tv_set_int(r->model, "current", art.revision);
	tv_set_cstr(r->model, "edit_url",
	            arena_printf(r->a, "/admin/items/%lld", (long long)art.id));
	tv_set_bool(r->model, "can_restore",
	            admin__may(&r->user, ACT_EDIT, wf.owner_id, st));
	tv_set_bool(r->model, "correction", st == STATE_PUBLISHED);
	if ((rc = diff_model(r, a, b)) != PR_OK)
		return rc;
	return admin__render(r, "admin_revisions", 200);
}

/* The stored article with the text of revision rev, rendered. */
static enum pr_err with_text_of(struct areq *r, struct article *a, int rev)
{
	struct revision old;
	enum pr_err rc;

	if ((rc = store_revision_get(r->st, r->a, r->id, rev, &old, &r->err)) !=
	    PR_OK) {
		r->status = rc == PR_NOTFOUND ? 404 : 0;
		return rc;
	}
	a->title = old.title;
	a->lead = old.lead;
	a->body = old.body;
	return admin__render_body(r, a);
}

static enum pr_err restore_rows(struct areq *r, struct article *a, int rev,
                                const struct revision_meta *m)
{
	enum pr_err rc;

	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = store_article_update(r->st, a, m, &r->err);
	if (rc == PR_OK)
		rc = admin__audit(r, "restore", a->id,
		                  "revision %d as revision %d%s%s", rev,
		                  a->revision, m->note[0] ? ": " : "", m->note);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	return rc;
}

enum pr_err admin__restore(struct areq *r)
{
	struct revision_meta m = {0};
	struct workflow wf;
	enum item_state st;
	struct article a;
	int64_t rev = 0, base = 0;
	struct str note = str_trim(admin__field(&r->form, "note"));
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_EDIT, &a, &wf, &st)) != PR_OK)
		return rc;
	if (!str_to_i64(admin__field(&r->form, "rev"), 1, a.revision, &rev) ||
	    !str_to_i64(admin__field(&r->form, "base"), 1, INT32_MAX, &base))
		return admin__fail(r, PR_INVALID, 400,
		                   "rev and base: revision numbers");
	if (st == STATE_PUBLISHED && note.n == 0)
		return admin__fail(
		    r, PR_INVALID, 400,
		    "This item is public: restoring an old "
		    "revision is a correction and needs a change "
		    "note.");
	if ((rc = with_text_of(r, &a, (int)rev)) != PR_OK)
		return rc;
	m.base = (int)base;
	m.user_id = r->user.id;
	m.who = r->user.name;
	m.note =
	    st == STATE_PUBLISHED ? arena_strndup(r->a, note.p, note.n) : "";
	m.public = a.status == ARTICLE_PUBLISHED;
	a.updated_at = r->now;
	if ((rc = restore_rows(r, &a, (int)rev, &m)) == PR_CONFLICT)
		r->status = 409;
	if (rc != PR_OK)
		return rc;
	admin__redirect(r, arena_printf(r->a, "/admin/items/%lld?done=restored",
	                                (long long)a.id));
	return PR_OK;
}
