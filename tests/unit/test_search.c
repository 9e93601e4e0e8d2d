/*
 * Unit tests of src/search: the tokenizer inside a real FTS5 table, the
 * query parser (including hostile input), relevance cases written as data,
 * highlighting, snippets and spelling suggestions.
 */
#include "search/search.h"
#include "search/search_int.h"
#include "test.h"

#include <sqlite3.h>
#include <stdint.h>

/* --- fixtures ------------------------------------------------------------ */

struct doc {
	int id;
	const char *title, *body;
};

/* English from /work/shared/fixtures/sample-release.txt; Russian written
 * for these tests. */
static const struct doc docs[] = {
    {1,
     "Igor Krasnov, Prosecutor General of the Russian Federation, has taken "
     "part in the 31st meeting of the Coordination Council of Prosecutors "
     "General of the CIS Member States (CCPG)",
     "Igor Krasnov, Prosecutor General of the Russian Federation, has taken "
     "part in the 31st meeting of the Coordination Council of Prosecutors "
     "General of the CIS Member States which is being held in Nur-Sultan "
     "that is the capital city of the Republic of Kazakhstan."},
    {2, "Environmental safety",
     "In his speech, Igor Krasnov, Prosecutor General of the Russian "
     "Federation, presented information on the subject of \xe2\x80\x9c"
     "Experience of supervisory activities of the Prosecution Service of the "
     "Russian Federation in the field of ensuring environmental safety and "
     "protecting the rights of citizens to a healthy environment\xe2\x80\x9d. "
     "Igor Krasnov emphasized that while carrying out these tasks, the bodies "
     "of the Prosecution Service were playing a key role, annually "
     "suppressing about 300 thousand violations of laws in the ecological "
     "sphere."},
    {3, "Afghanistan",
     "He noted that the world community was concerned about the events in "
     "Afghanistan. The concern was raised, in particular, by a threat of the "
     "flow of refugees, the intensification of the activities of terrorist "
     "groups, the growth of illicit trafficking in narcotic drugs through the "
     "neighboring states."},
    {4, "Closing remarks",
     "In his closing remarks, Igor Krasnov, CCPG Chairman, highlighted the "
     "approval, during the event, of the CCPG Plan for the implementation of "
     "the CIS Cooperation Program pertaining to strengthening border "
     "security at external borders for 2021\xe2\x80\x93"
     "2025."},
    {5, "Guest of honor",
     "Cheol-Kyu Hwang, President of the International Association of "
     "Prosecutors, who took part in the CCPG meeting as a guest of honor, "
     "made a welcoming speech as well."},
    {6, "Passengers on the same ship",
     "He referred to the words of Antoine de Saint-Exup\xc3\xa9ry as an "
     "example, \xe2\x80\x98We are all passengers on the same ship called "
     "Earth, and therefore, there is nowhere to get on and off.\xe2\x80\x99"},
    {7, "Health",
     "Measures against COVID-19 were discussed; the pandemic violated many "
     "plans for the year."},
    {10, "Генеральная прокуратура провела совещание",
     "Генеральный прокурор Игорь Краснов провёл встречу с прокурорами "
     "регионов в Нур-Султане."},
    {11, "Прокуроры выявили нарушения",
     "Прокуроры выявили нарушения законодательства об охране окружающей "
     "среды на предприятиях области."},
    {12, "Сотрудничество",
     "В прокуратуре Казахстана обсудили сотрудничество с коллегами из "
     "России."},
    {13, "Новогодняя ёлка",
     "На главной площади города установили новогоднюю ёлку высотой 20 "
     "метров."},
    {14, "Детская елка",
     "Детская елка прошла в Доме культуры; подарки получили сто детей."},
    {15, "Заявление прокурора",
     "Заявление прокурора по делу о загрязнении реки направлено в суд."},
    {16, "Встреча",
     "Делегация встретилась с Игорем Красновым и обсудила планы на 2022 "
     "год."},
};

#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	struct pr_error e = {0};
	char *err = NULL;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return NULL;
	CHECK_INT(search_register(db, &e), PR_OK);
	CHECK_INT(
	    sqlite3_exec(db,
	                 "CREATE VIRTUAL TABLE doc USING fts5(title, body,"
	                 " tokenize='pressroom');"
	                 "CREATE VIRTUAL TABLE doc_v USING fts5vocab(doc, "
	                 "row);",
	                 NULL, NULL, &err),
	    SQLITE_OK);
	if (err)
		fprintf(stderr, "%s\n", err);
	sqlite3_free(err);
	return db;
}

static sqlite3 *fill_db(void)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	size_t i;

	CHECK(sqlite3_prepare_v2(db,
	                         "INSERT INTO doc(rowid, title, body) "
	                         "VALUES (?1, ?2, ?3)",
	                         -1, &st, NULL) == SQLITE_OK);
	for (i = 0; i < N_DOCS; i++) {
		sqlite3_bind_int(st, 1, docs[i].id);
		sqlite3_bind_text(st, 2, docs[i].title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, docs[i].body, -1, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return db;
}

/* Runs a MATCH expression; ids of the matches, best first (bm25 with the
 * title weighted), into ids[]; returns how many, or -1 on an SQLite error. */
static int run_match(sqlite3 *db, const char *match, int *ids, int max)
{
	sqlite3_stmt *st;
	int n = 0, rc;

	if (sqlite3_prepare_v2(db,
	                       "SELECT rowid FROM doc WHERE doc MATCH ?1 "
	                       "ORDER BY bm25(doc, 5.0, 1.0), rowid",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n < max)
			ids[n++] = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "MATCH %s: %s\n", match, sqlite3_errmsg(db));
		return -1;
	}
	return n;
}

/* Parses a typed query and runs it; -1 on any error. */
static int run_query(sqlite3 *db, const char *q, int *ids, int max)
{
	struct arena *ar = arena_new(1 << 20);
	struct search_query sq;
	struct pr_error e = {0};
	int n = -1;

	if (search_parse(ar, str_c(q), &sq, &e) == PR_OK)
		n = sq.empty ? 0 : run_match(db, sq.match, ids, max);
	arena_free(ar);
	return n;
}

static bool has(const int *ids, int n, int id)
{
	int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* --- tokens -------------------------------------------------------------- */

struct tokbuf {
	char s[2048];
	size_t n;
};

static int tok_cb(void *ctx, int tflags, const char *t, int n, int s, int e)
{
	struct tokbuf *b = ctx;
	int w;

	w = snprintf(b->s + b->n, sizeof(b->s) - b->n, "%s%.*s",
	             b->n == 0                         ? ""
	             : (tflags & FTS5_TOKEN_COLOCATED) ? "|"
	                                               : " ",
	             n, t);
	if (w > 0 && (size_t)w < sizeof(b->s) - b->n)
		b->n += (size_t)w;
	return SQLITE_OK;
}

static fts5_api *api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;

	sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

/* The tokens of text as "a|colocated b", through the registered tokenizer. */
static const char *tokens(sqlite3 *db, const char *text, int flags)
{
	static struct tokbuf b;
	fts5_api *api = api_of(db);
	fts5_tokenizer tk;
	Fts5Tokenizer *t;
	void *ud;

	b.n = 0;
	b.s[0] = '\0';
	if (api->xFindTokenizer(api, "pressroom", &ud, &tk) != SQLITE_OK ||
	    tk.xCreate(ud, NULL, 0, &t) != SQLITE_OK)
		return "(no tokenizer)";
	if (tk.xTokenize(t, &b, flags, text, (int)strlen(text), tok_cb) !=
	    SQLITE_OK)
		snprintf(b.s, sizeof(b.s), "(error)");
	tk.xDelete(t);
	return b.s;
}

static void test_tokens(void)
{
	sqlite3 *db = open_db();
	const int doc = FTS5_TOKENIZE_DOCUMENT, q = FTS5_TOKENIZE_QUERY;

	CHECK_STR(tokens(db, "прокуроры прокурора прокуратуре", doc),
	          "прокурор прокурор прокуратур");
	CHECK_STR(tokens(db, "meetings meeting violations violated", doc),
	          "meet meet violat violat");
	CHECK_STR(tokens(db, "ёлка Ёлка елка", doc), "елк елк|~elk елк");
	/* й stays й, also written as и + combining breve (NFD) */
	CHECK_STR(tokens(db, "бой бои\xcc\x86", doc), "бо бо");
	CHECK_STR(tokens(db, "йод", doc), "йод");
	CHECK_STR(tokens(db,
	                 "2021\xe2\x80\x93"
	                 "2025 CCPG",
	                 doc),
	          "2021 2025 ccpg|~kpg");
	CHECK_STR(tokens(db, "COVID-19", doc), "covid|~kovid|covid19 19");
	CHECK_STR(tokens(db, "Нур-Султан", doc),
	          "нур|~nur|нурсулта|~nursultan султа|~sultan");
	CHECK_STR(tokens(db, "Nur-Sultan", doc),
	          "nur|~nur|nursultan|~nursultan sultan|~sultan");
	/* keys: capitalised words in documents, every word in queries */
	CHECK_STR(tokens(db, "Краснов краснов", doc), "красн|~krasnov красн");
	CHECK_STR(tokens(db, "krasnov", q), "krasnov|~krasnov");
	CHECK_STR(tokens(db, "Красновым Krasnova", doc),
	          "краснов|~krasnov krasnova|~krasnov");
	/* diacritics, compatibility forms, possessives, look-alike letters */
	CHECK_STR(
	    tokens(db, "Saint-Exup\xc3\xa9ry caf\xc3\xa9 \xef\xac\x81le", doc),
	    "saint|~saint|saintexuperi|~sainteksuper exuperi|~eksuper cafe "
	    "file");
	CHECK_STR(tokens(db, "General\xe2\x80\x99s", doc), "general|~general");
	CHECK_STR(tokens(db,
	                 "\xd0\xbcoск\xd0\xb2"
	                 "a",
	                 doc),
	          "москв"); /* Latin o, a */
	/* separators, invalid bytes, empty */
	CHECK_STR(tokens(db,
	                 "a\xff"
	                 "b \xc3 c--d -e- 'f'",
	                 doc),
	          "a b c d e f");
	CHECK_STR(tokens(db, "", doc), "");
	/* prefixes: the folded form, the stem and the key without ending */
	CHECK_STR(tokens(db, "Крас", q | FTS5_TOKENIZE_PREFIX), "крас|~kras");
	CHECK_STR(tokens(db, "Prosecutors", q | FTS5_TOKENIZE_PREFIX),
	          "prosecutors|prosecutor|~prosekutors");
	CHECK_STR(tokens(db, "\xe2\x80\x94 ... !!!", doc), "");
	sqlite3_close(db);
}

/* Name keys meet across alphabets and spellings. */
static void test_name_keys(void)
{
	static const char *const same[][2] = {
	    {"Краснов", "Krasnov"},
	    {"Краснова", "Krasnov"},
	    {"Красновым", "Krasnova"},
	    {"Нур-Султане", "Nur-Sultan"},
	    {"Дмитрий", "Dmitry"},
	    {"Дмитрия", "Dmitriy"},
	    {"Ельцин", "Yeltsin"},
	    {"Горбачёв", "Gorbachyov"},
	    {"Горбачев", "Gorbachev"},
	    {"Хрущёв", "Khrushchev"},
	    {"Фёдор", "Fyodor"},
	    {"Цой", "Tsoi"},
	    {"Михаил", "Mikhail"},
	    {"Александр", "Aleksandr"},
	    {"Мария", "Maria"},
	    {"Марии", "Mariya"},
	    {"Путина", "Putin"},
	    {"Казахстана", "Kazakhstan"},
	    {"Достоевского", "Dostoevsky"},
	    {"Сергей", "Sergey"},
	    {"Сергея", "Sergei"},
	    {"Андреев", "Andreyev"},
	};
	struct search__word w1, w2;
	char k1[SEARCH__TOKEN_MAX], k2[SEARCH__TOKEN_MAX];
	size_t i, j, n1, n2, p1, p2;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		p1 = p2 = 0;
		CHECK(search__next_word(same[i][0], strlen(same[i][0]), &p1,
		                        &w1));
		CHECK(search__next_word(same[i][1], strlen(same[i][1]), &p2,
		                        &w2));
		for (j = 0; j < w1.n && j < w2.n; j++) {
			n1 = search__name_key(&w1.part[j], false, k1);
			n2 = search__name_key(&w2.part[j], false, k2);
			if (n1 == 0 || n1 != n2 || memcmp(k1, k2, n1) != 0) {
				fprintf(stderr, "%s %.*s != %s %.*s\n",
				        same[i][0], (int)n1, k1, same[i][1],
				        (int)n2, k2);
				test_current_failed = 1;
			}
		}
	}
}

/* FTS5 makes one tokenizer instance per table per connection, so the
 * stemmers (not thread-safe) are never shared between connections. */
static int instances;
static fts5_tokenizer inner;
static void *inner_ud;

static int count_create(void *ud, const char **az, int n, Fts5Tokenizer **out)
{
	instances++;
	return inner.xCreate(inner_ud, az, n, out);
}

static int counted_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
                            const char *text, int n,
                            int (*x)(void *, int, const char *, int, int, int))
{
	return inner.xTokenize(t, ctx, flags, text, n, x);
}

static void counted_delete(Fts5Tokenizer *t)
{
	inner.xDelete(t);
}

static void register_counting(sqlite3 *db)
{
	fts5_api *api = api_of(db);
	static fts5_tokenizer counting = {count_create, counted_delete,
	                                  counted_tokenize};

	CHECK_INT(search_register(db, NULL), PR_OK);
	CHECK_INT(api->xFindTokenizer(api, "pressroom", &inner_ud, &inner),
	          SQLITE_OK);
	CHECK_INT(api->xCreateTokenizer(api, "counting", NULL, &counting, NULL),
	          SQLITE_OK);
}

static void test_instances(void)
{
	const char *path = "/tmp/pressroom-test-search.db";
	sqlite3 *a, *b;

	remove(path);
	instances = 0;
	CHECK(sqlite3_open(path, &a) == SQLITE_OK);
	CHECK(sqlite3_open(path, &b) == SQLITE_OK);
	register_counting(a);
	register_counting(b);
	CHECK(sqlite3_exec(a,
	                   "CREATE VIRTUAL TABLE t1 USING fts5(x, "
	                   "tokenize='counting');"
	                   "CREATE VIRTUAL TABLE t2 USING fts5(x, "
	                   "tokenize='counting');"
	                   "INSERT INTO t1 VALUES ('Прокуроры');"
	                   "INSERT INTO t2 VALUES ('meetings');",
	                   NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT(instances, 2);
	CHECK(sqlite3_exec(b,
	                   "SELECT * FROM t1 WHERE t1 MATCH 'прокурор';"
	                   "SELECT * FROM t2 WHERE t2 MATCH 'meeting';"
	                   "SELECT * FROM t1 WHERE t1 MATCH 'x';",
	                   NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT(instances, 4);
	sqlite3_close(a);
	sqlite3_close(b);
	remove(path);
}

/* --- the parser ---------------------------------------------------------- */

/* The MATCH expression for q ("(empty)" when there is nothing to search). */
static const char *match_of(const char *q)
{
	static char out[4096];
	struct arena *ar = arena_new(1 << 20);
	struct search_query sq;
	struct pr_error e = {0};

	if (search_parse(ar, str_c(q), &sq, &e) != PR_OK)
		snprintf(out, sizeof(out), "(error: %s)", e.msg);
	else
		snprintf(out, sizeof(out), "%s",
		         sq.empty ? "(empty)" : sq.match);
	arena_free(ar);
	return out;
}

static void test_parse(void)
{
	CHECK_STR(match_of("krasnov afghanistan"),
	          "\"krasnov\" AND \"afghanistan\"");
	CHECK_STR(match_of("\"exact phrase\" word"),
	          "\"exact phrase\" AND \"word\"");
	CHECK_STR(match_of("prosecut*"), "\"prosecut\"*");
	CHECK_STR(match_of("ab*"), "\"ab\""); /* too short for a prefix */
	CHECK_STR(match_of("Krasnov -Afghanistan"),
	          "\"Krasnov\" NOT \"Afghanistan\"");
	CHECK_STR(match_of("x y -z NOT w"),
	          "(\"x\" AND \"y\") NOT \"z\" NOT \"w\"");
	CHECK_STR(match_of("a OR b c"), "(\"a\" OR \"b\") AND \"c\"");
	CHECK_STR(match_of("a OR b OR c d OR e"),
	          "(\"a\" OR \"b\" OR \"c\") AND (\"d\" OR \"e\")");
	CHECK_STR(match_of("ёлка ИЛИ елка"), "(\"ёлка\" OR \"елка\")");
	CHECK_STR(match_of("a or b"), "\"a\" AND \"or\" AND \"b\"");
	CHECK_STR(match_of("Nur-Sultan"), "(\"Nur-Sultan\" OR \"NurSultan\")");
	CHECK_STR(match_of("\xc2\xabНур-Султан\xc2\xbb"), "\"Нур-Султан\"");
	CHECK_STR(match_of("\"unbalanced phrase"), "\"unbalanced phrase\"");
	CHECK_STR(match_of("title:foo"), "\"title:foo\"");
	CHECK_STR(match_of("NEAR(a b)"), "\"NEAR\" AND \"a\" AND \"b\"");
	CHECK_STR(match_of("^foo +bar"), "\"^foo\" AND \"bar\"");
	CHECK_STR(match_of("a\"b"), "\"a\" AND \"b\"");
	CHECK_STR(match_of("\"a \"\" b\""), "\"a \" AND \" b\"");
	CHECK_STR(match_of("\"a bcd\"*"), "\"a bcd\"*");
	CHECK_STR(match_of("-foo"), "(empty)");
	CHECK_STR(match_of("-foo -bar NOT baz"), "(empty)");
	CHECK_STR(match_of(""), "(empty)");
	CHECK_STR(match_of("   "), "(empty)");
	CHECK_STR(match_of("OR AND NOT - * \"\" \""), "(empty)");
	CHECK_STR(match_of("a OR"), "\"a\"");
	CHECK_STR(match_of("OR a"), "\"a\"");
	CHECK_STR(match_of("a OR -b c"), "(\"a\" AND \"c\") NOT \"b\"");
	CHECK_STR(match_of("!!! a"), "\"a\"");
}

/* Out of memory at every step: a clean PR_NOMEM, never a half-filled
 * result. */
static void test_parse_nomem(void)
{
	struct search_query q;
	struct pr_error e;
	struct arena *ar;
	size_t max;
	int ok = 0, nomem = 0;
	enum pr_err rc;

	for (max = 16; max < 65536; max += 64) {
		ar = arena_new(max);
		pr_error_clear(&e);
		rc = search_parse(
		    ar, STR_LIT("a OR b \"c d\" -e Nur-Sultan f*"), &q, &e);
		CHECK(rc == PR_OK || rc == PR_NOMEM);
		if (rc == PR_NOMEM) {
			CHECK(q.empty && q.n_terms == 0 && q.match[0] == '\0');
			nomem++;
		} else {
			CHECK(q.n_terms == 6);
			ok++;
		}
		arena_free(ar);
	}
	CHECK(ok > 0 && nomem > 0);
}

/* A word longer than a token is cut, not refused. */
static void test_long_word(void)
{
	sqlite3 *db = open_db();
	char text[10001];
	const char *t;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	t = tokens(db, text, FTS5_TOKENIZE_DOCUMENT);
	CHECK(strlen(t) > 100 && strlen(t) <= SEARCH__TOKEN_MAX);
	CHECK(strchr(t, ' ') == NULL && strchr(t, '|') == NULL);
	sqlite3_close(db);
}

static void test_parse_terms(void)
{
	struct arena *ar = arena_new(1 << 20);
	struct search_query q;
	struct pr_error e = {0};
	const char *typed = "Krasnov \"Coordination Council\" prosecut* -war";

	CHECK_INT(search_parse(ar, str_c(typed), &q, &e), PR_OK);
	CHECK_INT(q.n_terms, 4);
	CHECK(!q.empty && !q.truncated);
	CHECK(str_eq_c(q.terms[0].text, "Krasnov") && q.terms[0].at == 0);
	CHECK(str_eq_c(q.terms[1].text, "Coordination Council"));
	CHECK(q.terms[1].phrase && q.terms[1].at == 9);
	CHECK(str_eq_c(q.terms[2].text, "prosecut") && q.terms[2].prefix);
	CHECK(str_eq_c(q.terms[3].text, "war") && q.terms[3].excluded);
	CHECK(q.terms[3].at == 42 && q.terms[3].len == 3);
	arena_free(ar);
}

static void test_parse_limits(void)
{
	struct arena *ar = arena_new(1 << 22);
	struct search_query q;
	struct pr_error e = {0};
	struct buf b;
	int i;

	buf_init(&b, 1 << 20);
	for (i = 0; b.n < 10240; i++)
		buf_addf(&b, "word%d ", i);
	CHECK_INT(search_parse(ar, buf_str(&b), &q, &e), PR_OK);
	CHECK_INT(q.n_terms, SEARCH_MAX_TERMS);
	CHECK(q.truncated && !q.empty);
	buf_reset(&b);
	for (i = 0; i < 10240; i++)
		buf_addc(&b, "ab \"*-"[i % 6]);
	CHECK_INT(search_parse(ar, buf_str(&b), &q, &e), PR_OK);
	CHECK(q.n_terms <= SEARCH_MAX_TERMS);
	buf_reset(&b);
	for (i = 0; i < 1000; i++)
		buf_adds(&b, "ж");
	CHECK_INT(search_parse(ar, buf_str(&b), &q, &e), PR_OK);
	CHECK(q.truncated && q.n_terms == 1);
	CHECK_INT(q.terms[0].text.n, SEARCH_MAX_TERM_BYTES);
	/* invalid UTF-8 and NUL bytes are refused with the offset */
	CHECK_INT(search_parse(ar, STR_LIT("ok \xd0"), &q, &e), PR_INVALID);
	CHECK(strstr(e.msg, "byte 3") != NULL);
	CHECK(q.empty && q.n_terms == 0 && q.match[0] == '\0');
	pr_error_clear(&e);
	CHECK_INT(search_parse(ar, STR_LIT("a\0b"), &q, &e), PR_INVALID);
	CHECK(strstr(e.msg, "byte 1") != NULL);
	pr_error_clear(&e);
	CHECK_INT(search_parse(ar, STR_LIT("\xed\xa0\x80"), &q, &e),
	          PR_INVALID);
	buf_free(&b);
	arena_free(ar);
}

/* Whatever is typed, the expression runs without an SQLite error. */
static void test_hostile(void)
{
	static const char *const typed[] = {
	    "\"",
	    "\"\"",
	    "\"\"\"",
	    "\"abc",
	    "abc\"",
	    "-",
	    "--",
	    "*",
	    "**",
	    "OR",
	    "AND",
	    "NOT",
	    "OR OR",
	    "a OR",
	    "OR a",
	    "NEAR(a b)",
	    "NEAR(a b, 2)",
	    "a NEAR b",
	    "title:foo",
	    "body:\"x y\"",
	    "^foo",
	    "(a",
	    "a)",
	    "((a OR b) AND c)",
	    "{a b}",
	    "a:b:c",
	    "-\"a b\"",
	    "\"a\" NOT",
	    "+",
	    "a*b*c",
	    "'",
	    "\\",
	    "NOT NOT a",
	    "-a -b",
	    " ",
	    "",
	    "a - b",
	    "-*",
	    "\"*\"",
	    "NEAR",
	    "col:\"x\"",
	    "\"a\"*\"b\"",
	    "ИЛИ",
	    "\xc2\xa0",
	    "a AND OR NOT b",
	    "* a",
	    "a \"b",
	    "\"a\" \"",
	    "- - - a",
	    "prosecut* OR",
	    "x:y:z:",
	    "\"-a\"",
	    "a\"*",
	    "a'b'c",
	    "\xe2\x80\x9cquoted\xe2\x80\x9d",
	    "\xc2\xab\xc2\xbb",
	    "a\t\n\rb",
	    "1e10 0x1f -1 +1",
	    "a;b,c|d&e",
	    "%s%n%x",
	    "' OR 1=1 --",
	};
	static const char alphabet[] = "ab \"*-():^+OR NOTAND\xd0\xb6";
	sqlite3 *db = fill_db();
	int ids[64], n;
	size_t i, j;
	char q[64];
	uint32_t seed = 12345;

	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		n = run_query(db, typed[i], ids, 64);
		if (n < 0)
			fprintf(stderr, "query failed: [%s]\n", typed[i]);
		CHECK(n >= 0);
	}
	for (i = 0; i < 3000; i++) {
		size_t len = (seed >> 8) % (sizeof(q) - 1);
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			q[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		q[len] = '\0';
		if (!utf8_valid(q, len, NULL))
			continue;
		n = run_query(db, q, ids, 64);
		if (n < 0)
			fprintf(stderr, "query failed: [%s]\n", q);
		CHECK(n >= 0);
	}
	sqlite3_close(db);
}

/* --- relevance cases ----------------------------------------------------- */

struct rel_case {
	const char *query;
	int want[6]; /* ids that must be among the results, 0-ended */
	int not_[4]; /* ids that must not match, 0-ended */
	int top;     /* want[0] must be the first result when set */
};

static const struct rel_case cases[] = {
    /* Russian word forms */
    {"прокуроры", {10, 11, 15}, {12, 13}, 0},
    {"прокурора", {10, 11, 15}, {12}, 0},
    {"прокуратура", {10, 12}, {11, 15}, 0},
    {"прокуратуре", {10, 12}, {11}, 0},
    {"прокуратура Казахстана", {12}, {10}, 1},
    {"генеральный прокурор", {10}, {11}, 1},
    {"нарушение", {11}, {}, 0},
    /* English word forms */
    {"meetings", {1, 5}, {2}, 0},
    {"meeting", {1, 5}, {}, 0},
    {"violated", {2, 7}, {3}, 0},
    {"violations", {2, 7}, {}, 0},
    {"environmental violations", {2}, {1, 7}, 1},
    {"prosecutors", {1, 2, 5}, {3}, 0},
    {"refugee", {3}, {}, 1},
    /* ё and е */
    {"ёлка", {13, 14}, {}, 0},
    {"елка", {13, 14}, {}, 0},
    {"ЁЛКИ", {13, 14}, {}, 0},
    /* phrases, exclusion, OR, prefix */
    {"\"Coordination Council\"", {1}, {5}, 1},
    {"\"Council Coordination\"", {0}, {1}, 0},
    {"\"new year tree\"", {0}, {13}, 0},
    {"Krasnov -Afghanistan", {1, 2, 4}, {3}, 0},
    {"Krasnov NOT Kazakhstan", {2, 4, 10, 16}, {1, 12}, 0},
    {"refugees OR ёлка", {3, 13, 14}, {1}, 0},
    {"прокур*", {10, 11, 12, 15}, {13}, 0},
    {"prosecut*", {1, 2, 5}, {3}, 0},
    {"environ*", {2}, {3}, 1},
    {"Крас*", {1, 2, 10, 16}, {3}, 0},
    {"krasno*", {1, 2, 10, 16}, {3}, 0},
    {"\"Игорь Крас\"*", {1, 10, 16}, {3, 11}, 0},
    /* numbers and mixed tokens */
    {"2021\xe2\x80\x93"
     "2025",
     {4},
     {3},
     1},
    {"2025", {4}, {}, 1},
    {"CCPG", {1, 4, 5}, {2}, 0},
    {"ccpg", {1, 4, 5}, {}, 0},
    {"COVID-19", {7}, {}, 1},
    {"covid19", {7}, {}, 1},
    {"covid", {7}, {}, 1},
    {"31st", {1}, {}, 1},
    {"Saint-Exupery", {6}, {}, 1},
    {"exupery", {6}, {}, 1},
    {"Cheol-Kyu", {5}, {}, 1},
    /* names across alphabets */
    {"Krasnov", {1, 2, 4, 10, 16}, {3, 11}, 0},
    {"krasnov", {1, 2, 10, 16}, {3}, 0},
    {"Краснов", {1, 2, 4, 10, 16}, {3, 11}, 0},
    {"Красновым", {1, 10, 16}, {}, 0},
    {"Нур-Султан", {1, 10}, {2}, 0},
    {"Nur-Sultan", {1, 10}, {2}, 0},
    {"нурсултан", {1, 10}, {}, 0},
    {"Kazakhstan", {1, 12}, {2}, 0},
    {"Казахстан", {1, 12}, {2}, 0},
    {"Igor Krasnov Nur-Sultan", {1, 10}, {2}, 0},
    {"Игорь Краснов Afghanistan", {0}, {1, 10}, 0},
};

static void test_relevance(void)
{
	sqlite3 *db = fill_db();
	int ids[64], n, k;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rel_case *c = &cases[i];
		bool ok = (n = run_query(db, c->query, ids, 64)) >= 0;
		for (k = 0; ok && k < 6 && c->want[k]; k++)
			ok = has(ids, n, c->want[k]);
		for (k = 0; ok && k < 4 && c->not_[k]; k++)
			ok = !has(ids, n, c->not_[k]);
		if (ok && c->top)
			ok = n > 0 && ids[0] == c->want[0];
		if (ok)
			continue;
		fprintf(stderr, "relevance: [%s] gave", c->query);
		for (k = 0; k < n; k++)
			fprintf(stderr, " %d", ids[k]);
		fprintf(stderr, " (%s)\n", match_of(c->query));
		test_current_failed = 1;
	}
	sqlite3_close(db);
}

/* Arbitrary bytes as documents: the tokenizer never fails. */
static void test_arbitrary_documents(void)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	unsigned char text[512];
	uint32_t seed = 99;
	size_t i, j;

	CHECK(sqlite3_prepare_v2(db, "INSERT INTO doc(body) VALUES (?1)", -1,
	                         &st, NULL) == SQLITE_OK);
	for (i = 0; i < 500; i++) {
		for (j = 0; j < sizeof(text); j++) {
			seed = seed * 1103515245u + 12345u;
			text[j] = (unsigned char)(seed >> 16);
			if (i % 2 && text[j] > 0x80 && j + 1 < sizeof(text))
				text[j++] = 0xd0,
				text[j] = 0x80 | (seed & 0x3f);
		}
		sqlite3_bind_blob(st, 1, text, (int)(i % sizeof(text)),
		                  SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	CHECK(sqlite3_exec(db, "INSERT INTO doc(doc) VALUES('integrity-check')",
	                   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

/* --- highlighting and snippets ------------------------------------------- */

static const char *marked(const char *q, const char *text, bool snippet,
                          size_t words)
{
	static char out[4096];
	struct arena *ar = arena_new(1 << 20);
	struct search_query sq;
	struct search_hl *h = NULL;
	struct buf b;

	buf_init(&b, sizeof(out) - 1);
	if (search_parse(ar, str_c(q), &sq, NULL) == PR_OK &&
	    search_hl_new(&h, &sq, NULL) == PR_OK) {
		if (snippet)
			search_snippet(h, &b, str_c(text), words);
		else
			search_highlight(h, &b, str_c(text));
	}
	snprintf(out, sizeof(out), "%s", b.err ? "(error)" : buf_cstr(&b));
	search_hl_free(h);
	buf_free(&b);
	arena_free(ar);
	return out;
}

static void test_highlight(void)
{
	CHECK_STR(marked("прокурор", "Прокуроры и прокурора, а не прокуратура.",
	                 false, 0),
	          "<mark>Прокуроры</mark> и <mark>прокурора</mark>, а не "
	          "прокуратура.");
	CHECK_STR(
	    marked("meetings", "A meeting <b>met</b> & \"meets\"", false, 0),
	    "A <mark>meeting</mark> &lt;b&gt;met&lt;/b&gt; &amp; "
	    "&quot;<mark>meets</mark>&quot;");
	CHECK_STR(marked("Krasnov", "Игорь Краснов и Krasnova", false, 0),
	          "Игорь <mark>Краснов</mark> и <mark>Krasnova</mark>");
	CHECK_STR(marked("Nur-Sultan", "в Нур-Султане", false, 0),
	          "в <mark>Нур</mark>-<mark>Султане</mark>");
	CHECK_STR(marked("нурсултан", "in Nur-Sultan", false, 0),
	          "in <mark>Nur</mark>-<mark>Sultan</mark>");
	CHECK_STR(marked("елка", "Ёлка", false, 0), "<mark>Ёлка</mark>");
	CHECK_STR(marked("prosecut*", "Prosecutors, prosecution", false, 0),
	          "<mark>Prosecutors</mark>, <mark>prosecution</mark>");
	CHECK_STR(marked("x -meeting", "meeting x", false, 0),
	          "meeting <mark>x</mark>");
	CHECK_STR(marked("a", "bad\xff byte", false, 0),
	          "bad\xef\xbf\xbd byte");
	CHECK_STR(marked("", "<i>", false, 0), "&lt;i&gt;");
}

static void test_snippet(void)
{
	const char *body = docs[2].body; /* doc 3, Afghanistan */
	const char *s;

	s = marked("refugees terrorist", body, true, 12);
	CHECK(strncmp(s, "\xe2\x80\xa6 ", 4) == 0);
	CHECK(strstr(s, "<mark>refugees</mark>") != NULL);
	CHECK(strstr(s, "<mark>terrorist</mark>") != NULL);
	CHECK(strstr(s, " \xe2\x80\xa6") != NULL);
	s = marked("nothing", body, true, 5);
	CHECK_STR(s, "He noted that the world \xe2\x80\xa6");
	s = marked("He", body, true, 3);
	CHECK_STR(s, "<mark>He</mark> noted that \xe2\x80\xa6");
	s = marked("states", body, true, 4);
	CHECK_STR(s,
	          "\xe2\x80\xa6 through the neighboring <mark>states</mark>");
	s = marked("x", "a\n\n  <x>   b", true, 0);
	CHECK_STR(s, "a &lt;<mark>x</mark>&gt; b");
	CHECK_STR(marked("x", "", true, 0), "");
}

/* --- suggestions --------------------------------------------------------- */

static const char *suggestion(sqlite3 *db, const char *word)
{
	static char out[256];
	struct arena *ar = arena_new(1 << 20);
	struct pr_error e = {0};
	struct str s;
	enum pr_err rc;

	rc = search_suggest(db, "doc_v", "doc", ar, str_c(word), &s, &e);
	snprintf(out, sizeof(out), "%.*s",
	         rc == PR_OK ? (int)s.n : (int)strlen(pr_strerror(rc)),
	         rc == PR_OK ? s.p : pr_strerror(rc));
	arena_free(ar);
	return out;
}

static void test_suggest(void)
{
	sqlite3 *db = fill_db();
	struct arena *ar = arena_new(1 << 20);
	struct search_query q;
	struct str s;
	const char *typed = "Afganistan -x \"a b\" refugees prosecotors";

	CHECK_STR(suggestion(db, "Afganistan"), "afghanistan");
	CHECK_STR(suggestion(db, "refugess"), "refugees");
	CHECK_STR(suggestion(db, "прокурары"), "прокуроры");
	CHECK_STR(suggestion(db, "prosecotor"), "prosecutor");
	/* "prosecuter" has the stem of "prosecution": nothing to correct */
	CHECK_STR(suggestion(db, "prosecuter"), pr_strerror(PR_NOTFOUND));
	CHECK_STR(suggestion(db, "Krasnov"), pr_strerror(PR_NOTFOUND));
	CHECK_STR(suggestion(db, "Краснов"), pr_strerror(PR_NOTFOUND));
	CHECK_STR(suggestion(db, "zzzzzz"), pr_strerror(PR_NOTFOUND));
	CHECK_STR(suggestion(db, "ab"), pr_strerror(PR_NOTFOUND));
	CHECK(search_suggest(db, "doc_v;", "doc", ar, STR_LIT("x"), &s, NULL) ==
	      PR_INVALID);
	CHECK_INT(search_parse(ar, str_c(typed), &q, NULL), PR_OK);
	CHECK_INT(search_suggest_query(db, "doc_v", "doc", ar, str_c(typed), &q,
	                               &s, NULL),
	          PR_OK);
	CHECK(str_eq_c(s, "afghanistan -x \"a b\" refugees prosecutors"));
	arena_free(ar);
	sqlite3_close(db);
}

int main(void)
{
	TEST_RUN(test_tokens);
	TEST_RUN(test_name_keys);
	TEST_RUN(test_instances);
	TEST_RUN(test_parse);
	TEST_RUN(test_parse_terms);
	TEST_RUN(test_parse_nomem);
	TEST_RUN(test_long_word);
	TEST_RUN(test_parse_limits);
	TEST_RUN(test_hostile);
	TEST_RUN(test_relevance);
	TEST_RUN(test_arbitrary_documents);
	TEST_RUN(test_highlight);
	TEST_RUN(test_snippet);
	TEST_RUN(test_suggest);
	TEST_DONE();
}
