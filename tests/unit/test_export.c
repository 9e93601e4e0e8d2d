/*
 * test_export.c: the JSON Lines exporter: the exact bytes of an article's
 * line (field order, what is left out, UTF-8 as it is), refusal of invalid
 * UTF-8, and a whole export from a database, to a stream and to a folder.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "test.h"

static char tmp[256];

static const char *path_in_tmp(const char *name)
{
	static char p[512];

	snprintf(p, sizeof p, "%s/%s", tmp, name);
	return p;
}

static const char *tags[] = {"ecology"};
static const char *tag_slugs[] = {"ecology"};
static const char *places[] = {"Nur-Sultan", "Moscow"};
static const char *place_slugs[] = {"nur-sultan", "moscow"};

static struct article sample(void)
{
	struct article a = {
	    .id = 67075041,
	    .slug = "hello-world",
	    .lang = "en",
	    .kind = "news",
	    .title = "Hello \"world\" / \xc3\xbc\t<b>",
	    .lead = "",
	    .body = "Body *md*\n\nMore",
	    .body_html = "<p>Body <em>md</em></p>\n<p>More</p>\n",
	    .author = "",
	    .status = ARTICLE_PUBLISHED,
	    .published_at = 1637227800, /* 2021-11-18T09:30:00Z */
	    .updated_at = 1637236800,   /* 2021-11-18T12:00:00Z */
	    .revision = 1,
	};

	a.entities[ENTITY_TAG] = (struct names){1, tags, tag_slugs};
	a.entities[ENTITY_PLACE] = (struct names){2, places, place_slugs};
	return a;
}

static void test_article_line(void)
{
	struct article a = sample();
	struct pr_error e = {0};
	struct buf b;

	buf_init(&b, 1 << 16);
	CHECK_INT(export_article(&b, &a, &e), PR_OK);
	CHECK_STR(buf_cstr(&b),
	          "{\"id\": 67075041, \"lang\": \"en\", \"kind\": \"news\", "
	          "\"status\": \"published\", "
	          "\"published_at\": \"2021-11-18T09:30:00Z\", "
	          "\"updated_at\": \"2021-11-18T12:00:00Z\", "
	          "\"title\": \"Hello \\\"world\\\" / \xc3\xbc\\t<b>\", "
	          "\"slug\": \"hello-world\", "
	          "\"body\": \"Body *md*\\n\\nMore\", "
	          "\"tags\": [\"ecology\"], "
	          "\"places\": [\"Nur-Sultan\", \"Moscow\"]}\n");
	buf_reset(&b);
	a.lead = "Вводка";
	a.author = "Пресс-служба";
	a.translation_of = 67075040;
	a.status = ARTICLE_WITHDRAWN;
	a.entities[ENTITY_TAG].n = 0;
	a.entities[ENTITY_PLACE].n = 0;
	CHECK_INT(export_article(&b, &a, &e), PR_OK);
	CHECK_STR(buf_cstr(&b),
	          "{\"id\": 67075041, \"lang\": \"en\", \"kind\": \"news\", "
	          "\"status\": \"withdrawn\", "
	          "\"published_at\": \"2021-11-18T09:30:00Z\", "
	          "\"updated_at\": \"2021-11-18T12:00:00Z\", "
	          "\"title\": \"Hello \\\"world\\\" / \xc3\xbc\\t<b>\", "
	          "\"slug\": \"hello-world\", \"lead\": \"Вводка\", "
	          "\"body\": \"Body *md*\\n\\nMore\", "
	          "\"translation_of\": 67075040, "
	          "\"author\": \"Пресс-служба\"}\n");
	buf_free(&b);
}

static void test_invalid_utf8(void)
{
	struct article a = sample();
	struct pr_error e = {0};
	struct buf b;

	buf_init(&b, 1 << 16);
	buf_adds(&b, "kept");
	a.body = "bad \xff byte";
	CHECK_INT(export_article(&b, &a, &e), PR_INVALID);
	CHECK_STR(e.msg, "article 67075041: a text field is not valid UTF-8");
	CHECK_STR(buf_cstr(&b), "kept");
	buf_free(&b);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = malloc(1 << 20);

	*n = f ? fread(p, 1, (1 << 20) - 1, f) : 0;
	p[*n] = '\0';
	if (f)
		fclose(f);
	return p;
}

static void test_export_db(void)
{
	struct store *s = NULL;
	struct pr_error e = {0};
	struct article a = sample(), b = sample();
	char *one, *two;
	size_t n1, n2;
	int64_t count = 0;
	FILE *f;

	CHECK_INT(store_open(&s, path_in_tmp("x.db"), STORE_CREATE, &e), PR_OK);
	if (!s) {
		fprintf(stderr, "%s\n", e.msg);
		return;
	}
	a.id = 20;
	b.id = 7;
	b.lang = "ru";
	b.slug = "privet";
	CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	CHECK_INT(store_article_insert(s, &b, &e), PR_OK);
	f = fopen(path_in_tmp("out.jsonl"), "wb");
	CHECK_INT(export_jsonl(s, f, &e), PR_OK);
	fclose(f);
	CHECK_INT(export_dir(s, path_in_tmp("dir/sub"), &count, &e), PR_OK);
	CHECK_INT(count, 2);
	CHECK_INT(export_dir(s, path_in_tmp("dir/sub"), &count, &e), PR_OK);
	one = slurp(path_in_tmp("out.jsonl"), &n1);
	two = slurp(path_in_tmp("dir/sub/articles.jsonl"), &n2);
	CHECK(n1 > 0 && n1 == n2 && memcmp(one, two, n1) == 0);
	CHECK(strncmp(one, "{\"id\": 7, \"lang\": \"ru\"", 22) == 0);
	CHECK(strstr(one, "\n{\"id\": 20, \"lang\": \"en\"") != NULL);
	free(one);
	free(two);
	store_close(s);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/test_export.XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	TEST_RUN(test_article_line);
	TEST_RUN(test_invalid_utf8);
	TEST_RUN(test_export_db);
	if (!test_failed) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
	}
	TEST_DONE();
}
