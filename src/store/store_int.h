/*
 * store_int.h: what the files of src/store share and nothing outside the
 * module sees: the connection, the table of prepared statements and the
 * helpers around them (SQLite's fts5Int.h is the model). Only store and its
 * unit test include this header.
 */
#ifndef PR_STORE_INT_H
#define PR_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* store/sql.c */

/*
 * Every statement the store runs, prepared once at open. The SQL lives in
 * store__sql[] under the same name; each statement's comment in sql.c says
 * what it binds and what rows it gives.
 */
enum stmt {
	/* transactions */
	STMT_BEGIN_WRITE,
	STMT_BEGIN_READ,
	STMT_COMMIT,
	STMT_ROLLBACK,
	/* generation and checks */
	STMT_GEN_GET,
	STMT_GEN_BUMP,
	STMT_NEXT_DUE,
	STMT_CHECK_INTEGRITY,
	STMT_CHECK_FOREIGN_KEYS,
	STMT_CHECK_POSITIONS,
	STMT_CHECK_TEXTS,
	/* list positions */
	STMT_LAST_OF_LANG,
	STMT_RENUMBER_LANG,
	STMT_RENUMBER_ALL,
	/* articles */
	STMT_ARTICLE_NEXT_ID,
	STMT_ARTICLE_GROUP,
	STMT_ARTICLE_INSERT,
	STMT_HTML_INSERT,
	STMT_REVISION_INSERT,
	STMT_ARTICLE_GET,
	STMT_ARTICLE_EACH,
	STMT_ARTICLE_COUNT,
	STMT_ARTICLE_ENTITIES,
	/* entities */
	STMT_ENTITY_FIND,
	STMT_ENTITY_INSERT,
	STMT_ENTITY_GET,
	STMT_LINK_INSERT,
	/* lists and the archive */
	STMT_POS_BEFORE,
	STMT_FIRST_OF_LANG,
	STMT_NEWS_RANGE,
	STMT_ENTITY_ITEMS,
	STMT_ENTITY_COUNT,
	STMT_TRANSLATIONS,
	STMT_ITEMS_BETWEEN,
	/* accounts, sessions, throttle (account.c) */
	STMT_USER_INSERT,
	STMT_USER_GET,
	STMT_USER_FIND,
	STMT_USER_LIST,
	STMT_USER_SET_HASH,
	STMT_USER_SET_ROLE,
	STMT_USER_SET_NAME,
	STMT_USER_SET_DISABLED,
	STMT_USER_COUNT_ADMINS,
	STMT_SESSION_INSERT,
	STMT_SESSION_GET,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_PURGE,
	STMT_THROTTLE_GET,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_LOCK,
	STMT_THROTTLE_CLEAR,
	/* audit log, preview tokens, autosave (audit.c) */
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST,
	STMT_PREVIEW_INSERT,
	STMT_PREVIEW_FIND,
	STMT_PREVIEW_REVOKE,
	STMT_PREVIEW_LIST,
	STMT_AUTOSAVE_PUT,
	STMT_AUTOSAVE_GET,
	STMT_AUTOSAVE_DELETE,
	/* revisions and the workflow (edit.c) */
	STMT_EDIT_CURRENT,
	STMT_EDIT_ARTICLE,
	STMT_EDIT_STATUS,
	STMT_EDIT_HTML,
	STMT_EDIT_UNLINK,
	STMT_REVINFO_INSERT,
	STMT_REVINFO_PUBLIC,
	STMT_REVISIONS,
	STMT_REVISIONS_TEXT,
	STMT_REVISION_GET,
	STMT_WF_GET,
	STMT_WF_OWNER,
	STMT_WF_SUBMIT,
	STMT_WF_WITHDRAWN,
	/* the editors' lists (items.c) */
	STMT_ITEMS_ANY,
	STMT_ITEMS_UNPUBLISHED,
	STMT_DASH_MY_DRAFTS,
	STMT_DASH_REVIEW,
	STMT_DASH_SCHEDULED,
	STMT_DASH_RECENT,
	STMT_DASH_UNTRANSLATED,
	STMT_ENTITY_NAMES,
	/* feeds, sitemaps, permanent links (feed.c, sitemap.c, slug.c) */
	STMT_LANG_ITEMS,
	STMT_KIND_ITEMS,
	STMT_KIND_COUNT,
	STMT_KIND_OLDEST,
	STMT_ENTITY_OLDEST,
	STMT_LANG_CHANGED,
	STMT_POS_AT,
	STMT_MAX_UPDATED,
	STMT_SLUG_SET,
	STMT_SLUG_HISTORY,
	/* photos (photo.c) */
	STMT_PHOTO_FIND,
	STMT_PHOTO_COUNT,
	STMT_PHOTO_INSERT,
	STMT_PHOTOS_OF,
	STMT_PHOTO_LEAD,
	STMT_PHOTO_UPDATE,
	STMT_PHOTO_POSITION,
	STMT_PHOTO_SET_POSITION,
	STMT_PHOTO_SHIFT,
	STMT_PHOTO_DELETE,
	STMT_PHOTO_USED,
	STMT_PHOTO_EACH,
	/* search (store/search.c) */
	STMT_SEARCH_SCAN,
	STMT_SEARCH_HEAD,
	STMT_SEARCH_WINDOW,
	STMT_SEARCH_DF_RANGE,
	STMT_SEARCH_DF_UPTO,
	STMT_SEARCH_META,
	STMT_SEARCH_SIZES,
	STMT_SEARCH_LINKS,
	STMT_SEARCH_ENTITIES,
	STMT_SEARCH_ENTITY,
	STMT_SEARCH_HIT,
	STMT_SEARCH_VERSION,
	STMT_SEARCH_SET_VERSION,
	STMT_SEARCH_CLEAR,
	STMT_SEARCH_CLEAR_HEAD,
	STMT_SEARCH_IDS,
	STMT_SEARCH_TEXTS,
	STMT_SEARCH_SET_TEXT,
	STMT_SEARCH_MISSING,
	STMT_SEARCH_STRAY,
	STMT_SEARCH_CHECK,
	STMT_SEARCH_CHECK_HEAD,
	STMT_SEARCH_INSERT,
	STMT_SEARCH_INSERT_HEAD,
	STMT_SEARCH_DOC,
	STMT__MAX
};

extern const char *const store__sql[STMT__MAX];

/* The schema migrations, oldest first; migration i brings the database to
 * user_version i + 1. */
extern const char *const store__migrations[];
extern const int store__n_migrations;

/* store/db.c */

#define STORE_BUSY_MS        5000 /* how long a write waits for a lock */
#define STORE_LANG_MAX       16   /* bytes of a language code, NUL included */
#define STORE_LANGS          8    /* languages a transaction keeps track of */
#define STORE_NAMES          4096 /* entity ids a transaction remembers */
#define STORE_NAME_MAX       56   /* bytes of a name worth remembering */
#define STORE_APPLICATION_ID 0x70727372 /* "prsr" in the file header */

/*
 * What the current write transaction knows about the list of one
 * language: whether it must be renumbered when the transaction ends, and
 * the newest published item, so that appending the next one needs no
 * query. Valid until the transaction ends; nobody else can write meanwhile.
 */
struct lang_tail {
	char lang[STORE_LANG_MAX];
	bool dirty;
	bool known; /* last_* are set */
	int64_t last_at, last_id, last_pos;
};

/* An entity id remembered, within one transaction, by the exact name it
 * was looked up with. */
struct name_slot {
	int64_t id; /* 0 when empty */
	uint8_t type, len;
	char name[STORE_NAME_MAX];
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[STMT__MAX];
	int bind_rc;           /* first failed bind since store__stmt */
	bool in_tx;            /* between store_begin and commit/rollback */
	enum pr_err tx_failed; /* a write failed after changing rows */
	int64_t tx_changes;    /* total changes when the last write began */
	bool gen_dirty;        /* bump the generation when the write ends */
	bool all_dirty;        /* renumber every language when it ends */
	int n_langs;
	struct lang_tail langs[STORE_LANGS];
	struct name_slot *names; /* STORE_NAMES, from the first store_begin */
	bool names_used;
	struct buf scratch; /* slugs and hash input, one user at a time */
	long fault_at;      /* tests: the fault_at-th step fails, 0 never */
	struct store__search *search; /* search.c's cache, NULL until used */
	bool readonly;                /* opened with STORE_READONLY */
	int64_t *pending; /* new articles the search index gets at commit */
	size_t n_pending, cap_pending;
	bool appending; /* store_article_insert: pending may grow */
};

/* store_open with a chosen busy timeout (tests use a short one). */
enum pr_err store__open(struct store **out, const char *path, unsigned flags,
                        int busy_ms, struct pr_error *e);

/* Makes the n-th statement step from now fail with SQLITE_IOERR, as a
 * full disk would (0 turns it off). Rollbacks never fail. For tests. */
void store__inject_fault(struct store *s, long n);

/* SQLite result code to enum pr_err. */
enum pr_err store__code(int sqlite_rc);

/*
 * Records in e "PATH: what: SQLite's message" with the code that rc maps
 * to, and returns that code. what is a printf format.
 */
enum pr_err store__fail(struct store *s, struct pr_error *e, int rc,
                        const char *fmt, ...) PR_PRINTF(4, 5);

/* The prepared statement id, reset and ready for binding. */
sqlite3_stmt *store__stmt(struct store *s, enum stmt id);

/* Binders: a failure is kept in s->bind_rc and reported by the next step,
 * so callers bind a row of values and check once. NULL text binds "". The
 * text must stay unchanged until the statement is reset. */
void store__bind_text(struct store *s, sqlite3_stmt *st, int i, const char *p);
void store__bind_str(struct store *s, sqlite3_stmt *st, int i, struct str v);
void store__bind_int(struct store *s, sqlite3_stmt *st, int i, int64_t v);
void store__bind_null(struct store *s, sqlite3_stmt *st, int i);

/* sqlite3_step, with the pending bind failure and injected faults. */
int store__step(struct store *s, sqlite3_stmt *st);

/*
 * Steps st once: *row tells whether a row came. Leaves the statement as it
 * is, so that the caller reads the row and then resets it. On failure the
 * statement is reset and e says "PATH: what: why".
 */
enum pr_err store__row(struct store *s, sqlite3_stmt *st, bool *row,
                       struct pr_error *e, const char *what);
/* Steps st to its end, ignoring rows, and resets it. */
enum pr_err store__exec(struct store *s, sqlite3_stmt *st, struct pr_error *e,
                        const char *what);

/* The text of a column copied into the arena ("" for NULL); on allocation
 * failure NULL, and *oom becomes true. */
const char *store__col_text(struct arena *ar, sqlite3_stmt *st, int col,
                            bool *oom);

/*
 * The transaction of one write. When the caller opened none, the write has
 * its own (BEGIN IMMEDIATE ... COMMIT, with the deferred work run before
 * the commit) and a failure rolls it back whole. Inside the caller's
 * transaction there is no savepoint, to keep bulk imports fast: a write
 * that fails before changing any row leaves the transaction usable, one
 * that fails later marks it failed, so that further writes and
 * store_commit refuse and only a rollback remains. write_end returns rc
 * or the error of ending the write.
 */
enum pr_err store__write_begin(struct store *s, struct pr_error *e);
enum pr_err store__write_end(struct store *s, enum pr_err rc,
                             struct pr_error *e);

/* A read transaction around several statements, so that they see one
 * snapshot. *opened tells read_end whether there is one to end (none is
 * opened inside the caller's transaction). */
enum pr_err store__read_begin(struct store *s, bool *opened,
                              struct pr_error *e);
void store__read_end(struct store *s, bool opened);

/* The transaction's record of lang's list; NULL when it tracks too many
 * languages already (then every language is renumbered at the end). */
struct lang_tail *store__lang(struct store *s, const char *lang);
/* Fills t (once per transaction) with the newest published item of its
 * language, from the transaction's record or else from the index. */
enum pr_err store__find_tail(struct store *s, struct lang_tail *t,
                             struct pr_error *e);
/* Notes that lang's list must be renumbered when the transaction ends. */
void store__lang_dirty(struct store *s, const char *lang);
/* Notes that readers must see a new generation when it ends. */
void store__touch(struct store *s);

/* store/article.c: what edit.c shares with the insert */

/* Checks an article as store_article_insert does; who names it in the
 * message. */
enum pr_err store__article_check(const struct article *a, const char *who,
                                 struct pr_error *e);
/* The slug (a's own, else made from the title) and the content hash
 * (hex) of the revision a would write. */
enum pr_err store__article_prepare(struct store *s, const struct article *a,
                                   char slug[SLUG_MAX + 1], char hash[65],
                                   struct pr_error *e);
/* Links a's entities to article id (creating new ones), in order. */
enum pr_err store__article_link(struct store *s, int64_t id,
                                const struct article *a, struct pr_error *e);

/* store/list.c */

/* Number of visible items of lang published before t (and at or before
 * now): the list position of the last of them, since positions count the
 * published items of a language in time order. */
enum pr_err store__visible_before(struct store *s, const char *lang,
                                  int64_t now, int64_t t, int64_t *count,
                                  int64_t *last_at, struct pr_error *e);

/* Reads the row st stands on into the element at p, in ar; false when
 * out of memory. */
typedef bool (*store__read_fn)(struct arena *ar, sqlite3_stmt *st, void *p);
/* Steps st and keeps up to cap elements of size bytes read by read into
 * an array in ar (*items, *n); *has_more tells whether another row
 * followed. Resets st. */
enum pr_err store__collect(struct store *s, struct arena *ar, sqlite3_stmt *st,
                           int cap, size_t size, store__read_fn read,
                           void **items, size_t *n, bool *has_more,
                           struct pr_error *e, const char *what);
/*
 * Steps st (which selects the summary columns of sql.c) and keeps up to cap
 * rows in out->items, allocated in ar; out->has_more tells whether another
 * row followed. Resets st.
 */
enum pr_err store__list_fill(struct store *s, struct arena *ar,
                             sqlite3_stmt *st, int cap,
                             struct article_list *out, struct pr_error *e,
                             const char *what);

/* store/search_index.c */

/*
 * New articles enter the search index when their write ends (at commit
 * inside store_begin .. store_commit), in one run: FTS5 writes out its
 * in-memory index at every statement savepoint once it is part of the
 * transaction, and every insert with a foreign key opens one, which made
 * indexing article by article cost more than the indexing itself. pending
 * notes an article; flush indexes the noted ones (the deferred work of
 * every write, and before any other write inside a transaction, whose
 * triggers expect the index to be up to date).
 */
enum pr_err store__search_pending(struct store *s, int64_t id,
                                  struct pr_error *e);
enum pr_err store__search_flush(struct store *s, struct pr_error *e);
/* At open, for writers: rebuilds the search index when it was built by
 * another version of the tokenizer. */
enum pr_err store__search_setup(struct store *s, struct pr_error *e);
/* The checks of store_check for the search index: every article indexed
 * and nothing else (read-only connections), then FTS5's own
 * 'integrity-check' of the index against the articles. */
enum pr_err store__search_check(struct store *s, struct pr_error *e);

/* store/search.c */

/* Frees what store_search keeps between calls (NULL is fine). */
void store__search_free(struct store__search *c);

#endif
