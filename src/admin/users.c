/*
 * admin/users.c: accounts. Admins add users, change their role, disable
 * or enable them and set new passwords; everyone changes their own name
 * and password. The last admin cannot be demoted or disabled, so the
 * site never locks itself out.
 */
#include "admin_int.h"

#include <string.h>

static struct tval *user_value(struct areq *r, const struct user *u)
{
	struct tval *v = tv_obj(r->a);

	tv_set_int(v, "id", u->id);
	tv_set_cstr(v, "login", u->login);
	tv_set_cstr(v, "name", u->name);
	tv_set_cstr(v, "role", store_role_name(u->role));
	tv_set_bool(v, "author", u->role == ROLE_AUTHOR);
	tv_set_bool(v, "editor", u->role == ROLE_EDITOR);
	tv_set_bool(v, "admin", u->role == ROLE_ADMIN);
	tv_set_bool(v, "disabled", u->disabled);
	tv_set_bool(v, "self", u->id == r->user.id);
	tv_set(v, "created", admin__time(r, u->created_at));
	return v;
}

static enum pr_err users_page(struct areq *r, const char *message, int status)
{
	struct tval *list = tv_list(r->a);
	struct user *v;
	enum pr_err rc;
	size_t n;

	if ((rc = store_user_list(r->st, r->a, &v, &n, &r->err)) != PR_OK)
		return rc;
	admin__model(r, "Users", "users");
	for (size_t i = 0; i < n; i++)
		tv_push(list, user_value(r, &v[i]));
	tv_set(r->model, "users", list);
	tv_set_cstr(r->model, "message", message);
	tv_set_cstr(r->model, "new_login", admin__field_c(r, "login"));
	tv_set_cstr(r->model, "new_name", admin__field_c(r, "name"));
	return admin__render(r, "admin_users", status);
}

enum pr_err admin__users(struct areq *r)
{
	struct str done = http_query(r->http, "done");

	return users_page(r, str_eq_c(done, "1") ? "Done." : NULL, 200);
}

/* A refused change: the page again with the reason. */
static enum pr_err users_refused(struct areq *r, enum pr_err rc)
{
	char msg[sizeof(r->err.msg)];

	if (rc != PR_INVALID && rc != PR_CONFLICT && rc != PR_NOTFOUND)
		return rc;
	snprintf(msg, sizeof(msg), "%s", r->err.msg);
	pr_error_clear(&r->err);
	r->status = 0;
	return users_page(r, msg, rc == PR_CONFLICT ? 409 : 400);
}

/* Runs fn's store writes and the audit line in one transaction. */
static enum pr_err in_tx(struct areq *r, enum pr_err rc)
{
	if (rc == PR_OK)
		return store_commit(r->st, &r->err);
	store_rollback(r->st);
	return rc;
}

enum pr_err admin__user_add(struct areq *r)
{
	struct str pw = admin__field(&r->form, "password");
	char hash[ADMIN_HASH_LEN];
	struct user u = {0};
	enum pr_err rc;

	u.login = admin__field_c(r, "login");
	u.name = admin__field_c(r, "name");
	if (!store_role_parse(admin__field(&r->form, "role"), &u.role))
		return users_refused(
		    r, pr_fail(&r->err, PR_INVALID,
		               "role: one of author, editor, admin"));
	if ((rc = admin_password_check(pw, &r->err)) != PR_OK)
		return users_refused(r, rc);
	if ((rc = admin_password_hash(&r->ad->cfg, pw, hash, &r->err)) != PR_OK)
		return rc;
	u.hash = hash;
	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = store_user_add(r->st, &u, &r->err);
	if (rc == PR_OK)
		rc = admin__audit(r, "user-add", 0, "%s (%s) as %s", u.login,
		                  u.name, store_role_name(u.role));
	if ((rc = in_tx(r, rc)) != PR_OK)
		return users_refused(r, rc);
	admin__redirect(r, "/admin/users?done=1");
	return PR_OK;
}

/* Refuses what would leave the site without an admin. */
static enum pr_err keep_an_admin(struct areq *r, const struct user *u,
                                 bool demote, bool disable)
{
	int64_t admins = 0;
	enum pr_err rc;

	if (u->role != ROLE_ADMIN || u->disabled || (!demote && !disable))
		return PR_OK;
	if ((rc = store_user_count_admins(r->st, &admins, &r->err)) != PR_OK)
		return rc;
	if (admins <= 1)
		return pr_fail(&r->err, PR_INVALID,
		               "%s is the last admin: make another admin "
		               "first",
		               u->login);
	return PR_OK;
}

static enum pr_err change(struct areq *r, const struct user *u, struct str what)
{
	enum user_role role;
	char hash[ADMIN_HASH_LEN];
	struct str pw = admin__field(&r->form, "password");
	enum pr_err rc;

	if (str_eq_c(what, "role")) {
		if (!store_role_parse(admin__field(&r->form, "role"), &role))
			return pr_fail(&r->err, PR_INVALID,
			               "role: one of author, editor, admin");
		if ((rc = keep_an_admin(r, u, role != ROLE_ADMIN, false)) !=
		    PR_OK)
			return rc;
		if ((rc = store_user_set_role(r->st, u->id, role, &r->err)) ==
		    PR_OK)
			rc = admin__audit(r, "user-role", 0, "%s: %s to %s",
			                  u->login, store_role_name(u->role),
			                  store_role_name(role));
		return rc;
	}
	if (str_eq_c(what, "disable") || str_eq_c(what, "enable")) {
		bool off = str_eq_c(what, "disable");
		if ((rc = keep_an_admin(r, u, false, off)) != PR_OK)
			return rc;
		if ((rc = store_user_set_disabled(r->st, u->id, off,
		                                  &r->err)) == PR_OK)
			rc = admin__audit(r,
			                  off ? "user-disable" : "user-enable",
			                  0, "%s", u->login);
		return rc;
	}
	if (str_eq_c(what, "password")) {
		if ((rc = admin_password_check(pw, &r->err)) != PR_OK ||
		    (rc = admin_password_hash(&r->ad->cfg, pw, hash,
		                              &r->err)) != PR_OK)
			return rc;
		if ((rc = store_user_set_hash(r->st, u->id, hash, NULL,
		                              &r->err)) == PR_OK)
			rc =
			    admin__audit(r, "user-password", 0, "%s", u->login);
		return rc;
	}
	return pr_fail(&r->err, PR_INVALID,
	               "what: role, disable, enable or password");
}

enum pr_err admin__user_change(struct areq *r)
{
	struct user u;
	enum pr_err rc;

	if ((rc = store_user_get(r->st, r->a, r->id, &u, &r->err)) != PR_OK) {
		r->status = rc == PR_NOTFOUND ? 404 : 0;
		return rc;
	}
	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = change(r, &u, admin__field(&r->form, "what"));
	if ((rc = in_tx(r, rc)) != PR_OK)
		return users_refused(r, rc);
	admin__redirect(r, "/admin/users?done=1");
	return PR_OK;
}

/* The user's own account */

static enum pr_err account_page(struct areq *r, const char *message, int status)
{
	admin__model(r, "My account", "account");
	tv_set_cstr(r->model, "message", message);
	return admin__render(r, "admin_account", status);
}

enum pr_err admin__account(struct areq *r)
{
	return account_page(
	    r, str_eq_c(http_query(r->http, "done"), "1") ? "Saved." : NULL,
	    200);
}

static enum pr_err new_password(struct areq *r)
{
	struct str old = admin__field(&r->form, "current");
	struct str pw = admin__field(&r->form, "password");
	struct str again = admin__field(&r->form, "password2");
	char hash[ADMIN_HASH_LEN];
	enum pr_err rc;

	if (!admin_password_verify(r->user.hash, old))
		return pr_fail(&r->err, PR_INVALID,
		               "The current password is wrong.");
	if (!str_eq(pw, again))
		return pr_fail(&r->err, PR_INVALID,
		               "The new passwords differ.");
	if ((rc = admin_password_check(pw, &r->err)) != PR_OK ||
	    (rc = admin_password_hash(&r->ad->cfg, pw, hash, &r->err)) != PR_OK)
		return rc;
	rc = store_user_set_hash(r->st, r->user.id, hash, r->session.id,
	                         &r->err);
	if (rc == PR_OK)
		rc = admin__audit(r, "password", 0, "own password changed");
	return rc;
}

enum pr_err admin__account_save(struct areq *r)
{
	struct str what = admin__field(&r->form, "what");
	char msg[sizeof(r->err.msg)];
	enum pr_err rc;

	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	if (str_eq_c(what, "name")) {
		rc = store_user_set_name(r->st, r->user.id,
		                         admin__field_c(r, "name"), &r->err);
		if (rc == PR_OK)
			rc = admin__audit(r, "name", 0, "%s",
			                  admin__field_c(r, "name"));
	} else {
		rc = new_password(r);
	}
	if ((rc = in_tx(r, rc)) == PR_OK) {
		admin__redirect(r, "/admin/account?done=1");
		return PR_OK;
	}
	if (rc != PR_INVALID)
		return rc;
	snprintf(msg, sizeof(msg), "%s", r->err.msg);
	pr_error_clear(&r->err);
	return account_page(r, msg, 400);
}
