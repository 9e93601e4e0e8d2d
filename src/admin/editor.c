/*
 * admin/editor.c: the editor's page: title, lead, Markdown body, kind,
 * language, tags, persons and places (with the existing names as
 * suggestions), the translation link, the time to publish at, the change
 * note of a correction, and the buttons of what the user's role allows in
 * the item's state. Its fields come from the stored item, from a form
 * sent back (a refused save keeps every word typed) or from an autosaved
 * copy. Also the article that a form describes.
 */
#include "admin_int.h"

#include <string.h>

#define TITLE_MAX    500
#define LEAD_MAX     5000
#define BODY_MAX     500000
#define NAME_MAX_LEN 200
#define NAMES_MAX    50
#define SUGGEST_MAX  300
#define HTML_MAX     ((size_t)8 << 20)

static const char *const entity_keys[ENTITY_TYPES] = {"tags", "persons",
                                                      "places"};

/* Fields */

static const char *join_names(struct areq *r, const struct names *n)
{
	struct buf b;
	const char *out;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < n->n; i++) {
		buf_adds(&b, i ? ", " : "");
		buf_adds(&b, n->name[i]);
	}
	out = arena_strndup(r->a, b.p ? b.p : "", b.err ? 0 : b.n);
	buf_free(&b);
	return out ? out : "";
}

void admin__fields_of_article(struct areq *r, const struct article *a,
                              struct fields *f)
{
	memset(f, 0, sizeof(*f));
	f->title = a->title;
	f->lead = a->lead;
	f->body = a->body;
	f->kind = a->kind;
	f->lang = a->lang;
	f->tags = join_names(r, &a->entities[ENTITY_TAG]);
	f->persons = join_names(r, &a->entities[ENTITY_PERSON]);
	f->places = join_names(r, &a->entities[ENTITY_PLACE]);
	f->translation_of =
	    a->translation_of
	        ? arena_printf(r->a, "%lld", (long long)a->translation_of)
	        : "";
	f->note = "";
	f->publish_at = "";
	f->base = a->revision;
	if (a->status == ARTICLE_PUBLISHED && a->published_at > r->now) {
		struct pr_date d;
		pr_time_local(a->published_at, &d);
		f->publish_at =
		    arena_printf(r->a, "%04d-%02d-%02dT%02d:%02d:%02d", d.year,
		                 d.month, d.day, d.hour, d.min, d.sec);
	}
}

static const char *value_of(struct arena *a, const struct form *form,
                            const char *key)
{
	struct str v = admin__field(form, key);

	return v.p ? arena_strndup(a, v.p, v.n) : "";
}

void admin__fields_of_form(struct areq *r, const struct form *form,
                           struct fields *f)
{
	int64_t base = 0;

	memset(f, 0, sizeof(*f));
	f->title = value_of(r->a, form, "title");
	f->lead = value_of(r->a, form, "lead");
	f->body = value_of(r->a, form, "body");
	f->kind = value_of(r->a, form, "kind");
	f->lang = value_of(r->a, form, "lang");
	f->tags = value_of(r->a, form, "tags");
	f->persons = value_of(r->a, form, "persons");
	f->places = value_of(r->a, form, "places");
	f->translation_of = value_of(r->a, form, "translation_of");
	f->note = value_of(r->a, form, "note");
	f->publish_at = value_of(r->a, form, "publish_at");
	str_to_i64(str_c(value_of(r->a, form, "base")), 0, INT32_MAX, &base);
	f->base = (int)base;
}

/* The article of the fields */

/* Splits a list of names at commas and new lines. */
static enum pr_err names_of(struct areq *r, const char *text, const char *key,
                            struct names *out)
{
	struct str rest = str_c(text), one;
	const char **v = arena_alloc(r->a, NAMES_MAX * sizeof(*v));

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	out->name = v;
	while (rest.n > 0) {
		size_t comma = 0;
		while (comma < rest.n && rest.p[comma] != ',' &&
		       rest.p[comma] != '\n')
			comma++;
		one = str_trim((struct str){rest.p, comma});
		rest = comma < rest.n ? (struct str){rest.p + comma + 1,
		                                     rest.n - comma - 1}
		                      : STR_LIT("");
		if (one.n == 0)
			continue;
		if (one.n > NAME_MAX_LEN || out->n == NAMES_MAX)
			return admin__fail(r, PR_INVALID, 400,
			                   "%s: at most %d names of at most %d "
			                   "bytes each",
			                   key, NAMES_MAX, NAME_MAX_LEN);
		v[out->n++] = arena_strndup(r->a, one.p, one.n);
	}
	return PR_OK;
}

static enum pr_err check_lengths(struct areq *r, const struct fields *f)
{
	if (str_trim(str_c(f->title)).n == 0)
		return admin__fail(r, PR_INVALID, 400, "title: it is empty");
	if (strlen(f->title) > TITLE_MAX)
		return admin__fail(r, PR_INVALID, 400,
		                   "title: %zu bytes, at most %d",
		                   strlen(f->title), TITLE_MAX);
	if (strlen(f->lead) > LEAD_MAX)
		return admin__fail(r, PR_INVALID, 400,
		                   "lead: %zu bytes, at most %d",
		                   strlen(f->lead), LEAD_MAX);
	if (strlen(f->body) > BODY_MAX)
		return admin__fail(r, PR_INVALID, 400,
		                   "body: %zu bytes, at most %d",
		                   strlen(f->body), BODY_MAX);
	return PR_OK;
}

static enum pr_err check_choices(struct areq *r, const struct fields *f,
                                 int64_t *translation_of)
{
	struct str tr = str_trim(str_c(f->translation_of));

	*translation_of = 0;
	if (!store_kind_valid(str_c(f->kind)))
		return admin__fail(r, PR_INVALID, 400,
		                   "kind: one of news, statement, speech, "
		                   "interview, announcement");
	if (!config_has_language(&r->ad->cfg, str_c(f->lang)))
		return admin__fail(r, PR_INVALID, 400,
		                   "language: one of the site's languages");
	if (tr.n > 0 && !str_to_i64(tr, 1, INT64_MAX, translation_of))
		return admin__fail(r, PR_INVALID, 400,
		                   "translation of: the number of an item, or "
		                   "empty");
	return PR_OK;
}

/* Copies b into the request's arena, or fails with the buffer's error. */
static enum pr_err keep(struct areq *r, struct buf *b, const char **out)
{
	if (b->err != PR_OK)
		return pr_fail(&r->err, b->err, "the body is too long");
	*out = arena_strndup(r->a, b->p ? b->p : "", b->n);
	if (*out == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	return PR_OK;
}

enum pr_err admin__render_body(struct areq *r, struct article *a)
{
	struct buf b;
	enum pr_err rc;

	buf_init(&b, HTML_MAX);
	rc = render_markdown(&b, str_c(a->body), &r->err);
	if (rc == PR_OK)
		rc = keep(r, &b, &a->body_html);
	buf_reset(&b);
	if (rc == PR_OK)
		rc = render_markdown_text(&b, str_c(a->body), &r->err);
	if (rc == PR_OK)
		rc = keep(r, &b, &a->body_text);
	if (rc != PR_OK)
		r->status = 400;
	buf_free(&b);
	return rc;
}

enum pr_err admin__article_of(struct areq *r, const struct fields *f,
                              const struct article *base, struct article *out)
{
	enum pr_err rc = PR_OK;

	if (base != NULL)
		*out = *base;
	else
		memset(out, 0, sizeof(*out));
	if ((rc = check_lengths(r, f)) != PR_OK)
		return rc;
	if ((rc = check_choices(r, f, &out->translation_of)) != PR_OK)
		return rc;
	for (int t = 0; t < ENTITY_TYPES && rc == PR_OK; t++)
		rc = names_of(r,
		              t == 0   ? f->tags
		              : t == 1 ? f->persons
		                       : f->places,
		              entity_keys[t], &out->entities[t]);
	if (rc != PR_OK)
		return rc;
	out->title = arena_strndup(r->a, str_trim(str_c(f->title)).p,
	                           str_trim(str_c(f->title)).n);
	out->lead = f->lead;
	out->body = f->body;
	out->kind = f->kind;
	out->lang = f->lang;
	if (base == NULL) {
		out->author = r->user.name;
		out->status = ARTICLE_DRAFT;
		out->published_at = r->now;
	}
	if (base == NULL || base->status == ARTICLE_DRAFT)
		out->slug = "";
	return admin__render_body(r, out);
}

/* The page */

static void fields_model(struct areq *r, const struct fields *f)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "title", f->title);
	tv_set_cstr(v, "lead", f->lead);
	tv_set_cstr(v, "body", f->body);
	tv_set_cstr(v, "tags", f->tags);
	tv_set_cstr(v, "persons", f->persons);
	tv_set_cstr(v, "places", f->places);
	tv_set_cstr(v, "translation_of", f->translation_of);
	tv_set_cstr(v, "note", f->note);
	tv_set_cstr(v, "publish_at", f->publish_at);
	tv_set_int(v, "base", f->base);
	tv_set(r->model, "f", v);
}

/* A list of {value, selected} for a <select>. */
static struct tval *choices(struct areq *r, const char *const *values, size_t n,
                            const char *current)
{
	struct tval *list = tv_list(r->a), *v;

	for (size_t i = 0; i < n; i++) {
		v = tv_obj(r->a);
		tv_set_cstr(v, "value", values[i]);
		tv_set_bool(v, "selected", strcmp(values[i], current) == 0);
		tv_push(list, v);
	}
	return list;
}

static void selects_model(struct areq *r, const struct fields *f)
{
	const char *langs[PR_MAX_LANGS];
	size_t nk = 0;

	while (store_kinds[nk] != NULL)
		nk++;
	for (int i = 0; i < r->ad->cfg.n_languages; i++)
		langs[i] = r->ad->cfg.languages[i];
	tv_set(r->model, "kinds", choices(r, store_kinds, nk, f->kind));
	tv_set(r->model, "langs",
	       choices(r, langs, (size_t)r->ad->cfg.n_languages, f->lang));
}

/* Existing names as suggestions (a <datalist> each). */
static void suggestions_model(struct areq *r)
{
	const char **names;
	struct tval *list;
	size_t n;

	for (int t = 0; t < ENTITY_TYPES; t++) {
		list = tv_list(r->a);
		if (store_entity_names(r->st, r->a, (enum entity_type)t,
		                       SUGGEST_MAX, &names, &n, NULL) == PR_OK)
			for (size_t i = 0; i < n; i++)
				tv_push(list, tv_cstr(r->a, names[i]));
		tv_set(r->model,
		       arena_printf(r->a, "suggest_%s", entity_keys[t]), list);
	}
}

/* What the user may do here, as flags for the buttons. */
static void actions_model(struct areq *r, const struct article *a,
                          const struct workflow *wf)
{
	int64_t owner = a ? wf->owner_id : r->user.id;
	enum item_state st = a ? admin__state(a->status, a->published_at,
	                                      wf->submitted_at, r->now)
	                       : STATE_DRAFT;
	const struct user *u = &r->user;
	struct tval *v = tv_obj(r->a);
	bool editor = admin__may(u, ACT_PUBLISH, owner, st);

	tv_set_bool(v, "save", admin__may(u, ACT_EDIT, owner, st));
	tv_set_bool(v, "submit",
	            st == STATE_DRAFT && admin__may(u, ACT_SUBMIT, owner, st));
	tv_set_bool(v, "publish", editor && st != STATE_PUBLISHED);
	tv_set_bool(v, "schedule",
	            editor && st != STATE_PUBLISHED && st != STATE_WITHDRAWN);
	tv_set_bool(v, "unschedule", editor && st == STATE_SCHEDULED);
	tv_set_bool(v, "return", editor && st == STATE_SUBMITTED);
	tv_set_bool(v, "withdraw",
	            a && st == STATE_PUBLISHED &&
	                admin__may(u, ACT_WITHDRAW, owner, st));
	tv_set_bool(v, "links",
	            a && st != STATE_PUBLISHED &&
	                admin__may(u, ACT_LINKS, owner, st));
	tv_set_bool(v, "correction", st == STATE_PUBLISHED);
	tv_set(r->model, "can", v);
	tv_set_cstr(r->model, "state", admin__state_name(st));
}

static void item_model(struct areq *r, const struct article *a,
                       const struct workflow *wf)
{
	struct tval *v = tv_obj(r->a);
	const char *base =
	    a ? arena_printf(r->a, "/admin/items/%lld", (long long)a->id)
	      : "/admin/items/new";

	tv_set_cstr(v, "action", base);
	tv_set_cstr(v, "preview_url", arena_printf(r->a, "%s/preview", base));
	tv_set_cstr(v, "autosave_url", arena_printf(r->a, "%s/autosave", base));
	if (a != NULL) {
		tv_set_int(v, "id", a->id);
		tv_set_int(v, "revision", a->revision);
		tv_set_cstr(v, "author", a->author);
		if (a->status != ARTICLE_DRAFT)
			tv_set(v, "published", admin__time(r, a->published_at));
		tv_set(v, "updated", admin__time(r, a->updated_at));
		tv_set_cstr(v, "revisions_url",
		            arena_printf(r->a, "%s/revisions", base));
		tv_set_cstr(v, "links_url",
		            arena_printf(r->a, "%s/links", base));
		tv_set_cstr(v, "public_url",
		            arena_printf(r->a, "/%s/news/%lld-%s", a->lang,
		                         (long long)a->id, a->slug));
		tv_set(v, "withdrawn", admin__time(r, wf->withdrawn_at));
		tv_set_cstr(v, "withdrawn_note", wf->withdrawn_note);
	}
	tv_set(r->model, "item", v);
}

/* Live embargo preview links of the item. */
static void links_model(struct areq *r, const struct article *a)
{
	struct preview_token *t;
	struct tval *list = tv_list(r->a), *v;
	size_t n = 0;

	if (a != NULL && store_preview_list(r->st, r->a, a->id, r->now, &t, &n,
	                                    NULL) == PR_OK)
		for (size_t i = 0; i < n; i++) {
			v = tv_obj(r->a);
			tv_set(v, "created", admin__time(r, t[i].created_at));
			tv_set(v, "expires", admin__time(r, t[i].expires_at));
			tv_push(list, v);
		}
	tv_set(r->model, "links", list);
	tv_set_bool(r->model, "has_links", n > 0);
}

/* Whether the autosaved form holds text that the item does not. */
static bool news_in(struct areq *r, const struct autosave *as,
                    const struct article *a)
{
	struct form f;
	struct str t, l, b;

	if (admin__form_parse(r->a, str_c(as->form), &f, NULL) != PR_OK)
		return false;
	t = admin__field(&f, "title");
	l = admin__field(&f, "lead");
	b = admin__field(&f, "body");
	if (a == NULL)
		return t.n > 0 || l.n > 0 || b.n > 0;
	return !str_eq(str_trim(t), str_c(a->title)) ||
	       !str_eq(l, str_c(a->lead)) || !str_eq(b, str_c(a->body));
}

/* The notice of a copy kept by the autosave script. */
static void autosave_model(struct areq *r, const struct article *a)
{
	struct autosave as;
	int64_t id = a ? a->id : 0;

	if (store_autosave_get(r->st, r->a, r->user.id, id, &as, NULL) !=
	        PR_OK ||
	    !news_in(r, &as, a))
		return;
	tv_set(r->model, "autosaved", admin__time(r, as.saved_at));
}

enum pr_err admin__editor_page(struct areq *r, const struct article *a,
                               const struct workflow *wf,
                               const struct fields *f, const char *message,
                               int status)
{
	admin__model(r, a ? "Edit item" : "New item", "items");
	item_model(r, a, wf);
	fields_model(r, f);
	selects_model(r, f);
	suggestions_model(r);
	actions_model(r, a, wf);
	links_model(r, a);
	autosave_model(r, a);
	admin__photos_model(r, a, wf);
	tv_set_cstr(r->model, "message", message);
	tv_set_bool(r->model, "is_new", a == NULL);
	return admin__render(r, "admin_edit", status);
}

enum pr_err admin__load_item(struct areq *r, enum admin_act act,
                             struct article *a, struct workflow *wf,
                             enum item_state *st)
{
	enum pr_err rc;

	rc = store_article_get(r->st, r->a, r->id, a, &r->err);
	if (rc == PR_NOTFOUND)
		r->status = 404;
	if (rc == PR_OK)
		rc = store_workflow_get(r->st, r->a, r->id, wf, &r->err);
	if (rc != PR_OK)
		return rc;
	*st =
	    admin__state(a->status, a->published_at, wf->submitted_at, r->now);
	return admin__require(r, act, wf->owner_id, *st);
}

/* The fields of the autosaved copy, when asked to restore it. */
static bool restored(struct areq *r, int64_t id, struct fields *f)
{
	struct autosave as;
	struct form form;

	if (!str_eq_c(http_query(r->http, "restore"), "1") ||
	    store_autosave_get(r->st, r->a, r->user.id, id, &as, NULL) !=
	        PR_OK ||
	    admin__form_parse(r->a, str_c(as.form), &form, NULL) != PR_OK)
		return false;
	admin__fields_of_form(r, &form, f);
	f->base = (int)as.base;
	return true;
}

/* The message after an action, from a fixed table (never the query's
 * own words). */
static const char *done_message(struct areq *r)
{
	static const char *const done[][2] = {
	    {"created", "Created."},
	    {"saved", "Saved."},
	    {"unchanged", "Nothing changed, so nothing was saved."},
	    {"submitted", "Submitted for review."},
	    {"published", "Published."},
	    {"scheduled", "Scheduled."},
	    {"unscheduled", "No longer scheduled: back to draft."},
	    {"returned", "Returned to the author as a draft."},
	    {"withdrawn", "Withdrawn: readers see the notice."},
	    {"restored", "The old revision is the current one again."},
	    {"revoked", "Preview links revoked."},
	    {"discarded", "The autosaved copy was discarded."},
	    {"photo", "Photo added."},
	    {"photo_changed", "Photos changed."},
	};
	struct str v = http_query(r->http, "done");

	for (size_t i = 0; v.n > 0 && i < sizeof(done) / sizeof(done[0]); i++)
		if (str_eq_c(v, done[i][0]))
			return done[i][1];
	return NULL;
}

enum pr_err admin__edit_new(struct areq *r)
{
	struct workflow wf = {0};
	struct fields f;

	memset(&f, 0, sizeof(f));
	f.title = f.lead = f.body = f.tags = f.persons = f.places = "";
	f.translation_of = f.note = f.publish_at = "";
	f.kind = "news";
	f.lang = r->ad->cfg.default_language;
	if (restored(r, 0, &f))
		return admin__editor_page(r, NULL, &wf, &f,
		                          "The autosaved text is back in the "
		                          "form; save it to keep it.",
		                          200);
	return admin__editor_page(r, NULL, &wf, &f, NULL, 200);
}

enum pr_err admin__edit(struct areq *r)
{
	struct workflow wf;
	enum item_state st;
	struct article a;
	struct fields f;
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_VIEW, &a, &wf, &st)) != PR_OK)
		return rc;
	admin__fields_of_article(r, &a, &f);
	if (restored(r, a.id, &f))
		return admin__editor_page(r, &a, &wf, &f,
		                          "The autosaved text is back in the "
		                          "form; save it to keep it.",
		                          200);
	return admin__editor_page(r, &a, &wf, &f, done_message(r), 200);
}
