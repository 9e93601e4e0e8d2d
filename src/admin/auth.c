/*
 * admin/auth.c: logging in and out. A session is a random token in an
 * HttpOnly, SameSite=Strict cookie limited to /admin (Secure behind
 * HTTPS); the store keeps its SHA-256 only. Every login makes a new
 * session; every form carries the session's secret, compared in constant
 * time. The login form has its own token in a short-lived cookie. Failed
 * logins are counted per account and per address: past the limit, the
 * account (or address) waits a minute, doubling with each further
 * failure, before a password is even looked at.
 */
#include "admin_int.h"

#include <string.h>

#define SESSION_COOKIE "pr_session"
#define LOGIN_COOKIE   "pr_login"
#define LOGIN_MAX_AGE  3600
#define LOCK_MAX       3600 /* the longest wait, seconds */
#define ADDRESS_FACTOR 4    /* an address may fail this many times more */

static const char *cookie(struct areq *r, const char *name, const char *value,
                          long max_age)
{
	return arena_printf(r->a,
	                    "%s=%s; Path=/admin; Max-Age=%ld; HttpOnly; "
	                    "SameSite=Strict%s",
	                    name, value, max_age,
	                    r->ad->secure ? "; Secure" : "");
}

enum pr_err admin__session_load(struct areq *r)
{
	struct str token = admin__cookie(r->http, SESSION_COOKIE);
	char id[ADMIN_TOKEN_HEX + 1];
	struct pr_error e = {0};
	enum pr_err rc;

	r->logged_in = false;
	if (!admin__token_valid(token))
		return PR_OK;
	admin__token_hash(token, id);
	rc = store_session_get(r->st, r->a, id, r->now, &r->session, &r->user,
	                       &e);
	if (rc == PR_OK)
		r->logged_in = true;
	else if (rc != PR_NOTFOUND)
		return pr_fail(&r->err, rc, "%s", e.msg);
	return PR_OK;
}

enum pr_err admin__csrf_check(struct areq *r)
{
	struct str sent = admin__field(&r->form, "csrf");

	if (admin__secret_eq(sent, str_c(r->session.csrf)))
		return PR_OK;
	return admin__fail(r, PR_INVALID, 403,
	                   "The form's security token is missing or wrong. "
	                   "Reload the page and try again.");
}

/* The page to go to after logging in: a path of the editors' side. */
static const char *next_path(struct areq *r, struct str next)
{
	if (next.n == 0 || next.n > 512 ||
	    !str_prefix(next, STR_LIT("/admin")) ||
	    str_index(next, '\\') >= 0 || str_index(next, '"') >= 0)
		return "/admin";
	for (size_t i = 0; i + 1 < next.n; i++)
		if (next.p[i] == '/' && next.p[i + 1] == '/')
			return "/admin";
	return arena_strndup(r->a, next.p, next.n);
}

static enum pr_err login_page(struct areq *r, struct str token,
                              const char *message, int status)
{
	struct str next = admin__field(&r->form, "next");

	if (next.p == NULL)
		next = http_query(r->http, "next");
	admin__model(r, "Log in", NULL);
	tv_set_str(r->model, "login_token", token);
	tv_set_cstr(r->model, "next", next_path(r, next));
	tv_set_cstr(r->model, "message", message);
	tv_set_cstr(r->model, "login", admin__field_c(r, "login"));
	return admin__render(r, "admin_login", status);
}

enum pr_err admin__login_form(struct areq *r)
{
	struct str token = admin__cookie(r->http, LOGIN_COOKIE);
	char fresh[ADMIN_TOKEN_HEX + 1];

	if (r->logged_in) {
		admin__redirect(r, next_path(r, http_query(r->http, "next")));
		return PR_OK;
	}
	if (!admin__token_valid(token)) {
		admin__token_new(fresh);
		token = arena_str(r->a, str_c(fresh));
		r->res->set_cookie =
		    cookie(r, LOGIN_COOKIE, fresh, LOGIN_MAX_AGE);
	}
	return login_page(r, token, NULL, 200);
}

/* Seconds a key must still wait; 0 when it may try. */
static int64_t wait_of(struct areq *r, const char *key)
{
	struct throttle t;

	if (store_throttle_get(r->st, key, &t, NULL) != PR_OK)
		return 0;
	return t.locked_until > r->now ? t.locked_until - r->now : 0;
}

/* Counts a failure of key; past limit failures it must wait. */
static void count_failure(struct areq *r, const char *key, int64_t limit)
{
	int64_t wait = 60;
	struct throttle t;

	if (store_throttle_fail(r->st, key, r->now, r->now - ADMIN_LOGIN_WINDOW,
	                        &t, NULL) != PR_OK ||
	    t.failures < limit)
		return;
	for (int64_t i = limit; i < t.failures && wait < LOCK_MAX; i++)
		wait *= 2;
	store_throttle_lock(r->st, key,
	                    r->now + (wait < LOCK_MAX ? wait : LOCK_MAX), NULL);
}

/* The user whose login and password the form gives, or PR_NOTFOUND.
 * An unknown login costs the same time as a wrong password. */
static enum pr_err check_password(struct areq *r, struct user *u)
{
	struct str login = str_trim(admin__field(&r->form, "login"));
	struct str pw = admin__field(&r->form, "password");
	struct pr_error e = {0};
	enum pr_err rc = store_user_find(r->st, r->a, login, u, &e);

	if (rc != PR_OK && rc != PR_NOTFOUND)
		return pr_fail(&r->err, rc, "%s", e.msg);
	if (rc == PR_NOTFOUND || u->disabled) {
		admin_password_verify(r->ad->dummy_hash, pw);
		return PR_NOTFOUND;
	}
	return admin_password_verify(u->hash, pw) ? PR_OK : PR_NOTFOUND;
}

static enum pr_err start_session(struct areq *r, const struct user *u)
{
	char token[ADMIN_TOKEN_HEX + 1], id[ADMIN_TOKEN_HEX + 1];
	char csrf[ADMIN_TOKEN_HEX + 1];
	struct str old = admin__cookie(r->http, SESSION_COOKIE);
	long life = r->ad->cfg.session_hours * 3600;
	struct session se = {0};
	enum pr_err rc;

	if (admin__token_valid(old)) {
		admin__token_hash(old, id);
		store_session_delete(r->st, id, NULL);
	}
	store_session_purge(r->st, r->now, NULL);
	admin__token_new(token);
	admin__token_new(csrf);
	admin__token_hash(str_c(token), id);
	se.id = id;
	se.csrf = csrf;
	se.user_id = u->id;
	se.created_at = r->now;
	se.expires_at = r->now + life;
	if ((rc = store_session_add(r->st, &se, r->addr, &r->err)) != PR_OK)
		return rc;
	r->res->set_cookie = cookie(r, SESSION_COOKIE, token, life);
	return PR_OK;
}

/* The keys a login attempt is counted under. */
static void throttle_keys(struct areq *r, const char **acct, const char **addr)
{
	struct str login = str_trim(admin__field(&r->form, "login"));
	char lower[STORE_LOGIN_MAX + 1];
	size_t n = login.n < STORE_LOGIN_MAX ? login.n : STORE_LOGIN_MAX;

	for (size_t i = 0; i < n; i++)
		lower[i] = login.p[i] >= 'A' && login.p[i] <= 'Z'
		               ? (char)(login.p[i] + 32)
		               : login.p[i];
	lower[n] = '\0';
	*acct = arena_printf(r->a, "login:%s", lower);
	*addr = arena_printf(r->a, "addr:%s", r->addr);
}

static enum pr_err refuse_throttled(struct areq *r, struct str token,
                                    int64_t wait)
{
	const char *msg = arena_printf(
	    r->a,
	    "Too many failed logins. Wait %lld seconds before trying again.",
	    (long long)wait);

	return login_page(r, token, msg, 429);
}

enum pr_err admin__login(struct areq *r)
{
	struct str token = admin__cookie(r->http, LOGIN_COOKIE);
	int64_t limit = r->ad->cfg.login_attempts, wait;
	const char *acct, *addr;
	struct user u;
	enum pr_err rc;

	if (!admin__token_valid(token) ||
	    !admin__secret_eq(token, admin__field(&r->form, "login_token")))
		return admin__fail(
		    r, PR_INVALID, 403,
		    "The login form expired or did not come "
		    "from this site. Open the login page again.");
	throttle_keys(r, &acct, &addr);
	wait = wait_of(r, acct);
	if (wait_of(r, addr) > wait)
		wait = wait_of(r, addr);
	if (wait > 0)
		return refuse_throttled(r, token, wait);
	if ((rc = check_password(r, &u)) == PR_NOTFOUND) {
		count_failure(r, acct, limit);
		count_failure(r, addr, limit * ADDRESS_FACTOR);
		r->user.login = arena_strdup(r->a, acct + 6);
		admin__audit(r, "login-failed", 0, "from %s", r->addr);
		return login_page(r, token, "Wrong login or password.", 403);
	}
	if (rc != PR_OK || (rc = start_session(r, &u)) != PR_OK)
		return rc;
	store_throttle_clear(r->st, acct, NULL);
	r->user = u;
	admin__audit(r, "login", 0, "from %s", r->addr);
	admin__redirect(r, next_path(r, admin__field(&r->form, "next")));
	return PR_OK;
}

enum pr_err admin__logout(struct areq *r)
{
	store_session_delete(r->st, r->session.id, NULL);
	admin__audit(r, "logout", 0, "from %s", r->addr);
	r->res->set_cookie = cookie(r, SESSION_COOKIE, "", 0);
	admin__redirect(r, "/admin/login");
	return PR_OK;
}
