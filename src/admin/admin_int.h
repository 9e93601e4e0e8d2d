/*
 * admin_int.h: what the files of src/admin share: the admin object, one
 * request with its session and form, the checks of roles (in one place:
 * policy.c), forms and cookies, and the helpers that build page models.
 * Names here start with admin__.
 */
#ifndef PR_ADMIN_INT_H
#define PR_ADMIN_INT_H

#include "admin.h"

#define ADMIN_PAGE_ITEMS   50 /* items a page of the item list */
#define ADMIN_DASH_ITEMS   10 /* items in each list of the dashboard */
#define ADMIN_FIELDS_MAX   64 /* fields a form may have */
#define ADMIN_TOKEN_HEX    64 /* hex of a 32-byte token */
#define ADMIN_ADDR_LEN     64
#define ADMIN_LOGIN_WINDOW 900           /* seconds over which failures count */
#define ADMIN_FORM_MAX     (1024 * 1024) /* a form without files */

struct admin {
	struct config cfg;
	const struct tmpl *tmpl;
	struct admin_hooks hooks;
	char dummy_hash[ADMIN_HASH_LEN]; /* verified for unknown logins */
	char *css_url, *js_url;          /* theme assets with ?v= */
	bool secure;                     /* cookies get Secure (https) */
};

/* A decoded application/x-www-form-urlencoded body. */
struct form_field {
	struct str key, value;
};

struct form {
	struct form_field *v;
	size_t n;
};

/* One request to the editors' side. */
struct areq {
	struct admin *ad;
	struct store *st;
	const struct http_request *http;
	struct http_response *res;
	struct arena *a;
	int64_t now;
	char addr[ADMIN_ADDR_LEN];
	int64_t id;       /* the item (or user) of the path; 0 none */
	struct str token; /* the token of /preview/{token} */
	bool logged_in;
	struct user user;
	struct session session;
	struct form form;        /* POST bodies */
	struct http_part *files; /* file parts of a multipart body */
	size_t n_files;
	struct tval *model;
	int status; /* the error status a failure answers with */
	struct pr_error err;
};

/* A handler fills r->res and returns PR_OK, or returns a code with a
 * message in r->err (and r->status when it is not the usual one). */
typedef enum pr_err (*admin_fn)(struct areq *r);

/* admin/policy.c: who may do what, checked here and nowhere else. */

enum admin_act {
	ACT_ENTER,    /* any page of the editors' side */
	ACT_CREATE,   /* write a new item */
	ACT_VIEW,     /* read an item, its preview and revisions */
	ACT_EDIT,     /* save an item */
	ACT_SUBMIT,   /* submit an item for review */
	ACT_PUBLISH,  /* publish, schedule, unschedule, return to author */
	ACT_WITHDRAW, /* withdraw a published item */
	ACT_LINKS,    /* make and revoke embargo preview links */
	ACT_USERS,    /* manage accounts */
	ACT_AUDIT,    /* read the audit log */
};

/* The workflow state of an item as the editors see it. */
enum item_state {
	STATE_DRAFT,
	STATE_SUBMITTED,
	STATE_SCHEDULED,
	STATE_PUBLISHED,
	STATE_WITHDRAWN,
};

/* The state of an article with its status, time and review mark. */
enum item_state admin__state(enum article_status status, int64_t published_at,
                             int64_t submitted_at, int64_t now);
const char *admin__state_name(enum item_state s); /* "draft", ... */

/* Whether u may do act; on item owner_id in state st when it concerns
 * one (owner_id < 0: no item). */
bool admin__may(const struct user *u, enum admin_act act, int64_t owner_id,
                enum item_state st);
/* Records 403 with a message when u may not; PR_OK when u may. */
enum pr_err admin__require(struct areq *r, enum admin_act act, int64_t owner_id,
                           enum item_state st);

/* admin/form.c */

/* Parses body into r->form: '+' and %XX decoded, values valid UTF-8
 * without NUL, CR LF made LF. PR_INVALID naming the field otherwise. */
enum pr_err admin__form_parse(struct arena *a, struct str body,
                              struct form *out, struct pr_error *e);
/* Takes a multipart/form-data body: plain parts into r->form (checked
 * as admin__form_parse checks values), file parts into r->files. */
enum pr_err admin__form_multipart(struct areq *r);
/* The value of key, STR_NULL when absent. */
struct str admin__field(const struct form *f, const char *key);
/* The value as a NUL-ended copy in a, "" when absent. */
const char *admin__field_c(struct areq *r, const char *key);
/* Appends f as application/x-www-form-urlencoded, leaving out skip. */
void admin__form_encode(struct buf *out, const struct form *f,
                        const char *skip);
/* The value of cookie name in the request, STR_NULL when absent. */
struct str admin__cookie(const struct http_request *req, const char *name);
/* true for exactly ADMIN_TOKEN_HEX lower-case hex digits. */
bool admin__token_valid(struct str s);
/* A new random token as hex into out (ADMIN_TOKEN_HEX + 1 bytes). */
void admin__token_new(char out[ADMIN_TOKEN_HEX + 1]);
/* The SHA-256 of a token, hex, into out. */
void admin__token_hash(struct str token, char out[ADMIN_TOKEN_HEX + 1]);
/* Constant-time equality of two strings of the same length. */
bool admin__secret_eq(struct str a, struct str b);

/* admin/auth.c */

/* Reads the session of the request's cookie into r (logged_in). */
enum pr_err admin__session_load(struct areq *r);
/* 403 unless the form's csrf field matches the session's secret. */
enum pr_err admin__csrf_check(struct areq *r);
enum pr_err admin__login_form(struct areq *r);
enum pr_err admin__login(struct areq *r);
enum pr_err admin__logout(struct areq *r);

/* admin/model.c */

/* Starts r->model with the layout's values: user, csrf, assets, title. */
void admin__model(struct areq *r, const char *title, const char *section);
/* Renders template name with r->model as the answer with status. */
enum pr_err admin__render(struct areq *r, const char *name, int status);
/* A 303 to path (an absolute path of this site). */
void admin__redirect(struct areq *r, const char *path);
/* {iso, text, input} for an instant in the site's zone; NULL for 0. */
struct tval *admin__time(struct areq *r, int64_t t);
/* The model of an item of a list. */
struct tval *admin__item(struct areq *r, const struct item *it);
/* Records code with a message for the error page at status. */
enum pr_err admin__fail(struct areq *r, enum pr_err code, int status,
                        const char *fmt, ...) PR_PRINTF(4, 5);
/* Appends an audit line for the request's user (inside the caller's
 * transaction when one is open). */
enum pr_err admin__audit(struct areq *r, const char *action, int64_t article_id,
                         const char *fmt, ...) PR_PRINTF(4, 5);

/* The handlers, one file each part. */

enum pr_err admin__dashboard(struct areq *r);    /* dashboard.c */
enum pr_err admin__items(struct areq *r);        /* dashboard.c */
enum pr_err admin__edit_new(struct areq *r);     /* editor.c */
enum pr_err admin__edit(struct areq *r);         /* editor.c */
enum pr_err admin__create(struct areq *r);       /* save.c */
enum pr_err admin__save(struct areq *r);         /* save.c */
enum pr_err admin__autosave(struct areq *r);     /* save.c */
enum pr_err admin__preview(struct areq *r);      /* preview.c */
enum pr_err admin__preview_form(struct areq *r); /* preview.c */
enum pr_err admin__links(struct areq *r);        /* preview.c */
enum pr_err admin__embargo(struct areq *r);      /* preview.c */
enum pr_err admin__revisions(struct areq *r);    /* revisions.c */
enum pr_err admin__restore(struct areq *r);      /* revisions.c */
enum pr_err admin__users(struct areq *r);        /* users.c */
enum pr_err admin__user_add(struct areq *r);     /* users.c */
enum pr_err admin__user_change(struct areq *r);  /* users.c */
enum pr_err admin__account(struct areq *r);      /* users.c */
enum pr_err admin__account_save(struct areq *r); /* users.c */
enum pr_err admin__audit_page(struct areq *r);   /* audit.c */
enum pr_err admin__photo_upload(struct areq *r); /* photos.c */
enum pr_err admin__photo_change(struct areq *r); /* photos.c */

/* admin/photos.c: the photos of the item in r->model ("photos",
 * "has_photos", "photos_editable", "photos_url"); nothing for a new
 * item. */
void admin__photos_model(struct areq *r, const struct article *a,
                         const struct workflow *wf);

/* admin/editor.c: the editor's page, shared with save.c, preview.c and
 * revisions.c */

/* The editor's fields as text, from an article or a form. */
struct fields {
	const char *title, *lead, *body, *kind, *lang;
	const char *tags, *persons, *places, *translation_of;
	const char *note, *publish_at;
	int base; /* the revision the edit started from */
};

/* Renders a->body into a->body_html and a->body_text (for the search
 * index) in the request's arena; 400 and a message when it cannot. */
enum pr_err admin__render_body(struct areq *r, struct article *a);
void admin__fields_of_article(struct areq *r, const struct article *a,
                              struct fields *f);
void admin__fields_of_form(struct areq *r, const struct form *form,
                           struct fields *f);
/*
 * Renders the editor for item a (NULL: a new one) with the fields f,
 * message (NULL for none) shown above the form, answering with status.
 */
enum pr_err admin__editor_page(struct areq *r, const struct article *a,
                               const struct workflow *wf,
                               const struct fields *f, const char *message,
                               int status);
/* The article the fields describe, over base (NULL: a new item of the
 * user's), with its body rendered. PR_INVALID naming the field. */
enum pr_err admin__article_of(struct areq *r, const struct fields *f,
                              const struct article *base, struct article *out);

/* The article and workflow of r->id, read for user r->user with act
 * checked; 404 when there is none. */
enum pr_err admin__load_item(struct areq *r, enum admin_act act,
                             struct article *a, struct workflow *wf,
                             enum item_state *st);

#endif
