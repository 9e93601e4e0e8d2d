/*
 * admin/admin.c: the editors' side as a whole: opening it, the table of
 * its routes (method, path pattern, whether a session is needed, the
 * action every user of the route must be allowed) and one request from
 * the session and the form's token through the role check to its handler
 * and, when that fails, to an error page.
 */
#include "admin_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define R_PUBLIC 1u /* no session needed (login, embargo preview) */
#define R_NOCSRF 2u /* the handler checks its own token (login) */

#define MAX_SEGMENTS 6

static const struct route {
	enum http_method method; /* HTTP_GET also answers HEAD */
	const char *pattern;     /* "{id}" a number, "{token}" a token */
	unsigned flags;
	enum admin_act act;
	admin_fn fn;
} routes[] = {
    {HTTP_GET, "admin", 0, ACT_ENTER, admin__dashboard},
    {HTTP_GET, "admin/login", R_PUBLIC, ACT_ENTER, admin__login_form},
    {HTTP_POST, "admin/login", R_PUBLIC | R_NOCSRF, ACT_ENTER, admin__login},
    {HTTP_POST, "admin/logout", 0, ACT_ENTER, admin__logout},
    {HTTP_GET, "admin/items", 0, ACT_ENTER, admin__items},
    {HTTP_GET, "admin/items/new", 0, ACT_CREATE, admin__edit_new},
    {HTTP_POST, "admin/items/new", 0, ACT_CREATE, admin__create},
    {HTTP_POST, "admin/items/new/preview", 0, ACT_CREATE, admin__preview_form},
    {HTTP_POST, "admin/items/new/autosave", 0, ACT_CREATE, admin__autosave},
    {HTTP_GET, "admin/items/{id}", 0, ACT_ENTER, admin__edit},
    {HTTP_POST, "admin/items/{id}", 0, ACT_ENTER, admin__save},
    {HTTP_GET, "admin/items/{id}/preview", 0, ACT_ENTER, admin__preview},
    {HTTP_POST, "admin/items/{id}/preview", 0, ACT_ENTER, admin__preview_form},
    {HTTP_POST, "admin/items/{id}/autosave", 0, ACT_ENTER, admin__autosave},
    {HTTP_GET, "admin/items/{id}/revisions", 0, ACT_ENTER, admin__revisions},
    {HTTP_POST, "admin/items/{id}/restore", 0, ACT_ENTER, admin__restore},
    {HTTP_POST, "admin/items/{id}/links", 0, ACT_LINKS, admin__links},
    {HTTP_POST, "admin/items/{id}/photos", 0, ACT_ENTER, admin__photo_upload},
    {HTTP_POST, "admin/items/{id}/photos/edit", 0, ACT_ENTER,
     admin__photo_change},
    {HTTP_GET, "admin/users", 0, ACT_USERS, admin__users},
    {HTTP_POST, "admin/users", 0, ACT_USERS, admin__user_add},
    {HTTP_POST, "admin/users/{id}", 0, ACT_USERS, admin__user_change},
    {HTTP_GET, "admin/account", 0, ACT_ENTER, admin__account},
    {HTTP_POST, "admin/account", 0, ACT_ENTER, admin__account_save},
    {HTTP_GET, "admin/audit", 0, ACT_AUDIT, admin__audit_page},
    {HTTP_GET, "preview/{token}", R_PUBLIC, ACT_ENTER, admin__embargo},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

static char *asset_url(const struct tmpl *t, const char *name)
{
	struct str data;
	struct buf b;

	if (!tmpl_asset(t, str_c(name), &data, NULL))
		return strdup("");
	buf_init(&b, 256);
	buf_addf(&b, "/static/%s?v=%016llx", name,
	         (unsigned long long)hash64(data.p, data.n, 0));
	return buf_detach(&b, NULL);
}

enum pr_err admin_open(struct admin **out, const struct config *cfg,
                       const struct tmpl *tmpl, const struct admin_hooks *hooks,
                       struct pr_error *e)
{
	struct admin *a = calloc(1, sizeof(*a));
	enum pr_err rc = PR_NOMEM;

	*out = NULL;
	if (a == NULL || sodium_init() < 0)
		goto out;
	a->cfg = *cfg;
	a->tmpl = tmpl;
	if (hooks)
		a->hooks = *hooks;
	a->secure = str_prefix(str_c(cfg->base_url), STR_LIT("https://"));
	a->css_url = asset_url(tmpl, "admin.css");
	a->js_url = asset_url(tmpl, "admin.js");
	if (a->css_url == NULL || a->js_url == NULL)
		goto out;
	rc = admin_password_hash(cfg, STR_LIT("no such user, no password"),
	                         a->dummy_hash, e);
out:
	if (rc == PR_NOMEM)
		pr_fail(e, rc, "out of memory");
	if (rc != PR_OK)
		admin_free(a);
	else
		*out = a;
	return rc;
}

void admin_free(struct admin *a)
{
	if (a == NULL)
		return;
	free(a->css_url);
	free(a->js_url);
	free(a);
}

bool admin_owns(struct str path)
{
	return str_eq_c(path, "/admin") ||
	       str_prefix(path, STR_LIT("/admin/")) ||
	       str_prefix(path, STR_LIT("/preview/"));
}

/* Splits path into segments after its leading '/'; false when there are
 * too many or an empty one. */
static bool split(struct str path, struct str *seg, size_t *n)
{
	struct str rest = path;

	*n = 0;
	if (rest.n && rest.p[0] == '/')
		rest = (struct str){rest.p + 1, rest.n - 1};
	if (rest.n && rest.p[rest.n - 1] == '/')
		rest.n--;
	while (rest.n > 0) {
		if (*n == MAX_SEGMENTS)
			return false;
		seg[(*n)++] = str_cut(&rest, '/');
		if (seg[*n - 1].n == 0)
			return false;
	}
	return true;
}

/* Whether route i fits the segments; fills r->id and r->token. */
static bool fits(size_t i, const struct str *seg, size_t n, struct areq *r)
{
	struct str pat = str_c(routes[i].pattern), p;
	size_t k = 0;
	int64_t id;

	while (pat.n > 0) {
		p = str_cut(&pat, '/');
		if (k == n)
			return false;
		if (str_eq_c(p, "{id}")) {
			if (seg[k].n > 18 || seg[k].p[0] == '0' ||
			    !str_to_i64(seg[k], 1, INT64_MAX, &id))
				return false;
			r->id = id;
		} else if (str_eq_c(p, "{token}")) {
			r->token = seg[k];
		} else if (!str_eq(p, seg[k])) {
			return false;
		}
		k++;
	}
	return k == n;
}

/* The route for the request: *path_known tells whether any method fits
 * the path, for a 405. */
static const struct route *match(struct areq *r, bool *path_known)
{
	enum http_method m =
	    r->http->method == HTTP_HEAD ? HTTP_GET : r->http->method;
	struct str seg[MAX_SEGMENTS];
	size_t n;

	*path_known = false;
	if (!split(r->http->path, seg, &n))
		return NULL;
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (!fits(i, seg, n, r))
			continue;
		*path_known = true;
		if (routes[i].method == m)
			return &routes[i];
	}
	return NULL;
}

static void to_login(struct areq *r)
{
	struct buf b;

	buf_init(&b, 2048);
	buf_adds(&b, "/admin/login");
	if (r->http->method == HTTP_GET && !str_eq_c(r->http->path, "/admin")) {
		buf_adds(&b, "?next=");
		url_escape(&b, r->http->path);
	}
	admin__redirect(r, arena_strndup(r->a, buf_cstr(&b), b.n));
	buf_free(&b);
}

static enum pr_err read_form(struct areq *r)
{
	struct str type = http_header(r->http, "Content-Type");
	enum pr_err rc;

	if (r->http->body.n > 0 &&
	    str_prefix(type, STR_LIT("multipart/form-data")))
		return admin__form_multipart(r);
	if (r->http->body.n > ADMIN_FORM_MAX)
		return admin__fail(r, PR_TOOBIG, 413,
		                   "The form is larger than 1 MB; only photo "
		                   "uploads may be larger.");
	if (r->http->body.n > 0 &&
	    !str_prefix(type, STR_LIT("application/x-www-form-urlencoded")))
		return admin__fail(r, PR_INVALID, 415,
		                   "Forms must be sent as "
		                   "application/x-www-form-urlencoded or "
		                   "multipart/form-data.");
	rc = admin__form_parse(r->a, r->http->body, &r->form, &r->err);
	if (rc != PR_OK)
		r->status = rc == PR_TOOBIG ? 413 : 400;
	return rc;
}

/* Everything between the route and its handler. */
static enum pr_err run(struct areq *r)
{
	const struct route *rt;
	enum pr_err rc;
	bool known;

	rt = match(r, &known);
	if ((rc = admin__session_load(r)) != PR_OK)
		return rc;
	if (!r->logged_in && (rt == NULL || !(rt->flags & R_PUBLIC))) {
		to_login(r);
		return PR_OK;
	}
	if (rt == NULL) {
		if (known)
			r->res->allow = "GET, HEAD, POST";
		return admin__fail(r, PR_NOTFOUND, known ? 405 : 404,
		                   known ? "This address does not take %s."
		                         : "There is no page at this address.",
		                   r->http->method_name);
	}
	if (rt->method == HTTP_POST && (rc = read_form(r)) != PR_OK)
		return rc;
	if (rt->method == HTTP_POST && !(rt->flags & R_NOCSRF) &&
	    (rc = admin__csrf_check(r)) != PR_OK)
		return rc;
	if (r->logged_in && (rc = admin__require(r, rt->act, -1, 0)) != PR_OK)
		return rc;
	return rt->fn(r);
}

static int status_of(enum pr_err rc)
{
	switch (rc) {
	case PR_NOTFOUND: return 404;
	case PR_INVALID: return 400;
	case PR_CONFLICT: return 409;
	case PR_TOOBIG: return 413;
	case PR_BUSY: return 503;
	default: return 500;
	}
}

static void error_page(struct areq *r, enum pr_err rc)
{
	int status = r->status ? r->status : status_of(rc);

	if (status >= 500) {
		log_error("admin: %.*s: %s", STR_FMT(r->http->path),
		          r->err.msg);
		pr_error_clear(&r->err);
		pr_fail(&r->err, rc, "The server could not do this (%s).",
		        pr_strerror(rc));
	}
	r->model = NULL;
	admin__model(r, "Error", NULL);
	tv_set_int(r->model, "status", status);
	tv_set_cstr(r->model, "message", r->err.msg);
	if (admin__render(r, "admin_error", status) != PR_OK) {
		buf_reset(&r->res->body);
		buf_addf(&r->res->body, "%d %s\n", status, r->err.msg);
		r->res->content_type = "text/plain; charset=utf-8";
		r->res->status = status;
	}
}

void admin_handle(struct admin *a, struct store *st,
                  const struct http_request *req, struct http_response *res)
{
	struct areq r = {
	    .ad = a,
	    .st = st,
	    .http = req,
	    .res = res,
	    .a = req->arena,
	    .now = pr_now(),
	};
	enum pr_err rc;

	http_peer(req, r.addr, sizeof(r.addr));
	res->cacheable = false;
	res->cache_control = "no-store";
	res->lang = "en";
	rc = run(&r);
	if (req->method == HTTP_POST && a->hooks.written != NULL)
		a->hooks.written(a->hooks.ctx);
	if (rc != PR_OK)
		error_page(&r, rc);
	res->cacheable = false;
	res->cache_control = "no-store";
}
