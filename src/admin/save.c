/*
 * admin/save.c: what the editor's buttons do. Each is one transaction
 * with its audit line: save the text as a new revision (refused, with
 * both versions side by side, when someone saved since the form was
 * opened), then move the item on: submit for review, publish now,
 * schedule at a minute, take off the schedule, return to the author,
 * withdraw behind a notice. A correction of a visible item needs a public
 * change note. The autosave script's copies are kept and dropped here.
 */
#include "admin_int.h"

#include <string.h>

#define NOTE_MAX 1000

enum action {
	DO_SAVE,
	DO_SUBMIT,
	DO_PUBLISH,
	DO_SCHEDULE,
	DO_UNSCHEDULE,
	DO_RETURN,
	DO_WITHDRAW,
};

static const struct {
	const char *name, *done;
	enum admin_act act;
	bool text; /* the form carries the item's text to save first */
} actions[] = {
    [DO_SAVE] = {"save", "saved", ACT_EDIT, true},
    [DO_SUBMIT] = {"submit", "submitted", ACT_SUBMIT, true},
    [DO_PUBLISH] = {"publish", "published", ACT_PUBLISH, true},
    [DO_SCHEDULE] = {"schedule", "scheduled", ACT_PUBLISH, true},
    [DO_UNSCHEDULE] = {"unschedule", "unscheduled", ACT_PUBLISH, false},
    [DO_RETURN] = {"return", "returned", ACT_PUBLISH, false},
    [DO_WITHDRAW] = {"withdraw", "withdrawn", ACT_WITHDRAW, false},
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* One press of a button. */
struct press {
	enum action act;
	struct article cur; /* as stored; id 0 for a new item */
	struct workflow wf;
	enum item_state st;
	struct fields f;
	struct article next; /* what the form makes of it */
	bool changed;        /* the text or metadata differ */
	int64_t at;          /* publication time of publish and schedule */
};

static const char *trimmed(struct areq *r, const char *s)
{
	struct str t = str_trim(str_c(s));
	const char *out = arena_strndup(r->a, t.p ? t.p : "", t.n);

	return out ? out : "";
}

static enum pr_err parse_action(struct areq *r, enum action *out)
{
	struct str v = admin__field(&r->form, "action");

	for (size_t i = 0; i < N_ACTIONS; i++)
		if (str_eq_c(v, actions[i].name)) {
			*out = (enum action)i;
			return PR_OK;
		}
	return admin__fail(r, PR_INVALID, 400, "action: unknown (%.*s)",
	                   (int)(v.n < 40 ? v.n : 40), v.p ? v.p : "");
}

/* "YYYY-MM-DDTHH:MM[:SS]" in the site's zone (as <input
 * type=datetime-local> sends it), or RFC 3339. */
static bool parse_local(struct str s, int64_t *out)
{
	static const size_t at[6] = {0, 5, 8, 11, 14, 17};
	static const size_t len[6] = {4, 2, 2, 2, 2, 2};
	int64_t v[6] = {0}, t, want, got;
	int parts = s.n == 19 ? 6 : 5;
	struct pr_date d;

	if (pr_time_parse(s, out))
		return true;
	if ((s.n != 16 && s.n != 19) || s.p[4] != '-' || s.p[7] != '-' ||
	    s.p[10] != 'T' || s.p[13] != ':' || (parts == 6 && s.p[16] != ':'))
		return false;
	for (int i = 0; i < parts; i++)
		if (!str_to_i64((struct str){s.p + at[i], len[i]}, 0, 9999,
		                &v[i]))
			return false;
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > pr_days_in_month((int)v[0], (int)v[1]) || v[3] > 23 ||
	    v[4] > 59 || v[5] > 59)
		return false;
	t = pr_time_local_midnight((int)v[0], (int)v[1], (int)v[2]) +
	    v[3] * 3600 + v[4] * 60 + v[5];
	pr_time_local(t, &d);
	want = v[3] * 60 + v[4];
	got = d.hour * 60 + d.min;
	if (got != want) /* a change of UTC offset that day */
		t += ((want - got + 36 * 60) % (24 * 60) - 12 * 60) * 60;
	*out = t;
	return true;
}

static bool names_equal(const struct names *a, const struct names *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->name[i], b->name[i]) != 0)
			return false;
	return true;
}

/* Whether what the form describes differs from what is stored. */
static bool differs(const struct article *a, const struct article *b)
{
	if (strcmp(a->title, b->title) || strcmp(a->lead, b->lead) ||
	    strcmp(a->body, b->body) || strcmp(a->kind, b->kind) ||
	    strcmp(a->lang, b->lang) || a->translation_of != b->translation_of)
		return true;
	for (int t = 0; t < ENTITY_TYPES; t++)
		if (!names_equal(&a->entities[t], &b->entities[t]))
			return true;
	return false;
}

/* The refused save: the stored version and the user's side by side,
 * with the user's text in a form that saves over the stored one. */
static enum pr_err conflict_page(struct areq *r, struct press *p)
{
	struct article now;
	struct fields theirs;
	struct buf diff;
	enum pr_err rc;

	pr_error_clear(&r->err);
	if ((rc = store_article_get(r->st, r->a, p->cur.id, &now, &r->err)) !=
	    PR_OK)
		return rc;
	admin__fields_of_article(r, &now, &theirs);
	buf_init(&diff, (size_t)4 << 20);
	render_diff(&diff, str_c(now.body), str_c(p->f.body), NULL);
	p->f.base = now.revision;
	admin__editor_page(r, &now, &p->wf, &p->f, NULL, 409);
	if (r->res->status != 409)
		goto out;
	buf_reset(&r->res->body);
	tv_set_bool(r->model, "conflict", true);
	tv_set_cstr(r->model, "theirs_title", theirs.title);
	tv_set_cstr(r->model, "theirs_lead", theirs.lead);
	tv_set_cstr(r->model, "theirs_body", theirs.body);
	tv_set_int(r->model, "theirs_revision", now.revision);
	tv_set(r->model, "theirs_saved", admin__time(r, now.updated_at));
	tv_set_int(r->model, "mine_base", p->f.base);
	tv_set(r->model, "diff", tv_html(r->a, buf_str(&diff)));
	rc = admin__render(r, "admin_conflict", 409);
out:
	buf_free(&diff);
	return rc;
}

/* Checks what the press asks for before anything is written. */
static enum pr_err judge(struct areq *r, struct press *p)
{
	const struct user *u = &r->user;
	int64_t owner = p->cur.id ? p->wf.owner_id : u->id;
	struct str at = str_trim(str_c(p->f.publish_at));
	enum pr_err rc;

	if ((rc = admin__require(r, actions[p->act].act, owner, p->st)) !=
	    PR_OK)
		return rc;
	if (p->changed && p->cur.id &&
	    (rc = admin__require(r, ACT_EDIT, owner, p->st)) != PR_OK)
		return rc;
	if (strlen(p->f.note) > NOTE_MAX)
		return admin__fail(r, PR_INVALID, 400,
		                   "change note: at most %d bytes", NOTE_MAX);
	if (p->changed && p->st == STATE_PUBLISHED &&
	    str_trim(str_c(p->f.note)).n == 0)
		return admin__fail(r, PR_INVALID, 400,
		                   "This item is public: a correction needs a "
		                   "change note that readers will see.");
	if (p->act == DO_WITHDRAW && str_trim(str_c(p->f.note)).n == 0)
		return admin__fail(
		    r, PR_INVALID, 400,
		    "A withdrawal needs a note: readers see it in "
		    "place of the item.");
	if (p->act == DO_SCHEDULE &&
	    (!parse_local(at, &p->at) || p->at <= r->now))
		return admin__fail(r, PR_INVALID, 400,
		                   "publish at: a time in the future, like "
		                   "2030-01-31T09:30 (%s)",
		                   r->ad->cfg.timezone);
	return PR_OK;
}

/* Whether the press fits the item's state. */
static enum pr_err fits_state(struct areq *r, const struct press *p)
{
	enum item_state s = p->st;
	bool ok = true;

	switch (p->act) {
	case DO_SUBMIT: ok = s == STATE_DRAFT; break;
	case DO_PUBLISH: ok = s != STATE_PUBLISHED; break;
	case DO_SCHEDULE:
		ok = s != STATE_PUBLISHED && s != STATE_WITHDRAWN;
		break;
	case DO_UNSCHEDULE: ok = s == STATE_SCHEDULED; break;
	case DO_RETURN: ok = s == STATE_SUBMITTED; break;
	case DO_WITHDRAW:
		ok = s == STATE_PUBLISHED || s == STATE_SCHEDULED;
		break;
	case DO_SAVE: break;
	}
	if (ok)
		return PR_OK;
	return admin__fail(r, PR_CONFLICT, 409,
	                   "The item is %s now, so it cannot be given to "
	                   "\"%s\"; reload it.",
	                   admin__state_name(s), actions[p->act].name);
}

/* Writes the text as a new revision. */
static enum pr_err save_text(struct areq *r, struct press *p)
{
	struct revision_meta m = {0};
	bool visible = p->st == STATE_PUBLISHED;
	enum pr_err rc;

	m.base = p->f.base;
	m.user_id = r->user.id;
	m.who = r->user.name;
	m.note = visible ? trimmed(r, p->f.note) : "";
	m.public = p->cur.status == ARTICLE_PUBLISHED;
	p->next.updated_at = r->now;
	if ((rc = store_article_update(r->st, &p->next, &m, &r->err)) != PR_OK)
		return rc;
	return admin__audit(r, visible ? "correct" : "save", p->cur.id,
	                    "revision %d%s%s", p->next.revision,
	                    visible ? ": " : "", visible ? m.note : "");
}

/* Moves the item on after its text was saved. */
static enum pr_err move(struct areq *r, struct press *p)
{
	int64_t id = p->cur.id, at;
	struct store *st = r->st;
	struct pr_error *e = &r->err;
	const char *note = trimmed(r, p->f.note);
	enum pr_err rc = PR_OK;

	switch (p->act) {
	case DO_SAVE: return PR_OK;
	case DO_SUBMIT:
		rc = store_workflow_submit(st, id, true, r->now, e);
		break;
	case DO_RETURN: rc = store_workflow_submit(st, id, false, 0, e); break;
	case DO_PUBLISH:
		at = p->st == STATE_WITHDRAWN ? p->cur.published_at : r->now;
		rc = store_article_set_status(st, id, ARTICLE_PUBLISHED, at, at,
		                              r->user.id, e);
		if (rc == PR_OK)
			rc = store_workflow_withdrawn(st, id, 0, "", e);
		break;
	case DO_SCHEDULE:
		rc = store_article_set_status(st, id, ARTICLE_PUBLISHED, p->at,
		                              p->at, r->user.id, e);
		break;
	case DO_UNSCHEDULE:
		rc = store_article_set_status(
		    st, id, ARTICLE_DRAFT, p->cur.published_at, r->now, 0, e);
		break;
	case DO_WITHDRAW:
		rc =
		    store_article_set_status(st, id, ARTICLE_WITHDRAWN,
		                             p->cur.published_at, r->now, 0, e);
		if (rc == PR_OK)
			rc = store_workflow_withdrawn(st, id, r->now, note, e);
		break;
	}
	if (rc == PR_OK && p->act == DO_SCHEDULE) {
		char iso[PR_TIME_LEN];
		pr_time_format(p->at, iso);
		return admin__audit(r, "schedule", id, "for %s", iso);
	}
	if (rc == PR_OK)
		rc = admin__audit(r, actions[p->act].name, id, "%s",
		                  p->act == DO_WITHDRAW ? note : "");
	return rc;
}

/* Everything of one press inside one transaction. */
static enum pr_err apply(struct areq *r, struct press *p)
{
	enum pr_err rc;

	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	if (p->changed && (rc = save_text(r, p)) != PR_OK)
		goto out;
	rc = move(r, p);
out:
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	return rc;
}

/* A refused press: the form comes back with every word in it. */
static enum pr_err refused(struct areq *r, struct press *p, enum pr_err rc)
{
	char msg[sizeof(r->err.msg)];
	int status = r->status ? r->status : rc == PR_CONFLICT ? 409 : 400;

	if (rc == PR_CONFLICT && p->changed && r->status == 0)
		return conflict_page(r, p);
	if (status >= 500 || status == 403 || rc == PR_NOMEM || rc == PR_IO ||
	    rc == PR_BUSY)
		return rc;
	snprintf(msg, sizeof(msg), "%s", r->err.msg);
	pr_error_clear(&r->err);
	r->status = 0;
	return admin__editor_page(r, p->cur.id ? &p->cur : NULL, &p->wf, &p->f,
	                          msg, status);
}

static void done(struct areq *r, const struct press *p)
{
	store_autosave_delete(r->st, r->user.id, r->id, NULL);
	if (p->cur.id && !p->changed && p->act == DO_SAVE)
		admin__redirect(
		    r, arena_printf(r->a, "/admin/items/%lld?done=unchanged",
		                    (long long)p->cur.id));
	else
		admin__redirect(r,
		                arena_printf(r->a, "/admin/items/%lld?done=%s",
		                             (long long)p->cur.id,
		                             actions[p->act].done));
}

enum pr_err admin__save(struct areq *r)
{
	struct press p;
	enum pr_err rc;

	memset(&p, 0, sizeof(p));
	if ((rc = parse_action(r, &p.act)) != PR_OK)
		return rc;
	if ((rc = admin__load_item(r, ACT_VIEW, &p.cur, &p.wf, &p.st)) != PR_OK)
		return rc;
	admin__fields_of_form(r, &r->form, &p.f);
	if (actions[p.act].text) {
		rc = admin__article_of(r, &p.f, &p.cur, &p.next);
		if (rc != PR_OK)
			return refused(r, &p, rc);
		p.changed = differs(&p.cur, &p.next);
	} else {
		admin__fields_of_article(r, &p.cur, &p.f);
		p.f.note = admin__field_c(r, "note");
	}
	if ((rc = judge(r, &p)) != PR_OK || (rc = fits_state(r, &p)) != PR_OK)
		return refused(r, &p, rc);
	if ((rc = apply(r, &p)) != PR_OK)
		return refused(r, &p, rc);
	done(r, &p);
	return PR_OK;
}

/* Inserts the new item with its owner and audit line, in the caller's
 * transaction. */
static enum pr_err insert(struct areq *r, struct press *p)
{
	enum pr_err rc;

	p->next.id = 0;
	p->next.updated_at = r->now;
	if ((rc = store_article_insert(r->st, &p->next, &r->err)) != PR_OK)
		return rc;
	if ((rc = store_workflow_set_owner(r->st, p->next.id, r->user.id,
	                                   &r->err)) != PR_OK)
		return rc;
	p->cur = p->next;
	r->id = p->next.id;
	return admin__audit(r, "create", p->next.id, "%s", p->next.title);
}

enum pr_err admin__create(struct areq *r)
{
	struct press p;
	enum pr_err rc;

	memset(&p, 0, sizeof(p));
	p.st = STATE_DRAFT;
	admin__fields_of_form(r, &r->form, &p.f);
	if ((rc = parse_action(r, &p.act)) != PR_OK ||
	    (rc = admin__article_of(r, &p.f, NULL, &p.next)) != PR_OK ||
	    (rc = judge(r, &p)) != PR_OK || (rc = fits_state(r, &p)) != PR_OK)
		return refused(r, &p, rc);
	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	if ((rc = insert(r, &p)) == PR_OK)
		rc = move(r, &p);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	if (rc != PR_OK)
		return refused(r, &p, rc);
	store_autosave_delete(r->st, r->user.id, 0, NULL);
	admin__redirect(
	    r, arena_printf(
	           r->a, "/admin/items/%lld?done=%s", (long long)p.next.id,
	           p.act == DO_SAVE ? "created" : actions[p.act].done));
	return PR_OK;
}

/* The autosave script's copy of the form, or (action=discard) its end. */
enum pr_err admin__autosave(struct areq *r)
{
	struct autosave as = {0};
	struct workflow wf = {0};
	enum item_state st;
	struct article a;
	struct pr_date d;
	struct buf b;
	enum pr_err rc = PR_OK;

	if (r->id &&
	    (rc = admin__load_item(r, ACT_EDIT, &a, &wf, &st)) != PR_OK)
		return rc;
	if (str_eq_c(admin__field(&r->form, "action"), "discard")) {
		store_autosave_delete(r->st, r->user.id, r->id, NULL);
		admin__redirect(r, r->id
		                       ? arena_printf(r->a,
		                                      "/admin/items/%lld?done="
		                                      "discarded",
		                                      (long long)r->id)
		                       : "/admin/items/new");
		return PR_OK;
	}
	buf_init(&b, (size_t)4 << 20);
	admin__form_encode(&b, &r->form, "csrf");
	as.user_id = r->user.id;
	as.article_id = r->id;
	if (!str_to_i64(admin__field(&r->form, "base"), 0, INT32_MAX, &as.base))
		as.base = 0;
	as.saved_at = r->now;
	as.form = buf_cstr(&b);
	if (b.err == PR_OK)
		rc = store_autosave_put(r->st, &as, &r->err);
	else
		rc = admin__fail(r, PR_TOOBIG, 413, "the form is too large");
	buf_free(&b);
	if (rc != PR_OK)
		return rc;
	pr_time_local(r->now, &d);
	r->res->status = 200;
	r->res->content_type = "text/plain; charset=utf-8";
	buf_addf(&r->res->body, "Autosaved at %02d:%02d\n", d.hour, d.min);
	return PR_OK;
}
