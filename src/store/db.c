/*
 * store/db.c: the connection to the SQLite file. Opening it (with the
 * checks that turn a missing, locked, read-only, damaged or too new file
 * into a clear message), the migrations, the prepared statements and the
 * helpers around them, transactions and the work they defer to commit, the
 * generation, the integrity check and online backups.
 */
#include "store_int.h"

#include "../search/search.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set on every connection once its header has been read. WAL readers
 * never wait for the writer; NORMAL sync survives application crashes and
 * may lose the last commits (never consistency) on power loss; the cache
 * holds up to 32 MiB; the WAL file shrinks back to 64 MiB after a
 * checkpoint. */
static const char *const setup_rw[] = {
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -32768",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_size_limit = 67108864",
};

static const char *const setup_ro[] = {
    "PRAGMA foreign_keys = ON",
    "PRAGMA query_only = ON",
    "PRAGMA cache_size = -32768",
    "PRAGMA temp_store = MEMORY",
};

/* What the file header says before any migration runs. */
struct header {
	int64_t app_id, version, objects;
};

int store_schema_version(void)
{
	return store__n_migrations;
}

/* Errors */

enum pr_err store__code(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL: return PR_INVALID;
	case SQLITE_CONSTRAINT_FOREIGNKEY: return PR_NOTFOUND;
	case SQLITE_IOERR_NOMEM: return PR_NOMEM;
	}
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return PR_OK;
	case SQLITE_NOMEM: return PR_NOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return PR_BUSY;
	case SQLITE_READONLY:
	case SQLITE_PERM: return PR_READONLY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return PR_CORRUPT;
	case SQLITE_CONSTRAINT: return PR_CONFLICT;
	case SQLITE_TOOBIG: return PR_TOOBIG;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL: return PR_IO;
	default: return PR_INTERNAL;
	}
}

enum pr_err store__fail(struct store *s, struct pr_error *e, int rc,
                        const char *fmt, ...)
{
	const char *why = sqlite3_errstr(rc);
	char what[512];
	va_list ap;

	/* SQLite's message is about the last call on the connection; an
	 * injected fault or a failed bind has only its code. */
	if (s->db != NULL && sqlite3_extended_errcode(s->db) == rc)
		why = sqlite3_errmsg(s->db);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return pr_fail(e, store__code(rc), "%s: %s: %s", s->path, what, why);
}

/* A malloc'd copy of the folder that holds path ("." when none). */
static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* true when the folder of path exists and is not writable. */
static bool folder_readonly(const char *path)
{
	char *dir = parent_dir(path);
	bool ro = dir != NULL && access(dir, W_OK) != 0 && errno != ENOENT;

	free(dir);
	return ro;
}

/* The message for a failure while opening, where SQLite's own words are
 * least helpful to an operator. */
static enum pr_err open_fail(struct store *s, struct pr_error *e, int rc,
                             int busy_ms, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return pr_fail(e, PR_CORRUPT,
		               "%s is damaged or is not an SQLite database "
		               "(%s)",
		               s->path, sqlite3_errstr(rc));
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return pr_fail(e, PR_BUSY,
		               "%s is locked by another process (waited %d "
		               "ms while %s); try again when it is done",
		               s->path, busy_ms, what);
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		if (folder_readonly(s->path))
			return pr_fail(e, PR_READONLY,
			               "%s: its folder is not writable; "
			               "SQLite keeps the -wal and -shm files "
			               "beside the database",
			               s->path);
		if ((rc & 0xff) != SQLITE_CANTOPEN)
			return pr_fail(e, PR_READONLY,
			               "%s cannot be written (%s)", s->path,
			               what);
		break;
	}
	return store__fail(s, e, rc, "%s", what);
}

/* Opening */

static enum pr_err check_folder(const char *path, struct pr_error *e)
{
	char *dir = parent_dir(path);
	enum pr_err rc = PR_OK;

	if (dir == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", path);
	if (access(dir, W_OK) == 0)
		goto out;
	if (errno == ENOENT)
		rc = pr_fail(e, PR_NOTFOUND,
		             "cannot create %s: folder %s does not exist", path,
		             dir);
	else
		rc = pr_fail(e, PR_READONLY,
		             "cannot create %s: folder %s is not writable (%s)",
		             path, dir, strerror(errno));
out:
	free(dir);
	return rc;
}

static enum pr_err check_path(const char *path, unsigned flags,
                              struct pr_error *e)
{
	struct stat st;

	if (path == NULL || path[0] == '\0')
		return pr_fail(e, PR_INVALID, "no database file given");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return pr_fail(e, PR_INVALID,
			               "%s is a folder, not a database file",
			               path);
		return PR_OK;
	}
	if (errno != ENOENT)
		return pr_fail(e, PR_IO, "%s: %s", path, strerror(errno));
	if (!(flags & STORE_CREATE) || (flags & STORE_READONLY))
		return pr_fail(e, PR_NOTFOUND,
		               "database %s does not exist; run `pressroom "
		               "init` to create it",
		               path);
	return check_folder(path, e);
}

static enum pr_err connect_db(struct store *s, unsigned flags, int busy_ms,
                              struct pr_error *e)
{
	int of = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int rc;

	if (flags & STORE_READONLY)
		of |= SQLITE_OPEN_READONLY;
	else
		of |= SQLITE_OPEN_READWRITE |
		      (flags & STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(s->path, &s->db, of, NULL);
	if (rc != SQLITE_OK)
		return open_fail(s, e, rc, busy_ms, "opening");
	/* SQLite quietly opens a file it may not write read-only. */
	if (!(flags & STORE_READONLY) && sqlite3_db_readonly(s->db, "main"))
		return pr_fail(e, PR_READONLY,
		               "%s is read-only: pressroom needs to write it "
		               "(check the file's permissions)",
		               s->path);
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, busy_ms);
	return PR_OK;
}

static enum pr_err setup(struct store *s, unsigned flags, int busy_ms,
                         struct pr_error *e)
{
	const char *const *v = flags & STORE_READONLY ? setup_ro : setup_rw;
	size_t n = flags & STORE_READONLY ? sizeof(setup_ro) / sizeof(*v)
	                                  : sizeof(setup_rw) / sizeof(*v);
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = sqlite3_exec(s->db, v[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return open_fail(s, e, rc, busy_ms, v[i]);
	}
	return PR_OK;
}

/* Runs a one-off statement (a pragma at open) that gives one value; text
 * values go to text (up to 15 bytes), numbers to *num. */
static int one_value(struct store *s, const char *sql, int64_t *num,
                     char text[16])
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		goto out;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (num != NULL)
			*num = sqlite3_column_int64(st, 0);
		if (text != NULL && sqlite3_column_text(st, 0) != NULL)
			snprintf(text, 16, "%s",
			         (const char *)sqlite3_column_text(st, 0));
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

static enum pr_err read_header(struct store *s, int busy_ms, struct header *h,
                               struct pr_error *e)
{
	int rc = one_value(s, "PRAGMA application_id", &h->app_id, NULL);

	if (rc == SQLITE_OK)
		rc = one_value(s, "PRAGMA user_version", &h->version, NULL);
	if (rc == SQLITE_OK)
		rc = one_value(s, "SELECT count(*) FROM sqlite_schema",
		               &h->objects, NULL);
	if (rc != SQLITE_OK)
		return open_fail(s, e, rc, busy_ms, "reading the header");
	return PR_OK;
}

static enum pr_err set_wal(struct store *s, int busy_ms, struct pr_error *e)
{
	char mode[16] = "";
	int rc = one_value(s, "PRAGMA journal_mode = WAL", NULL, mode);

	if (rc != SQLITE_OK)
		return open_fail(s, e, rc, busy_ms, "switching to WAL mode");
	if (strcmp(mode, "wal") != 0)
		return pr_fail(e, PR_IO,
		               "%s: cannot switch to WAL mode (the journal "
		               "mode stays \"%s\")",
		               s->path, mode);
	return PR_OK;
}

/* Applies migration i (to version i + 1) in its own transaction, unless
 * another process did so first. */
static enum pr_err apply_migration(struct store *s, int i, int busy_ms,
                                   struct pr_error *e)
{
	char sql[64];
	int64_t now = 0;
	enum pr_err err;
	int rc;

	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return open_fail(s, e, rc, busy_ms, "upgrading the schema");
	rc = one_value(s, "PRAGMA user_version", &now, NULL);
	if (rc == SQLITE_OK && now <= i)
		rc =
		    sqlite3_exec(s->db, store__migrations[i], NULL, NULL, NULL);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", i + 1);
	if (rc == SQLITE_OK && now <= i)
		rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return PR_OK;
	err = store__fail(s, e, rc, "applying schema migration %d", i + 1);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return err;
}

/* Refuses files this build must not touch, before anything is written. */
static enum pr_err judge_header(struct store *s, unsigned flags,
                                const struct header *h, struct pr_error *e)
{
	int latest = store__n_migrations;

	if ((h->app_id != 0 && h->app_id != STORE_APPLICATION_ID) ||
	    (h->version == 0 && h->objects > 0))
		return pr_fail(e, PR_INVALID,
		               "%s is an SQLite database of another "
		               "application, not a pressroom site",
		               s->path);
	if (h->version > latest)
		return pr_fail(e, PR_VERSION,
		               "%s was written by a newer pressroom: its "
		               "schema version is %lld and this build knows "
		               "versions up to %d; upgrade pressroom",
		               s->path, (long long)h->version, latest);
	if (h->version == 0 && !(flags & STORE_CREATE))
		return pr_fail(e, PR_NOTFOUND,
		               "%s holds no pressroom site; run `pressroom "
		               "init` to create one",
		               s->path);
	if (h->version < latest && (flags & STORE_READONLY))
		return pr_fail(e, PR_VERSION,
		               "%s has schema version %lld, older than this "
		               "build's %d; open it once for writing to "
		               "upgrade it",
		               s->path, (long long)h->version, latest);
	return PR_OK;
}

static enum pr_err migrate(struct store *s, const struct header *h, int busy_ms,
                           struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	int i;

	for (i = (int)h->version; i < store__n_migrations && rc == PR_OK; i++)
		rc = apply_migration(s, i, busy_ms, e);
	return rc;
}

static enum pr_err prepare_all(struct store *s, struct pr_error *e)
{
	int i, rc;

	for (i = 0; i < STMT__MAX; i++) {
		if (store__sql[i] == NULL)
			return pr_fail(e, PR_INTERNAL,
			               "store: statement %d has no SQL", i);
		rc = sqlite3_prepare_v3(s->db, store__sql[i], -1,
		                        SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
		                        NULL);
		if ((rc & 0xff) == SQLITE_ERROR)
			return pr_fail(e, PR_CORRUPT,
			               "%s: the schema does not match its "
			               "version (statement %d: %s)",
			               s->path, i, sqlite3_errmsg(s->db));
		if (rc != SQLITE_OK)
			return store__fail(s, e, rc, "preparing statement %d",
			                   i);
	}
	return PR_OK;
}

static enum pr_err store_alloc(struct store **out, const char *path,
                               struct pr_error *e)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->path = strdup(path)) == NULL) {
		if (s != NULL)
			free(s->path);
		free(s);
		return pr_fail(e, PR_NOMEM, "%s: out of memory", path);
	}
	buf_init(&s->scratch, (size_t)1 << 30);
	*out = s;
	return PR_OK;
}

enum pr_err store__open(struct store **out, const char *path, unsigned flags,
                        int busy_ms, struct pr_error *e)
{
	struct store *s = NULL;
	struct header h = {0, 0, 0};
	enum pr_err rc;

	*out = NULL;
	if ((rc = check_path(path, flags, e)) != PR_OK)
		goto out;
	if ((rc = store_alloc(&s, path, e)) != PR_OK)
		goto out;
	if ((rc = connect_db(s, flags, busy_ms, e)) != PR_OK)
		goto out;
	s->readonly = (flags & STORE_READONLY) != 0;
	if ((rc = search_register(s->db, e)) != PR_OK)
		goto out;
	if ((rc = read_header(s, busy_ms, &h, e)) != PR_OK)
		goto out;
	if ((rc = judge_header(s, flags, &h, e)) != PR_OK)
		goto out;
	if ((rc = setup(s, flags, busy_ms, e)) != PR_OK)
		goto out;
	if (!(flags & STORE_READONLY) && (rc = set_wal(s, busy_ms, e)) != PR_OK)
		goto out;
	if ((rc = migrate(s, &h, busy_ms, e)) != PR_OK)
		goto out;
	if ((rc = prepare_all(s, e)) != PR_OK)
		goto out;
	if (!s->readonly && (rc = store__search_setup(s, e)) != PR_OK)
		goto out;
	*out = s;
	s = NULL;
out:
	store_close(s);
	return rc;
}

enum pr_err store_open(struct store **out, const char *path, unsigned flags,
                       struct pr_error *e)
{
	return store__open(out, path, flags, STORE_BUSY_MS, e);
}

void store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	store_rollback(s);
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	store__search_free(s->search);
	free(s->pending);
	sqlite3_close(s->db);
	buf_free(&s->scratch);
	free(s->names);
	free(s->path);
	free(s);
}

/* Statements */

void store__inject_fault(struct store *s, long n)
{
	s->fault_at = n;
}

sqlite3_stmt *store__stmt(struct store *s, enum stmt id)
{
	sqlite3_reset(s->stmt[id]);
	s->bind_rc = SQLITE_OK;
	return s->stmt[id];
}

static void bound(struct store *s, int rc)
{
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

void store__bind_text(struct store *s, sqlite3_stmt *st, int i, const char *p)
{
	bound(s, sqlite3_bind_text(st, i, p ? p : "", -1, SQLITE_STATIC));
}

void store__bind_str(struct store *s, sqlite3_stmt *st, int i, struct str v)
{
	if (v.n > INT_MAX) {
		bound(s, SQLITE_TOOBIG);
		return;
	}
	bound(s, sqlite3_bind_text(st, i, v.p ? v.p : "", (int)v.n,
	                           SQLITE_STATIC));
}

void store__bind_int(struct store *s, sqlite3_stmt *st, int i, int64_t v)
{
	bound(s, sqlite3_bind_int64(st, i, v));
}

void store__bind_null(struct store *s, sqlite3_stmt *st, int i)
{
	bound(s, sqlite3_bind_null(st, i));
}

int store__step(struct store *s, sqlite3_stmt *st)
{
	int rc = s->bind_rc;

	if (rc != SQLITE_OK) {
		s->bind_rc = SQLITE_OK;
		return rc;
	}
	if (s->fault_at > 0 && st != s->stmt[STMT_ROLLBACK] &&
	    --s->fault_at == 0)
		return SQLITE_IOERR;
	return sqlite3_step(st);
}

enum pr_err store__row(struct store *s, sqlite3_stmt *st, bool *row,
                       struct pr_error *e, const char *what)
{
	int rc = store__step(s, st);
	enum pr_err err;

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return PR_OK;
	err = store__fail(s, e, rc, "%s", what);
	sqlite3_reset(st);
	return err;
}

enum pr_err store__exec(struct store *s, sqlite3_stmt *st, struct pr_error *e,
                        const char *what)
{
	enum pr_err rc;
	bool row;

	do
		rc = store__row(s, st, &row, e, what);
	while (rc == PR_OK && row);
	sqlite3_reset(st);
	return rc;
}

const char *store__col_text(struct arena *ar, sqlite3_stmt *st, int col,
                            bool *oom)
{
	const char *p = (const char *)sqlite3_column_text(st, col);
	char *c;

	if (p == NULL)
		return "";
	c = arena_strndup(ar, p, (size_t)sqlite3_column_bytes(st, col));
	if (c == NULL)
		*oom = true;
	return c;
}

/* Transactions */

/* Forgets what the transaction knew: its deferred work and its caches. */
static void forget_deferred(struct store *s)
{
	s->gen_dirty = false;
	s->all_dirty = false;
	s->n_langs = 0;
	if (s->names_used)
		memset(s->names, 0, STORE_NAMES * sizeof(*s->names));
	s->names_used = false;
	s->n_pending = 0;
}

void store__touch(struct store *s)
{
	s->gen_dirty = true;
}

struct lang_tail *store__lang(struct store *s, const char *lang)
{
	size_t n = strlen(lang);
	struct lang_tail *t;
	int i;

	for (i = 0; i < s->n_langs; i++)
		if (strcmp(s->langs[i].lang, lang) == 0)
			return &s->langs[i];
	if (s->n_langs == STORE_LANGS || n >= STORE_LANG_MAX)
		return NULL;
	t = &s->langs[s->n_langs++];
	memset(t, 0, sizeof(*t));
	memcpy(t->lang, lang, n + 1);
	return t;
}

void store__lang_dirty(struct store *s, const char *lang)
{
	struct lang_tail *t = store__lang(s, lang);

	if (t != NULL)
		t->dirty = true;
	else
		s->all_dirty = true;
}

/* The work deferred to the end of a transaction: list positions of the
 * languages that need them, then the generation. */
static enum pr_err flush(struct store *s, struct pr_error *e)
{
	enum pr_err rc = store__search_flush(s, e);
	sqlite3_stmt *st;
	int i;

	if (rc == PR_OK && s->all_dirty)
		rc = store__exec(s, store__stmt(s, STMT_RENUMBER_ALL), e,
		                 "renumbering the lists");
	for (i = 0; i < s->n_langs && !s->all_dirty && rc == PR_OK; i++) {
		if (!s->langs[i].dirty)
			continue;
		st = store__stmt(s, STMT_RENUMBER_LANG);
		store__bind_text(s, st, 1, s->langs[i].lang);
		rc = store__exec(s, st, e, "renumbering the list");
	}
	if (rc == PR_OK && s->gen_dirty)
		rc = store__exec(s, store__stmt(s, STMT_GEN_BUMP), e,
		                 "bumping the generation");
	if (rc == PR_OK)
		forget_deferred(s);
	return rc;
}

static void rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store__exec(s, store__stmt(s, STMT_ROLLBACK), NULL, "");
	forget_deferred(s);
}

enum pr_err store_begin(struct store *s, struct pr_error *e)
{
	enum pr_err rc;

	if (s->in_tx)
		return pr_fail(e, PR_INTERNAL,
		               "%s: a transaction is already open", s->path);
	rc = store__exec(s, store__stmt(s, STMT_BEGIN_WRITE), e,
	                 "starting a transaction");
	if (rc == PR_OK) {
		s->in_tx = true;
		s->tx_failed = PR_OK;
		forget_deferred(s);
	}
	/* Without memory for the names, imports only lose their shortcut. */
	if (rc == PR_OK && s->names == NULL)
		s->names = calloc(STORE_NAMES, sizeof(*s->names));
	return rc;
}

/* Why the caller's transaction cannot go on, or PR_OK. */
static enum pr_err tx_broken(struct store *s, struct pr_error *e)
{
	if (s->tx_failed == PR_OK && sqlite3_get_autocommit(s->db))
		s->tx_failed = PR_IO;
	if (s->tx_failed == PR_OK)
		return PR_OK;
	return pr_fail(e, s->tx_failed,
	               "%s: a write in this transaction failed, so it was "
	               "rolled back",
	               s->path);
}

enum pr_err store_commit(struct store *s, struct pr_error *e)
{
	enum pr_err rc;

	if (!s->in_tx)
		return pr_fail(e, PR_INTERNAL, "%s: no transaction is open",
		               s->path);
	if ((rc = tx_broken(s, e)) == PR_OK && (rc = flush(s, e)) == PR_OK)
		rc = store__exec(s, store__stmt(s, STMT_COMMIT), e,
		                 "committing");
	if (rc != PR_OK)
		rollback(s);
	s->in_tx = false;
	return rc;
}

void store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	rollback(s);
	s->in_tx = false;
}

enum pr_err store__write_begin(struct store *s, struct pr_error *e)
{
	enum pr_err rc;

	if (!s->in_tx)
		return store__exec(s, store__stmt(s, STMT_BEGIN_WRITE), e,
		                   "starting a write");
	if ((rc = tx_broken(s, e)) != PR_OK)
		return rc;
	if (!s->appending && s->n_pending > 0 &&
	    (rc = store__search_flush(s, e)) != PR_OK) {
		s->tx_failed = rc;
		return rc;
	}
	s->tx_changes = sqlite3_total_changes64(s->db);
	return PR_OK;
}

enum pr_err store__write_end(struct store *s, enum pr_err rc,
                             struct pr_error *e)
{
	if (s->in_tx) {
		if (rc != PR_OK &&
		    (sqlite3_total_changes64(s->db) != s->tx_changes ||
		     sqlite3_get_autocommit(s->db)))
			s->tx_failed = rc;
		return rc;
	}
	if (rc == PR_OK && (rc = flush(s, e)) == PR_OK)
		rc = store__exec(s, store__stmt(s, STMT_COMMIT), e,
		                 "committing");
	if (rc != PR_OK)
		rollback(s);
	return rc;
}

enum pr_err store__read_begin(struct store *s, bool *opened, struct pr_error *e)
{
	enum pr_err rc;

	*opened = false;
	if (!sqlite3_get_autocommit(s->db))
		return PR_OK;
	rc = store__exec(s, store__stmt(s, STMT_BEGIN_READ), e, "reading");
	*opened = rc == PR_OK;
	return rc;
}

void store__read_end(struct store *s, bool opened)
{
	if (!opened)
		return;
	if (store__exec(s, store__stmt(s, STMT_COMMIT), NULL, "") != PR_OK)
		store__exec(s, store__stmt(s, STMT_ROLLBACK), NULL, "");
}

/* Generation */

/* Runs a statement that gives at most one integer; *v keeps its value
 * when there is no row. Resets the statement in every case, so that no
 * read stays open. */
static enum pr_err one_int(struct store *s, sqlite3_stmt *st, int64_t *v,
                           struct pr_error *e, const char *what)
{
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, what);
	if (rc == PR_OK && row)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_generation(struct store *s, int64_t now, int64_t *gen,
                             int64_t *next_due, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened;

	*gen = 0;
	*next_due = INT64_MAX;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = one_int(s, store__stmt(s, STMT_GEN_GET), gen, e,
	             "reading the generation");
	if (rc == PR_OK) {
		st = store__stmt(s, STMT_NEXT_DUE);
		store__bind_int(s, st, 1, now);
		rc = one_int(s, st, next_due, e, "finding the next due item");
	}
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_renumber(struct store *s, struct pr_error *e)
{
	enum pr_err rc = store__write_begin(s, e);

	if (rc != PR_OK)
		return rc;
	rc = store__exec(s, store__stmt(s, STMT_RENUMBER_ALL), e,
	                 "renumbering the lists");
	store__touch(s);
	return store__write_end(s, rc, e);
}

/* Checks */

static enum pr_err check_integrity(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_CHECK_INTEGRITY);
	struct buf msg;
	enum pr_err rc;
	bool row;

	buf_init(&msg, 700);
	while ((rc = store__row(s, st, &row, e, "integrity check")) == PR_OK &&
	       row) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (t != NULL && strcmp(t, "ok") == 0)
			break;
		buf_adds(&msg, msg.n ? "; " : "");
		buf_adds(&msg, t ? t : "?");
	}
	sqlite3_reset(st);
	if (rc == PR_OK && msg.n > 0)
		rc = pr_fail(e, PR_CORRUPT, "%s: integrity check failed: %s",
		             s->path, buf_cstr(&msg));
	buf_free(&msg);
	return rc;
}

static enum pr_err check_foreign_keys(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_CHECK_FOREIGN_KEYS);
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, "foreign key check");
	if (rc == PR_OK && row)
		rc = pr_fail(e, PR_CORRUPT,
		             "%s: foreign key check failed: row %lld of %s "
		             "refers to a missing row of %s",
		             s->path, (long long)sqlite3_column_int64(st, 1),
		             (const char *)sqlite3_column_text(st, 0),
		             (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	return rc;
}

static enum pr_err check_positions(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_CHECK_POSITIONS);
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, "list position check");
	if (rc == PR_OK && row)
		rc =
		    pr_fail(e, PR_CORRUPT,
		            "%s: list positions of language %s are wrong "
		            "for %lld articles; renumber them (store_renumber)",
		            s->path, (const char *)sqlite3_column_text(st, 0),
		            (long long)sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	return rc;
}

static enum pr_err check_texts(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_CHECK_TEXTS);
	enum pr_err rc;
	bool row;

	rc = store__row(s, st, &row, e, "text check");
	if (rc == PR_OK && row)
		rc = pr_fail(e, PR_CORRUPT,
		             "%s: article %lld has no text for its revision "
		             "%lld",
		             s->path, (long long)sqlite3_column_int64(st, 0),
		             (long long)sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	return rc;
}

enum pr_err store_check(struct store *s, struct pr_error *e)
{
	enum pr_err rc;
	bool opened;

	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	if ((rc = check_integrity(s, e)) != PR_OK)
		goto out;
	if ((rc = check_foreign_keys(s, e)) != PR_OK)
		goto out;
	if ((rc = check_positions(s, e)) != PR_OK)
		goto out;
	if ((rc = check_texts(s, e)) != PR_OK)
		goto out;
	rc = store__search_check(s, e);
out:
	store__read_end(s, opened);
	return rc;
}

/* Backup */

static enum pr_err errno_fail(struct pr_error *e, const char *what,
                              const char *path)
{
	enum pr_err code = errno == EACCES || errno == EROFS || errno == EPERM
	                       ? PR_READONLY
	                   : errno == ENOENT ? PR_NOTFOUND
	                                     : PR_IO;

	return pr_fail(e, code, "%s %s: %s", what, path, strerror(errno));
}

/* fsync of a file or folder, so that a rename that follows is durable. */
static enum pr_err sync_path(const char *path, bool dir, struct pr_error *e)
{
	int fd = open(path, O_RDONLY | (dir ? O_DIRECTORY : 0));
	enum pr_err rc = PR_OK;

	if (fd < 0)
		return errno_fail(e, "cannot open", path);
	if (fsync(fd) != 0 && !(dir && errno == EINVAL))
		rc = errno_fail(e, "cannot sync", path);
	close(fd);
	return rc;
}

/* Refuses targets that would lose data: inside an open write, or the
 * database itself. */
static enum pr_err backup_target(struct store *s, const char *dest,
                                 struct pr_error *e)
{
	struct stat a, b;

	if (dest == NULL || dest[0] == '\0')
		return pr_fail(e, PR_INVALID, "no backup file given");
	if (s->in_tx || !sqlite3_get_autocommit(s->db))
		return pr_fail(e, PR_INTERNAL,
		               "%s: cannot back up inside a transaction",
		               s->path);
	if (stat(dest, &a) == 0 && stat(s->path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return pr_fail(e, PR_INVALID,
		               "backup file %s is the database itself", dest);
	return PR_OK;
}

/* Copies every page into tmp, in one read transaction of the source, so
 * that writers in other connections go on meanwhile (WAL). */
static enum pr_err backup_copy(struct store *s, const char *tmp,
                               struct pr_error *e)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc, tries = 0;

	rc = sqlite3_open_v2(tmp, &dst,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                         SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK)
		goto out;
	b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (b == NULL) {
		rc = sqlite3_extended_errcode(dst);
		goto out;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED) {
		if (++tries > 250)
			break;
		sqlite3_sleep(20);
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_backup_finish(b);
	else
		sqlite3_backup_finish(b);
out:
	if (rc != SQLITE_OK)
		pr_fail(e, store__code(rc), "%s: backup to %s failed: %s",
		        s->path, tmp,
		        dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close(dst);
	return rc == SQLITE_OK ? PR_OK : store__code(rc);
}

enum pr_err store_backup(struct store *s, const char *dest, struct pr_error *e)
{
	struct buf tmp;
	char *dir = NULL;
	enum pr_err rc;

	buf_init(&tmp, 4096);
	if ((rc = backup_target(s, dest, e)) != PR_OK)
		goto out;
	buf_adds(&tmp, dest);
	buf_adds(&tmp, ".tmp");
	if (tmp.err != PR_OK || (dir = parent_dir(dest)) == NULL) {
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", dest);
		goto out;
	}
	if (unlink(buf_cstr(&tmp)) != 0 && errno != ENOENT) {
		rc = errno_fail(e, "cannot remove", buf_cstr(&tmp));
		goto out;
	}
	if ((rc = backup_copy(s, buf_cstr(&tmp), e)) != PR_OK)
		goto out;
	if ((rc = sync_path(buf_cstr(&tmp), false, e)) != PR_OK)
		goto out;
	if (rename(buf_cstr(&tmp), dest) != 0) {
		rc = errno_fail(e, "cannot rename the backup to", dest);
		goto out;
	}
	rc = sync_path(dir, true, e);
out:
	if (rc != PR_OK && tmp.n > 0)
		unlink(buf_cstr(&tmp));
	buf_free(&tmp);
	free(dir);
	return rc;
}
