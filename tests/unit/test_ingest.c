/*
 * test_ingest.c: the importers: the plain-text release of the fixtures
 * taken apart, Markdown escaping (checked through the real renderer), the
 * JSON Lines validation messages word for word, and whole-file rollback.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "render/render.h"
#include "test.h"

#define GOOD                                                                   \
	"{\"id\": 100, \"lang\": \"en\", \"title\": \"Good\", "                \
	"\"published_at\": \"2021-11-18T09:30:00Z\", \"body\": \"Text\"}\n"

#define GOOD2                                                                  \
	"{\"id\": 101, \"lang\": \"en\", \"title\": \"Good\", "                \
	"\"published_at\": \"2021-11-18T09:30:00Z\", \"body\": \"Text\"}\n"

static char tmp[256];
static struct config cfg;

static const char *path_in_tmp(const char *name)
{
	static char p[512];

	snprintf(p, sizeof p, "%s/%s", tmp, name);
	return p;
}

static const char *write_file(const char *name, const char *s, size_t n)
{
	const char *p = path_in_tmp(name);
	FILE *f = fopen(p, "wb");

	CHECK(f != NULL);
	if (f) {
		fwrite(s, 1, n, f);
		fclose(f);
	}
	return p;
}

static char *read_fixture(const char *name, size_t *n)
{
	const char *src = getenv("PR_SOURCE_DIR");
	char p[1024];
	char *data;
	FILE *f;
	long len;

	snprintf(p, sizeof p, "%s/tests/fixtures/%s", src ? src : ".", name);
	if (!(f = fopen(p, "rb"))) {
		fprintf(stderr, "cannot open %s (set PR_SOURCE_DIR)\n", p);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)len + 1);
	*n = fread(data, 1, (size_t)len, f);
	data[*n] = '\0';
	fclose(f);
	return data;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* plain-text releases */

static void test_release_sample(void)
{
	struct arena *a = arena_new(1 << 24);
	struct pr_error e = {0};
	struct release r;
	struct buf html;
	size_t n;
	char *text = read_fixture("sample-release.txt", &n);

	CHECK(text != NULL);
	if (!text)
		return;
	CHECK_INT(ingest_release_parse(a, "sample.txt", (struct str){text, n},
	                               &r, &e),
	          PR_OK);
	CHECK_STR(r.title,
	          "Igor Krasnov, Prosecutor General of the Russian Federation, "
	          "has taken part in the 31st meeting of the Coordination "
	          "Council of Prosecutors General of the CIS Member States "
	          "(CCPG)");
	CHECK_INT(r.photo_count, 9);
	CHECK_INT(r.title_line, 1);
	CHECK_INT(r.lead_line, 4);
	CHECK(starts(r.lead, "Igor Krasnov, Prosecutor General of the Russian "
	                     "Federation, has taken part in the 31st meeting"));
	CHECK(ends(r.lead, "the capital city of the Republic of Kazakhstan."));
	CHECK(starts(r.body, "The meeting was attended by the delegations"));
	CHECK(ends(r.body,
	           "among the guests at the festive events.\xe2\x80\x99"));
	CHECK(!strstr(r.body, "Print News Archive"));
	CHECK(!strstr(r.body, "9 Photo"));
	CHECK_INT(count(r.body, "\n\n"), 16);
	CHECK(strstr(r.body, "2021\xe2\x80\x93"
	                     "2025") != NULL);
	buf_init(&html, 1 << 20);
	CHECK_INT(render_markdown(&html, str_c(r.body), &e), PR_OK);
	CHECK_INT(count(buf_cstr(&html), "<p>"), 17);
	CHECK(!strstr(buf_cstr(&html), "<ol") &&
	      !strstr(buf_cstr(&html), "<ul"));
	CHECK(!strstr(buf_cstr(&html), "<h") &&
	      !strstr(buf_cstr(&html), "<em"));
	buf_free(&html);
	free(text);
	arena_free(a);
}

static void test_release_russian(void)
{
	struct arena *a = arena_new(1 << 24);
	struct pr_error e = {0};
	struct release r;
	size_t n;
	char *text = read_fixture("sample-release.ru.txt", &n);

	CHECK(text != NULL);
	if (!text)
		return;
	CHECK_INT(
	    ingest_release_parse(a, "ru.txt", (struct str){text, n}, &r, &e),
	    PR_OK);
	CHECK(starts(r.title, "Генеральный прокурор Российской Федерации"));
	CHECK_INT(r.photo_count, 9);
	CHECK(starts(r.lead, "Генеральный прокурор Российской Федерации Игорь "
	                     "Краснов принял участие"));
	CHECK(starts(r.body, "В заседании приняли участие"));
	CHECK(ends(r.body, "отметил Игорь Краснов."));
	CHECK(!strstr(r.body, "Версия для печати"));
	CHECK_INT(count(r.body, "\n\n"), 16);
	free(text);
	arena_free(a);
}

static struct release parse(struct arena *a, const char *text, enum pr_err want,
                            struct pr_error *e)
{
	struct release r;

	pr_error_clear(e);
	CHECK_INT(ingest_release_parse(a, "x.txt", str_c(text), &r, e), want);
	return r;
}

static void test_release_forms(void)
{
	struct arena *a = arena_new(1 << 20);
	struct pr_error e = {0};
	struct release r;

	r = parse(a, "Title\n\nTitle.\n\nFirst  para\nline two\n\nSecond\n",
	          PR_OK, &e);
	CHECK_STR(r.lead, "First  para line two");
	CHECK_STR(r.body, "Second");
	CHECK_INT(r.photo_count, -1);
	r = parse(a,
	          "\r\n  Title \r\n12 Photos\r\n\r\nLead\r\n\r\nBody\r\n"
	          "\r\nPrint | News | Archive\r\n\r\n",
	          PR_OK, &e);
	CHECK_STR(r.title, "Title");
	CHECK_INT(r.title_line, 2);
	CHECK_INT(r.photo_count, 12);
	CHECK_STR(r.lead, "Lead");
	CHECK_STR(r.body, "Body");
	r = parse(a, "Заголовок\n3 фото\nВводка\n\nТекст\n\nВерсия для печати",
	          PR_OK, &e);
	CHECK_INT(r.photo_count, 3);
	CHECK_STR(r.lead, "Вводка");
	CHECK_STR(r.body, "Текст");
	r = parse(a, "Only a title", PR_OK, &e);
	CHECK_STR(r.lead, "");
	CHECK_STR(r.body, "");
	r = parse(a, "Title\n\n9 Photos of the day were shown\n", PR_OK, &e);
	CHECK_INT(r.photo_count, -1);
	CHECK_STR(r.lead, "9 Photos of the day were shown");
	r = parse(a, "Title\n\nNews about the archive\n", PR_OK, &e);
	CHECK_STR(r.lead, "News about the archive");
	r = parse(a, "Title\n\nLead\n\n1. not a list\n- nor this\n", PR_OK, &e);
	CHECK_STR(r.body, "1\\. not a list\n\\- nor this");
	parse(a, " \n\n\t\n", PR_INVALID, &e);
	CHECK_STR(e.msg, "x.txt: no title: the release is empty");
	parse(a, "Title\n\nab\xc3(\n", PR_INVALID, &e);
	CHECK_STR(e.msg, "x.txt:3: invalid UTF-8 at byte column 3");
	arena_free(a);
}

/* Markdown escaping */

static const char *escape(const char *line)
{
	static struct buf b;

	buf_free(&b);
	buf_init(&b, 1 << 16);
	ingest_md_escape(&b, str_c(line));
	return buf_cstr(&b);
}

static void test_md_escape_exact(void)
{
	CHECK_STR(escape("1. one"), "1\\. one");
	CHECK_STR(escape("2021) year"), "2021\\) year");
	CHECK_STR(escape("2021 year"), "2021 year");
	CHECK_STR(escape("3.5 percent"), "3.5 percent");
	CHECK_STR(escape("- dash"), "\\- dash");
	CHECK_STR(escape("# hash"), "\\# hash");
	CHECK_STR(escape("> quote"), "\\> quote");
	CHECK_STR(escape("* star"), "\\* star");
	CHECK_STR(escape("a *b* _c_ `d` [e] <f> ~g~ h|i"),
	          "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\] \\<f\\> \\~g\\~ h\\|i");
	CHECK_STR(escape("AT&T &amp; & x &#65; &#x41; &x"),
	          "AT&T \\&amp; & x \\&#65; \\&#x41; &x");
	CHECK_STR(escape("back\\slash"), "back\\\\slash");
	CHECK_STR(escape("  indented  "), "indented");
	CHECK_STR(escape("plain text, “quoted” – dash"),
	          "plain text, “quoted” – dash");
}

/* Each line renders as one paragraph holding exactly its text. */
static void test_md_escape_renders_as_written(void)
{
	static const char *const lines[] = {
	    "1. not a list",
	    "10) nor this",
	    "- no bullet",
	    "+ no bullet",
	    "* no bullet",
	    "# not a heading",
	    "### nor this",
	    "> not a quote",
	    "===",
	    "---",
	    "***",
	    "___",
	    "```",
	    "~~~",
	    "    not code",
	    "a *b* c",
	    "a **b** c",
	    "snake_case_name",
	    "`code`",
	    "[link](http://example.com)",
	    "![img](x.png)",
	    "<b>bold</b>",
	    "<http://example.com>",
	    "&amp; &copy; &#65; AT&T",
	    "~~strike~~",
	    "a | b | c",
	    "|---|---|",
	    "trailing backslash\\",
	    "hard break  ",
	    "[ref]: http://example.com",
	    "2021. A year",
	    "Igor Krasnov said, ‘Such interest…’",
	};
	struct pr_error e = {0};
	struct buf html, want;

	buf_init(&html, 1 << 16);
	buf_init(&want, 1 << 16);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		buf_reset(&html);
		buf_reset(&want);
		CHECK_INT(render_markdown(&html, str_c(escape(lines[i])), &e),
		          PR_OK);
		buf_adds(&want, "<p>");
		html_escape(&want, str_trim(str_c(lines[i])));
		buf_adds(&want, "</p>\n");
		CHECK_STR(buf_cstr(&html), buf_cstr(&want));
	}
	buf_free(&html);
	buf_free(&want);
}

/* JSON Lines */

static struct store *open_db(const char *name)
{
	struct store *s = NULL;
	struct pr_error e = {0};

	unlink(path_in_tmp(name));
	CHECK_INT(store_open(&s, path_in_tmp(name), STORE_CREATE, &e), PR_OK);
	if (e.code)
		fprintf(stderr, "%s\n", e.msg);
	return s;
}

static int64_t articles(struct store *s)
{
	int64_t n = -1;

	CHECK_INT(store_article_count(s, &n, NULL), PR_OK);
	return n;
}

static enum pr_err import(struct store *s, const char *name, const char *text,
                          struct ingest_result *r, struct pr_error *e)
{
	const char *p = write_file(name, text, strlen(text));

	pr_error_clear(e);
	return ingest_file(s, &cfg, p, NULL, r, e);
}

static enum pr_err find_untitled(void *ctx, const struct article *a)
{
	if (strcmp(a->title, "No id") == 0)
		*(int64_t *)ctx = a->id;
	return PR_OK;
}

static void test_jsonl_import(void)
{
	static const char text[] =
	    "{\"id\": 10, \"lang\": \"ru\", \"translation_of\": 11, "
	    "\"title\": \"Перевод\", \"published_at\": "
	    "\"2021-11-18T12:30:00+03:00\", \"body\": \"Текст\"}\n"
	    "\n"
	    "{\"id\": 11, \"lang\": \"en\", \"kind\": \"statement\", "
	    "\"title\": \"The Original\", \"lead\": \"Lead\", "
	    "\"published_at\": \"2021-11-18T09:30:00Z\", "
	    "\"updated_at\": \"2021-11-19T10:00:00Z\", "
	    "\"body\": \"Hello *world*\", \"author\": \"Press office\", "
	    "\"tags\": [\"ecology\", \"law\"], "
	    "\"persons\": [\"Igor Krasnov\"], \"places\": [\"Nur-Sultan\"]}"
	    "\r\n"
	    "{\"lang\": \"en\", \"title\": \"No id\", \"slug\": \"given\", "
	    "\"status\": \"draft\", \"published_at\": "
	    "\"2021-11-18T09:30:00.5+03:00\", \"body\": \"\"}";
	struct store *s = open_db("import.db");
	struct arena *a = arena_new(1 << 20);
	struct ingest_result r;
	struct pr_error e = {0};
	struct article art;
	int64_t untitled = 0;

	if (!s)
		return;
	CHECK_INT(import(s, "ok.jsonl", text, &r, &e), PR_OK);
	if (e.code)
		fprintf(stderr, "%s\n", e.msg);
	CHECK_INT(r.format, INGEST_JSONL);
	CHECK_INT(r.items, 3);
	CHECK_INT(r.photos, 0);
	CHECK_INT(articles(s), 3);
	CHECK_INT(store_article_get(s, a, 11, &art, &e), PR_OK);
	CHECK_STR(art.title, "The Original");
	CHECK_STR(art.slug, "the-original");
	CHECK_STR(art.kind, "statement");
	CHECK_STR(art.lead, "Lead");
	CHECK_STR(art.author, "Press office");
	CHECK(strstr(art.body_html, "<em>world</em>") != NULL);
	CHECK_INT(art.updated_at - art.published_at, 86400 + 1800);
	CHECK_INT(art.entities[ENTITY_TAG].n, 2);
	CHECK_INT(art.entities[ENTITY_PERSON].n, 1);
	CHECK_STR(art.entities[ENTITY_PLACE].name[0], "Nur-Sultan");
	CHECK_INT(store_article_get(s, a, 10, &art, &e), PR_OK);
	CHECK_INT(art.translation_of, 11);
	CHECK_STR(art.slug, "perevod");
	CHECK_INT(art.published_at, art.updated_at);
	CHECK_INT(r.first_id, 11);
	CHECK_INT(r.last_id, 10);
	CHECK_INT(store_article_each(s, find_untitled, &untitled, &e), PR_OK);
	CHECK(untitled > 0 && untitled != 10 && untitled != 11);
	CHECK_INT(store_article_get(s, a, untitled, &art, &e), PR_OK);
	CHECK_STR(art.slug, "given");
	CHECK_INT(art.status, ARTICLE_DRAFT);
	CHECK_INT(art.published_at, 1637227800 - 3 * 3600);
	CHECK_INT(import(s, "empty.jsonl", "", &r, &e), PR_OK);
	CHECK_INT(r.items, 0);
	CHECK_INT(import(s, "blank.jsonl", "\n \n\t\n", &r, &e), PR_OK);
	CHECK_INT(
	    import(
	        s, "again.jsonl",
	        "{\"id\": 11, \"lang\": \"en\", "
	        "\"title\": \"x\", \"published_at\": \"2021-11-18T09:30:00Z\", "
	        "\"body\": \"\"}\n",
	        &r, &e),
	    PR_INVALID);
	CHECK(ends(e.msg, "again.jsonl:1: id: 11 is already in the database"));
	CHECK_INT(articles(s), 3);
	arena_free(a);
	store_close(s);
}

struct bad_case {
	const char *line;
	const char *msg; /* after "PATH:2: " */
	bool prefix;     /* msg is only the start of the message */
};

static const struct bad_case bad_cases[] = {
    {"{\"lang\": \"en\", \"title\": \"x\",", "column ", true},
    {"not json", "column 3: malformed JSON: '[' or '{' expected near 'not'",
     false},
    {"{\"lang\": \"en\", \"lang\": \"en\"}", "column ", true},
    {"[1, 2]", "a record must be a JSON object, not an array", false},
    {"{\"lang\": \"en\", \"published_at\": \"2021-11-18T09:30:00Z\", "
     "\"body\": \"x\"}",
     "title: missing", false},
    {"{\"lang\": \"en\", \"title\": \" \", \"published_at\": "
     "\"2021-11-18T09:30:00Z\", \"body\": \"x\"}",
     "title: is empty", false},
    {"{\"lang\": \"en\", \"title\": null}", "title: must be a string, not null",
     false},
    {"{\"lang\": \"en\", \"title\": 5}",
     "title: must be a string, not an integer", false},
    {"{\"lang\": \"en\", \"title\": \"x\", \"published_at\": "
     "\"2021-13-45\", \"body\": \"x\"}",
     "published_at: not an RFC 3339 date: \"2021-13-45\"", false},
    {"{\"updated_at\": \"yesterday\"}",
     "updated_at: not an RFC 3339 date: \"yesterday\"", false},
    {"{\"lang\": \"de\"}",
     "lang: unknown language \"de\" (this site has en, ru)", false},
    {"{\"kind\": \"blog\"}", "kind: unknown kind \"blog\" (one of news, ",
     true},
    {"{\"status\": \"live\"}", "status: unknown status \"live\"", true},
    {"{\"slug\": \"Not A Slug\"}", "slug: not a slug: \"Not A Slug\"", true},
    {"{\"id\": 0}", "id: must be a positive integer, not zero or less", false},
    {"{\"id\": \"7\"}", "id: must be a positive integer, not a string", false},
    {"{\"id\": 100, \"lang\": \"en\", \"title\": \"x\", \"published_at\": "
     "\"2021-11-18T09:30:00Z\", \"body\": \"x\"}",
     "id: 100 is also the id of line 1", false},
    {"{\"tags\": \"ecology\"}",
     "tags: must be an array of strings, not a string", false},
    {"{\"persons\": [\"a\", \"\"]}", "persons: item 2 is empty", false},
    {"{\"places\": [\"Moscow\", 5]}",
     "places: item 2 must be a string, not an integer", false},
    {"{\"tags\": [\"Law\", \"law\"]}",
     "tags: \"Law\" and \"law\" are the same name", false},
    {"{\"photos\": [\"a.jpg\"]}",
     "photos: item 1 must be an object, not a string", false},
    {"{\"photos\": [{\"caption\": \"x\"}]}",
     "photos: item 1: file is missing or empty", false},
    {"{\"photos\": [{\"file\": \"a/../../b.jpg\"}]}",
     "photos: item 1: file \"a/../../b.jpg\" leaves the folder of this file",
     false},
    {"{\"photos\": [{\"file\": \"/etc/b.jpg\"}]}",
     "photos: item 1: file \"/etc/b.jpg\" must be a path relative to the "
     "folder of this file",
     false},
    {"{\"photos\": [{\"file\": \"b.jpg\", \"taken_at\": \"soon\"}]}",
     "photos: item 1: taken_at must be an RFC 3339 date or null, not "
     "\"soon\"",
     false},
    {"{\"photos\": [{\"file\": \"b.jpg\", \"credit\": 5}]}",
     "photos: item 1: credit must be a string, not an integer", false},
    {"{\"photos\": [{\"file\": \"b.jpg\", \"size\": 5}]}",
     "photos: item 1: unknown field \"size\" (the fields are file, ", true},
    {"{\"lang\": \"en\", \"title\": \"x\", \"published_at\": "
     "\"2021-11-18T09:30:00Z\", \"body\": \"x\", "
     "\"photos\": [{\"file\": \"b.jpg\"}]}",
     "photos: no data folder to store them in", false},
    {"{\"tilte\": \"x\"}",
     "tilte: unknown field (the fields are id, lang, kind, ", true},
    {"{\"lang\": \"en\", \"title\": \"caf\xe9\"}",
     "invalid UTF-8 at byte column 29", false},
    {"{\"lang\": \"en\", \"title\": \"x\", \"published_at\": "
     "\"2021-11-18T09:30:00Z\", \"body\": \"x\", \"translation_of\": 999}",
     "translation_of: no article 999 in the file or the database", false},
    {"{\"id\": 5, \"lang\": \"en\", \"title\": \"x\", \"published_at\": "
     "\"2021-11-18T09:30:00Z\", \"body\": \"x\", \"translation_of\": 5}",
     "translation_of: names the item itself", false},
};

static void test_jsonl_errors(void)
{
	struct store *s = open_db("errors.db");
	struct ingest_result r;
	struct pr_error e = {0};
	char text[4096], want[1024];

	if (!s)
		return;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		snprintf(text, sizeof text, "%s%s\n%s", GOOD, c->line, GOOD2);
		snprintf(want, sizeof want, "%s:2: %s",
		         path_in_tmp("bad.jsonl"), c->msg);
		CHECK(import(s, "bad.jsonl", text, &r, &e) != PR_OK);
		if (c->prefix ? !starts(e.msg, want)
		              : strcmp(e.msg, want) != 0) {
			fprintf(stderr, "case %zu: got  %s\n        want %s\n",
			        i, e.msg, want);
			test_current_failed = 1;
		}
		CHECK_INT(articles(s), 0);
	}
	store_close(s);
}

static void test_jsonl_limits(void)
{
	struct store *s = open_db("limits.db");
	struct config saved = cfg;
	struct ingest_result r;
	struct pr_error e = {0};
	char *text;
	char want[1024];

	if (!s)
		return;
	cfg.max_import_line = 1024;
	text = malloc(1 << 20);
	memcpy(text, GOOD, strlen(GOOD));
	memset(text + strlen(GOOD), 'x', 300000);
	text[strlen(GOOD) + 300000] = '\0';
	CHECK(import(s, "long.jsonl", text, &r, &e) == PR_TOOBIG);
	snprintf(want, sizeof want,
	         "%s:2: line is 300000 bytes, over the "
	         "limit of 1024 (max_import_line)",
	         path_in_tmp("long.jsonl"));
	CHECK_STR(e.msg, want);
	CHECK_INT(articles(s), 0);
	cfg = saved;
	pr_error_clear(&e);
	CHECK(ingest_file(s, &cfg, path_in_tmp("missing.jsonl"), NULL, &r,
	                  &e) == PR_IO);
	snprintf(want, sizeof want,
	         "%s: cannot open: No such file or "
	         "directory",
	         path_in_tmp("missing.jsonl"));
	CHECK_STR(e.msg, want);
	free(text);
	store_close(s);
}

/* A failure on the last line leaves nothing of the file. */
static void test_jsonl_rollback(void)
{
	struct store *s = open_db("rollback.db");
	struct arena *a = arena_new(1 << 20);
	struct ingest_result r;
	struct pr_error e = {0};
	struct article art;
	char text[4096];

	if (!s)
		return;
	CHECK_INT(import(s, "one.jsonl", GOOD, &r, &e), PR_OK);
	snprintf(
	    text, sizeof text,
	    "{\"id\": 1, \"lang\": \"en\", \"title\": \"a\", "
	    "\"published_at\": \"2021-11-18T09:30:00Z\", \"body\": \"a\", "
	    "\"tags\": [\"brand new tag\"]}\n"
	    "{\"id\": 2, \"lang\": \"ru\", \"title\": \"b\", "
	    "\"translation_of\": 1, \"published_at\": "
	    "\"2021-11-18T09:30:00Z\", \"body\": \"b\"}\n"
	    "{\"id\": 3, \"lang\": \"en\", \"title\": \"c\", "
	    "\"published_at\": \"2021-11-31T09:30:00Z\", \"body\": \"c\"}\n");
	CHECK_INT(import(s, "three.jsonl", text, &r, &e), PR_INVALID);
	CHECK(ends(e.msg, "three.jsonl:3: published_at: not an RFC 3339 "
	                  "date: \"2021-11-31T09:30:00Z\""));
	CHECK_INT(articles(s), 1);
	CHECK_INT(store_article_get(s, a, 1, &art, NULL), PR_NOTFOUND);
	CHECK_INT(store_article_get(s, a, 100, &art, NULL), PR_OK);
	arena_free(a);
	store_close(s);
}

/* Many batches: forward translations across batches, blank lines, and an
 * error far into the file that still takes everything back. */
static void test_jsonl_many(void)
{
	struct store *s = open_db("many.db");
	struct arena *a = arena_new(1 << 20);
	struct ingest_result r;
	struct pr_error e = {0};
	struct article art;
	struct buf text;
	char want[1024];

	if (!s)
		return;
	buf_init(&text, 1 << 24);
	for (int i = 1; i <= 500; i++) {
		buf_addf(
		    &text,
		    "{\"id\": %d, \"lang\": \"%s\", \"title\": \"Item %d\", "
		    "\"published_at\": \"2021-11-18T09:30:00Z\", "
		    "\"body\": \"Body *%d*\"",
		    i, i % 2 ? "ru" : "en", i, i);
		if (i % 2)
			buf_addf(&text, ", \"translation_of\": %d", 501 - i);
		buf_adds(&text, "}\n");
		if (i % 7 == 0)
			buf_adds(&text, "\n");
	}
	CHECK_INT(import(s, "many.jsonl", buf_cstr(&text), &r, &e), PR_OK);
	if (e.code)
		fprintf(stderr, "%s\n", e.msg);
	CHECK_INT(r.items, 500);
	CHECK_INT(articles(s), 500);
	CHECK_INT(store_article_get(s, a, 1, &art, &e), PR_OK);
	CHECK_INT(art.translation_group, 500);
	CHECK_INT(store_article_get(s, a, 499, &art, &e), PR_OK);
	CHECK_STR(art.body_html, "<p>Body <em>499</em></p>\n");
	buf_reset(&text);
	for (int i = 1001; i <= 1400; i++)
		buf_addf(&text,
		         "{\"id\": %d, \"lang\": \"en\", \"title\": \"T\", "
		         "\"published_at\": \"%s\", \"body\": \"\"}\n",
		         i,
		         i == 1350 ? "2021-02-30T00:00:00Z"
		                   : "2021-01-01T00:00:00Z");
	CHECK_INT(import(s, "late.jsonl", buf_cstr(&text), &r, &e), PR_INVALID);
	snprintf(want, sizeof want,
	         "%s:350: published_at: not an RFC 3339 date: "
	         "\"2021-02-30T00:00:00Z\"",
	         path_in_tmp("late.jsonl"));
	CHECK_STR(e.msg, want);
	CHECK_INT(articles(s), 500);
	buf_free(&text);
	arena_free(a);
	store_close(s);
}

static void test_text_import(void)
{
	struct store *s = open_db("text.db");
	struct arena *a = arena_new(1 << 22);
	struct ingest_opts o = {0};
	struct ingest_result r, ru;
	struct pr_error e = {0};
	struct article art;
	const char *src = getenv("PR_SOURCE_DIR");
	char en[1024], rus[1024];

	if (!s)
		return;
	snprintf(en, sizeof en, "%s/tests/fixtures/sample-release.txt",
	         src ? src : ".");
	snprintf(rus, sizeof rus, "%s/tests/fixtures/sample-release.ru.txt",
	         src ? src : ".");
	CHECK_INT(ingest_file(s, &cfg, en, &o, &r, &e), PR_INVALID);
	CHECK(strstr(e.msg, "sample-release.txt: a text release needs --date"));
	o.has_date = true;
	CHECK(pr_time_parse(STR_LIT("2021-11-18T09:30:00Z"), &o.date));
	pr_error_clear(&e);
	CHECK_INT(ingest_file(s, &cfg, en, &o, &r, &e), PR_OK);
	CHECK_INT(r.format, INGEST_TEXT);
	CHECK_INT(r.items, 1);
	CHECK_INT(r.photo_count, 9);
	o.lang = "ru";
	o.translation_of = r.first_id;
	CHECK_INT(ingest_file(s, &cfg, rus, &o, &ru, &e), PR_OK);
	CHECK_INT(store_article_get(s, a, ru.first_id, &art, &e), PR_OK);
	CHECK_STR(art.lang, "ru");
	CHECK_INT(art.translation_of, r.first_id);
	CHECK(starts(art.slug, "generalnyy-prokuror-rossiyskoy-federatsii"));
	CHECK_INT(count(art.body_html, "<p>"), 17);
	CHECK_INT(store_article_get(s, a, r.first_id, &art, &e), PR_OK);
	CHECK_STR(art.lang, "en");
	CHECK_STR(art.kind, "news");
	CHECK(starts(art.slug, "igor-krasnov-prosecutor-general"));
	CHECK_INT(art.published_at, o.date);
	o.translation_of = 999999;
	CHECK_INT(ingest_file(s, &cfg, rus, &o, &ru, &e), PR_NOTFOUND);
	CHECK(ends(e.msg, "--translation-of: no article 999999"));
	CHECK_INT(articles(s), 2);
	arena_free(a);
	store_close(s);
}

static void test_guess_format(void)
{
	CHECK_INT(ingest_guess_format("a.jsonl", STR_NULL), INGEST_JSONL);
	CHECK_INT(ingest_guess_format("a.json", STR_NULL), INGEST_JSONL);
	CHECK_INT(ingest_guess_format("a.txt", STR_LIT("{")), INGEST_TEXT);
	CHECK_INT(ingest_guess_format("a", STR_LIT(" \n{\"a\"")), INGEST_JSONL);
	CHECK_INT(ingest_guess_format("a", STR_LIT("\xef\xbb\xbf{")),
	          INGEST_JSONL);
	CHECK_INT(ingest_guess_format("a.md", STR_LIT("Title")), INGEST_TEXT);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/test_ingest.XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	config_defaults(&cfg);
	TEST_RUN(test_release_sample);
	TEST_RUN(test_release_russian);
	TEST_RUN(test_release_forms);
	TEST_RUN(test_md_escape_exact);
	TEST_RUN(test_md_escape_renders_as_written);
	TEST_RUN(test_guess_format);
	TEST_RUN(test_jsonl_import);
	TEST_RUN(test_jsonl_errors);
	TEST_RUN(test_jsonl_limits);
	TEST_RUN(test_jsonl_rollback);
	TEST_RUN(test_jsonl_many);
	TEST_RUN(test_text_import);
	if (!test_failed) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
	}
	TEST_DONE();
}
