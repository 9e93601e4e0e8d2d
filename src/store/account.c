/*
 * store/account.c: the editors' accounts, their sessions and the login
 * throttle. The store keeps only what cannot open anything by itself:
 * Argon2id strings of passwords and SHA-256 hashes of session tokens.
 */
#include "store_int.h"

#include <string.h>

static const char *const role_names[] = {"author", "editor", "admin"};

const char *store_role_name(enum user_role r)
{
	if ((unsigned)r >= sizeof(role_names) / sizeof(role_names[0]))
		return "unknown";
	return role_names[r];
}

bool store_role_parse(struct str s, enum user_role *out)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (str_eq_c(s, role_names[i])) {
			*out = (enum user_role)i;
			return true;
		}
	return false;
}

bool store_login_valid(struct str login)
{
	if (login.n == 0 || login.n > STORE_LOGIN_MAX)
		return false;
	for (size_t i = 0; i < login.n; i++) {
		char c = login.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      ((c == '.' || c == '_' || c == '-') && i > 0)))
			return false;
	}
	return true;
}

/* A display name: UTF-8 without control characters, not blank. */
static bool name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > STORE_NAME_LEN || !utf8_valid(name, n, NULL) ||
	    str_trim(str_c(name)).n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}

static enum pr_err check_user(const struct user *u, struct pr_error *e)
{
	if (!store_login_valid(str_c(u->login)))
		return pr_fail(e, PR_INVALID,
		               "login \"%s\": use 1 to %d lower-case letters, "
		               "digits, '.', '_' or '-', starting with a "
		               "letter or digit",
		               u->login ? u->login : "", STORE_LOGIN_MAX);
	if (!name_valid(u->name))
		return pr_fail(e, PR_INVALID,
		               "name: 1 to %d bytes of text without control "
		               "characters",
		               STORE_NAME_LEN);
	if ((unsigned)u->role > ROLE_ADMIN)
		return pr_fail(e, PR_INVALID,
		               "role: one of author, editor, "
		               "admin");
	if (u->hash == NULL || u->hash[0] == '\0')
		return pr_fail(e, PR_INVALID, "no password hash");
	return PR_OK;
}

enum pr_err store_user_add(struct store *s, struct user *u, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	int src;

	if ((rc = check_user(u, e)) != PR_OK)
		return rc;
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_USER_INSERT);
	store__bind_text(s, st, 1, u->login);
	store__bind_text(s, st, 2, u->name);
	store__bind_text(s, st, 3, store_role_name(u->role));
	store__bind_text(s, st, 4, u->hash);
	store__bind_int(s, st, 5, u->disabled);
	store__bind_int(s, st, 6, pr_now());
	src = store__step(s, st);
	if (src == SQLITE_CONSTRAINT_UNIQUE)
		rc = pr_fail(e, PR_CONFLICT, "login \"%s\" is taken", u->login);
	else if (src != SQLITE_DONE)
		rc = store__fail(s, e, src, "adding user %s", u->login);
	else
		u->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_reset(st);
	return store__write_end(s, rc, e);
}

/* Reads USER (sql.c) from column col of the row st stands on. */
static enum pr_err read_user(struct store *s, struct arena *ar,
                             sqlite3_stmt *st, int col, struct user *u,
                             struct pr_error *e)
{
	const char *role;
	bool oom = false;

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, col);
	u->login = store__col_text(ar, st, col + 1, &oom);
	u->name = store__col_text(ar, st, col + 2, &oom);
	role = (const char *)sqlite3_column_text(st, col + 3);
	u->hash = store__col_text(ar, st, col + 4, &oom);
	u->disabled = sqlite3_column_int64(st, col + 5) != 0;
	u->created_at = sqlite3_column_int64(st, col + 6);
	u->updated_at = sqlite3_column_int64(st, col + 7);
	if (oom)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	if (!store_role_parse(str_c(role), &u->role))
		return pr_fail(e, PR_CORRUPT, "%s: user %lld has no known role",
		               s->path, (long long)u->id);
	return PR_OK;
}

/* Steps st for one user; PR_NOTFOUND with what when there is none. */
static enum pr_err one_user(struct store *s, struct arena *ar, sqlite3_stmt *st,
                            struct user *out, struct pr_error *e,
                            const char *what)
{
	enum pr_err rc;
	bool row;

	memset(out, 0, sizeof(*out));
	if ((rc = store__row(s, st, &row, e, "reading a user")) != PR_OK)
		return rc;
	if (row)
		rc = read_user(s, ar, st, 0, out, e);
	else
		rc = pr_fail(e, PR_NOTFOUND, "no user %s", what);
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_user_get(struct store *s, struct arena *ar, int64_t id,
                           struct user *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_USER_GET);
	char what[32];

	store__bind_int(s, st, 1, id);
	snprintf(what, sizeof(what), "with id %lld", (long long)id);
	return one_user(s, ar, st, out, e, what);
}

enum pr_err store_user_find(struct store *s, struct arena *ar, struct str login,
                            struct user *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_USER_FIND);
	char lower[STORE_LOGIN_MAX + 1], what[STORE_LOGIN_MAX + 8];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (login.n > STORE_LOGIN_MAX)
		return pr_fail(e, PR_NOTFOUND, "no such user");
	for (i = 0; i < login.n; i++) {
		char c = login.p[i];
		lower[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	lower[i] = '\0';
	store__bind_text(s, st, 1, lower);
	snprintf(what, sizeof(what), "\"%s\"", lower);
	return one_user(s, ar, st, out, e, what);
}

enum pr_err store_user_list(struct store *s, struct arena *ar,
                            struct user **out, size_t *n, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_USER_LIST);
	struct user *v = arena_alloc(ar, STORE_USERS_MAX * sizeof(*v));
	enum pr_err rc;
	bool row;

	*out = v;
	*n = 0;
	if (v == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	store__bind_int(s, st, 1, STORE_USERS_MAX);
	while ((rc = store__row(s, st, &row, e, "listing users")) == PR_OK &&
	       row)
		if ((rc = read_user(s, ar, st, 0, &v[(*n)++], e)) != PR_OK)
			break;
	sqlite3_reset(st);
	return rc;
}

/* Runs one UPDATE of an account in its own write; PR_NOTFOUND when it
 * changed no row. */
static enum pr_err set_user(struct store *s, enum stmt id, int64_t user,
                            const char *text, int64_t num, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, id);
	enum pr_err rc;

	if (text != NULL)
		store__bind_text(s, st, 2, text);
	else
		store__bind_int(s, st, 2, num);
	store__bind_int(s, st, 1, user);
	store__bind_int(s, st, 3, pr_now());
	rc = store__exec(s, st, e, "changing a user");
	if (rc == PR_OK && sqlite3_changes(s->db) == 0)
		rc = pr_fail(e, PR_NOTFOUND, "no user with id %lld",
		             (long long)user);
	return rc;
}

static enum pr_err end_sessions(struct store *s, int64_t user, const char *keep,
                                struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SESSION_DELETE_USER);

	store__bind_int(s, st, 1, user);
	store__bind_text(s, st, 2, keep ? keep : "");
	return store__exec(s, st, e, "ending sessions");
}

enum pr_err store_user_set_hash(struct store *s, int64_t id, const char *hash,
                                const char *keep_session, struct pr_error *e)
{
	enum pr_err rc;

	if (hash == NULL || hash[0] == '\0')
		return pr_fail(e, PR_INVALID, "no password hash");
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = set_user(s, STMT_USER_SET_HASH, id, hash, 0, e);
	if (rc == PR_OK)
		rc = end_sessions(s, id, keep_session, e);
	return store__write_end(s, rc, e);
}

enum pr_err store_user_set_role(struct store *s, int64_t id,
                                enum user_role role, struct pr_error *e)
{
	enum pr_err rc;

	if ((unsigned)role > ROLE_ADMIN)
		return pr_fail(e, PR_INVALID,
		               "role: one of author, editor, "
		               "admin");
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = set_user(s, STMT_USER_SET_ROLE, id, store_role_name(role), 0, e);
	return store__write_end(s, rc, e);
}

enum pr_err store_user_set_name(struct store *s, int64_t id, const char *name,
                                struct pr_error *e)
{
	enum pr_err rc;

	if (!name_valid(name))
		return pr_fail(e, PR_INVALID,
		               "name: 1 to %d bytes of text without control "
		               "characters",
		               STORE_NAME_LEN);
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = set_user(s, STMT_USER_SET_NAME, id, name, 0, e);
	return store__write_end(s, rc, e);
}

enum pr_err store_user_set_disabled(struct store *s, int64_t id, bool disabled,
                                    struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = set_user(s, STMT_USER_SET_DISABLED, id, NULL, disabled, e);
	if (rc == PR_OK && disabled)
		rc = end_sessions(s, id, NULL, e);
	return store__write_end(s, rc, e);
}

/* Runs st, which gives one count. */
static enum pr_err count_of(struct store *s, sqlite3_stmt *st, int64_t *out,
                            struct pr_error *e, const char *what)
{
	enum pr_err rc;
	bool row;

	*out = 0;
	rc = store__row(s, st, &row, e, what);
	if (rc == PR_OK && row)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_user_count_admins(struct store *s, int64_t *out,
                                    struct pr_error *e)
{
	return count_of(s, store__stmt(s, STMT_USER_COUNT_ADMINS), out, e,
	                "counting admins");
}

/* Sessions */

enum pr_err store_session_add(struct store *s, const struct session *se,
                              const char *address, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_SESSION_INSERT);
	store__bind_text(s, st, 1, se->id);
	store__bind_int(s, st, 2, se->user_id);
	store__bind_text(s, st, 3, se->csrf);
	store__bind_int(s, st, 4, se->created_at);
	store__bind_int(s, st, 5, se->expires_at);
	store__bind_text(s, st, 6, address);
	rc = store__exec(s, st, e, "starting a session");
	return store__write_end(s, rc, e);
}

enum pr_err store_session_get(struct store *s, struct arena *ar, const char *id,
                              int64_t now, struct session *out,
                              struct user *user, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SESSION_GET);
	enum pr_err rc;
	bool row, oom = false;

	memset(out, 0, sizeof(*out));
	store__bind_text(s, st, 1, id);
	store__bind_int(s, st, 2, now);
	if ((rc = store__row(s, st, &row, e, "reading a session")) != PR_OK)
		return rc;
	if (!row) {
		rc = pr_fail(e, PR_NOTFOUND, "no such session");
		goto out;
	}
	out->id = store__col_text(ar, st, 0, &oom);
	out->csrf = store__col_text(ar, st, 1, &oom);
	out->user_id = sqlite3_column_int64(st, 2);
	out->created_at = sqlite3_column_int64(st, 3);
	out->expires_at = sqlite3_column_int64(st, 4);
	if (oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	else
		rc = read_user(s, ar, st, 5, user, e);
out:
	sqlite3_reset(st);
	return rc;
}

/* One statement with a text key in its own write. */
static enum pr_err write_key(struct store *s, enum stmt id, const char *key,
                             struct pr_error *e, const char *what)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, id);
	store__bind_text(s, st, 1, key);
	rc = store__exec(s, st, e, what);
	return store__write_end(s, rc, e);
}

enum pr_err store_session_delete(struct store *s, const char *id,
                                 struct pr_error *e)
{
	return write_key(s, STMT_SESSION_DELETE, id, e, "ending a session");
}

enum pr_err store_session_purge(struct store *s, int64_t now,
                                struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_SESSION_PURGE);
	store__bind_int(s, st, 1, now);
	rc = store__exec(s, st, e, "removing old sessions");
	return store__write_end(s, rc, e);
}

/* The login throttle */

static void read_throttle(sqlite3_stmt *st, struct throttle *out)
{
	out->failures = sqlite3_column_int64(st, 0);
	out->first_at = sqlite3_column_int64(st, 1);
	out->locked_until = sqlite3_column_int64(st, 2);
}

enum pr_err store_throttle_get(struct store *s, const char *key,
                               struct throttle *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_THROTTLE_GET);
	enum pr_err rc;
	bool row;

	memset(out, 0, sizeof(*out));
	store__bind_text(s, st, 1, key);
	rc = store__row(s, st, &row, e, "reading the login throttle");
	if (rc == PR_OK && row)
		read_throttle(st, out);
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_throttle_fail(struct store *s, const char *key, int64_t now,
                                int64_t window_start, struct throttle *out,
                                struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	memset(out, 0, sizeof(*out));
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_THROTTLE_FAIL);
	store__bind_text(s, st, 1, key);
	store__bind_int(s, st, 2, now);
	store__bind_int(s, st, 3, window_start);
	rc = store__row(s, st, &row, e, "counting a failed login");
	if (rc == PR_OK && row)
		read_throttle(st, out);
	if (rc == PR_OK)
		rc = store__exec(s, st, e, "counting a failed login");
	return store__write_end(s, rc, e);
}

enum pr_err store_throttle_lock(struct store *s, const char *key, int64_t until,
                                struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_THROTTLE_LOCK);
	store__bind_text(s, st, 1, key);
	store__bind_int(s, st, 2, until);
	rc = store__exec(s, st, e, "locking logins");
	return store__write_end(s, rc, e);
}

enum pr_err store_throttle_clear(struct store *s, const char *key,
                                 struct pr_error *e)
{
	return write_key(s, STMT_THROTTLE_CLEAR, key, e,
	                 "clearing the login throttle");
}
