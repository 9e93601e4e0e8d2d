/*
 * store/sql.c: every line of SQL that pressroom runs against SQLite: the
 * numbered schema migrations and the table of statements that db.c
 * prepares once at open (openradtool's generated db layer is the model).
 * Statements take bound parameters only, never pasted text.
 */
#include "store_int.h"

/*
 * The schema, one migration a release that changes it. A migration runs in
 * one transaction together with the bump of PRAGMA user_version, so a
 * database is always at exactly one version. Never edit a migration that
 * has shipped: add the next one (photos, users, sessions, audit log and the
 * search index come as migrations 2 and later).
 */
const char *const store__migrations[] = {
    /* 1: the content model of DESIGN.md. */
    "PRAGMA application_id = 1886548850;\n"
    /* key/value settings of the site; generation counts the changes
     * readers can see, so caches know when they are stale. */
    "CREATE TABLE meta (\n"
    "  key TEXT PRIMARY KEY NOT NULL,\n"
    "  value INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO meta (key, value) VALUES ('generation', 1);\n"
    /* Articles without their text, so that lists and renumbering touch
     * small rows. pos is the article's place among the published items of
     * its language in (published_at, id) order, oldest 1; it is NULL
     * exactly when the article is not published, and 0 for a moment while
     * a transaction has yet to renumber the language. translation_group is
     * the id of the group's first article (its own id when alone). */
    "CREATE TABLE article (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  lang TEXT NOT NULL,\n"
    "  pos INTEGER,\n"
    "  published_at INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN\n"
    "    ('draft', 'scheduled', 'published', 'withdrawn')),\n"
    "  kind TEXT NOT NULL,\n"
    "  translation_group INTEGER NOT NULL REFERENCES article (id),\n"
    "  revision INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  slug TEXT NOT NULL,\n"
    "  title TEXT NOT NULL,\n"
    "  lead TEXT NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  CHECK ((status = 'published') = (pos IS NOT NULL))\n"
    ");\n"
    /* The news pages read article_list; everything else about time,
     * article_time and article_due, which depend on status and not on
     * pos, so that renumbering writes one index only. */
    "CREATE INDEX article_list ON article (lang, pos)\n"
    "  WHERE pos IS NOT NULL;\n"
    "CREATE INDEX article_time ON article (lang, published_at)\n"
    "  WHERE status = 'published';\n"
    "CREATE INDEX article_due ON article (published_at)\n"
    "  WHERE status = 'published';\n"
    "CREATE INDEX article_group ON article (translation_group);\n"
    /* The rendered body of the current revision. */
    "CREATE TABLE article_html (\n"
    "  article_id INTEGER PRIMARY KEY\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  html TEXT NOT NULL\n"
    ");\n"
    /* Every saved version. The Markdown of the current one is the
     * article's body, kept here only. hash is the SHA-256 (hex) of title,
     * lead and body joined by NUL bytes. */
    "CREATE TABLE revision (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  revision INTEGER NOT NULL,\n"
    "  saved_at INTEGER NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  hash TEXT NOT NULL,\n"
    "  note TEXT NOT NULL,\n"
    "  title TEXT NOT NULL,\n"
    "  lead TEXT NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  UNIQUE (article_id, revision)\n"
    ");\n"
    /* Tags, persons and places; the slug identifies one, the name is how
     * it was first written. */
    "CREATE TABLE entity (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  type TEXT NOT NULL CHECK (type IN ('tag', 'person', 'place')),\n"
    "  slug TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  UNIQUE (type, slug)\n"
    ");\n"
    "CREATE TABLE article_entity (\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  entity_id INTEGER NOT NULL REFERENCES entity (id),\n"
    "  position INTEGER NOT NULL,\n"
    "  PRIMARY KEY (article_id, entity_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX article_entity_by_entity\n"
    "  ON article_entity (entity_id, article_id);\n",
};

const int store__n_migrations =
    (int)(sizeof(store__migrations) / sizeof(store__migrations[0]));

/* What a list shows of an article, in the order store__list_fill reads. */
#define SUMMARY                                                                \
	"a.id, a.slug, a.lang, a.kind, a.title, a.lead, a.published_at, "      \
	"a.updated_at"

/* A whole article, in the order article.c reads. */
#define ARTICLE                                                                \
	"SELECT a.id, a.slug, a.lang, a.kind, a.title, a.lead, r.body, "       \
	"h.html, a.author, a.status, a.translation_group, "                    \
	"a.published_at, a.updated_at, a.revision "                            \
	"FROM article a "                                                      \
	"JOIN article_html h ON h.article_id = a.id "                          \
	"JOIN revision r ON r.article_id = a.id AND r.revision = a.revision "

/* Published, in the words of the partial indexes article_time and
 * article_due. */
#define PUBLISHED "a.status = 'published' "

const char *const store__sql[STMT__MAX] = {
    [STMT_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [STMT_BEGIN_READ] = "BEGIN",
    [STMT_COMMIT] = "COMMIT",
    [STMT_ROLLBACK] = "ROLLBACK",

    /* -> generation */
    [STMT_GEN_GET] = "SELECT value FROM meta WHERE key = 'generation'",
    [STMT_GEN_BUMP] =
        "UPDATE meta SET value = value + 1 WHERE key = 'generation'",
    /* ?1 now -> the first published_at after now */
    [STMT_NEXT_DUE] = "SELECT a.published_at FROM article a "
                      "WHERE " PUBLISHED "AND a.published_at > ?1 "
                      "ORDER BY a.published_at LIMIT 1",
    /* -> "ok" or problems, one a row */
    [STMT_CHECK_INTEGRITY] = "PRAGMA integrity_check(10)",
    /* -> table, rowid, parent table, foreign key number */
    [STMT_CHECK_FOREIGN_KEYS] = "PRAGMA foreign_key_check",
    /* -> languages whose positions are not 1..n in time order */
    [STMT_CHECK_POSITIONS] =
        "SELECT lang, count(*) FROM (SELECT lang, pos, row_number() "
        "OVER (PARTITION BY lang ORDER BY published_at, id) AS n "
        "FROM article WHERE pos IS NOT NULL) "
        "WHERE pos <> n GROUP BY lang ORDER BY lang",
    /* -> an article whose current text is missing: id, revision */
    [STMT_CHECK_TEXTS] =
        "SELECT a.id, a.revision FROM article a WHERE NOT EXISTS "
        "(SELECT 1 FROM article_html h WHERE h.article_id = a.id) "
        "OR NOT EXISTS (SELECT 1 FROM revision r "
        "WHERE r.article_id = a.id AND r.revision = a.revision) LIMIT 1",

    /* ?1 lang -> id, published_at, pos of its newest published item */
    [STMT_LAST_OF_LANG] = "SELECT a.id, a.published_at, a.pos "
                          "FROM article a WHERE a.lang = ?1 AND " PUBLISHED
                          "ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
    /* ?1 lang: positions 1..n in (published_at, id) order; rows already
     * in place are not written */
    [STMT_RENUMBER_LANG] =
        "UPDATE article SET pos = r.n FROM (SELECT id, row_number() "
        "OVER (ORDER BY published_at, id) AS n FROM article "
        "WHERE lang = ?1 AND status = 'published') AS r "
        "WHERE article.id = r.id AND article.pos <> r.n",
    [STMT_RENUMBER_ALL] =
        "UPDATE article SET pos = r.n FROM (SELECT id, row_number() "
        "OVER (PARTITION BY lang ORDER BY published_at, id) AS n "
        "FROM article WHERE status = 'published') AS r "
        "WHERE article.id = r.id AND article.pos <> r.n",

    /* -> the id after the highest */
    [STMT_ARTICLE_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM article",
    /* ?1 id -> translation_group */
    [STMT_ARTICLE_GROUP] =
        "SELECT translation_group FROM article WHERE id = ?1",
    [STMT_ARTICLE_INSERT] =
        "INSERT INTO article (id, lang, pos, published_at, status, kind, "
        "translation_group, revision, updated_at, created_at, slug, title, "
        "lead, author) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14)",
    [STMT_HTML_INSERT] =
        "INSERT INTO article_html (article_id, html) VALUES (?1, ?2)",
    [STMT_REVISION_INSERT] =
        "INSERT INTO revision (article_id, revision, saved_at, author, "
        "hash, note, title, lead, body) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    /* ?1 id -> the article */
    [STMT_ARTICLE_GET] = ARTICLE "WHERE a.id = ?1",
    /* -> every article in id order */
    [STMT_ARTICLE_EACH] = ARTICLE "ORDER BY a.id",
    [STMT_ARTICLE_COUNT] = "SELECT count(*) FROM article",
    /* ?1 article id -> type, name, slug in the order they were given */
    [STMT_ARTICLE_ENTITIES] =
        "SELECT e.type, e.name, e.slug FROM article_entity ae "
        "JOIN entity e ON e.id = ae.entity_id "
        "WHERE ae.article_id = ?1 ORDER BY ae.position",

    /* ?1 type, ?2 slug -> id (from the index alone) */
    [STMT_ENTITY_FIND] = "SELECT id FROM entity WHERE type = ?1 AND slug = ?2",
    /* ?1 type, ?2 slug, ?3 name -> (new id) */
    [STMT_ENTITY_INSERT] =
        "INSERT INTO entity (type, slug, name) VALUES (?1, ?2, ?3)",
    /* ?1 type, ?2 slug -> id, name, slug */
    [STMT_ENTITY_GET] =
        "SELECT id, name, slug FROM entity WHERE type = ?1 AND slug = ?2",
    /* ?1 article, ?2 entity, ?3 position; a repeated entity keeps its
     * first position */
    [STMT_LINK_INSERT] = "INSERT OR IGNORE INTO article_entity "
                         "(article_id, entity_id, position) "
                         "VALUES (?1, ?2, ?3)",

    /* ?1 lang, ?2 t -> pos, published_at of the last published item
     * before t */
    [STMT_POS_BEFORE] =
        "SELECT a.pos, a.published_at FROM article a "
        "WHERE a.lang = ?1 AND " PUBLISHED "AND a.published_at < ?2 "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
    /* ?1 lang -> published_at of its oldest published item */
    [STMT_FIRST_OF_LANG] = "SELECT a.published_at FROM article a "
                           "WHERE a.lang = ?1 AND " PUBLISHED
                           "ORDER BY a.published_at, a.id LIMIT 1",
    /* ?1 lang, ?2 lowest pos, ?3 highest pos -> summaries, newest first */
    [STMT_NEWS_RANGE] = "SELECT " SUMMARY " FROM article a "
                        "WHERE a.lang = ?1 AND a.pos IS NOT NULL "
                        "AND a.pos BETWEEN ?2 AND ?3 ORDER BY a.pos DESC",
    /* ?1 entity, ?2 lang, ?3 now, ?4 ?5 cursor (published_at, id; id 0
     * for none), ?6 limit -> summaries, newest first. The entity's links
     * drive the join (CROSS JOIN fixes the order), so a rare tag never
     * walks the whole language. */
    [STMT_ENTITY_ITEMS] =
        "SELECT " SUMMARY " FROM article_entity ae "
        "CROSS JOIN article a ON a.id = ae.article_id "
        "WHERE ae.entity_id = ?1 AND a.lang = ?2 AND " PUBLISHED
        "AND a.published_at <= ?3 "
        "AND (?5 = 0 OR (a.published_at, a.id) < (?4, ?5)) "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT ?6",
    /* ?1 entity, ?2 lang, ?3 now -> count */
    [STMT_ENTITY_COUNT] = "SELECT count(*) FROM article_entity ae "
                          "CROSS JOIN article a ON a.id = ae.article_id "
                          "WHERE ae.entity_id = ?1 AND a.lang = ?2 "
                          "AND " PUBLISHED "AND a.published_at <= ?3",
    /* ?1 group, ?2 id left out, ?3 now, ?4 limit -> summaries by lang */
    [STMT_TRANSLATIONS] = "SELECT " SUMMARY " FROM article a "
                          "WHERE a.translation_group = ?1 AND a.id <> ?2 "
                          "AND " PUBLISHED "AND a.published_at <= ?3 "
                          "ORDER BY a.lang, a.id LIMIT ?4",
    /* ?1 lang, ?2 from, ?3 to, ?4 now, ?5 limit -> summaries, newest
     * first */
    [STMT_ITEMS_BETWEEN] =
        "SELECT " SUMMARY " FROM article a "
        "WHERE a.lang = ?1 AND " PUBLISHED "AND a.published_at >= ?2 "
        "AND a.published_at < ?3 "
        "AND a.published_at <= ?4 "
        "ORDER BY a.published_at DESC, a.id DESC "
        "LIMIT ?5",
};
