/*
 * Unit tests of src/store: every kind of bad database file at open,
 * articles in and out, the lists and the archive against a model, deferred
 * renumbering, rollback and injected faults, backups while others read and
 * write, the checks and the query plans of the list statements.
 */
#include "search/search.h"
#include "store/store_int.h"
#include "test.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static char dbpath[128];

static void dir_new(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_store.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(dbpath, sizeof(dbpath), "%s/site.db", dir);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(p);
}

static void dir_free(void)
{
	chmod(dir, 0700);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct store *fresh(void)
{
	struct pr_error e = {0};
	struct store *s = NULL;

	dir_new();
	CHECK_INT(store_open(&s, dbpath, STORE_CREATE, &e), PR_OK);
	if (s == NULL) {
		fprintf(stderr, "open: %s\n", e.msg);
		exit(1);
	}
	return s;
}

static void done(struct store *s)
{
	store_close(s);
	dir_free();
}

static struct article make(int64_t id, const char *lang, int64_t at)
{
	struct article a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.lang = lang;
	a.title = "A title";
	a.lead = "A lead";
	a.body = "Body *in* Markdown";
	a.body_html = "<p>Body <em>in</em> Markdown</p>";
	a.status = ARTICLE_PUBLISHED;
	a.published_at = at;
	return a;
}

/* Inserts a, which must succeed; returns its id. */
static int64_t put(struct store *s, struct article a)
{
	struct pr_error e = {0};

	if (store_article_insert(s, &a, &e) != PR_OK) {
		fprintf(stderr, "insert: %s\n", e.msg);
		test_current_failed = 1;
	}
	return a.id;
}

static int64_t count(struct store *s)
{
	int64_t n = -1;

	CHECK_INT(store_article_count(s, &n, NULL), PR_OK);
	return n;
}

static int64_t generation(struct store *s, int64_t now, int64_t *due)
{
	int64_t gen = -1, next = 0;

	CHECK_INT(store_generation(s, now, &gen, &next, NULL), PR_OK);
	if (due != NULL)
		*due = next;
	return gen;
}

static bool contains(const char *msg, const char *part)
{
	if (strstr(msg, part) != NULL)
		return true;
	fprintf(stderr, "message \"%s\" lacks \"%s\"\n", msg, part);
	return false;
}

/* Another connection to the test database, as another process has. */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		test_current_failed = 1;
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int raw_exec(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	return rc;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t query(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path);
	int64_t v = raw_int(db, sql);

	sqlite3_close(db);
	return v;
}

/* A digest of every committed row of every table, as another connection
 * sees them: equal digests mean the same database content. */
static uint64_t snapshot(void)
{
	static const char *const sql[] = {
	    "SELECT * FROM meta ORDER BY 1",
	    "SELECT * FROM article ORDER BY 1",
	    "SELECT * FROM article_html ORDER BY 1",
	    "SELECT * FROM revision ORDER BY 1",
	    "SELECT * FROM entity ORDER BY 1",
	    "SELECT * FROM article_entity ORDER BY 1, 2",
	};
	sqlite3 *db = raw_open(dbpath);
	sqlite3_stmt *st;
	uint64_t h = 0;
	size_t i;
	int c;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		st = NULL;
		if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
			test_current_failed = 1;
		while (st != NULL && sqlite3_step(st) == SQLITE_ROW)
			for (c = 0; c < sqlite3_column_count(st); c++) {
				const void *p = sqlite3_column_text(st, c);
				h = hash64(p ? p : "\1", p ? strlen(p) : 1,
				           h + 1);
			}
		sqlite3_finalize(st);
		h = hash64("|", 1, h);
	}
	sqlite3_close(db);
	return h;
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* Opening */

static void test_open_create(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();

	CHECK_INT(store_schema_version(), store__n_migrations);
	CHECK_INT(query(dbpath, "PRAGMA user_version"), store_schema_version());
	CHECK_INT(query(dbpath, "PRAGMA application_id"), STORE_APPLICATION_ID);
	CHECK_INT(raw_int(s->db, "PRAGMA foreign_keys"), 1);
	CHECK_INT(raw_int(s->db, "PRAGMA busy_timeout"), STORE_BUSY_MS);
	CHECK_INT(generation(s, 0, NULL), 1);
	CHECK_INT(store_check(s, &e), PR_OK);
	store_close(s);
	s = NULL;
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_OK);
	CHECK(s != NULL);
	store_close(s);
	CHECK_INT(store_open(&s, dbpath, STORE_READONLY, &e), PR_OK);
	if (s != NULL) {
		struct article a = make(0, "en", 1000);
		CHECK_INT(store_article_insert(s, &a, &e), PR_READONLY);
	}
	done(s);
}

static void test_open_missing(void)
{
	struct pr_error e = {0};
	struct store *s = (struct store *)1;
	int fd;

	dir_new();
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_NOTFOUND);
	CHECK(s == NULL);
	CHECK(contains(e.msg, dbpath));
	CHECK(contains(e.msg, "pressroom init"));
	pr_error_clear(&e);
	CHECK_INT(store_open(&s, dbpath, STORE_READONLY | STORE_CREATE, &e),
	          PR_NOTFOUND);
	pr_error_clear(&e);
	CHECK_INT(store_open(&s, "/nonexistent-dir/x.db", STORE_CREATE, &e),
	          PR_NOTFOUND);
	CHECK(contains(e.msg, "/nonexistent-dir"));
	pr_error_clear(&e);
	CHECK_INT(store_open(&s, dir, STORE_CREATE, &e), PR_INVALID);
	CHECK(contains(e.msg, "folder"));
	pr_error_clear(&e);
	/* An empty file is a database without a site yet. */
	fd = open(dbpath, O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_NOTFOUND);
	CHECK(contains(e.msg, "pressroom init"));
	CHECK_INT(store_open(&s, dbpath, STORE_CREATE, &e), PR_OK);
	store_close(s);
	dir_free();
}

static void test_open_newer(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	sqlite3 *db;
	char v[16];

	store_close(s);
	db = raw_open(dbpath);
	CHECK_INT(raw_exec(db, "PRAGMA user_version = 99"), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_VERSION);
	CHECK(s == NULL);
	CHECK(contains(e.msg, dbpath));
	CHECK(contains(e.msg, "99"));
	snprintf(v, sizeof(v), "%d", store_schema_version());
	CHECK(contains(e.msg, v));
	CHECK(contains(e.msg, "newer"));
	dir_free();
}

static void test_open_foreign(void)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	sqlite3 *db;

	dir_new();
	db = raw_open(dbpath);
	CHECK_INT(raw_exec(db, "CREATE TABLE notes (x)"), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&s, dbpath, STORE_CREATE, &e), PR_INVALID);
	CHECK(contains(e.msg, "another application"));
	dir_free();
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(fwrite(p, 1, n, f) == n);
		fclose(f);
	}
}

static void test_open_corrupt(void)
{
	unsigned char junk[16384];
	struct pr_error e = {0};
	struct store *s = NULL;
	size_t i;

	dir_new();
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rnd(256);
	write_file(dbpath, junk, sizeof(junk));
	CHECK_INT(store_open(&s, dbpath, STORE_CREATE, &e), PR_CORRUPT);
	CHECK(s == NULL);
	CHECK(contains(e.msg, dbpath));
	pr_error_clear(&e);
	write_file(dbpath, "SQLite format 3", 16);
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_CORRUPT);
	dir_free();
}

/* A database with n articles, closed. */
static void populate(int n)
{
	struct store *s = fresh();
	char body[2000];
	int i;

	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	for (i = 1; i <= n; i++) {
		struct article a = make(i, i % 3 ? "en" : "ru", 1000 * i);
		a.body = body;
		put(s, a);
	}
	store_close(s);
}

static void test_open_truncated(void)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	struct stat st;

	populate(300);
	CHECK(stat(dbpath, &st) == 0);
	CHECK(st.st_size > 100000);
	CHECK(truncate(dbpath, st.st_size / 2) == 0);
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_CORRUPT);
	CHECK(contains(e.msg, dbpath));
	store_close(s);
	dir_free();
}

/* Garbage over pages in the middle: the header is fine, so the file
 * opens, and the check finds the damage. */
static void test_check_damage(void)
{
	char junk[8192];
	struct pr_error e = {0};
	struct store *s = NULL;
	struct stat st;
	enum pr_err rc;
	int fd;

	populate(300);
	memset(junk, 0x5a, sizeof(junk));
	CHECK(stat(dbpath, &st) == 0);
	fd = open(dbpath, O_WRONLY);
	CHECK(pwrite(fd, junk, sizeof(junk), st.st_size / 2) ==
	      (ssize_t)sizeof(junk));
	close(fd);
	rc = store_open(&s, dbpath, 0, &e);
	if (rc == PR_OK)
		rc = store_check(s, &e);
	CHECK_INT(rc, PR_CORRUPT);
	CHECK(contains(e.msg, dbpath));
	store_close(s);
	dir_free();
}

static void test_open_locked(void)
{
	struct pr_error e = {0};
	struct store *s = fresh(), *s2 = NULL;
	struct article a = make(0, "en", 1000);
	sqlite3 *db;

	store_close(s);
	/* A writer in exclusive locking mode keeps everyone out. */
	db = raw_open(dbpath);
	CHECK_INT(raw_exec(db, "PRAGMA locking_mode = EXCLUSIVE; "
	                       "BEGIN IMMEDIATE; "
	                       "UPDATE meta SET value = value; COMMIT"),
	          SQLITE_OK);
	CHECK_INT(store__open(&s, dbpath, 0, 100, &e), PR_BUSY);
	CHECK(s == NULL);
	CHECK(contains(e.msg, dbpath));
	CHECK(contains(e.msg, "locked"));
	sqlite3_close(db);
	/* A write while another connection writes. */
	CHECK_INT(store__open(&s2, dbpath, 0, 100, &e), PR_OK);
	db = raw_open(dbpath);
	CHECK_INT(raw_exec(db, "BEGIN IMMEDIATE"), SQLITE_OK);
	pr_error_clear(&e);
	CHECK_INT(store_article_insert(s2, &a, &e), PR_BUSY);
	CHECK(contains(e.msg, dbpath));
	pr_error_clear(&e);
	CHECK_INT(store_begin(s2, &e), PR_BUSY);
	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	CHECK_INT(store_article_insert(s2, &a, &e), PR_OK);
	done(s2);
}

/* Runs in a child without root's powers: a read-only file, a read-only
 * folder. Returns a bit for each expectation that failed. */
static int readonly_child(void)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	char other[160];
	int bad = 0;

	if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 64;
	chmod(dbpath, 0444);
	if (store_open(&s, dbpath, 0, &e) != PR_READONLY ||
	    strstr(e.msg, dbpath) == NULL)
		bad |= 1;
	fprintf(stderr, "read-only file: %s\n", e.msg);
	store_close(s);
	s = NULL;
	pr_error_clear(&e);
	snprintf(other, sizeof(other), "%s/new.db", dir);
	if (store_open(&s, other, STORE_CREATE, &e) != PR_READONLY)
		bad |= 2;
	fprintf(stderr, "read-only folder, new file: %s\n", e.msg);
	store_close(s);
	s = NULL;
	pr_error_clear(&e);
	return bad;
}

static int writable_file_child(void)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	int bad = 0;

	if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 64;
	if (store_open(&s, dbpath, 0, &e) != PR_READONLY ||
	    strstr(e.msg, "folder") == NULL)
		bad |= 4;
	fprintf(stderr, "read-only folder, writable file: %s\n", e.msg);
	store_close(s);
	return bad;
}

static int run_child(int (*fn)(void))
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_open_readonly(void)
{
	struct store *s = fresh();

	put(s, make(0, "en", 1000));
	store_close(s);
	CHECK(chmod(dir, 0755) == 0);
	CHECK_INT(run_child(readonly_child), 0);
	CHECK(chmod(dbpath, 0666) == 0);
	CHECK(chmod(dir, 0555) == 0);
	CHECK_INT(run_child(writable_file_child), 0);
	dir_free();
}

/* Articles */

static void test_insert_get(void)
{
	const char *tags[] = {"Ecology", "Budget"};
	const char *persons[] = {"Igor Krasnov"};
	const char *places[] = {"Москва", "Nur-Sultan"};
	struct arena *ar = arena_new(1 << 20);
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a = make(0, "en", 1637227800), b;
	char hex[65];
	uint8_t h[32];
	sqlite3 *db;

	a.title = "Снижение выбросов: итоги";
	a.lead = "Лид";
	a.body = "Текст";
	a.author = "Press office";
	a.kind = "statement";
	a.updated_at = 1637238600;
	a.entities[ENTITY_TAG] = (struct names){2, tags, NULL};
	a.entities[ENTITY_PERSON] = (struct names){1, persons, NULL};
	a.entities[ENTITY_PLACE] = (struct names){2, places, NULL};
	CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	CHECK_INT(a.id, 1);
	CHECK_INT(a.revision, 1);
	CHECK_INT(a.translation_group, 1);
	CHECK_INT(store_article_get(s, ar, 1, &b, &e), PR_OK);
	CHECK_INT(b.id, 1);
	CHECK_STR(b.slug, "snizhenie-vybrosov-itogi");
	CHECK_STR(b.lang, "en");
	CHECK_STR(b.kind, "statement");
	CHECK_STR(b.title, a.title);
	CHECK_STR(b.lead, "Лид");
	CHECK_STR(b.body, "Текст");
	CHECK_STR(b.body_html, a.body_html);
	CHECK_STR(b.author, "Press office");
	CHECK_INT(b.status, ARTICLE_PUBLISHED);
	CHECK_INT(b.translation_of, 0);
	CHECK_INT(b.translation_group, 1);
	CHECK_INT(b.published_at, 1637227800);
	CHECK_INT(b.updated_at, 1637238600);
	CHECK_INT(b.revision, 1);
	CHECK_INT(b.entities[ENTITY_TAG].n, 2);
	CHECK_STR(b.entities[ENTITY_TAG].name[0], "Ecology");
	CHECK_STR(b.entities[ENTITY_TAG].slug[1], "budget");
	CHECK_STR(b.entities[ENTITY_PERSON].slug[0], "igor-krasnov");
	CHECK_INT(b.entities[ENTITY_PLACE].n, 2);
	CHECK_STR(b.entities[ENTITY_PLACE].name[0], "Москва");
	CHECK_STR(b.entities[ENTITY_PLACE].slug[0], "moskva");
	CHECK_STR(b.entities[ENTITY_PLACE].slug[1], "nur-sultan");
	/* The first revision holds the Markdown and the content hash. */
	db = raw_open(dbpath);
	CHECK_INT(raw_int(db, "SELECT count(*) FROM revision WHERE "
	                      "article_id = 1 AND revision = 1 AND "
	                      "body = 'Текст' AND author = 'Press office'"),
	          1);
	hash_sha256("Снижение выбросов: итоги\0Лид\0Текст",
	            strlen("Снижение выбросов: итоги") + 1 + strlen("Лид") + 1 +
	                strlen("Текст"),
	            h);
	hash_hex(h, 32, hex);
	{
		char sql[200];
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM revision WHERE hash = '%s'",
		         hex);
		CHECK_INT(raw_int(db, sql), 1);
	}
	sqlite3_close(db);
	pr_error_clear(&e);
	CHECK_INT(store_article_get(s, ar, 99, &b, &e), PR_NOTFOUND);
	CHECK(contains(e.msg, "99"));
	/* A draft keeps its given slug and gets the next id. */
	a = make(0, "en", 1000);
	a.status = ARTICLE_DRAFT;
	a.slug = "own-slug";
	CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	CHECK_INT(a.id, 2);
	CHECK_INT(store_article_get(s, ar, 2, &b, &e), PR_OK);
	CHECK_STR(b.slug, "own-slug");
	CHECK_STR(b.kind, "news");
	CHECK_INT(b.status, ARTICLE_DRAFT);
	CHECK_INT(b.updated_at, 1000);
	CHECK_INT(count(s), 2);
	arena_free(ar);
	done(s);
}

static void test_insert_invalid(void)
{
	const char *empty[] = {"ok", "  "};
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a;

	a = make(0, "EN", 1000);
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	CHECK(contains(e.msg, "lang"));
	pr_error_clear(&e);
	a = make(0, "en", 1000);
	a.kind = "blog";
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	CHECK(contains(e.msg, "blog"));
	pr_error_clear(&e);
	a = make(7, "en", 1000);
	a.title = "";
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	CHECK(contains(e.msg, "article 7: title"));
	pr_error_clear(&e);
	a = make(0, "en", 1000);
	a.slug = "Not A Slug";
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	pr_error_clear(&e);
	a = make(0, "en", INT64_MAX);
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	pr_error_clear(&e);
	a = make(0, "en", 1000);
	a.body = NULL;
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	pr_error_clear(&e);
	a = make(0, "en", 1000);
	a.entities[ENTITY_TAG] = (struct names){2, empty, NULL};
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	CHECK(contains(e.msg, "tag 2"));
	pr_error_clear(&e);
	a = make(0, "en", 1000);
	a.status = (enum article_status)9;
	CHECK_INT(store_article_insert(s, &a, &e), PR_INVALID);
	CHECK_INT(count(s), 0);
	CHECK_INT(generation(s, 0, NULL), 1);
	done(s);
}

static void test_conflict(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a = make(123, "en", 1000);

	put(s, a);
	CHECK_INT(store_article_insert(s, &a, &e), PR_CONFLICT);
	CHECK_STR(e.msg, "article id 123 already exists");
	CHECK_INT(count(s), 1);
	CHECK_INT(store_check(s, NULL), PR_OK);
	/* Assigned ids continue after the highest. */
	a = make(0, "en", 2000);
	CHECK_INT(store_article_insert(s, &a, NULL), PR_OK);
	CHECK_INT(a.id, 124);
	done(s);
}

static void test_translations(void)
{
	struct arena *ar = arena_new(1 << 20);
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a = make(10, "en", 1000), b;
	struct article_list l;

	put(s, a);
	a = make(11, "ru", 1000);
	a.translation_of = 10;
	put(s, a);
	a = make(12, "kk", 1000);
	a.translation_of = 11;
	CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	CHECK_INT(a.translation_group, 10);
	a = make(13, "de", 5000);
	a.translation_of = 10;
	put(s, a); /* not visible at now = 2000 */
	a = make(14, "fr", 1000);
	a.translation_of = 77;
	CHECK_INT(store_article_insert(s, &a, &e), PR_NOTFOUND);
	CHECK(contains(e.msg, "translation_of"));
	CHECK(contains(e.msg, "77"));
	CHECK_INT(store_article_get(s, ar, 12, &b, NULL), PR_OK);
	CHECK_INT(b.translation_of, 10);
	CHECK_INT(b.translation_group, 10);
	CHECK_INT(store_article_get(s, ar, 10, &b, NULL), PR_OK);
	CHECK_INT(b.translation_of, 0);
	CHECK_INT(store_translations(s, ar, 10, 10, 2000, &l, NULL), PR_OK);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.total, 2);
	if (l.n == 2) {
		CHECK_STR(l.items[0].lang, "kk");
		CHECK_INT(l.items[1].id, 11);
	}
	CHECK_INT(store_translations(s, ar, 10, 11, 9000, &l, NULL), PR_OK);
	CHECK_INT(l.n, 3);
	arena_free(ar);
	done(s);
}

static void test_entities(void)
{
	const char *t1[] = {"Ecology", "Budget"};
	const char *t2[] = {"ECOLOGY", "Écology", "Zeta", "Alpha"};
	struct arena *ar = arena_new(1 << 20);
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a = make(1, "en", 1000), b;
	struct article_list l;
	struct entity en;
	struct cursor none = {0, 0};

	a.entities[ENTITY_TAG] = (struct names){2, t1, NULL};
	put(s, a);
	a = make(2, "en", 2000);
	a.entities[ENTITY_TAG] = (struct names){4, t2, NULL};
	put(s, a);
	CHECK_INT(raw_int(s->db, "SELECT count(*) FROM entity"), 4);
	CHECK_INT(store_article_get(s, ar, 2, &b, NULL), PR_OK);
	CHECK_INT(b.entities[ENTITY_TAG].n, 3);
	if (b.entities[ENTITY_TAG].n == 3) {
		CHECK_STR(b.entities[ENTITY_TAG].name[0], "Ecology");
		CHECK_STR(b.entities[ENTITY_TAG].name[1], "Zeta");
		CHECK_STR(b.entities[ENTITY_TAG].name[2], "Alpha");
	}
	CHECK_INT(
	    store_entity_get(s, ar, ENTITY_TAG, STR_LIT("ecology"), &en, &e),
	    PR_OK);
	CHECK_STR(en.name, "Ecology");
	CHECK_INT(en.type, ENTITY_TAG);
	CHECK_INT(
	    store_entity_items(s, ar, en.id, "en", 5000, none, 10, &l, NULL),
	    PR_OK);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.total, 2);
	CHECK(!l.has_more);
	if (l.n == 2)
		CHECK_INT(l.items[0].id, 2);
	CHECK_INT(
	    store_entity_get(s, ar, ENTITY_PERSON, STR_LIT("ecology"), &en, &e),
	    PR_NOTFOUND);
	CHECK(contains(e.msg, "person"));
	arena_free(ar);
	done(s);
}

static void test_entity_paging(void)
{
	const char *tag[] = {"Paged"};
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct article_list l;
	struct entity en;
	struct cursor c = {0, 0};
	int64_t seen[40];
	int i, n = 0, pages = 0;

	for (i = 1; i <= 25; i++) {
		struct article a = make(i, "en", 1000 + 10 * (i / 3));
		a.entities[ENTITY_TAG] = (struct names){1, tag, NULL};
		put(s, a);
	}
	put(s, make(30, "en", 5000)); /* untagged */
	CHECK_INT(
	    store_entity_get(s, ar, ENTITY_TAG, STR_LIT("paged"), &en, NULL),
	    PR_OK);
	do {
		CHECK_INT(store_entity_items(s, ar, en.id, "en", 99999, c, 10,
		                             &l, NULL),
		          PR_OK);
		CHECK_INT(l.total, 25);
		for (i = 0; i < (int)l.n && n < 40; i++)
			seen[n++] = l.items[i].id;
		if (l.n > 0)
			c = (struct cursor){l.items[l.n - 1].published_at,
			                    l.items[l.n - 1].id};
		pages++;
	} while (l.has_more && pages < 10);
	CHECK_INT(pages, 3);
	CHECK_INT(n, 25);
	for (i = 0; i < n; i++)
		CHECK_INT(seen[i], 25 - i);
	arena_free(ar);
	done(s);
}

struct each_ctx {
	int64_t ids[10];
	int n, stop_at;
};

static enum pr_err each_fn(void *ctx, const struct article *a)
{
	struct each_ctx *c = ctx;

	if (c->n < 10)
		c->ids[c->n++] = a->id;
	if (a->entities[ENTITY_TAG].n != 1 ||
	    strcmp(a->entities[ENTITY_TAG].name[0], "T") != 0)
		return PR_INTERNAL;
	return c->n == c->stop_at ? PR_IO : PR_OK;
}

static void test_each(void)
{
	const char *tag[] = {"T"};
	struct pr_error e = {0};
	struct store *s = fresh();
	struct each_ctx c = {{0}, 0, 0};
	int64_t ids[] = {5, 3, 9, 1};
	size_t i;

	for (i = 0; i < 4; i++) {
		struct article a = make(ids[i], "en", 1000 * (int64_t)i);
		a.entities[ENTITY_TAG] = (struct names){1, tag, NULL};
		put(s, a);
	}
	CHECK_INT(store_article_each(s, each_fn, &c, &e), PR_OK);
	CHECK_INT(c.n, 4);
	CHECK_INT(c.ids[0], 1);
	CHECK_INT(c.ids[1], 3);
	CHECK_INT(c.ids[2], 5);
	CHECK_INT(c.ids[3], 9);
	c = (struct each_ctx){{0}, 0, 2};
	CHECK_INT(store_article_each(s, each_fn, &c, &e), PR_IO);
	CHECK_INT(c.n, 2);
	CHECK(contains(e.msg, "article 3"));
	done(s);
}

/* Lists */

struct model {
	int64_t id[600], at[600];
	const char *lang[600];
	bool published[600];
	int n;
};

static void model_add(struct model *m, struct store *s, int64_t id,
                      const char *lang, int64_t at, bool published)
{
	struct article a = make(id, lang, at);

	a.status = published ? ARTICLE_PUBLISHED : ARTICLE_DRAFT;
	put(s, a);
	m->id[m->n] = id;
	m->at[m->n] = at;
	m->lang[m->n] = lang;
	m->published[m->n] = published;
	m->n++;
}

/* The ids of the visible items of lang, newest first. */
static int model_list(const struct model *m, const char *lang, int64_t now,
                      int64_t *out)
{
	int i, j, n = 0;

	for (i = 0; i < m->n; i++) {
		if (!m->published[i] || m->at[i] > now ||
		    strcmp(m->lang[i], lang) != 0)
			continue;
		for (j = n; j > 0; j--) {
			int k = 0;
			while (m->id[k] != out[j - 1])
				k++;
			if (m->at[k] > m->at[i] ||
			    (m->at[k] == m->at[i] && m->id[k] > m->id[i]))
				break;
			out[j] = out[j - 1];
		}
		out[j] = m->id[i];
		n++;
	}
	return n;
}

static void check_pages(struct store *s, const struct model *m,
                        const char *lang, int64_t now, int per)
{
	struct arena *ar = arena_new(1 << 20);
	struct article_list l;
	int64_t want[600];
	int n = model_list(m, lang, now, want), page, i, k = 0;

	for (page = 1; page <= n / per + 2; page++) {
		CHECK_INT(
		    store_news_page(s, ar, lang, now, page, per, &l, NULL),
		    PR_OK);
		CHECK_INT(l.total, n);
		for (i = 0; i < (int)l.n; i++, k++)
			if (k < n && l.items[i].id != want[k]) {
				fprintf(stderr,
				        "page %d item %d: %lld != %lld\n", page,
				        i, (long long)l.items[i].id,
				        (long long)want[k]);
				test_current_failed = 1;
			}
		CHECK(l.has_more == (k < n));
		arena_reset(ar);
	}
	CHECK_INT(k, n);
	arena_free(ar);
}

static void test_news_pages(void)
{
	struct model *m = calloc(1, sizeof(*m));
	struct pr_error e = {0};
	struct store *s = fresh();
	struct arena *ar = arena_new(1 << 16);
	struct article_list l;
	int i;

	/* One at a time, newest last and in random order. */
	for (i = 1; i <= 40; i++)
		model_add(m, s, i, "en", 100000 + 100 * i, true);
	for (i = 41; i <= 120; i++)
		model_add(m, s, i, i % 4 ? "en" : "ru",
		          100000 + 37 * (int64_t)rnd(400), i % 7 != 0);
	CHECK_INT(store_check(s, &e), PR_OK);
	check_pages(s, m, "en", 200000, 7);
	check_pages(s, m, "en", 110000, 5);
	check_pages(s, m, "ru", 200000, 3);
	check_pages(s, m, "en", 0, 3);
	/* A bulk import in one transaction: renumbered at commit. */
	CHECK_INT(store_begin(s, &e), PR_OK);
	for (i = 121; i <= 400; i++)
		model_add(m, s, i, i % 5 ? "en" : "ru",
		          90000 + 50 * (int64_t)rnd(600), i % 9 != 0);
	CHECK_INT(store_commit(s, &e), PR_OK);
	CHECK_INT(store_check(s, &e), PR_OK);
	check_pages(s, m, "en", 200000, 20);
	check_pages(s, m, "en", 100000, 20);
	check_pages(s, m, "ru", 200000, 1);
	check_pages(s, m, "ru", 200000, 1000);
	CHECK_INT(store_news_page(s, ar, "en", 200000, INT64_MAX, 20, &l, &e),
	          PR_OK);
	CHECK_INT(l.n, 0);
	CHECK_INT(store_news_page(s, ar, "fr", 200000, 1, 20, &l, &e), PR_OK);
	CHECK_INT(l.n + l.total, 0);
	CHECK_INT(store_news_page(s, ar, "en", 200000, 0, 20, &l, &e),
	          PR_INVALID);
	pr_error_clear(&e);
	CHECK_INT(store_news_page(s, ar, "en", 200000, 1, 0, &l, &e),
	          PR_INVALID);
	arena_free(ar);
	free(m);
	done(s);
}

static void test_generation(void)
{
	struct store *s = fresh();
	struct article a;
	int64_t g, due;
	int i;

	g = generation(s, 1000, &due);
	CHECK_INT(due, INT64_MAX);
	a = make(0, "en", 500);
	a.status = ARTICLE_DRAFT;
	put(s, a);
	CHECK_INT(generation(s, 1000, NULL), g);
	put(s, make(0, "en", 500));
	CHECK_INT(generation(s, 1000, NULL), g + 1);
	put(s, make(0, "en", 3000));
	put(s, make(0, "ru", 2000));
	a = make(0, "en", 1500);
	a.status = ARTICLE_SCHEDULED;
	put(s, a);
	CHECK_INT(generation(s, 1000, &due), g + 3);
	CHECK_INT(due, 2000);
	generation(s, 2000, &due);
	CHECK_INT(due, 3000);
	generation(s, 3000, &due);
	CHECK_INT(due, INT64_MAX);
	/* One bump for a whole transaction. */
	CHECK_INT(store_begin(s, NULL), PR_OK);
	for (i = 0; i < 5; i++)
		put(s, make(0, "en", 100 * i));
	CHECK_INT(store_commit(s, NULL), PR_OK);
	CHECK_INT(generation(s, 1000, NULL), g + 4);
	done(s);
}

/* Archive */

struct tally {
	int year, month, day;
	int64_t n;
};

static void test_archive_zone(const char *zone)
{
	struct model *m = calloc(1, sizeof(*m));
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct archive years, months, days;
	struct article_list l;
	int64_t now = 1656000000; /* 2022-06-23 */
	int64_t want_y[8] = {0}, want_m[8][13] = {{0}}, want_d[32] = {0};
	struct pr_date d;
	size_t i;
	int k;

	CHECK(pr_time_set_zone(zone));
	/* Midnights of both zones, DST changes, a future item, drafts. */
	for (k = 1; k <= 300; k++)
		model_add(m, s, k, k % 6 ? "en" : "ru",
		          1577836800 + (int64_t)rnd(80000) * 1200 +
		              (k % 2 ? 0 : 3600 * (int64_t)rnd(3)),
		          k % 11 != 0);
	for (k = 0; k < m->n; k++) {
		if (!m->published[k] || m->at[k] > now ||
		    strcmp(m->lang[k], "en") != 0)
			continue;
		pr_time_local(m->at[k], &d);
		want_y[d.year - 2019]++;
		want_m[d.year - 2019][d.month]++;
		if (d.year == 2021 && d.month == 3)
			want_d[d.day]++;
	}
	CHECK_INT(store_archive_years(s, ar, "en", now, &years, NULL), PR_OK);
	for (i = 0, k = 7; k >= 0; k--)
		if (want_y[k] > 0) {
			CHECK(i < years.n);
			if (i < years.n) {
				CHECK_INT(years.v[i].key, 2019 + k);
				CHECK_INT(years.v[i].count, want_y[k]);
			}
			i++;
		}
	CHECK_INT(years.n, i);
	CHECK_INT(store_archive_months(s, ar, "en", now, 2021, &months, NULL),
	          PR_OK);
	for (i = 0, k = 1; k <= 12; k++)
		if (want_m[2][k] > 0) {
			CHECK(i < months.n && months.v[i].key == k &&
			      months.v[i].count == want_m[2][k]);
			i++;
		}
	CHECK_INT(months.n, i);
	CHECK_INT(store_archive_days(s, ar, "en", now, 2021, 3, &days, NULL),
	          PR_OK);
	for (i = 0, k = 1; k <= 31; k++)
		if (want_d[k] > 0) {
			CHECK(i < days.n && days.v[i].key == k &&
			      days.v[i].count == want_d[k]);
			i++;
		}
	CHECK_INT(days.n, i);
	/* The items of one day are the ones the count promised. */
	for (i = 0; i < days.n; i++) {
		int64_t from = pr_time_local_midnight(2021, 3, days.v[i].key);
		int64_t to = pr_time_local_midnight(2021, 3, days.v[i].key + 1);
		CHECK_INT(store_items_between(s, ar, "en", now, from, to, 100,
		                              &l, NULL),
		          PR_OK);
		CHECK_INT(l.n, days.v[i].count);
		CHECK_INT(l.total, days.v[i].count);
		CHECK(l.n < 2 ||
		      l.items[0].published_at >= l.items[1].published_at);
	}
	CHECK_INT(
	    store_items_between(s, ar, "en", now, 0, now + 1, 3, &l, NULL),
	    PR_OK);
	CHECK_INT(l.n, 3);
	CHECK(l.has_more);
	CHECK_INT(store_archive_months(s, ar, "en", now, 1990, &months, NULL),
	          PR_OK);
	CHECK_INT(months.n, 0);
	CHECK_INT(store_archive_days(s, ar, "en", now, 2021, 13, &days, NULL),
	          PR_INVALID);
	CHECK_INT(store_archive_years(s, ar, "de", now, &years, NULL), PR_OK);
	CHECK_INT(years.n, 0);
	pr_time_set_zone("UTC");
	arena_free(ar);
	free(m);
	done(s);
}

static void test_archive(void)
{
	test_archive_zone("UTC");
	test_archive_zone("Europe/Moscow");
	test_archive_zone("America/New_York");
}

/* Transactions, rollback, faults */

static void test_rollback(void)
{
	const char *tags[] = {"Old", "New"};
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a;
	uint64_t before;
	int i;

	for (i = 1; i <= 3; i++) {
		a = make(10 * i, "en", 1000 * i);
		a.entities[ENTITY_TAG] = (struct names){1, tags, NULL};
		put(s, a);
	}
	before = snapshot();
	CHECK_INT(store_begin(s, &e), PR_OK);
	CHECK_INT(store_begin(s, &e), PR_INTERNAL);
	pr_error_clear(&e);
	for (i = 1; i <= 4; i++) {
		a = make(100 + i, i % 2 ? "en" : "ru", 500 * i);
		a.entities[ENTITY_TAG] = (struct names){2, tags, NULL};
		put(s, a);
	}
	a = make(20, "en", 5);
	CHECK_INT(store_article_insert(s, &a, &e), PR_CONFLICT);
	CHECK_STR(e.msg, "article id 20 already exists");
	store_rollback(s);
	CHECK(snapshot() == before);
	CHECK_INT(count(s), 3);
	/* A failed insert inside a transaction leaves the others whole. */
	CHECK_INT(store_begin(s, NULL), PR_OK);
	put(s, make(201, "en", 1));
	CHECK_INT(store_article_insert(s, &a, NULL), PR_CONFLICT);
	put(s, make(202, "en", 2));
	CHECK_INT(store_commit(s, &e), PR_OK);
	CHECK_INT(count(s), 5);
	CHECK_INT(store_check(s, &e), PR_OK);
	CHECK_INT(store_commit(s, &e), PR_INTERNAL);
	/* Closing with a transaction open rolls it back. */
	before = snapshot();
	CHECK_INT(store_begin(s, NULL), PR_OK);
	put(s, make(300, "en", 3));
	store_close(s);
	CHECK(snapshot() == before);
	s = NULL;
	CHECK_INT(store_open(&s, dbpath, 0, NULL), PR_OK);
	CHECK_INT(count(s), 5);
	done(s);
}

static struct article tagged(int64_t id, int64_t at)
{
	static const char *tags[] = {"Fault", "Injection"};
	static const char *places[] = {"Somewhere new"};
	struct article a = make(id, "en", at);

	a.entities[ENTITY_TAG] = (struct names){2, tags, NULL};
	a.entities[ENTITY_PLACE] = (struct names){1, places, NULL};
	return a;
}

/* Fails the n-th step of one insert for every n: each failure leaves the
 * database as it was. */
static void test_fault_insert(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a;
	uint64_t before;
	enum pr_err rc;
	long n;

	put(s, make(1, "en", 5000));
	for (n = 1; n < 1000; n++) {
		before = snapshot();
		a = tagged(0, 100); /* older than the rest: renumbers */
		store__inject_fault(s, n);
		pr_error_clear(&e);
		rc = store_article_insert(s, &a, &e);
		store__inject_fault(s, 0);
		if (rc == PR_OK)
			break;
		CHECK_INT(rc, PR_IO);
		CHECK(contains(e.msg, dbpath));
		CHECK(snapshot() == before);
	}
	CHECK(n > 10);
	CHECK_INT(count(s), 2);
	CHECK_INT(store_check(s, &e), PR_OK);
	done(s);
}

/* The same inside an explicit transaction: an insert that fails before
 * changing a row leaves the transaction usable; one that fails later
 * leaves it good only for a rollback, and commit rolls back everything. A
 * failed commit (renumbering, generation, COMMIT) undoes everything too. */
static void test_fault_transaction(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article b;
	uint64_t before;
	int64_t n0;
	enum pr_err rc;
	long n, left;
	int early = 0, late = 0, at_commit = 0;

	put(s, make(1, "en", 5000));
	for (n = 1; n < 1000; n++) {
		before = snapshot();
		n0 = count(s);
		CHECK_INT(store_begin(s, NULL), PR_OK);
		put(s, tagged(1000 + 2 * n, 200));
		store__inject_fault(s, n);
		b = tagged(1001 + 2 * n, 100);
		rc = store_article_insert(s, &b, NULL);
		if (rc != PR_OK && s->tx_failed == PR_OK) {
			early++;
			CHECK_INT(store_commit(s, NULL), PR_OK);
			CHECK_INT(count(s), n0 + 1);
			CHECK_INT(store_check(s, NULL), PR_OK);
			continue;
		}
		if (rc != PR_OK) {
			late++;
			store__inject_fault(s, 0);
			b = make(3, "en", 1);
			CHECK_INT(store_article_insert(s, &b, NULL), PR_IO);
			pr_error_clear(&e);
			CHECK_INT(store_commit(s, &e), PR_IO);
			CHECK(contains(e.msg, "rolled back"));
			CHECK(snapshot() == before);
			continue;
		}
		rc = store_commit(s, &e);
		left = s->fault_at;
		store__inject_fault(s, 0);
		if (rc != PR_OK) {
			at_commit++;
			CHECK(snapshot() == before);
			continue;
		}
		CHECK_INT(count(s), n0 + 2);
		if (left > 0)
			break;
	}
	CHECK(early > 0);
	CHECK(late >= 5);
	CHECK(at_commit > 1);
	CHECK_INT(store_check(s, &e), PR_OK);
	done(s);
}

/* true when no statement of s is part way through, so that the
 * connection holds no read snapshot between calls. */
static bool idle(struct store *s)
{
	sqlite3_stmt *st = NULL;

	while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
		if (sqlite3_stmt_busy(st)) {
			fprintf(stderr, "busy: %s\n", sqlite3_sql(st));
			return false;
		}
	return sqlite3_get_autocommit(s->db);
}

/* A second connection sees every change the first one commits: no call
 * leaves a read open behind it. */
static void test_two_connections(void)
{
	const char *tag[] = {"Shared"};
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh(), *s2 = NULL;
	struct article_list l;
	struct archive av;
	struct article a;
	struct entity en;
	struct cursor none = {0, 0};
	int64_t g, due, n;

	CHECK_INT(store_open(&s2, dbpath, 0, NULL), PR_OK);
	a = make(0, "en", 1000);
	a.entities[ENTITY_TAG] = (struct names){1, tag, NULL};
	a.updated_at = 1500;
	put(s, a);
	g = generation(s2, 2000, &due);
	CHECK(idle(s2));
	CHECK_INT(store_news_page(s2, ar, "en", 2000, 1, 10, &l, NULL), PR_OK);
	CHECK(idle(s2));
	CHECK_INT(l.n, 1);
	CHECK_INT(l.n ? l.items[0].updated_at : 0, 1500);
	CHECK_INT(store_archive_years(s2, ar, "en", 2000, &av, NULL), PR_OK);
	CHECK(idle(s2));
	CHECK_INT(store_archive_months(s2, ar, "en", 2000, 1970, &av, NULL),
	          PR_OK);
	CHECK_INT(store_archive_days(s2, ar, "en", 2000, 1970, 1, &av, NULL),
	          PR_OK);
	CHECK_INT(
	    store_items_between(s2, ar, "en", 2000, 0, 5000, 10, &l, NULL),
	    PR_OK);
	CHECK(idle(s2));
	CHECK_INT(
	    store_entity_get(s2, ar, ENTITY_TAG, STR_LIT("shared"), &en, NULL),
	    PR_OK);
	CHECK_INT(
	    store_entity_items(s2, ar, en.id, "en", 2000, none, 5, &l, NULL),
	    PR_OK);
	CHECK_INT(store_translations(s2, ar, 1, 0, 2000, &l, NULL), PR_OK);
	CHECK_INT(store_article_get(s2, ar, 1, &a, NULL), PR_OK);
	CHECK_INT(store_article_count(s2, &n, NULL), PR_OK);
	CHECK_INT(store_check(s2, NULL), PR_OK);
	CHECK(idle(s2));
	/* Now the other connection writes; this one sees it at once. */
	put(s, make(0, "en", 1800));
	put(s, make(0, "en", 3000));
	CHECK(idle(s));
	CHECK_INT(generation(s2, 2000, &due), g + 2);
	CHECK_INT(due, 3000);
	CHECK_INT(store_news_page(s2, ar, "en", 2000, 1, 10, &l, NULL), PR_OK);
	CHECK_INT(l.n, 2);
	CHECK_INT(
	    store_entity_items(s2, ar, en.id, "en", 2000, none, 5, &l, NULL),
	    PR_OK);
	CHECK_INT(store_article_count(s2, &n, NULL), PR_OK);
	CHECK_INT(n, 3);
	CHECK(idle(s2));
	store_close(s2);
	arena_free(ar);
	done(s);
}

/* Backup and check */

static void writer_child_body(void)
{
	struct store *s = NULL;
	int i;

	if (store_open(&s, dbpath, 0, NULL) != PR_OK)
		_exit(1);
	for (i = 0; i < 300; i++) {
		struct article a = make(0, "en", 100000 + i);
		if (store_article_insert(s, &a, NULL) != PR_OK)
			_exit(2);
	}
	store_close(s);
	_exit(0);
}

static int64_t backup_count(const char *path)
{
	struct pr_error e = {0};
	struct store *b = NULL;
	int64_t n = -1;

	CHECK_INT(store_open(&b, path, STORE_READONLY, &e), PR_OK);
	if (b != NULL) {
		CHECK_INT(store_check(b, &e), PR_OK);
		n = count(b);
	}
	store_close(b);
	return n;
}

static void test_backup(void)
{
	struct pr_error e = {0};
	struct store *s = fresh(), *s2 = NULL;
	char b1[160], b2[160], b3[160];
	int64_t last = 0, n;
	sqlite3 *reader;
	int i, status = 0;
	pid_t pid;

	snprintf(b1, sizeof(b1), "%s/b1.db", dir);
	snprintf(b2, sizeof(b2), "%s/b2.db", dir);
	snprintf(b3, sizeof(b3), "%s/b3.db", dir);
	for (i = 0; i < 50; i++)
		put(s, make(0, "en", 1000 + i));
	/* While another connection holds a read transaction. */
	reader = raw_open(dbpath);
	CHECK_INT(raw_exec(reader, "BEGIN; SELECT count(*) FROM article"),
	          SQLITE_OK);
	CHECK_INT(store_backup(s, b1, &e), PR_OK);
	raw_exec(reader, "COMMIT");
	sqlite3_close(reader);
	/* While another connection has written but not committed. */
	CHECK_INT(store_open(&s2, dbpath, 0, &e), PR_OK);
	CHECK_INT(store_begin(s2, &e), PR_OK);
	for (i = 0; i < 10; i++)
		put(s2, make(0, "en", 5000 + i));
	CHECK_INT(store_backup(s, b2, &e), PR_OK);
	CHECK_INT(store_commit(s2, &e), PR_OK);
	store_close(s2);
	CHECK_INT(backup_count(b1), 50);
	CHECK_INT(backup_count(b2), 50);
	CHECK(access(b1, F_OK) == 0);
	{
		char tmp[200];
		snprintf(tmp, sizeof(tmp), "%s.tmp", b1);
		CHECK_INT(access(tmp, F_OK), -1);
	}
	/* While another process inserts. */
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		writer_child_body();
	for (i = 0; i < 6; i++) {
		CHECK_INT(store_backup(s, b3, &e), PR_OK);
		n = backup_count(b3);
		CHECK(n >= last && n >= 60 && n <= 360);
		last = n;
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(store_backup(s, b3, &e), PR_OK);
	CHECK_INT(backup_count(b3), 360);
	/* Never over the database itself, never inside a transaction. */
	CHECK_INT(store_backup(s, dbpath, &e), PR_INVALID);
	pr_error_clear(&e);
	CHECK_INT(store_backup(s, "/nonexistent-dir/b.db", &e), PR_IO);
	CHECK(contains(e.msg, "/nonexistent-dir/b.db"));
	pr_error_clear(&e);
	CHECK_INT(store_begin(s, NULL), PR_OK);
	CHECK_INT(store_backup(s, b1, &e), PR_INTERNAL);
	store_rollback(s);
	done(s);
}

static void test_check(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	sqlite3 *db;
	int i;

	for (i = 1; i <= 20; i++)
		put(s, make(i, i % 2 ? "en" : "ru", 1000 * i));
	CHECK_INT(store_check(s, &e), PR_OK);
	db = raw_open(dbpath);
	raw_exec(db, "UPDATE article SET pos = pos + 5 WHERE id = 4");
	CHECK_INT(store_check(s, &e), PR_CORRUPT);
	CHECK(contains(e.msg, "language ru"));
	CHECK_INT(store_renumber(s, NULL), PR_OK);
	pr_error_clear(&e);
	CHECK_INT(store_check(s, &e), PR_OK);
	raw_exec(db, "PRAGMA foreign_keys = OFF; "
	             "INSERT INTO article_entity VALUES (3, 999, 0)");
	CHECK_INT(store_check(s, &e), PR_CORRUPT);
	CHECK(contains(e.msg, "foreign key"));
	CHECK(contains(e.msg, "entity"));
	raw_exec(db, "DELETE FROM article_entity");
	pr_error_clear(&e);
	raw_exec(db, "DELETE FROM article_html WHERE article_id = 7");
	CHECK_INT(store_check(s, &e), PR_CORRUPT);
	CHECK(contains(e.msg, "article 7"));
	sqlite3_close(db);
	done(s);
}

/* The lists feeds follow: newest first with a cursor, and archive pages
 * counted from the oldest item that keep their items as new ones come. */
static void test_feed_lists(void)
{
	const char *tag[] = {"Every third"};
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct store_list all = {.lang = "en"};
	struct store_list speeches = {.lang = "en", .kind = "speech"};
	struct store_list bad = {.lang = "en", .entity_id = 1, .kind = "news"};
	struct store_list third = {.lang = "en"};
	struct article_list l;
	struct entity en;
	int i;

	for (i = 1; i <= 23; i++) {
		struct article a = make(i, "en", 1000 + 10 * i);
		a.kind = i % 2 ? "speech" : "news";
		if (i % 3 == 0)
			a.entities[ENTITY_TAG] = (struct names){1, tag, NULL};
		put(s, a);
	}
	put(s, make(90, "ru", 1500));
	put(s, make(91, "en", 999999)); /* not yet visible at 5000 */
	CHECK_INT(store_list_items(s, ar, &all, 5000, (struct cursor){0, 0}, 10,
	                           &l, NULL),
	          PR_OK);
	CHECK_INT(l.total, 23);
	CHECK_INT(l.n, 10);
	CHECK_INT(l.items[0].id, 23);
	CHECK(l.has_more);
	CHECK_INT(store_list_items(
	              s, ar, &all, 5000,
	              (struct cursor){l.items[9].published_at, l.items[9].id},
	              10, &l, NULL),
	          PR_OK);
	CHECK_INT(l.items[0].id, 13);
	CHECK_INT(store_list_items(s, ar, &speeches, 5000,
	                           (struct cursor){0, 0}, 5, &l, NULL),
	          PR_OK);
	CHECK_INT(l.total, 12);
	CHECK_INT(l.items[0].id, 23);
	CHECK_INT(l.items[4].id, 15);
	/* archive pages: 1 holds the oldest, newest first within */
	CHECK_INT(store_list_archive(s, ar, &all, 5000, 1, 10, &l, NULL),
	          PR_OK);
	CHECK_INT(l.n, 10);
	CHECK_INT(l.items[0].id, 10);
	CHECK_INT(l.items[9].id, 1);
	CHECK(!l.has_more);
	CHECK_INT(store_list_archive(s, ar, &all, 5000, 3, 10, &l, NULL),
	          PR_OK);
	CHECK_INT(l.n, 3);
	CHECK_INT(l.items[0].id, 23);
	CHECK(l.has_more);
	CHECK_INT(store_list_archive(s, ar, &all, 5000, 4, 10, &l, NULL),
	          PR_OK);
	CHECK_INT(l.n, 0);
	CHECK_INT(l.total, 23);
	CHECK_INT(store_list_archive(s, ar, &speeches, 5000, 2, 5, &l, NULL),
	          PR_OK);
	CHECK_INT(l.n, 5);
	CHECK_INT(l.items[0].id, 19);
	CHECK_INT(l.items[4].id, 11);
	CHECK_INT(store_entity_get(s, ar, ENTITY_TAG, STR_LIT("every-third"),
	                           &en, NULL),
	          PR_OK);
	third.entity_id = en.id;
	CHECK_INT(store_list_archive(s, ar, &third, 5000, 3, 3, &l, NULL),
	          PR_OK);
	CHECK_INT(l.total, 7);
	CHECK_INT(l.n, 1);
	CHECK_INT(l.items[0].id, 21);
	/* a newer item leaves the full pages as they were */
	put(s, make(24, "en", 2000));
	CHECK_INT(store_list_archive(s, ar, &all, 5000, 2, 10, &l, NULL),
	          PR_OK);
	CHECK_INT(l.items[0].id, 20);
	CHECK_INT(l.items[9].id, 11);
	CHECK_INT(store_list_archive(s, ar, &all, 5000, 0, 10, &l, NULL),
	          PR_INVALID);
	CHECK_INT(store_list_items(s, ar, &bad, 5000, (struct cursor){0, 0}, 10,
	                           &l, NULL),
	          PR_INVALID);
	speeches.kind = "poem";
	CHECK_INT(store_list_archive(s, ar, &speeches, 5000, 1, 10, &l, NULL),
	          PR_INVALID);
	arena_free(ar);
	done(s);
}

/* A language's last change: the newest updated_at of what is visible. */
static void test_lang_changed(void)
{
	struct store *s = fresh();
	struct article a = make(1, "en", 1000);
	int64_t t = -1;

	CHECK_INT(store_lang_changed(s, "en", 5000, &t, NULL), PR_OK);
	CHECK_INT(t, 0);
	put(s, a);
	a = make(2, "en", 1100);
	a.updated_at = 4000;
	put(s, a);
	put(s, make(3, "en", 1200));
	put(s, make(4, "en", 8000)); /* future */
	a = make(5, "en", 1300);
	a.status = ARTICLE_DRAFT;
	a.updated_at = 4500;
	put(s, a);
	CHECK_INT(store_lang_changed(s, "en", 5000, &t, NULL), PR_OK);
	CHECK_INT(t, 4000);
	CHECK_INT(store_lang_changed(s, "ru", 5000, &t, NULL), PR_OK);
	CHECK_INT(t, 0);
	done(s);
}

struct map_ctx {
	int64_t ids[64];
	int n, stop_at;
};

static enum pr_err map_fn(void *ctx, const struct article_summary *it)
{
	struct map_ctx *c = ctx;

	if (c->n < 64)
		c->ids[c->n++] = it->id;
	if (strcmp(it->slug, "a-title") != 0 || strcmp(it->lang, "en") != 0)
		return PR_INTERNAL;
	return c->n == c->stop_at ? PR_IO : PR_OK;
}

/* Sitemap files are runs of list positions, read a row at a time, with
 * the newest change of each. */
static void test_sitemap(void)
{
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct sitemap_files f;
	struct map_ctx c = {{0}, 0, 0};
	int i;

	for (i = 1; i <= 25; i++) {
		struct article a = make(i, "en", 1000 + i);
		if (i == 7)
			a.updated_at = 9000;
		put(s, a);
	}
	put(s, make(40, "en", 999999));
	put(s, make(41, "ru", 1500));
	CHECK_INT(store_sitemap_files(s, ar, "en", 5000, 10, &f, NULL), PR_OK);
	CHECK_INT(f.n, 3);
	CHECK_INT(f.v[0].first, 1);
	CHECK_INT(f.v[0].last, 10);
	CHECK_INT(f.v[0].lastmod, 9000);
	CHECK_INT(f.v[1].lastmod, 1020);
	CHECK_INT(f.v[2].first, 21);
	CHECK_INT(f.v[2].last, 25);
	CHECK_INT(f.v[2].lastmod, 1025);
	CHECK_INT(store_sitemap_each(s, "en", 5000, 2, 10, map_fn, &c, NULL),
	          PR_OK);
	CHECK_INT(c.n, 10);
	CHECK_INT(c.ids[0], 20);
	CHECK_INT(c.ids[9], 11);
	c.n = 0;
	c.stop_at = 2;
	CHECK_INT(store_sitemap_each(s, "en", 5000, 3, 10, map_fn, &c, NULL),
	          PR_IO);
	CHECK_INT(c.n, 2);
	CHECK_INT(store_sitemap_each(s, "en", 5000, 4, 10, map_fn, &c, NULL),
	          PR_NOTFOUND);
	CHECK_INT(store_sitemap_each(s, "en", 5000, 0, 10, map_fn, &c, NULL),
	          PR_NOTFOUND);
	CHECK_INT(store_sitemap_files(s, ar, "en", 5000, 0, &f, NULL),
	          PR_INVALID);
	CHECK_INT(store_sitemap_files(s, ar, "de", 5000, 10, &f, NULL), PR_OK);
	CHECK_INT(f.n, 0);
	arena_free(ar);
	done(s);
}

static bool has_slug(const struct slug_list *l, const char *slug)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->slug[i], slug) == 0)
			return true;
	return false;
}

/* Every slug an article had is kept, whoever changes it. */
static void test_slug_history(void)
{
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct article a = make(1, "en", 1000);
	struct pr_error e = {0};
	struct slug_list old;
	int64_t gen;

	a.slug = "first-slug";
	put(s, a);
	gen = generation(s, 5000, NULL);
	CHECK_INT(store_article_set_slug(s, 1, STR_LIT("second-slug"), &e),
	          PR_OK);
	CHECK(generation(s, 5000, NULL) > gen);
	CHECK_INT(store_article_get(s, ar, 1, &a, NULL), PR_OK);
	CHECK_STR(a.slug, "second-slug");
	CHECK_INT(store_article_old_slugs(s, ar, 1, &old, NULL), PR_OK);
	CHECK_INT(old.n, 1);
	CHECK(has_slug(&old, "first-slug"));
	/* any write of the column is recorded, not only this function's */
	CHECK_INT(sqlite3_exec(s->db,
	                       "UPDATE article SET slug = 'third' WHERE id = 1",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(store_article_set_slug(s, 1, STR_LIT("first-slug"), &e),
	          PR_OK);
	CHECK_INT(store_article_old_slugs(s, ar, 1, &old, NULL), PR_OK);
	CHECK_INT(old.n, 2);
	CHECK(has_slug(&old, "second-slug") && has_slug(&old, "third"));
	CHECK(!has_slug(&old, "first-slug"));
	CHECK_INT(store_article_set_slug(s, 1, STR_LIT("first-slug"), &e),
	          PR_OK);
	CHECK_INT(store_article_old_slugs(s, ar, 1, &old, NULL), PR_OK);
	CHECK_INT(old.n, 2);
	pr_error_clear(&e);
	CHECK_INT(store_article_set_slug(s, 1, STR_LIT("Not A Slug"), &e),
	          PR_INVALID);
	CHECK(contains(e.msg, "not a slug"));
	CHECK_INT(store_article_set_slug(s, 99, STR_LIT("x"), NULL),
	          PR_NOTFOUND);
	CHECK_INT(store_article_old_slugs(s, ar, 99, &old, NULL), PR_OK);
	CHECK_INT(old.n, 0);
	CHECK_INT(store_check(s, NULL), PR_OK);
	arena_free(ar);
	done(s);
}

/* Every list and archive statement reads through an index: no full scan,
 * and the news pages need no sort. */
static void test_query_plans(void)
{
	static const enum stmt seek[] = {
	    STMT_POS_BEFORE,    STMT_FIRST_OF_LANG,    STMT_NEWS_RANGE,
	    STMT_NEXT_DUE,      STMT_LAST_OF_LANG,     STMT_ITEMS_BETWEEN,
	    STMT_ENTITY_ITEMS,  STMT_ENTITY_COUNT,     STMT_TRANSLATIONS,
	    STMT_ARTICLE_GET,   STMT_ARTICLE_ENTITIES, STMT_ENTITY_GET,
	    STMT_GEN_GET,       STMT_ARTICLE_GROUP,    STMT_LANG_ITEMS,
	    STMT_KIND_ITEMS,    STMT_KIND_COUNT,       STMT_KIND_OLDEST,
	    STMT_ENTITY_OLDEST, STMT_LANG_CHANGED,     STMT_POS_AT,
	    STMT_MAX_UPDATED,   STMT_SLUG_HISTORY,
	};
	static const enum stmt sorted[] = {
	    STMT_POS_BEFORE,   STMT_NEWS_RANGE,    STMT_NEXT_DUE,
	    STMT_LAST_OF_LANG, STMT_ITEMS_BETWEEN, STMT_FIRST_OF_LANG,
	    STMT_LANG_ITEMS,   STMT_KIND_ITEMS,    STMT_KIND_OLDEST,
	    STMT_LANG_CHANGED, STMT_POS_AT,        STMT_MAX_UPDATED,
	};
	struct store *s = fresh();
	struct buf sql;
	sqlite3_stmt *st;
	size_t i, j;

	buf_init(&sql, 4096);
	for (i = 0; i < sizeof(seek) / sizeof(seek[0]); i++) {
		buf_reset(&sql);
		buf_adds(&sql, "EXPLAIN QUERY PLAN ");
		buf_adds(&sql, store__sql[seek[i]]);
		st = NULL;
		CHECK_INT(
		    sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &st, NULL),
		    SQLITE_OK);
		while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
			const char *d =
			    (const char *)sqlite3_column_text(st, 3);
			bool sort = strstr(d, "TEMP B-TREE") != NULL;
			bool must_not_sort = false;
			for (j = 0; j < sizeof(sorted) / sizeof(sorted[0]); j++)
				must_not_sort |= sorted[j] == seek[i];
			if (strncmp(d, "SCAN", 4) == 0 ||
			    (sort && must_not_sort)) {
				fprintf(stderr, "statement %d: %s\n",
				        (int)seek[i], d);
				test_current_failed = 1;
			}
		}
		sqlite3_finalize(st);
	}
	buf_free(&sql);
	done(s);
}

/* A photo of article art with a hash made of c. */
static struct photo photo_of(int64_t art, char c)
{
	static char sha[8][65];
	static int next;
	struct photo p;
	char *h = sha[next++ % 8];

	memset(h, c, 64);
	h[64] = '\0';
	memset(&p, 0, sizeof(p));
	p.article_id = art;
	p.sha256 = h;
	p.type = "jpg";
	p.width = 1600;
	p.height = 900;
	p.bytes = 12345;
	p.caption = "Caption";
	p.credit = "Credit";
	return p;
}

/* The order of the article's photos as the first hex digit of each. */
static void check_order(struct store *s, int64_t art, const char *want)
{
	struct arena *a = arena_new(1 << 20);
	struct pr_error e = {0};
	struct photo_list l;
	char got[32] = "";

	CHECK_INT(store_photos_of(s, a, art, &l, &e), PR_OK);
	for (size_t i = 0; i < l.n && i < sizeof(got) - 1; i++) {
		got[i] = l.v[i].sha256[0];
		got[i + 1] = '\0';
		CHECK_INT(l.v[i].position, (int64_t)i + 1);
	}
	CHECK_STR(got, want);
	arena_free(a);
}

/* Photos: add (the same file twice is one photo), order, lead photos of a
 * list, update, move, reorder, delete, refusals inside a transaction. */
static void test_photos(void)
{
	struct store *s = fresh();
	struct arena *a = arena_new(1 << 20);
	int64_t art = put(s, make(0, "en", 1000)), other, gen0, gen1, nd;
	struct photo p[4], q;
	struct pr_error e = {0};
	const struct photo **lead;
	struct article_list l;
	bool added, used;
	int64_t n;

	other = put(s, make(0, "en", 2000));
	store_generation(s, 5000, &gen0, &nd, &e);
	for (int i = 0; i < 3; i++) {
		p[i] = photo_of(art, "abc"[i]);
		CHECK_INT(store_photo_add(s, &p[i], &added, &e), PR_OK);
		CHECK(added);
		CHECK_INT(p[i].position, i + 1);
	}
	store_generation(s, 5000, &gen1, &nd, &e);
	CHECK(gen1 != gen0);
	q = photo_of(art, 'b');
	q.caption = "another caption";
	CHECK_INT(store_photo_add(s, &q, &added, &e), PR_OK);
	CHECK(!added);
	CHECK_INT(q.id, p[1].id);
	CHECK_INT(q.position, 2);
	CHECK_INT(store_photo_count(s, art, &n, &e), PR_OK);
	CHECK_INT(n, 3);
	check_order(s, art, "abc");
	q = photo_of(999, 'd');
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_NOTFOUND);
	q = photo_of(art, 'd');
	q.type = "tif";
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_INVALID);
	q = photo_of(art, 'D');
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_INVALID);
	q = photo_of(art, 'd');
	q.caption = "bad \xff UTF-8";
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_INVALID);

	/* lead photos of a list */
	CHECK_INT(store_news_page(s, a, "en", 5000, 1, 10, &l, &e), PR_OK);
	CHECK_INT(l.n, 2);
	CHECK_INT(store_lead_photos(s, a, &l, &lead, &e), PR_OK);
	CHECK(lead[0] == NULL); /* other, the newest */
	CHECK(lead[1] != NULL && lead[1]->sha256[0] == 'a');
	CHECK(lead[1] != NULL && lead[1]->width == 1600);

	/* update, move, reorder, delete */
	q = p[2];
	q.caption = "New caption";
	q.alt = "Alt text";
	q.has_taken = true;
	q.taken_at = 1637227800;
	CHECK_INT(store_photo_update(s, &q, &e), PR_OK);
	q.article_id = other;
	CHECK_INT(store_photo_update(s, &q, &e), PR_NOTFOUND);
	CHECK_INT(store_photo_move(s, art, p[2].id, 1, &e), PR_OK);
	check_order(s, art, "cab");
	CHECK_INT(store_photo_move(s, art, p[2].id, 3, &e), PR_OK);
	check_order(s, art, "abc");
	CHECK_INT(store_photo_move(s, art, p[2].id, 4, &e), PR_INVALID);
	int64_t order[3] = {p[1].id, p[2].id, p[0].id};
	CHECK_INT(store_photo_reorder(s, art, order, 3, &e), PR_OK);
	check_order(s, art, "bca");
	order[2] = p[1].id;
	CHECK_INT(store_photo_reorder(s, art, order, 3, &e), PR_INVALID);
	CHECK_INT(store_photo_reorder(s, art, order, 2, &e), PR_INVALID);
	check_order(s, art, "bca");
	CHECK_INT(store_photo_delete(s, art, p[2].id, &e), PR_OK);
	check_order(s, art, "ba");
	CHECK_INT(store_photo_delete(s, art, p[2].id, &e), PR_NOTFOUND);
	CHECK_INT(store_photo_used(s, p[2].sha256, &used, &e), PR_OK);
	CHECK(!used);
	CHECK_INT(store_photo_used(s, p[0].sha256, &used, &e), PR_OK);
	CHECK(used);

	/* in an import's transaction a refusal leaves it usable */
	CHECK_INT(store_begin(s, &e), PR_OK);
	q = photo_of(art, 'e');
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_OK);
	q = photo_of(art, 'f');
	q.width = 0;
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_INVALID);
	q = photo_of(other, 'f');
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_OK);
	CHECK_INT(store_commit(s, &e), PR_OK);
	check_order(s, art, "bae");
	check_order(s, other, "f");
	CHECK_INT(store_begin(s, &e), PR_OK);
	q = photo_of(other, '0');
	CHECK_INT(store_photo_add(s, &q, NULL, &e), PR_OK);
	store_rollback(s);
	check_order(s, other, "f");
	CHECK_INT(store_check(s, &e), PR_OK);
	arena_free(a);
	done(s);
}

/* Search */

/* The ids store_search finds for q (at most 64), best first. */
static size_t found(struct store *s, const char *q, int64_t now,
                    struct store_search_req *base, int64_t *ids,
                    struct store_search_result *out)
{
	struct arena *ar = arena_new(1 << 24);
	struct store_search_req req = {0};
	struct store_search_result res;
	struct search_query pq;
	struct pr_error e = {0};
	size_t i, n = 0;

	if (base != NULL)
		req = *base;
	CHECK_INT(search_parse(ar, str_c(q), &pq, &e), PR_OK);
	req.q = &pq;
	req.now = now;
	if (req.limit == 0)
		req.limit = 64;
	if (store_search(s, ar, &req, &res, &e) != PR_OK) {
		fprintf(stderr, "search %s: %s\n", q, e.msg);
		test_current_failed = 1;
	} else {
		for (i = 0; i < res.n && i < 64; i++)
			ids[n++] = res.hits[i].item.id;
		if (out != NULL) {
			*out = res;
			out->hits = NULL;
			memset(out->facets, 0, sizeof(out->facets));
		}
	}
	arena_free(ar);
	return n;
}

static struct article text_article(int64_t id, const char *lang, int64_t at,
                                   const char *title, const char *text)
{
	struct article a = make(id, lang, at);

	a.title = title;
	a.body = text;
	a.body_text = text;
	return a;
}

static void test_search_visible(void)
{
	struct store *s = fresh();
	struct store_search_result res;
	struct article a;
	int64_t ids[64];

	put(s,
	    text_article(1, "en", 1000, "Glaciers", "The glaciers retreat."));
	put(s, text_article(2, "ru", 2000, "Ледники", "Ледники отступают."));
	a = text_article(3, "en", 1500, "Draft", "glaciers in a draft");
	a.status = ARTICLE_DRAFT;
	put(s, a);
	put(s, text_article(4, "en", 9000, "Later", "glaciers tomorrow"));
	CHECK_INT(found(s, "glacier", 5000, NULL, ids, &res), 1);
	CHECK_INT(ids[0], 1);
	CHECK_INT(res.total, 1);
	CHECK(!res.approximate);
	CHECK_INT(found(s, "glacier", 9000, NULL, ids, NULL), 2);
	CHECK_INT(ids[0], 1); /* in its title */
	CHECK_INT(ids[1], 4);
	CHECK_INT(found(s, "ледник", 9000, NULL, ids, NULL), 1);
	CHECK_INT(ids[0], 2);
	CHECK_INT(found(s, "нет-такого", 9000, NULL, ids, NULL), 0);
	done(s);
}

/* Edits, deletes and rollbacks leave the index as the articles are. */
static void test_search_in_step(void)
{
	struct revision_meta m = {.base = 1, .who = "test", .note = ""};
	struct pr_error e = {0};
	struct store *s = fresh();
	struct article a;
	int64_t ids[64];

	put(s, text_article(1, "en", 1000, "Old title", "old words here"));
	put(s, text_article(2, "en", 1000, "Second", "second text"));
	a = text_article(1, "en", 1000, "New heading", "fresh words here");
	CHECK_INT(store_article_update(s, &a, &m, &e), PR_OK);
	CHECK_INT(found(s, "old", 2000, NULL, ids, NULL), 0);
	CHECK_INT(found(s, "fresh heading", 2000, NULL, ids, NULL), 1);
	CHECK_INT(store_check(s, &e), PR_OK);
	/* a rolled-back transaction leaves no index rows */
	CHECK_INT(store_begin(s, &e), PR_OK);
	put(s, text_article(3, "en", 1000, "Unique", "zanzibar"));
	CHECK_INT(found(s, "zanzibar", 2000, NULL, ids, NULL), 0);
	store_rollback(s);
	CHECK_INT(found(s, "zanzibar", 2000, NULL, ids, NULL), 0);
	CHECK_INT(store_check(s, &e), PR_OK);
	/* an insert and an edit of it in one transaction */
	CHECK_INT(store_begin(s, &e), PR_OK);
	put(s, text_article(3, "en", 1000, "Unique", "zanzibar"));
	a = text_article(3, "en", 1000, "Unique", "madagascar");
	CHECK_INT(store_article_update(s, &a, &m, &e), PR_OK);
	CHECK_INT(store_commit(s, &e), PR_OK);
	CHECK_INT(found(s, "zanzibar", 2000, NULL, ids, NULL), 0);
	CHECK_INT(found(s, "madagascar", 2000, NULL, ids, NULL), 1);
	CHECK_INT(store_check(s, &e), PR_OK);
	/* deleting an article takes it out of both indexes */
	CHECK_INT(sqlite3_exec(s->db, "DELETE FROM article WHERE id = 2", NULL,
	                       NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(found(s, "second", 2000, NULL, ids, NULL), 0);
	CHECK_INT(store_renumber(s, &e), PR_OK);
	CHECK_INT(store_check(s, &e), PR_OK);
	/* an entry the articles do not have is found by the check */
	CHECK_INT(sqlite3_exec(s->db,
	                       "INSERT INTO article_head (rowid, title, lead) "
	                       "VALUES (99, 'stray', '')",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(store_check(s, &e), PR_CORRUPT);
	CHECK(contains(e.msg, "reindex"));
	done(s);
}

static enum pr_err upper_text(void *ctx, struct str md, struct buf *out,
                              struct pr_error *e)
{
	for (size_t i = 0; i < md.n; i++)
		buf_addc(out, md.p[i] == '*' ? ' ' : md.p[i]);
	return PR_OK;
}

static void test_search_rebuild(void)
{
	struct pr_error e = {0};
	struct store *s = fresh();
	int64_t ids[64], changed = -1;

	put(s, make(1, "en", 1000));
	put(s, text_article(2, "en", 1000, "Plain", "Body in Markdown"));
	CHECK_INT(store_search_rebuild(s, upper_text, NULL, &changed, &e),
	          PR_OK);
	CHECK_INT(changed, 1);
	CHECK_INT(found(s, "markdown", 2000, NULL, ids, NULL), 2);
	CHECK_INT(store_check(s, &e), PR_OK);
	CHECK_INT(store_search_rebuild(s, upper_text, NULL, &changed, &e),
	          PR_OK);
	CHECK_INT(changed, 0);
	/* an index of another tokenizer is built again at the next open */
	CHECK_INT(sqlite3_exec(s->db,
	                       "UPDATE meta SET value = 0 "
	                       "WHERE key = 'search_tokenizer';"
	                       "INSERT INTO article_fts (article_fts) "
	                       "VALUES ('delete-all')",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	store_close(s);
	CHECK_INT(store_open(&s, dbpath, STORE_READONLY, &e), PR_OK);
	CHECK_INT(store_check(s, &e), PR_CORRUPT);
	store_close(s);
	CHECK_INT(store_open(&s, dbpath, 0, &e), PR_OK);
	CHECK_INT(store_check(s, &e), PR_OK);
	CHECK_INT(found(s, "markdown", 2000, NULL, ids, NULL), 2);
	done(s);
}

/* Filters, facets, both orders, pages and cursors against a model. */
static void test_search_filters(void)
{
	static const char *tags[] = {"Ecology", "Water"};
	struct store_search_req req = {0};
	struct store_search_result res;
	struct pr_error e = {0};
	struct store *s = fresh();
	struct entity en;
	struct arena *ar = arena_new(1 << 20);
	int64_t ids[64], all[64];
	struct article a;
	size_t n, i, k;
	int j;

	for (j = 1; j <= 30; j++) {
		a = text_article(j, j % 3 ? "en" : "ru", 1000000 * j, "River",
		                 j % 2 ? "river water" : "river");
		a.kind = store_kinds[j % 5];
		a.entities[ENTITY_TAG] =
		    (struct names){(size_t)(1 + j % 2), tags, NULL};
		put(s, a);
	}
	n = found(s, "river", INT64_MAX / 2, NULL, all, &res);
	CHECK_INT(n, 30);
	CHECK_INT(res.total, 30);
	req.lang = "ru";
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, &res), 10);
	req.lang = NULL;
	req.kind = "speech";
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, NULL), 6);
	req.kind = NULL;
	req.from = 10000000;
	req.to = 20000000;
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, NULL), 10);
	req.from = req.to = 0;
	CHECK_INT(
	    store_entity_get(s, ar, ENTITY_TAG, STR_LIT("water"), &en, &e),
	    PR_OK);
	req.entity[ENTITY_TAG] = en.id;
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, NULL), 15);
	memset(&req, 0, sizeof(req));
	req.sort = STORE_SORT_DATE;
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, NULL), 30);
	for (i = 0; i < 30; i++)
		CHECK_INT(ids[i], 30 - (int64_t)i);
	/* cursor pages give the whole list once, in order */
	req.sort = STORE_SORT_RELEVANCE;
	req.limit = 7;
	for (k = 0; k < 30; k += res.n) {
		n = found(s, "river", INT64_MAX / 2, &req, ids, &res);
		for (i = 0; i < n; i++)
			CHECK_INT(ids[i], all[k + i]);
		req.after = res.next;
		if (!res.has_more)
			break;
	}
	CHECK_INT(k + res.n, 30);
	/* offsets */
	memset(&req, 0, sizeof(req));
	req.offset = 28;
	req.limit = 5;
	CHECK_INT(found(s, "river", INT64_MAX / 2, &req, ids, &res), 2);
	CHECK(!res.has_more);
	arena_free(ar);
	done(s);
}

/* Facet counts match the filtered totals. */
static void test_search_facets(void)
{
	static const char *persons[] = {"Anna Petrova"};
	struct store_search_req req = {.facets = true, .limit = 5};
	struct store_search_result res;
	struct search_query pq;
	struct pr_error e = {0};
	struct arena *ar = arena_new(1 << 20);
	struct store *s = fresh();
	struct article a;
	size_t i;
	int j;

	for (j = 1; j <= 12; j++) {
		a = text_article(j, j % 2 ? "en" : "ru",
		                 31557600LL * (40 + j % 3), "Lake", "lake");
		a.kind = j % 4 ? "news" : "speech";
		if (j % 3 == 0)
			a.entities[ENTITY_PERSON] =
			    (struct names){1, persons, NULL};
		put(s, a);
	}
	CHECK_INT(search_parse(ar, STR_LIT("lake"), &pq, &e), PR_OK);
	req.q = &pq;
	req.now = INT64_MAX / 2;
	CHECK_INT(store_search(s, ar, &req, &res, &e), PR_OK);
	CHECK_INT(res.total, 12);
	CHECK_INT(res.facets[STORE_FACET_KIND].n, 2);
	CHECK_STR(res.facets[STORE_FACET_KIND].v[0].key, "news");
	CHECK_INT(res.facets[STORE_FACET_KIND].v[0].count, 9);
	CHECK_INT(res.facets[STORE_FACET_KIND].v[1].count, 3);
	CHECK_INT(res.facets[STORE_FACET_LANG].n, 2);
	CHECK_INT(res.facets[STORE_FACET_YEAR].n, 3);
	for (i = 0; i < 3; i++)
		CHECK_INT(res.facets[STORE_FACET_YEAR].v[i].count, 4);
	CHECK_INT(res.facets[STORE_FACET_PERSON].n, 1);
	CHECK_STR(res.facets[STORE_FACET_PERSON].v[0].key, "anna-petrova");
	CHECK_STR(res.facets[STORE_FACET_PERSON].v[0].name, "Anna Petrova");
	CHECK_INT(res.facets[STORE_FACET_PERSON].v[0].count, 4);
	req.limit = 0;
	CHECK_INT(store_search(s, ar, &req, &res, &e), PR_INVALID);
	arena_free(ar);
	done(s);
}

/* More matches than a walk may look at: the total is estimated, the best
 * items are still found (those with the word in their title). */
static void test_search_budget(void)
{
	struct store_search_result res;
	struct pr_error e = {0};
	struct store *s = fresh();
	int64_t ids[64];
	int j;

	CHECK_INT(store_begin(s, &e), PR_OK);
	for (j = 1; j <= 12000; j++)
		put(s, text_article(j, "en", 1000 + j,
		                    j == 17 || j == 23 ? "Harbour news"
		                                       : "Other news",
		                    "the harbour is busy today"));
	CHECK_INT(store_commit(s, &e), PR_OK);
	found(s, "harbour", 1000000, NULL, ids, &res);
	CHECK(res.approximate);
	CHECK(res.total > 11000 && res.total < 13000);
	CHECK(ids[0] == 23 || ids[0] == 17);
	CHECK(ids[1] == 23 || ids[1] == 17);
	CHECK_INT(store_check(s, &e), PR_OK);
	done(s);
}

int main(void)
{
	CHECK(pr_time_set_zone("UTC"));
	TEST_RUN(test_open_create);
	TEST_RUN(test_open_missing);
	TEST_RUN(test_open_newer);
	TEST_RUN(test_open_foreign);
	TEST_RUN(test_open_corrupt);
	TEST_RUN(test_open_truncated);
	TEST_RUN(test_check_damage);
	TEST_RUN(test_open_locked);
	TEST_RUN(test_open_readonly);
	TEST_RUN(test_insert_get);
	TEST_RUN(test_insert_invalid);
	TEST_RUN(test_conflict);
	TEST_RUN(test_translations);
	TEST_RUN(test_entities);
	TEST_RUN(test_entity_paging);
	TEST_RUN(test_each);
	TEST_RUN(test_news_pages);
	TEST_RUN(test_generation);
	TEST_RUN(test_two_connections);
	TEST_RUN(test_archive);
	TEST_RUN(test_rollback);
	TEST_RUN(test_fault_insert);
	TEST_RUN(test_fault_transaction);
	TEST_RUN(test_backup);
	TEST_RUN(test_check);
	TEST_RUN(test_feed_lists);
	TEST_RUN(test_lang_changed);
	TEST_RUN(test_sitemap);
	TEST_RUN(test_slug_history);
	TEST_RUN(test_query_plans);
	TEST_RUN(test_photos);
	TEST_RUN(test_search_visible);
	TEST_RUN(test_search_in_step);
	TEST_RUN(test_search_rebuild);
	TEST_RUN(test_search_filters);
	TEST_RUN(test_search_facets);
	TEST_RUN(test_search_budget);
	TEST_DONE();
}
