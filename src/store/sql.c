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
    /* 2: the editors' side. Accounts and their sessions (the id of a
     * session is the SHA-256 of the cookie's token), the login throttle,
     * the audit log, the workflow beside an article's status (owner,
     * review, withdrawal), details of each revision (who, on which base,
     * whether readers saw it), embargo preview tokens, autosaved forms,
     * and the indexes of the editors' item list. */
    "CREATE TABLE account (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  login TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author')),\n"
    "  hash TEXT NOT NULL,\n"
    "  disabled INTEGER NOT NULL DEFAULT 0,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE session (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  user_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,\n"
    "  csrf TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL,\n"
    "  address TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX session_user ON session (user_id);\n"
    "CREATE INDEX session_expiry ON session (expires_at);\n"
    "CREATE TABLE login_throttle (\n"
    "  key TEXT PRIMARY KEY NOT NULL,\n"
    "  failures INTEGER NOT NULL,\n"
    "  first_at INTEGER NOT NULL,\n"
    "  locked_until INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE audit (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at INTEGER NOT NULL,\n"
    "  user_id INTEGER,\n"
    "  login TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  article_id INTEGER,\n"
    "  detail TEXT NOT NULL,\n"
    "  address TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX audit_article ON audit (article_id)\n"
    "  WHERE article_id IS NOT NULL;\n"
    "CREATE TABLE workflow (\n"
    "  article_id INTEGER PRIMARY KEY\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  owner_id INTEGER REFERENCES account (id),\n"
    "  submitted_at INTEGER,\n"
    "  withdrawn_at INTEGER,\n"
    "  withdrawn_note TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE INDEX workflow_owner ON workflow (owner_id);\n"
    "CREATE INDEX workflow_submitted ON workflow (submitted_at)\n"
    "  WHERE submitted_at IS NOT NULL;\n"
    "CREATE TABLE revision_info (\n"
    "  revision_id INTEGER PRIMARY KEY\n"
    "    REFERENCES revision (id) ON DELETE CASCADE,\n"
    "  user_id INTEGER,\n"
    "  public INTEGER NOT NULL,\n"
    "  base INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE preview_token (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  user_id INTEGER,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL,\n"
    "  revoked_at INTEGER\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX preview_token_article ON preview_token (article_id);\n"
    "CREATE TABLE autosave (\n"
    "  user_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,\n"
    "  article_id INTEGER NOT NULL,\n"
    "  base INTEGER NOT NULL,\n"
    "  saved_at INTEGER NOT NULL,\n"
    "  form TEXT NOT NULL,\n"
    "  PRIMARY KEY (user_id, article_id)\n"
    ") WITHOUT ROWID;\n"
    /* The item list walks article_updated newest first; drafts, items
     * under review and withdrawn ones, few among many published, have
     * a small index of their own. */
    "CREATE INDEX article_updated ON article (updated_at, id);\n"
    "CREATE INDEX article_unpublished ON article (updated_at, id)\n"
    "  WHERE status <> 'published';\n",
    /* 3: feeds, sitemaps and permanent links. article_slug keeps every
     * slug an article had before its current one; the trigger records it
     * whenever the slug changes, through whatever statement, and forgets
     * it again when the article takes it back. article_kind serves the
     * lists of a kind, article_changed a language's last change
     * (Last-Modified of lists, feeds and sitemaps), and article_map,
     * holding updated_at in list order, the newest change of a run of
     * the list (a sitemap's lastmod) without reading any article (status
     * is in it only so that the index alone answers). */
    "CREATE TABLE article_slug (\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  slug TEXT NOT NULL,\n"
    "  replaced_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (article_id, slug)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TRIGGER article_slug_history AFTER UPDATE OF slug ON article\n"
    "  WHEN old.slug <> new.slug BEGIN\n"
    "  INSERT OR REPLACE INTO article_slug (article_id, slug, replaced_at)\n"
    "    VALUES (old.id, old.slug, CAST(strftime('%s', 'now') AS INTEGER));\n"
    "  DELETE FROM article_slug\n"
    "    WHERE article_id = new.id AND slug = new.slug;\n"
    "END;\n"
    "CREATE INDEX article_kind ON article (lang, kind, published_at)\n"
    "  WHERE status = 'published';\n"
    "CREATE INDEX article_changed ON article (lang, updated_at)\n"
    "  WHERE status = 'published';\n"
    "CREATE INDEX article_map\n"
    "  ON article (lang, published_at, id, updated_at, status)\n"
    "  WHERE status = 'published';\n",
    /* 4: the search index. revision.text is the plain text of a
     * revision's body (NULL: its Markdown is indexed as it is).
     * article_fts indexes title, lead and the text of the current
     * revision through the view article_doc (external content: nothing is
     * stored twice); article_head the titles and leads alone, so that the
     * items about a common word are found without walking every item that
     * mentions it; article_vocab lists the terms for suggestions. The
     * triggers keep both in step with every statement that changes an
     * article, inside its transaction: a revision becoming current enters
     * the index once both its article row and its revision row are there,
     * and the old entry leaves first. A new article (revision 1) is
     * indexed by store_article_insert itself, when its write ends (see
     * store__search_pending). meta.search_tokenizer records the tokenizer
     * the index was built with; 0 here, so that the first writer to open
     * the file builds the index of the articles already there
     * (store__search_setup). */
    "ALTER TABLE revision ADD COLUMN text TEXT;\n"
    "CREATE VIEW article_doc AS\n"
    "  SELECT a.id AS id, a.title AS title, a.lead AS lead,\n"
    "    coalesce(r.text, r.body) AS body\n"
    "  FROM article a JOIN revision r\n"
    "    ON r.article_id = a.id AND r.revision = a.revision;\n"
    "CREATE VIRTUAL TABLE article_fts USING fts5 (title, lead, body,\n"
    "  content = 'article_doc', content_rowid = 'id',\n"
    "  tokenize = 'pressroom');\n"
    "CREATE VIRTUAL TABLE article_head USING fts5 (title, lead,\n"
    "  content = 'article', content_rowid = 'id',\n"
    "  tokenize = 'pressroom');\n"
    "CREATE VIRTUAL TABLE article_vocab USING fts5vocab (article_fts, row);\n"
    "INSERT INTO article_fts (article_fts, rank)\n"
    "  VALUES ('hashsize', 33554432);\n"
    "INSERT INTO meta (key, value) VALUES ('search_tokenizer', 0);\n"
    "CREATE TRIGGER article_fts_revision AFTER INSERT ON revision\n"
    "  WHEN new.revision > 1 AND new.revision =\n"
    "    (SELECT revision FROM article WHERE id = new.article_id) BEGIN\n"
    "  INSERT INTO article_fts (rowid, title, lead, body)\n"
    "    SELECT a.id, a.title, a.lead, coalesce(new.text, new.body)\n"
    "    FROM article a WHERE a.id = new.article_id;\n"
    "END;\n"
    "CREATE TRIGGER article_fts_text AFTER UPDATE OF text, body ON revision\n"
    "  WHEN new.revision =\n"
    "    (SELECT revision FROM article WHERE id = new.article_id) BEGIN\n"
    "  INSERT INTO article_fts (article_fts, rowid, title, lead, body)\n"
    "    SELECT 'delete', a.id, a.title, a.lead,\n"
    "      coalesce(old.text, old.body)\n"
    "    FROM article a WHERE a.id = old.article_id;\n"
    "  INSERT INTO article_fts (rowid, title, lead, body)\n"
    "    SELECT a.id, a.title, a.lead, coalesce(new.text, new.body)\n"
    "    FROM article a WHERE a.id = new.article_id;\n"
    "END;\n"
    "CREATE TRIGGER article_fts_update\n"
    "  AFTER UPDATE OF title, lead, revision ON article\n"
    "  WHEN old.title IS NOT new.title OR old.lead IS NOT new.lead\n"
    "    OR old.revision IS NOT new.revision BEGIN\n"
    "  INSERT INTO article_fts (article_fts, rowid, title, lead, body)\n"
    "    SELECT 'delete', old.id, old.title, old.lead,\n"
    "      coalesce(r.text, r.body)\n"
    "    FROM revision r\n"
    "    WHERE r.article_id = old.id AND r.revision = old.revision;\n"
    "  INSERT INTO article_fts (rowid, title, lead, body)\n"
    "    SELECT new.id, new.title, new.lead, coalesce(r.text, r.body)\n"
    "    FROM revision r\n"
    "    WHERE r.article_id = new.id AND r.revision = new.revision;\n"
    "END;\n"
    "CREATE TRIGGER article_head_update\n"
    "  AFTER UPDATE OF title, lead ON article\n"
    "  WHEN old.title IS NOT new.title OR old.lead IS NOT new.lead BEGIN\n"
    "  INSERT INTO article_head (article_head, rowid, title, lead)\n"
    "    VALUES ('delete', old.id, old.title, old.lead);\n"
    "  INSERT INTO article_head (rowid, title, lead)\n"
    "    VALUES (new.id, new.title, new.lead);\n"
    "END;\n"
    "CREATE TRIGGER article_search_delete BEFORE DELETE ON article BEGIN\n"
    "  INSERT INTO article_fts (article_fts, rowid, title, lead, body)\n"
    "    SELECT 'delete', old.id, old.title, old.lead,\n"
    "      coalesce(r.text, r.body)\n"
    "    FROM revision r\n"
    "    WHERE r.article_id = old.id AND r.revision = old.revision;\n"
    "  INSERT INTO article_head (article_head, rowid, title, lead)\n"
    "    VALUES ('delete', old.id, old.title, old.lead);\n"
    "END;\n",
    /* 5: photos. The files (the original named by its SHA-256, and the
     * renditions) live under DATA/media/; a row describes one photo of one
     * article: its place in the article's order (1 the lead photo, always
     * 1..n without gaps), the original's hash, extension, size as
     * displayed and bytes, and what the editor or the image said about it.
     * One file appears at most once in an article. photo_file answers
     * whether any article still uses a file. */
    "CREATE TABLE photo (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES article (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL CHECK (position > 0),\n"
    "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),\n"
    "  type TEXT NOT NULL CHECK (type IN ('jpg', 'png', 'webp', 'gif')),\n"
    "  width INTEGER NOT NULL CHECK (width > 0),\n"
    "  height INTEGER NOT NULL CHECK (height > 0),\n"
    "  bytes INTEGER NOT NULL,\n"
    "  caption TEXT NOT NULL,\n"
    "  credit TEXT NOT NULL,\n"
    "  alt TEXT NOT NULL,\n"
    "  licence TEXT NOT NULL,\n"
    "  taken_at INTEGER,\n"
    "  added_at INTEGER NOT NULL,\n"
    "  UNIQUE (article_id, sha256)\n"
    ");\n"
    "CREATE INDEX photo_order ON photo (article_id, position);\n"
    "CREATE INDEX photo_file ON photo (sha256);\n",
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

/* A photo, in the order photo.c reads. */
#define PHOTO                                                                  \
	"p.id, p.article_id, p.position, p.sha256, p.type, p.width, "          \
	"p.height, p.bytes, p.caption, p.credit, p.alt, p.licence, "           \
	"p.taken_at, p.added_at"

/* Published, in the words of the partial indexes article_time and
 * article_due. */
#define PUBLISHED "a.status = 'published' "

/* An editor's account, in the order account.c reads. */
#define USER                                                                   \
	"u.id, u.login, u.name, u.role, u.hash, u.disabled, u.created_at, "    \
	"u.updated_at"

/* A revision with its details, in the order edit.c reads. */
#define REVISION                                                               \
	"r.id, r.revision, r.saved_at, r.author, r.hash, r.note, "             \
	"coalesce(ri.user_id, 0), coalesce(ri.base, 0), "                      \
	"coalesce(ri.public, a.status = 'published')"
#define REVISION_FROM                                                          \
	" FROM revision r JOIN article a ON a.id = r.article_id "              \
	"LEFT JOIN revision_info ri ON ri.revision_id = r.id "

/* An item of the editors' lists, in the order items.c reads. */
#define ITEM                                                                   \
	"a.id, a.slug, a.lang, a.kind, a.title, a.author, a.status, "          \
	"a.published_at, a.updated_at, coalesce(w.submitted_at, 0), "          \
	"coalesce(w.owner_id, 0), a.revision"
#define ITEM_FROM " FROM article a LEFT JOIN workflow w ON w.article_id = a.id "
/* The filters of the item list (see STMT_ITEMS_ANY). */
#define ITEM_FILTER                                                            \
	"(a.updated_at, a.id) < (?5, ?6) "                                     \
	"AND (?1 = '' OR a.lang = ?1) AND (?2 = '' OR a.kind = ?2) "           \
	"AND (?3 = 0 OR w.owner_id = ?3) "                                     \
	"AND (?4 = '' OR instr(lower(a.title), lower(?4)) > 0) "               \
	"AND (?8 = '' "                                                        \
	"OR (?8 = 'draft' AND a.status = 'draft' "                             \
	"AND w.submitted_at IS NULL) "                                         \
	"OR (?8 = 'submitted' AND a.status = 'draft' "                         \
	"AND w.submitted_at IS NOT NULL) "                                     \
	"OR (?8 = 'scheduled' AND ((a.status = 'published' "                   \
	"AND a.published_at > ?9) OR a.status = 'scheduled')) "                \
	"OR (?8 = 'published' AND a.status = 'published' "                     \
	"AND a.published_at <= ?9) "                                           \
	"OR (?8 = 'withdrawn' AND a.status = 'withdrawn')) "

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
        "hash, note, title, lead, body, text) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
    /* accounts: ?1 login, ?2 name, ?3 role, ?4 hash, ?5 disabled, ?6 now */
    [STMT_USER_INSERT] =
        "INSERT INTO account (login, name, role, hash, disabled, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    /* ?1 id -> USER */
    [STMT_USER_GET] = "SELECT " USER " FROM account u WHERE u.id = ?1",
    /* ?1 login (lower-case) -> USER */
    [STMT_USER_FIND] = "SELECT " USER " FROM account u WHERE u.login = ?1",
    /* ?1 limit -> USER in login order */
    [STMT_USER_LIST] =
        "SELECT " USER " FROM account u ORDER BY u.login LIMIT ?1",
    /* ?1 id, ?2 value, ?3 now */
    [STMT_USER_SET_HASH] =
        "UPDATE account SET hash = ?2, updated_at = ?3 WHERE id = ?1",
    [STMT_USER_SET_ROLE] =
        "UPDATE account SET role = ?2, updated_at = ?3 WHERE id = ?1",
    [STMT_USER_SET_NAME] =
        "UPDATE account SET name = ?2, updated_at = ?3 WHERE id = ?1",
    [STMT_USER_SET_DISABLED] =
        "UPDATE account SET disabled = ?2, updated_at = ?3 WHERE id = ?1",
    [STMT_USER_COUNT_ADMINS] = "SELECT count(*) FROM account "
                               "WHERE role = 'admin' AND disabled = 0",
    /* ?1 id, ?2 user, ?3 csrf, ?4 created, ?5 expires, ?6 address */
    [STMT_SESSION_INSERT] =
        "INSERT INTO session (id, user_id, csrf, created_at, expires_at, "
        "address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* ?1 id, ?2 now -> id, csrf, user, created, expires, USER */
    [STMT_SESSION_GET] =
        "SELECT s.id, s.csrf, s.user_id, s.created_at, s.expires_at, " USER
        " FROM session s JOIN account u ON u.id = s.user_id "
        "WHERE s.id = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
    /* ?1 id */
    [STMT_SESSION_DELETE] = "DELETE FROM session WHERE id = ?1",
    /* ?1 user, ?2 the session id to keep ("" for none) */
    [STMT_SESSION_DELETE_USER] =
        "DELETE FROM session WHERE user_id = ?1 AND id <> ?2",
    /* ?1 now */
    [STMT_SESSION_PURGE] = "DELETE FROM session WHERE expires_at <= ?1",
    /* ?1 key -> failures, first_at, locked_until */
    [STMT_THROTTLE_GET] = "SELECT failures, first_at, locked_until "
                          "FROM login_throttle WHERE key = ?1",
    /* ?1 key, ?2 now, ?3 start of the window -> the record after */
    [STMT_THROTTLE_FAIL] =
        "INSERT INTO login_throttle (key, failures, first_at, "
        "locked_until) VALUES (?1, 1, ?2, 0) ON CONFLICT (key) DO UPDATE "
        "SET failures = CASE WHEN first_at < ?3 THEN 1 "
        "ELSE failures + 1 END, "
        "first_at = CASE WHEN first_at < ?3 THEN ?2 ELSE first_at END "
        "RETURNING failures, first_at, locked_until",
    /* ?1 key, ?2 until */
    [STMT_THROTTLE_LOCK] =
        "UPDATE login_throttle SET locked_until = ?2 WHERE key = ?1",
    [STMT_THROTTLE_CLEAR] = "DELETE FROM login_throttle WHERE key = ?1",

    /* ?1 at, ?2 user, ?3 login, ?4 action, ?5 article, ?6 detail,
     * ?7 address */
    [STMT_AUDIT_INSERT] =
        "INSERT INTO audit (at, user_id, login, action, article_id, "
        "detail, address) VALUES (?1, nullif(?2, 0), ?3, ?4, "
        "nullif(?5, 0), ?6, ?7)",
    /* ?1 below id, ?2 article (0 any), ?3 login ("" any), ?4 limit */
    [STMT_AUDIT_LIST] = "SELECT id, at, coalesce(user_id, 0), login, action, "
                        "coalesce(article_id, 0), detail, address FROM audit "
                        "WHERE id < ?1 AND (?2 = 0 OR article_id = ?2) "
                        "AND (?3 = '' OR login = ?3) ORDER BY id DESC LIMIT ?4",
    /* ?1 id, ?2 article, ?3 user, ?4 created, ?5 expires */
    [STMT_PREVIEW_INSERT] =
        "INSERT INTO preview_token (id, article_id, user_id, created_at, "
        "expires_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5)",
    /* ?1 id, ?2 now -> article */
    [STMT_PREVIEW_FIND] = "SELECT article_id FROM preview_token WHERE id = ?1 "
                          "AND revoked_at IS NULL AND expires_at > ?2",
    /* ?1 article, ?2 now */
    [STMT_PREVIEW_REVOKE] = "UPDATE preview_token SET revoked_at = ?2 "
                            "WHERE article_id = ?1 AND revoked_at IS NULL",
    /* ?1 article, ?2 now, ?3 limit -> tokens, newest first */
    [STMT_PREVIEW_LIST] =
        "SELECT id, article_id, coalesce(user_id, 0), created_at, "
        "expires_at FROM preview_token WHERE article_id = ?1 "
        "AND revoked_at IS NULL AND expires_at > ?2 "
        "ORDER BY created_at DESC LIMIT ?3",
    /* ?1 user, ?2 article, ?3 base, ?4 saved, ?5 form */
    [STMT_AUTOSAVE_PUT] =
        "INSERT INTO autosave (user_id, article_id, base, saved_at, form) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, article_id) "
        "DO UPDATE SET base = excluded.base, saved_at = excluded.saved_at, "
        "form = excluded.form",
    /* ?1 user, ?2 article -> base, saved_at, form */
    [STMT_AUTOSAVE_GET] = "SELECT base, saved_at, form FROM autosave "
                          "WHERE user_id = ?1 AND article_id = ?2",
    [STMT_AUTOSAVE_DELETE] =
        "DELETE FROM autosave WHERE user_id = ?1 AND article_id = ?2",

    /* ?1 id -> revision, status, lang, published_at, pos, group, slug,
     * updated_at */
    [STMT_EDIT_CURRENT] =
        "SELECT a.revision, a.status, a.lang, a.published_at, a.pos, "
        "a.translation_group, a.slug, a.updated_at FROM article a "
        "WHERE a.id = ?1",
    [STMT_EDIT_ARTICLE] =
        "UPDATE article SET lang = ?2, pos = ?3, published_at = ?4, "
        "status = ?5, kind = ?6, translation_group = ?7, revision = ?8, "
        "updated_at = ?9, slug = ?10, title = ?11, lead = ?12, "
        "author = ?13 WHERE id = ?1",
    /* ?1 id, ?2 status, ?3 pos, ?4 published_at, ?5 updated_at (NULL:
     * unchanged) */
    [STMT_EDIT_STATUS] =
        "UPDATE article SET status = ?2, pos = ?3, published_at = ?4, "
        "updated_at = coalesce(?5, updated_at) WHERE id = ?1",
    [STMT_EDIT_HTML] =
        "UPDATE article_html SET html = ?2 WHERE article_id = ?1",
    [STMT_EDIT_UNLINK] = "DELETE FROM article_entity WHERE article_id = ?1",
    /* ?1 revision row id, ?2 user, ?3 public, ?4 base */
    [STMT_REVINFO_INSERT] =
        "INSERT INTO revision_info (revision_id, user_id, public, base) "
        "VALUES (?1, nullif(?2, 0), ?3, ?4)",
    /* ?1 article, ?2 revision, ?3 user: that revision is public */
    [STMT_REVINFO_PUBLIC] =
        "INSERT INTO revision_info (revision_id, user_id, public, base) "
        "SELECT r.id, nullif(?3, 0), 1, 0 FROM revision r "
        "WHERE r.article_id = ?1 AND r.revision = ?2 "
        "ON CONFLICT (revision_id) DO UPDATE SET public = 1",
    /* ?1 article, ?2 limit -> REVISION, newest first */
    [STMT_REVISIONS] =
        "SELECT " REVISION REVISION_FROM "WHERE r.article_id = ?1 "
        "ORDER BY r.revision DESC LIMIT ?2",
    [STMT_REVISIONS_TEXT] =
        "SELECT " REVISION ", r.title, r.lead, r.body " REVISION_FROM
        "WHERE r.article_id = ?1 "
        "ORDER BY r.revision DESC LIMIT ?2",
    /* ?1 article, ?2 revision -> REVISION with its text */
    [STMT_REVISION_GET] =
        "SELECT " REVISION ", r.title, r.lead, r.body " REVISION_FROM
        "WHERE r.article_id = ?1 "
        "AND r.revision = ?2",
    /* ?1 article -> owner, submitted_at, withdrawn_at, withdrawn_note */
    [STMT_WF_GET] = "SELECT coalesce(owner_id, 0), coalesce(submitted_at, 0), "
                    "coalesce(withdrawn_at, 0), withdrawn_note FROM workflow "
                    "WHERE article_id = ?1",
    /* ?1 article, ?2 owner */
    [STMT_WF_OWNER] =
        "INSERT INTO workflow (article_id, owner_id) VALUES (?1, ?2) "
        "ON CONFLICT (article_id) DO UPDATE SET owner_id = excluded.owner_id",
    /* ?1 article, ?2 submitted_at (NULL: not under review) */
    [STMT_WF_SUBMIT] =
        "INSERT INTO workflow (article_id, submitted_at) VALUES (?1, ?2) "
        "ON CONFLICT (article_id) DO UPDATE "
        "SET submitted_at = excluded.submitted_at",
    /* ?1 article, ?2 withdrawn_at (NULL: not withdrawn), ?3 note */
    [STMT_WF_WITHDRAWN] =
        "INSERT INTO workflow (article_id, withdrawn_at, withdrawn_note) "
        "VALUES (?1, ?2, ?3) ON CONFLICT (article_id) DO UPDATE "
        "SET withdrawn_at = excluded.withdrawn_at, "
        "withdrawn_note = excluded.withdrawn_note",

    /* ?1 lang, ?2 kind, ?3 owner, ?4 title piece ("" / 0: any), ?5 ?6
     * cursor (updated_at, id), ?7 limit, ?8 state, ?9 now -> ITEM, most
     * recently changed first */
    [STMT_ITEMS_ANY] = "SELECT " ITEM ITEM_FROM "WHERE " ITEM_FILTER
                       "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?7",
    /* the same for drafts, reviews and withdrawn items, through their
     * own small index */
    [STMT_ITEMS_UNPUBLISHED] =
        "SELECT " ITEM ITEM_FROM "WHERE a.status <> 'published' "
        "AND " ITEM_FILTER "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?7",
    /* ?1 owner, ?2 now, ?3 limit */
    [STMT_DASH_MY_DRAFTS] =
        "SELECT " ITEM " FROM workflow w CROSS JOIN article a "
        "ON a.id = w.article_id WHERE w.owner_id = ?1 "
        "AND a.status = 'draft' AND ?2 = ?2 "
        "ORDER BY a.updated_at DESC LIMIT ?3",
    [STMT_DASH_REVIEW] =
        "SELECT " ITEM " FROM workflow w CROSS JOIN article a "
        "ON a.id = w.article_id WHERE w.submitted_at IS NOT NULL "
        "AND a.status = 'draft' AND ?1 = ?1 AND ?2 = ?2 "
        "ORDER BY w.submitted_at LIMIT ?3",
    [STMT_DASH_SCHEDULED] = "SELECT " ITEM ITEM_FROM "WHERE " PUBLISHED
                            "AND a.published_at > ?2 AND ?1 = ?1 "
                            "ORDER BY a.published_at LIMIT ?3",
    [STMT_DASH_RECENT] = "SELECT " ITEM ITEM_FROM "WHERE " PUBLISHED
                         "AND a.published_at <= ?2 AND ?1 = ?1 "
                         "ORDER BY a.published_at DESC LIMIT ?3",
    /* ?1 the language missing, ?2 now, ?3 limit */
    [STMT_DASH_UNTRANSLATED] =
        "SELECT " ITEM ITEM_FROM "WHERE " PUBLISHED
        "AND a.published_at <= ?2 AND a.published_at > ?2 - 2592000 "
        "AND a.lang <> ?1 AND NOT EXISTS (SELECT 1 FROM article b "
        "WHERE b.translation_group = a.translation_group "
        "AND b.lang = ?1) ORDER BY a.published_at DESC LIMIT ?3",
    /* ?1 type, ?2 limit -> names in order */
    [STMT_ENTITY_NAMES] = "SELECT name FROM entity WHERE type = ?1 "
                          "ORDER BY name LIMIT ?2",

    /* feeds, sitemaps and permanent links (feed.c, sitemap.c, slug.c) */
    /* ?1 lang, ?2 latest published_at, ?3 ?4 cursor (published_at, id;
     * id 0 for none), ?5 limit -> summaries, newest first */
    [STMT_LANG_ITEMS] =
        "SELECT " SUMMARY " FROM article a "
        "WHERE a.lang = ?1 AND " PUBLISHED "AND a.published_at <= ?2 "
        "AND (?4 = 0 OR (a.published_at, a.id) < (?3, ?4)) "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT ?5",
    /* ?1 lang, ?2 kind, ?3 latest published_at, ?4 ?5 cursor, ?6 limit
     * -> summaries, newest first */
    [STMT_KIND_ITEMS] = "SELECT " SUMMARY " FROM article a "
                        "WHERE a.lang = ?1 AND a.kind = ?2 AND " PUBLISHED
                        "AND a.published_at <= ?3 "
                        "AND (?5 = 0 OR (a.published_at, a.id) < (?4, ?5)) "
                        "ORDER BY a.published_at DESC, a.id DESC LIMIT ?6",
    /* ?1 lang, ?2 kind, ?3 now -> count */
    [STMT_KIND_COUNT] = "SELECT count(*) FROM article a "
                        "WHERE a.lang = ?1 AND a.kind = ?2 AND " PUBLISHED
                        "AND a.published_at <= ?3",
    /* ?1 lang, ?2 kind, ?3 now, ?4 limit, ?5 offset -> summaries, oldest
     * first */
    [STMT_KIND_OLDEST] = "SELECT " SUMMARY " FROM article a "
                         "WHERE a.lang = ?1 AND a.kind = ?2 AND " PUBLISHED
                         "AND a.published_at <= ?3 "
                         "ORDER BY a.published_at, a.id LIMIT ?4 OFFSET ?5",
    /* ?1 entity, ?2 lang, ?3 now, ?4 limit, ?5 offset -> summaries,
     * oldest first */
    [STMT_ENTITY_OLDEST] =
        "SELECT " SUMMARY " FROM article_entity ae "
        "CROSS JOIN article a ON a.id = ae.article_id "
        "WHERE ae.entity_id = ?1 AND a.lang = ?2 AND " PUBLISHED
        "AND a.published_at <= ?3 "
        "ORDER BY a.published_at, a.id LIMIT ?4 OFFSET ?5",
    /* ?1 lang, ?2 now -> the newest updated_at of its visible items */
    [STMT_LANG_CHANGED] =
        "SELECT a.updated_at FROM article a "
        "INDEXED BY article_changed "
        "WHERE a.lang = ?1 AND " PUBLISHED "AND a.published_at <= ?2 "
        "ORDER BY a.updated_at DESC LIMIT 1",
    /* ?1 lang, ?2 list position -> published_at, id */
    [STMT_POS_AT] = "SELECT a.published_at, a.id FROM article a "
                    "WHERE a.lang = ?1 AND a.pos IS NOT NULL "
                    "AND a.pos = ?2",
    /* ?1 lang, ?2 ?3 first (published_at, id), ?4 ?5 last -> the newest
     * updated_at between them, from the index article_map alone */
    [STMT_MAX_UPDATED] =
        "SELECT max(a.updated_at) FROM article a INDEXED BY article_map "
        "WHERE a.lang = ?1 AND " PUBLISHED
        "AND a.published_at BETWEEN ?2 AND ?4 "
        "AND (a.published_at, a.id) >= (?2, ?3) "
        "AND (a.published_at, a.id) <= (?4, ?5)",
    /* ?1 id, ?2 slug (the trigger keeps the old one) */
    [STMT_SLUG_SET] = "UPDATE article SET slug = ?2 WHERE id = ?1",
    /* ?1 id -> its earlier slugs, the latest replaced first */
    [STMT_SLUG_HISTORY] = "SELECT slug FROM article_slug "
                          "WHERE article_id = ?1 "
                          "ORDER BY replaced_at DESC, slug",

    /* photos (photo.c) */
    /* ?1 article, ?2 sha256 -> id, position */
    [STMT_PHOTO_FIND] = "SELECT id, position FROM photo "
                        "WHERE article_id = ?1 AND sha256 = ?2",
    /* ?1 article -> how many photos it has */
    [STMT_PHOTO_COUNT] = "SELECT count(*) FROM photo WHERE article_id = ?1",
    [STMT_PHOTO_INSERT] =
        "INSERT INTO photo (article_id, position, sha256, type, width, "
        "height, bytes, caption, credit, alt, licence, taken_at, added_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    /* ?1 article, ?2 limit -> PHOTO in order */
    [STMT_PHOTOS_OF] = "SELECT " PHOTO " FROM photo p "
                       "WHERE p.article_id = ?1 "
                       "ORDER BY p.position, p.id LIMIT ?2",
    /* ?1 article -> PHOTO of its lead photo */
    [STMT_PHOTO_LEAD] = "SELECT " PHOTO " FROM photo p "
                        "WHERE p.article_id = ?1 AND p.position = 1",
    /* ?1 id, ?2 article, ?3 caption, ?4 credit, ?5 alt, ?6 licence,
     * ?7 taken_at (NULL: unknown) */
    [STMT_PHOTO_UPDATE] =
        "UPDATE photo SET caption = ?3, credit = ?4, alt = ?5, "
        "licence = ?6, taken_at = ?7 WHERE id = ?1 AND article_id = ?2",
    /* ?1 id, ?2 article -> position */
    [STMT_PHOTO_POSITION] =
        "SELECT position FROM photo WHERE id = ?1 AND article_id = ?2",
    /* ?1 id, ?2 article, ?3 position */
    [STMT_PHOTO_SET_POSITION] =
        "UPDATE photo SET position = ?3 WHERE id = ?1 AND article_id = ?2",
    /* ?1 article, positions ?2 to ?3 move by ?4 */
    [STMT_PHOTO_SHIFT] = "UPDATE photo SET position = position + ?4 "
                         "WHERE article_id = ?1 "
                         "AND position BETWEEN ?2 AND ?3",
    /* ?1 id, ?2 article */
    [STMT_PHOTO_DELETE] = "DELETE FROM photo WHERE id = ?1 AND article_id = ?2",
    /* ?1 sha256 -> a row when some article uses the file */
    [STMT_PHOTO_USED] = "SELECT 1 FROM photo WHERE sha256 = ?1 LIMIT 1",
    /* -> PHOTO of every photo, by article and position */
    [STMT_PHOTO_EACH] = "SELECT " PHOTO " FROM photo p "
                        "ORDER BY p.article_id, p.position",

    /* ?1 struct search_tf *, ?2 match, ?3 rowid bound -> one row a match
     * below the bound, newest id first; pressroom_tf fills ?1 */
    [STMT_SEARCH_SCAN] =
        "SELECT pressroom_tf(article_fts, ?1) FROM article_fts "
        "WHERE article_fts MATCH ?2 AND rowid < ?3 ORDER BY rowid DESC",
    /* the same over titles and leads */
    [STMT_SEARCH_HEAD] =
        "SELECT pressroom_tf(article_head, ?1) FROM article_head "
        "WHERE article_head MATCH ?2 AND rowid < ?3 ORDER BY rowid DESC",
    /* ?1 match, ?2 lowest id, ?3 id bound -> rowid of each match, in
     * id order (FTS5 seeks forwards better than backwards) */
    [STMT_SEARCH_WINDOW] =
        "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1 "
        "AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid",
    /* ?1 match of one phrase, ?2 lowest id, ?3 id bound -> matches */
    [STMT_SEARCH_DF_RANGE] =
        "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1 "
        "AND rowid >= ?2 AND rowid < ?3",
    /* ?1 match of one phrase, ?2 limit -> matches, counted up to it */
    [STMT_SEARCH_DF_UPTO] = "SELECT count(*) FROM (SELECT 1 FROM article_fts "
                            "WHERE article_fts MATCH ?1 LIMIT ?2)",
    /* -> what searches filter and count on, of every article by id */
    [STMT_SEARCH_META] = "SELECT a.id, a.lang, a.kind, a.status = 'published', "
                         "a.published_at FROM article a ORDER BY a.id",
    /* -> id, sizes of title, lead and body in tokens (FTS5 varints) */
    [STMT_SEARCH_SIZES] = "SELECT id, sz FROM article_fts_docsize ORDER BY id",
    /* -> article, entity of every link, by article */
    [STMT_SEARCH_LINKS] = "SELECT article_id, entity_id FROM article_entity "
                          "ORDER BY article_id",
    /* -> id, type of every entity */
    [STMT_SEARCH_ENTITIES] = "SELECT id, type FROM entity ORDER BY id",
    /* ?1 id -> name, slug */
    [STMT_SEARCH_ENTITY] = "SELECT name, slug FROM entity WHERE id = ?1",
    /* ?1 id -> summary and the text of its current revision */
    [STMT_SEARCH_HIT] =
        "SELECT " SUMMARY ", coalesce(r.text, r.body) FROM article a "
        "JOIN revision r ON r.article_id = a.id AND r.revision = a.revision "
        "WHERE a.id = ?1",
    [STMT_SEARCH_VERSION] =
        "SELECT value FROM meta WHERE key = 'search_tokenizer'",
    /* ?1 version */
    [STMT_SEARCH_SET_VERSION] = "INSERT OR REPLACE INTO meta (key, value) "
                                "VALUES ('search_tokenizer', ?1)",
    /* empty an index (to fill it again from scratch) */
    [STMT_SEARCH_CLEAR] =
        "INSERT INTO article_fts (article_fts) VALUES ('delete-all')",
    [STMT_SEARCH_CLEAR_HEAD] =
        "INSERT INTO article_head (article_head) VALUES ('delete-all')",
    /* -> the id of every article */
    [STMT_SEARCH_IDS] = "SELECT id FROM article ORDER BY id",
    /* ?1 after this article id, ?2 limit -> revision row id, Markdown,
     * text of current revisions in article order */
    [STMT_SEARCH_TEXTS] =
        "SELECT r.id, a.id, r.body, r.text FROM article a "
        "JOIN revision r ON r.article_id = a.id AND r.revision = a.revision "
        "WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
    /* ?1 revision row id, ?2 text */
    [STMT_SEARCH_SET_TEXT] = "UPDATE revision SET text = ?2 WHERE id = ?1",
    /* -> an article missing from one of the indexes: table, id */
    [STMT_SEARCH_MISSING] =
        "SELECT 'article_fts', a.id FROM article a WHERE NOT EXISTS "
        "(SELECT 1 FROM article_fts_docsize d WHERE d.id = a.id) "
        "UNION ALL SELECT 'article_head', a.id FROM article a "
        "WHERE NOT EXISTS (SELECT 1 FROM article_head_docsize d "
        "WHERE d.id = a.id) LIMIT 1",
    /* -> an index row of no article: table, id */
    [STMT_SEARCH_STRAY] =
        "SELECT 'article_fts', d.id FROM article_fts_docsize d "
        "WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = d.id) "
        "UNION ALL SELECT 'article_head', d.id FROM article_head_docsize d "
        "WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = d.id) "
        "LIMIT 1",
    /* FTS5's check of each index against the articles (a write
     * statement that writes nothing) */
    [STMT_SEARCH_CHECK] = "INSERT INTO article_fts (article_fts, rank) "
                          "VALUES ('integrity-check', 1)",
    [STMT_SEARCH_CHECK_HEAD] = "INSERT INTO article_head (article_head, rank) "
                               "VALUES ('integrity-check', 1)",
    /* ?1 id, ?2 title, ?3 lead, ?4 text of the body: a new article
     * enters the index (see migration 4) */
    [STMT_SEARCH_INSERT] = "INSERT INTO article_fts (rowid, title, lead, "
                           "body) VALUES (?1, ?2, ?3, ?4)",
    [STMT_SEARCH_INSERT_HEAD] = "INSERT INTO article_head (rowid, title, "
                                "lead) VALUES (?1, ?2, ?3)",
    /* ?1 id -> title, lead, text as the index holds them */
    [STMT_SEARCH_DOC] =
        "SELECT title, lead, body FROM article_doc WHERE id = ?1",
};
