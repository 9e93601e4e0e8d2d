/*
 * store.h: the whole interface of src/store, the only code that speaks SQL.
 * The SQLite implementation keeps one database file (WAL mode) with the
 * content model of DESIGN.md; the interface is written so that a PostgreSQL
 * implementation can stand beside it. A struct store is one connection and
 * is used by one thread at a time; open one per thread.
 *
 * Memory: every function that returns records takes an arena and allocates
 * them there; the caller frees the arena. Errors: every function returns an
 * enum pr_err and, when it fails, writes a message into e (may be NULL).
 */
#ifndef PR_STORE_H
#define PR_STORE_H

#include "../core/core.h"

/* store/db.c */

struct store;

enum store_flags {
	STORE_CREATE = 1,   /* create the file and schema when missing */
	STORE_READONLY = 2, /* open without writing (check, export) */
};

/*
 * Opens (and with STORE_CREATE creates) the database at path and brings its
 * schema up to date with the numbered migrations. A database from a newer
 * pressroom gives PR_VERSION, a damaged one PR_CORRUPT, a locked one PR_BUSY,
 * an unwritable one PR_READONLY, each with a message naming the file.
 * *out is freed with store_close.
 */
enum pr_err store_open(struct store **out, const char *path, unsigned flags,
                       struct pr_error *e);
void store_close(struct store *s); /* NULL is fine */

/* The schema version this build writes (the last migration's number). */
int store_schema_version(void);

/*
 * Explicit transactions, for imports: everything between begin and commit
 * is one transaction, rolled back whole on failure. Functions that write
 * open their own transaction when none is open. Inside an explicit one,
 * list positions and the generation are brought up to date once, at
 * commit. A write that fails before changing anything (invalid input, an
 * id in use, an unknown translation_of) leaves the transaction usable; one
 * that fails later (I/O, memory) leaves it failed: later writes and
 * store_commit refuse, and commit rolls everything back. Lists read inside
 * an explicit transaction may not see its own inserts in place.
 */
enum pr_err store_begin(struct store *s, struct pr_error *e);
enum pr_err store_commit(struct store *s, struct pr_error *e);
void store_rollback(struct store *s);

/* Integrity check and foreign-key check, and the store's own invariants
 * (list positions, every article has the text of its revision); the
 * message names what is wrong. PR_CORRUPT when something is. */
enum pr_err store_check(struct store *s, struct pr_error *e);
/* Recomputes the list positions of every language (what `pressroom
 * reindex` runs when store_check finds them wrong) and bumps the
 * generation. */
enum pr_err store_renumber(struct store *s, struct pr_error *e);
/* Online backup to dest (a new file) while other connections keep working;
 * dest is written to a temporary name and renamed when complete. */
enum pr_err store_backup(struct store *s, const char *dest, struct pr_error *e);

/*
 * The site's generation: a number bumped by every change visible to
 * readers, and the time at which the next already-published but future item
 * becomes visible (INT64_MAX when none). Readers' caches key on both.
 */
enum pr_err store_generation(struct store *s, int64_t now, int64_t *gen,
                             int64_t *next_due, struct pr_error *e);

/* store/article.c */

enum article_status {
	ARTICLE_DRAFT,
	ARTICLE_SCHEDULED,
	ARTICLE_PUBLISHED,
	ARTICLE_WITHDRAWN,
};

/* "draft", "scheduled", "published", "withdrawn" */
const char *store_status_name(enum article_status st);
bool store_status_parse(struct str s, enum article_status *out);

/* The kinds of item: news, statement, speech, interview, announcement. */
extern const char *const store_kinds[];
bool store_kind_valid(struct str s);

enum entity_type { ENTITY_TAG, ENTITY_PERSON, ENTITY_PLACE };
#define ENTITY_TYPES 3
/* "tag", "person", "place" */
const char *store_entity_type_name(enum entity_type t);

/* Named entities linked to an article, in order. */
struct names {
	size_t n;
	const char **name; /* as written: "Igor Krasnov" */
	const char **slug; /* "igor-krasnov" */
};

/* A whole article. Strings are NUL-terminated UTF-8. */
struct article {
	int64_t id; /* 0 on insert: assigned */
	const char *slug;
	const char *lang; /* "en", "ru" */
	const char *kind; /* one of store_kinds */
	const char *title;
	const char *lead;      /* "" when none */
	const char *body;      /* Markdown source */
	const char *body_html; /* rendered and sanitised, from render */
	const char *body_text; /* plain text of the body for the search index
	                          and snippets (render_markdown_text); NULL:
	                          the Markdown is indexed as it is. Written,
	                          not read back. */
	const char *author;    /* "" when none */
	enum article_status status;
	int64_t translation_of; /* on insert: id of another item of the group,
	                           0 for none; on read: the group's first id
	                           when it is not this article, else 0 */
	int64_t translation_group; /* on read: the group id (own id if alone) */
	int64_t published_at;      /* unix seconds, UTC */
	int64_t updated_at;
	int revision;                        /* 1 for a new article */
	struct names entities[ENTITY_TYPES]; /* tags, persons, places */
};

/*
 * Inserts a new article with revision 1 and its entity links (entities are
 * created by name when new; slugs come from slug_make). a->id == 0 assigns
 * the next id and writes it back; an id in use gives PR_CONFLICT; a
 * translation_of naming no article gives PR_NOTFOUND. Bumps the generation
 * when the article is published.
 * Defaults: slug from the title, kind "news", updated_at = published_at,
 * lead, author and body_html "". Written back: id, translation_group,
 * updated_at and revision (a made slug is read back with
 * store_article_get). Names of entities must not be empty; names that
 * differ only in case or accents name one entity, which keeps the first
 * spelling. Dates must lie in the years 1 to 9999. Invalid input gives
 * PR_INVALID naming the field.
 */
enum pr_err store_article_insert(struct store *s, struct article *a,
                                 struct pr_error *e);

/* Reads one article, in any status, with its entities. PR_NOTFOUND when
 * there is none. */
enum pr_err store_article_get(struct store *s, struct arena *ar, int64_t id,
                              struct article *out, struct pr_error *e);

/* Calls fn for every article in id order (export), all from one snapshot
 * of the database; stops and returns what fn returns when that is not
 * PR_OK. Each article lives until fn returns. fn must not call
 * store_article_each on the same store. */
enum pr_err store_article_each(struct store *s,
                               enum pr_err (*fn)(void *ctx,
                                                 const struct article *a),
                               void *ctx, struct pr_error *e);

/* Number of articles in any status. */
enum pr_err store_article_count(struct store *s, int64_t *out,
                                struct pr_error *e);

/* store/list.c */

/* What a list shows of an article. */
struct article_summary {
	int64_t id;
	const char *slug, *lang, *kind, *title, *lead;
	int64_t published_at;
	int64_t updated_at; /* for Last-Modified of the list */
};

struct article_list {
	struct article_summary *items;
	size_t n;
	int64_t total; /* visible items in the whole list */
	bool has_more; /* items after the last one */
};

/* Visible means published with published_at <= now. */

/* The most items one list call returns (per_page, limit). */
#define STORE_LIMIT_MAX 1000

/*
 * Page `page` (1-based) of the visible items of lang, newest first, per_page
 * a page. Costs the same for page 5000 as for page 1 (items carry their
 * position in the list). A page past the end gives an empty list, not an
 * error.
 */
enum pr_err store_news_page(struct store *s, struct arena *ar, const char *lang,
                            int64_t now, int64_t page, int per_page,
                            struct article_list *out, struct pr_error *e);

/* Keyset cursor: the list continues after (published_at, id), newest
 * first. The zero cursor starts at the newest. */
struct cursor {
	int64_t published_at;
	int64_t id;
};

/* A named entity. */
struct entity {
	int64_t id;
	enum entity_type type;
	const char *name, *slug;
};

/* The entity of that type and slug; PR_NOTFOUND when none. */
enum pr_err store_entity_get(struct store *s, struct arena *ar,
                             enum entity_type type, struct str slug,
                             struct entity *out, struct pr_error *e);

/* Visible items of lang linked to the entity, newest first, after the
 * cursor; total counts all of them. */
enum pr_err store_entity_items(struct store *s, struct arena *ar,
                               int64_t entity_id, const char *lang, int64_t now,
                               struct cursor after, int per_page,
                               struct article_list *out, struct pr_error *e);

/* The visible translations of an article (the other members of its group),
 * ordered by language. */
enum pr_err store_translations(struct store *s, struct arena *ar, int64_t group,
                               int64_t except_id, int64_t now,
                               struct article_list *out, struct pr_error *e);

/* store/archive.c: dates are in the site's time zone (the process's TZ,
 * set by pr_time_set_zone). */

struct archive_count {
	int key; /* a year, a month 1..12 or a day 1..31 */
	int64_t count;
};

struct archive {
	struct archive_count *v;
	size_t n;
};

/* Years with visible items of lang, newest first, with counts. */
enum pr_err store_archive_years(struct store *s, struct arena *ar,
                                const char *lang, int64_t now,
                                struct archive *out, struct pr_error *e);
/* Months of a year with items, ascending. */
enum pr_err store_archive_months(struct store *s, struct arena *ar,
                                 const char *lang, int64_t now, int year,
                                 struct archive *out, struct pr_error *e);
/* Days of a month with items, ascending. */
enum pr_err store_archive_days(struct store *s, struct arena *ar,
                               const char *lang, int64_t now, int year,
                               int month, struct archive *out,
                               struct pr_error *e);
/* All visible items of lang published in [from, to), newest first, at most
 * limit of them (has_more tells whether there were more). */
enum pr_err store_items_between(struct store *s, struct arena *ar,
                                const char *lang, int64_t now, int64_t from,
                                int64_t to, int limit, struct article_list *out,
                                struct pr_error *e);

/* store/account.c: the editors' accounts, their sessions and the login
 * throttle. Logins are stored lower-case; passwords only as the Argon2id
 * strings the caller made (the store never sees a password). */

enum user_role { ROLE_AUTHOR, ROLE_EDITOR, ROLE_ADMIN };

/* "author", "editor", "admin" */
const char *store_role_name(enum user_role r);
bool store_role_parse(struct str s, enum user_role *out);

struct user {
	int64_t id;
	const char *login; /* lower-case ASCII letters, digits, . _ - */
	const char *name;  /* display name, shown as the author of items */
	enum user_role role;
	const char *hash; /* crypto_pwhash_str output */
	bool disabled;
	int64_t created_at, updated_at;
};

#define STORE_LOGIN_MAX 64
#define STORE_NAME_LEN  200
#define STORE_USERS_MAX 1000

/* true for a login as store_user_add accepts it. */
bool store_login_valid(struct str login);

/* Adds u (id written back). PR_CONFLICT when the login is taken,
 * PR_INVALID naming the field for a bad login, name or role. */
enum pr_err store_user_add(struct store *s, struct user *u, struct pr_error *e);
/* One user by id or by login (any case); PR_NOTFOUND when none. */
enum pr_err store_user_get(struct store *s, struct arena *ar, int64_t id,
                           struct user *out, struct pr_error *e);
enum pr_err store_user_find(struct store *s, struct arena *ar, struct str login,
                            struct user *out, struct pr_error *e);
/* Every user in login order (at most STORE_USERS_MAX), in ar. */
enum pr_err store_user_list(struct store *s, struct arena *ar,
                            struct user **out, size_t *n, struct pr_error *e);
/* Changes one thing of a user (PR_NOTFOUND when there is none). A new
 * password hash or disabling also ends every session of the user but
 * keep_session (a session id hash, NULL for none). */
enum pr_err store_user_set_hash(struct store *s, int64_t id, const char *hash,
                                const char *keep_session, struct pr_error *e);
enum pr_err store_user_set_role(struct store *s, int64_t id,
                                enum user_role role, struct pr_error *e);
enum pr_err store_user_set_name(struct store *s, int64_t id, const char *name,
                                struct pr_error *e);
enum pr_err store_user_set_disabled(struct store *s, int64_t id, bool disabled,
                                    struct pr_error *e);
/* Users with role admin that are not disabled. */
enum pr_err store_user_count_admins(struct store *s, int64_t *out,
                                    struct pr_error *e);

/* A session: the cookie holds a random token, the store its SHA-256
 * (hex) as id, so that a copy of the database opens no session. */
struct session {
	const char *id;   /* SHA-256 hex of the token */
	const char *csrf; /* the session's secret for forms (hex) */
	int64_t user_id, created_at, expires_at;
};

enum pr_err store_session_add(struct store *s, const struct session *se,
                              const char *address, struct pr_error *e);
/* The live session with that id and its user: PR_NOTFOUND when there is
 * none, it expired (expires_at <= now) or its user is disabled. */
enum pr_err store_session_get(struct store *s, struct arena *ar, const char *id,
                              int64_t now, struct session *out,
                              struct user *user, struct pr_error *e);
enum pr_err store_session_delete(struct store *s, const char *id,
                                 struct pr_error *e);
/* Deletes the sessions that expired before now. */
enum pr_err store_session_purge(struct store *s, int64_t now,
                                struct pr_error *e);

/* Failed logins counted under a key ("login:NAME", "addr:ADDRESS") since
 * first_at; locked_until is when the key may try again. */
struct throttle {
	int64_t failures, first_at, locked_until;
};

/* The record of key, zero when there is none. */
enum pr_err store_throttle_get(struct store *s, const char *key,
                               struct throttle *out, struct pr_error *e);
/* Counts one more failure of key (starting over when the count began
 * before window_start) and writes the updated record to out. */
enum pr_err store_throttle_fail(struct store *s, const char *key, int64_t now,
                                int64_t window_start, struct throttle *out,
                                struct pr_error *e);
enum pr_err store_throttle_lock(struct store *s, const char *key, int64_t until,
                                struct pr_error *e);
enum pr_err store_throttle_clear(struct store *s, const char *key,
                                 struct pr_error *e);

/* store/audit.c: the audit log, embargo preview tokens, autosaved
 * drafts. */

struct audit_entry {
	int64_t id, at, user_id, article_id; /* 0 for none */
	const char *login, *action, *detail, *address;
};

#define STORE_AUDIT_PAGE_MAX 500

/* Appends a line (at 0: now). Inside the caller's transaction it is part
 * of it, so an action and its record commit together. */
enum pr_err store_audit_add(struct store *s, const struct audit_entry *a,
                            struct pr_error *e);
/* Newest first, ids below before_id (0: from the newest), at most limit
 * (1 to STORE_AUDIT_PAGE_MAX); article_id and login (NULL) filter. */
enum pr_err store_audit_list(struct store *s, struct arena *ar,
                             int64_t before_id, int limit, int64_t article_id,
                             const char *login, struct audit_entry **out,
                             size_t *n, struct pr_error *e);

/* An embargo preview token: whoever holds it may read one unpublished
 * item until it expires or is revoked. Stored as its SHA-256 (hex). */
struct preview_token {
	const char *id;
	int64_t article_id, user_id, created_at, expires_at, revoked_at;
};

enum pr_err store_preview_add(struct store *s, const struct preview_token *t,
                              struct pr_error *e);
/* The article of a live token (not revoked, expires_at > now);
 * PR_NOTFOUND otherwise. */
enum pr_err store_preview_find(struct store *s, const char *id, int64_t now,
                               int64_t *article_id, struct pr_error *e);
/* Revokes every live token of the article; *n gets how many. */
enum pr_err store_preview_revoke(struct store *s, int64_t article_id,
                                 int64_t now, int64_t *n, struct pr_error *e);
/* Live tokens of an article, newest first (at most 100). */
enum pr_err store_preview_list(struct store *s, struct arena *ar,
                               int64_t article_id, int64_t now,
                               struct preview_token **out, size_t *n,
                               struct pr_error *e);

/* The form a user had typed into the editor of an article (0: a new
 * one), kept by the autosave script until a save replaces it. */
struct autosave {
	int64_t user_id, article_id, base, saved_at;
	const char *form; /* the form as application/x-www-form-urlencoded */
};

enum pr_err store_autosave_put(struct store *s, const struct autosave *a,
                               struct pr_error *e);
/* PR_NOTFOUND when there is none. */
enum pr_err store_autosave_get(struct store *s, struct arena *ar,
                               int64_t user_id, int64_t article_id,
                               struct autosave *out, struct pr_error *e);
enum pr_err store_autosave_delete(struct store *s, int64_t user_id,
                                  int64_t article_id, struct pr_error *e);

/* store/edit.c: saving new revisions, the workflow and the revisions. */

/* What is known about a save besides the article itself. */
struct revision_meta {
	int base;         /* the revision the editor started from */
	int64_t user_id;  /* who saves (0: the command line) */
	const char *who;  /* their name, kept with the revision */
	const char *note; /* public change note, "" for none */
	bool public;      /* a version readers see (saved while published) */
	int64_t saved_at; /* 0: now */
};

/*
 * Saves a as the new current version of the existing article a->id, in
 * one transaction (the caller's when open): the article row, the rendered
 * text, a new revision (number written back to a->revision), the entity
 * links, the list positions and the generation when readers see a
 * difference. The revision the editor started from must still be the
 * current one: else PR_CONFLICT, and nothing is written. a->slug empty
 * makes one from the title; a->updated_at 0 means now. PR_NOTFOUND when
 * the article does not exist, PR_INVALID naming the field for bad input.
 */
enum pr_err store_article_update(struct store *s, struct article *a,
                                 const struct revision_meta *m,
                                 struct pr_error *e);

/*
 * Changes the status and time of publication of an article without a new
 * revision (publish, schedule, withdraw, back to draft), keeping the list
 * positions and the generation right. updated_at 0 leaves it. Publishing
 * marks the current revision as a public version and ends a review.
 */
enum pr_err store_article_set_status(struct store *s, int64_t id,
                                     enum article_status status,
                                     int64_t published_at, int64_t updated_at,
                                     int64_t user_id, struct pr_error *e);

/* The editors' bookkeeping of an article beyond its status. */
struct workflow {
	int64_t owner_id;     /* 0: imported, nobody's */
	int64_t submitted_at; /* waiting for review since; 0 when not */
	int64_t withdrawn_at;
	const char *withdrawn_note;
};

/* Zero values when the article has none. */
enum pr_err store_workflow_get(struct store *s, struct arena *ar, int64_t id,
                               struct workflow *out, struct pr_error *e);
enum pr_err store_workflow_set_owner(struct store *s, int64_t id,
                                     int64_t owner_id, struct pr_error *e);
/* Submits for review (true) or takes it back (false). */
enum pr_err store_workflow_submit(struct store *s, int64_t id, bool submit,
                                  int64_t now, struct pr_error *e);
enum pr_err store_workflow_withdrawn(struct store *s, int64_t id, int64_t at,
                                     const char *note, struct pr_error *e);

/* One saved version of an article. */
struct revision {
	int64_t id;
	int revision;
	int64_t saved_at;
	const char *author, *hash, *note;
	const char *title, *lead, *body; /* NULL when not asked for */
	int64_t user_id;
	int base;
	bool public;
};

#define STORE_REVISIONS_MAX 2000

/* The revisions of an article, oldest first (at most
 * STORE_REVISIONS_MAX, the newest ones), with their texts when
 * with_text. An imported revision without details counts as public when
 * the article is published. */
enum pr_err store_revisions(struct store *s, struct arena *ar,
                            int64_t article_id, bool with_text,
                            struct revision **out, size_t *n,
                            struct pr_error *e);
/* One revision with its text; PR_NOTFOUND when there is none. */
enum pr_err store_revision_get(struct store *s, struct arena *ar,
                               int64_t article_id, int revision,
                               struct revision *out, struct pr_error *e);

/* store/items.c: the editors' lists. */

/* An item as the editors' lists show it. */
struct item {
	int64_t id;
	const char *slug, *lang, *kind, *title, *author;
	enum article_status status;
	int64_t published_at, updated_at, submitted_at, owner_id;
	int revision;
};

struct item_list {
	struct item *items;
	size_t n;
	bool has_more;
};

/* What the editors' item list shows: "" or 0 for any. state is one of
 * "", draft, submitted, scheduled, published, withdrawn; q a piece of the
 * title. */
struct item_filter {
	const char *state, *lang, *kind;
	struct str q;
	int64_t owner_id;
};

/* The items matching f, most recently changed first, after the keyset
 * cursor (its published_at holds updated_at here; zero: from the
 * newest), at most limit
 * (1 to STORE_LIMIT_MAX). Costs the same deep in the list as at its start
 * (one index walk). */
enum pr_err store_items(struct store *s, struct arena *ar,
                        const struct item_filter *f, int64_t now,
                        struct cursor after, int limit, struct item_list *out,
                        struct pr_error *e);

/* The dashboard's lists, each at most limit items. */
enum store_dash {
	DASH_MY_DRAFTS,    /* drafts owned by user_id, newest change first */
	DASH_REVIEW,       /* submitted for review, oldest first */
	DASH_SCHEDULED,    /* published with a future time, soonest first */
	DASH_RECENT,       /* visible, newest first */
	DASH_UNTRANSLATED, /* visible in the last 30 days, without an item
	                      in lang (the other language) in their group */
};

enum pr_err store_dashboard(struct store *s, struct arena *ar,
                            enum store_dash which, int64_t user_id,
                            const char *lang, int64_t now, int limit,
                            struct item_list *out, struct pr_error *e);

/* Names of entities of a type for suggestions, most used first. */
enum pr_err store_entity_names(struct store *s, struct arena *ar,
                               enum entity_type type, int limit,
                               const char ***out, size_t *n,
                               struct pr_error *e);

/* store/feed.c: the lists feeds follow */

/* A list: the visible items of lang, all of them or those linked to one
 * entity or those of one kind (not both). */
struct store_list {
	const char *lang;
	int64_t entity_id; /* 0: any */
	const char *kind;  /* NULL: any; else one of store_kinds */
};

/* The list's items newest first, after the cursor (zero: from the
 * newest), at most per_page of them; total counts all. */
enum pr_err store_list_items(struct store *s, struct arena *ar,
                             const struct store_list *l, int64_t now,
                             struct cursor after, int per_page,
                             struct article_list *out, struct pr_error *e);

/*
 * Page `page` of the list counted from its oldest item (page 1 holds the
 * oldest per_page items), given newest first, for the paged archive
 * feeds of RFC 5005: a full page keeps its items as new ones are
 * published. total counts all items; a page past the end is empty, not an
 * error. A language's list reads by list position (the same cost for
 * every page); an entity's or a kind's skips the earlier items.
 */
enum pr_err store_list_archive(struct store *s, struct arena *ar,
                               const struct store_list *l, int64_t now,
                               int64_t page, int per_page,
                               struct article_list *out, struct pr_error *e);

/* The newest updated_at of the visible items of lang; 0 when none. */
enum pr_err store_lang_changed(struct store *s, const char *lang, int64_t now,
                               int64_t *out, struct pr_error *e);

/* store/sitemap.c: sitemaps as streams */

/* One sitemap file of a language: list positions first..last (1 the
 * oldest) and the newest updated_at among them. */
struct sitemap_file {
	int64_t first, last;
	int64_t lastmod;
};

struct sitemap_files {
	struct sitemap_file *v;
	size_t n;
};

/* The visible items of lang cut into files of per_file (1 to 50,000)
 * consecutive positions, at most 50,000 files. Reads two index entries a
 * file and no article. */
enum pr_err store_sitemap_files(struct store *s, struct arena *ar,
                                const char *lang, int64_t now, int per_file,
                                struct sitemap_files *out, struct pr_error *e);

/* Called once an item; the strings live until it returns. */
typedef enum pr_err (*store_item_fn)(void *ctx,
                                     const struct article_summary *it);

/*
 * Calls fn for each item of file file_no (from 1) of lang, newest first,
 * holding one row at a time; stops at and returns the first result of fn
 * that is not PR_OK. PR_NOTFOUND for a file past the end. fn may use the
 * store, but not for store_sitemap_each or the news pages.
 */
enum pr_err store_sitemap_each(struct store *s, const char *lang, int64_t now,
                               int64_t file_no, int per_file, store_item_fn fn,
                               void *ctx, struct pr_error *e);

/* store/slug.c: permanent links */

/*
 * Gives article id a new slug (slug_valid, at most SLUG_MAX bytes) and
 * bumps the generation. The old slug is kept in the article's history:
 * the schema records it whenever the slug changes, through this function
 * or any other write. PR_INVALID for a malformed slug, PR_NOTFOUND for no
 * such article.
 */
enum pr_err store_article_set_slug(struct store *s, int64_t id, struct str slug,
                                   struct pr_error *e);

struct slug_list {
	size_t n;
	const char **slug;
};

/* The slugs article id had before its current one, the latest first (at
 * most 1000). */
enum pr_err store_article_old_slugs(struct store *s, struct arena *ar,
                                    int64_t id, struct slug_list *out,
                                    struct pr_error *e);

/* store/photo.c: the photos of an article, in order. The files (the
 * original named by its SHA-256, its renditions) live under DATA/media/
 * and are src/media's; the store keeps what describes them. One file is
 * at most once in an article; positions are always 1..n, 1 the lead
 * photo. Every change bumps the generation. */

#define STORE_PHOTOS_MAX     1000 /* photos of one article */
#define STORE_PHOTO_TEXT_MAX 4096 /* bytes of caption, credit, alt, licence */

struct photo {
	int64_t id; /* written back by store_photo_add */
	int64_t article_id;
	int position;       /* 1 for the lead photo; written back by add */
	const char *sha256; /* of the original: 64 lower-case hex digits */
	const char *type;   /* the original's extension: jpg png webp gif */
	int width, height;  /* as displayed (EXIF orientation applied) */
	int64_t bytes;      /* size of the original */
	/* what the editor or the image said; "" for none */
	const char *caption, *credit, *alt, *licence;
	bool has_taken;   /* taken_at is known */
	int64_t taken_at; /* when it was taken, unix seconds */
	int64_t added_at; /* on add: 0 for now */
};

struct photo_list {
	struct photo *v;
	size_t n;
};

/*
 * Appends p to the photos of article p->article_id and writes back id,
 * position and added_at. When the article has that file already, nothing
 * changes: *added (may be NULL) is false and p gets the existing photo's
 * id and position (its texts stay as stored). PR_NOTFOUND when there is
 * no such article, PR_INVALID naming the field for a bad hash, type,
 * size, text (not UTF-8, over STORE_PHOTO_TEXT_MAX) or one photo past
 * STORE_PHOTOS_MAX. In an explicit transaction (an import) a refusal
 * leaves the transaction usable.
 */
enum pr_err store_photo_add(struct store *s, struct photo *p, bool *added,
                            struct pr_error *e);

/* The photos of an article in order (an article that does not exist has
 * none), allocated in ar. May be called from store_article_each's fn. */
enum pr_err store_photos_of(struct store *s, struct arena *ar,
                            int64_t article_id, struct photo_list *out,
                            struct pr_error *e);

/* How many photos an article has. */
enum pr_err store_photo_count(struct store *s, int64_t article_id, int64_t *out,
                              struct pr_error *e);

/* Replaces caption, credit, alt, licence and taken_at of photo p->id of
 * article p->article_id (the rest of p is ignored). PR_NOTFOUND when the
 * article has no such photo. */
enum pr_err store_photo_update(struct store *s, const struct photo *p,
                               struct pr_error *e);

/* Moves a photo of the article to position (1..n; the others shift to
 * make room), e.g. to make it the lead photo. PR_NOTFOUND, PR_INVALID
 * for a position out of range. */
enum pr_err store_photo_move(struct store *s, int64_t article_id,
                             int64_t photo_id, int position,
                             struct pr_error *e);

/* Puts the article's photos in the order of ids, which must name each of
 * them exactly once (else PR_INVALID and nothing changes). */
enum pr_err store_photo_reorder(struct store *s, int64_t article_id,
                                const int64_t *ids, size_t n,
                                struct pr_error *e);

/* Removes a photo from the article (the later ones move up). The files
 * stay: another article may use them; see store_photo_used. */
enum pr_err store_photo_delete(struct store *s, int64_t article_id,
                               int64_t photo_id, struct pr_error *e);

/* Whether any article uses the original with that hash. */
enum pr_err store_photo_used(struct store *s, const char *sha256, bool *used,
                             struct pr_error *e);

/* The lead photo of each item of l for a list page: out (l->n entries,
 * allocated in ar) holds NULL where an item has none. One index look-up
 * an item. */
enum pr_err store_lead_photos(struct store *s, struct arena *ar,
                              const struct article_list *l,
                              const struct photo ***out, struct pr_error *e);

/* Calls fn for every photo of every article (checks of the files), by
 * article and position, all from one snapshot; the photo lives until fn
 * returns; stops at the first result that is not PR_OK. */
enum pr_err store_photo_each(struct store *s,
                             enum pr_err (*fn)(void *ctx,
                                               const struct photo *p),
                             void *ctx, struct pr_error *e);

/* store/search.c, search_index.c: the search index (migration 4) and
 * searches over it. The index is written in the transaction of every
 * write (new articles when the write ends, edits and deletes by the
 * schema's triggers). */

struct search_query; /* search.h */

enum store_sort {
	STORE_SORT_RELEVANCE, /* BM25 (title above lead above body) with a
	                         boost for recent items */
	STORE_SORT_DATE,      /* newest first */
};

/* Where the next page continues: after the hit with this key (keyset, so
 * that a page neither repeats nor skips hits while the items stay as they
 * are). All zero: the first page. */
struct store_search_cursor {
	double score;         /* relevance order */
	int64_t published_at; /* date order */
	int64_t id;           /* 0: the first page */
	int64_t reference;    /* the time recency was measured from */
};

/* What to look for, with its filters. */
struct store_search_req {
	const struct search_query *q; /* from search_parse, not empty */
	int64_t now;                  /* visible: published at or before now */
	int64_t from, to; /* published_at in [from, to); 0 for no bound */
	const char *lang; /* NULL or "": any */
	const char *kind; /* NULL or "": any */
	int64_t entity[ENTITY_TYPES]; /* the item links them; 0: no filter */
	enum store_sort sort;
	int64_t offset; /* hits skipped (page numbers) */
	int limit;      /* hits wanted: 1 .. STORE_LIMIT_MAX - offset */
	struct store_search_cursor after; /* id 0: from the first hit */
	bool facets;                      /* count per facet value */
	bool exhaustive; /* walk every match, however many: exact ranking,
	                    total and facets at any cost (benchmarks, tests) */
};

enum store_facet_type {
	STORE_FACET_KIND,
	STORE_FACET_LANG,
	STORE_FACET_YEAR,
	STORE_FACET_TAG,
	STORE_FACET_PERSON,
	STORE_FACET_PLACE,
	STORE_FACETS
};

/* One value of a facet and how many hits have it. */
struct store_facet {
	const char *key;  /* kind, language, year ("2021") or entity slug */
	const char *name; /* the entity's name; the key for the others */
	int64_t count;
};

struct store_facet_list {
	struct store_facet *v; /* kinds in store_kinds order, languages by
	                          name, years newest first, entities by
	                          count (at most STORE_FACET_TOP) */
	size_t n;
};

#define STORE_FACET_TOP 10

struct store_search_hit {
	struct article_summary item;
	const char *text; /* plain text of the body, for the snippet */
	double score;     /* relevance order: higher is better */
};

struct store_search_result {
	struct store_search_hit *hits;
	size_t n;
	int64_t total;    /* hits that pass the filters */
	bool approximate; /* too many matches to walk them all: the ranking
	                     is over the newest matches and the items with
	                     the words in their title or lead, and total and
	                     facets are estimates from a sample */
	bool has_more;    /* hits after these */
	struct store_search_cursor next; /* after the last hit */
	struct store_facet_list facets[STORE_FACETS];
};

/*
 * The hits of req, best first (or newest first), with total and facets.
 * Only visible items are found. Everything lives in ar. PR_INVALID for an
 * empty query, a limit out of range or offset + limit past
 * STORE_LIMIT_MAX; PR_CORRUPT when the index does not match its articles.
 */
enum pr_err store_search(struct store *s, struct arena *ar,
                         const struct store_search_req *req,
                         struct store_search_result *out, struct pr_error *e);

/*
 * The query q (as typed, parsed into pq) with its words that are not in the
 * index replaced by the closest ones that are (search_suggest_query).
 * PR_NOTFOUND when there is nothing to suggest. *out lives in ar.
 */
enum pr_err store_search_suggest(struct store *s, struct arena *ar,
                                 struct str q, const struct search_query *pq,
                                 struct str *out, struct pr_error *e);

/* store/search_index.c */

/* Writes the plain text of a Markdown body into out (a NUL-terminated
 * string there); an error leaves the revision's text as it was. */
typedef enum pr_err (*store_text_fn)(void *ctx, struct str markdown,
                                     struct buf *out, struct pr_error *e);

/*
 * Rebuilds the search index in one transaction: with fn, first the plain
 * text of every current revision (*changed counts the texts that changed;
 * may be NULL), then both FTS5 tables from scratch. What `pressroom
 * reindex` runs; store_open runs it too when the tokenizer changed.
 */
enum pr_err store_search_rebuild(struct store *s, store_text_fn fn, void *ctx,
                                 int64_t *changed, struct pr_error *e);

#endif
