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

#endif
