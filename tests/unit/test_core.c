/* Unit tests of src/core. */
#include "core/core.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

static void test_str(void)
{
	struct str s = STR_LIT("a,b,,c"), part;
	int64_t v;

	part = str_cut(&s, ',');
	CHECK(str_eq_c(part, "a"));
	CHECK(str_eq_c(s, "b,,c"));
	CHECK(str_eq_c(str_trim(STR_LIT("  x y \n")), "x y"));
	CHECK(str_to_i64(STR_LIT("9223372036854775807"), 0, INT64_MAX, &v));
	CHECK(v == INT64_MAX);
	CHECK(!str_to_i64(STR_LIT("9223372036854775808"), 0, INT64_MAX, &v));
	CHECK(str_to_i64(STR_LIT("-9223372036854775808"), INT64_MIN, 0, &v));
	CHECK(!str_to_i64(STR_LIT("12a"), 0, 100, &v));
	CHECK(!str_to_i64(STR_LIT(""), 0, 100, &v));
	CHECK(!str_to_i64(STR_LIT("-"), -5, 100, &v));
	CHECK(!str_to_i64(STR_LIT("101"), 0, 100, &v));
	CHECK(str_prefix(STR_LIT("/en/news"), STR_LIT("/en/")));
	CHECK(str_suffix(STR_LIT("a.jsonl"), STR_LIT(".jsonl")));
}

static void test_buf(void)
{
	struct buf b;
	char *p;
	size_t n;

	buf_init(&b, 10);
	buf_adds(&b, "hello");
	buf_addf(&b, "%d", 42);
	CHECK_STR(buf_cstr(&b), "hello42");
	buf_adds(&b, "toolong");
	CHECK(b.err == PR_TOOBIG);
	buf_adds(&b, "x");
	CHECK_STR(buf_cstr(&b), "");
	buf_reset(&b);
	buf_addc(&b, 'z');
	p = buf_detach(&b, &n);
	CHECK_STR(p, "z");
	CHECK_INT(n, 1);
	free(p);
	buf_free(&b);
}

static void test_arena(void)
{
	struct arena *a = arena_new(100000);
	char *s;
	int i;

	s = arena_printf(a, "%s-%d", "id", 7);
	CHECK_STR(s, "id-7");
	for (i = 0; i < 1000; i++)
		CHECK(arena_alloc(a, 50) != NULL);
	CHECK(arena_alloc(a, 200000) == NULL);
	arena_reset(a);
	CHECK(arena_used(a) <= 8192);
	CHECK_STR(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}

static void test_time(void)
{
	char out[PR_TIME_LEN];
	int64_t t;

	CHECK(pr_time_parse(STR_LIT("2021-11-18T09:30:00Z"), &t));
	CHECK_INT(t, 1637227800);
	pr_time_format(t, out);
	CHECK_STR(out, "2021-11-18T09:30:00Z");
	CHECK(pr_time_parse(STR_LIT("2021-11-18T12:30:00.123+03:00"), &t));
	CHECK_INT(t, 1637227800);
	CHECK(pr_time_parse(STR_LIT("1790-01-08T12:00:00Z"), &t));
	pr_time_format(t, out);
	CHECK_STR(out, "1790-01-08T12:00:00Z");
	CHECK(!pr_time_parse(STR_LIT("2021-02-30T00:00:00Z"), &t));
	CHECK(!pr_time_parse(STR_LIT("2021-13-01T00:00:00Z"), &t));
	CHECK(!pr_time_parse(STR_LIT("2021-11-18"), &t));
	CHECK(!pr_time_parse(STR_LIT("2021-11-18T09:30:00"), &t));
	CHECK(!pr_time_parse(STR_LIT("2021-11-18T09:30:00Zjunk"), &t));
	CHECK(pr_time_parse(STR_LIT("2024-02-29T00:00:00Z"), &t));
	pr_time_http(1637227800, out);
	CHECK_STR(out, "Thu, 18 Nov 2021 09:30:00 GMT");
	CHECK(pr_time_parse_http(str_c(out), &t));
	CHECK_INT(t, 1637227800);
	CHECK(!pr_time_parse_http(STR_LIT("yesterday"), &t));
	CHECK(
	    !pr_time_parse_http(STR_LIT("Thu, 18 Nov 2021 09:30:00 XYZ"), &t));
	CHECK_INT(pr_days_in_month(2000, 2), 29);
	CHECK_INT(pr_days_in_month(1900, 2), 28);
}

static void test_zone(void)
{
	struct pr_date d;

	CHECK(!pr_time_set_zone("Nowhere/Atlantis"));
	CHECK(!pr_time_set_zone("../etc/passwd"));
	if (access("/usr/share/zoneinfo/Europe/Moscow", R_OK) == 0) {
		CHECK(pr_time_set_zone("Europe/Moscow"));
		pr_time_local(1637227800, &d);
		CHECK_INT(d.hour, 12);
		CHECK_INT(d.utcoff, 3 * 3600);
		CHECK_INT(pr_time_local_midnight(2021, 11, 18),
		          1637227800 - 12 * 3600 - 30 * 60);
	}
	CHECK(pr_time_set_zone("UTC"));
	pr_time_local(1637227800, &d);
	CHECK_INT(d.hour, 9);
	CHECK_INT(pr_time_local_midnight(2021, 12, 32),
	          pr_time_local_midnight(2022, 1, 1));
}

static void test_utf8(void)
{
	size_t bad = 0;

	CHECK(utf8_valid("Краснов", strlen("Краснов"), NULL));
	CHECK(!utf8_valid("ab\xc3", 3, &bad));
	CHECK_INT(bad, 2);
	CHECK(!utf8_valid("a\xed\xa0\x80", 4, &bad)); /* surrogate */
	CHECK(!utf8_valid("\xc0\xaf", 2, &bad));      /* overlong */
	CHECK(!utf8_valid("a\0b", 3, &bad));
	CHECK_INT(bad, 1);
	CHECK_INT(utf8_len(STR_LIT("ёж")), 2);
	CHECK_INT(utf8_prefix(STR_LIT("ёж"), 3).n, 2);
}

static void check_slug(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 1000);
	slug_make(&b, str_c(in), SLUG_MAX);
	CHECK_STR(buf_cstr(&b), want);
	CHECK(slug_valid(buf_str(&b)));
	buf_free(&b);
}

static void test_slug(void)
{
	check_slug("Igor Krasnov, Prosecutor General",
	           "igor-krasnov-prosecutor-general");
	check_slug("Генеральный прокурор Игорь Краснов",
	           "generalnyy-prokuror-igor-krasnov");
	check_slug("Нур-Султан", "nur-sultan");
	check_slug("Щёлково: объём", "shchelkovo-obem");
	check_slug("Antoine de Saint-Exupéry", "antoine-de-saint-exupery");
	check_slug("Prosecutor General’s Office", "prosecutor-generals-office");
	check_slug("2021–2025", "2021-2025");
	check_slug("!!!", "item");
	check_slug("", "item");
	check_slug("Қазақстан Республикасы", "qazaqstan-respublikasy");
	check_slug("aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee "
	           "ffffffffff gggggggggg hhhhhhhhhh",
	           "aaaaaaaaaa-bbbbbbbbbb-cccccccccc-dddddddddd-eeeeeeeeee-"
	           "ffffffffff-gggggggggg");
	CHECK(!slug_valid(STR_LIT("Abc")));
	CHECK(!slug_valid(STR_LIT("a--b")));
	CHECK(!slug_valid(STR_LIT("-a")));
	CHECK(!slug_valid(STR_LIT("../x")));
}

static void test_hash(void)
{
	uint8_t h[32];
	char hex[65];

	hash_sha256("abc", 3, h);
	hash_hex(h, 32, hex);
	CHECK_STR(
	    hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK(hash64("a", 1, 0) != hash64("b", 1, 0));
}

static const char *write_tmp(const char *text)
{
	static char path[] = "/tmp/pr-test-conf-XXXXXX";
	int fd;
	FILE *f;

	memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_config(void)
{
	struct config c;
	struct pr_error e = {0};
	const char *p;
	FILE *f;

	config_defaults(&c);
	CHECK_INT(c.n_languages, 2);
	CHECK_STR(c.default_language, "en");
	CHECK_INT(c.page_size, 20);
	p = write_tmp("# comment\nsite_name_en = Prosecutor's Office\n"
	              "languages = ru\ndefault_language = ru\n"
	              "page_size = 10\naccess_log = no\n");
	CHECK_INT(config_load(&c, p, &e), PR_OK);
	CHECK_STR(c.site_name_en, "Prosecutor's Office");
	CHECK_INT(c.n_languages, 1);
	CHECK_INT(c.page_size, 10);
	CHECK(!c.access_log);
	unlink(p);

	config_defaults(&c);
	p = write_tmp("threads = 2\n\ncolour = blue\n");
	CHECK_INT(config_load(&c, p, &e), PR_INVALID);
	CHECK(strstr(e.msg, ":3: unknown key \"colour\"") != NULL);
	unlink(p);

	pr_error_clear(&e);
	p = write_tmp("page_size = 0\n");
	CHECK_INT(config_load(&c, p, &e), PR_INVALID);
	CHECK(strstr(
	          e.msg,
	          ":1: page_size: \"0\" is not a whole number from 1 to 200") !=
	      NULL);
	unlink(p);

	pr_error_clear(&e);
	config_defaults(&c);
	p = write_tmp("languages = en\ndefault_language = ru\n");
	CHECK_INT(config_load(&c, p, &e), PR_INVALID);
	CHECK(strstr(e.msg, "default_language") != NULL);
	unlink(p);

	pr_error_clear(&e);
	config_defaults(&c);
	p = write_tmp("timezone = Mars/Olympus\n");
	CHECK_INT(config_load(&c, p, &e), PR_INVALID);
	unlink(p);

	/* the example file parses back to the defaults */
	pr_error_clear(&e);
	p = write_tmp("");
	f = fopen(p, "w");
	config_write_example(f);
	fclose(f);
	config_defaults(&c);
	CHECK_INT(config_load(&c, p, &e), PR_OK);
	CHECK_STR(c.site_name_ru, "Пресс-служба");
	unlink(p);

	pr_error_clear(&e);
	CHECK_INT(config_load(&c, "/nonexistent/pressroom.conf", &e),
	          PR_NOTFOUND);
}

static void test_error(void)
{
	struct pr_error e = {0};

	CHECK_INT(pr_fail(&e, PR_INVALID, "first %d", 1), PR_INVALID);
	pr_fail(&e, PR_IO, "second");
	CHECK_STR(e.msg, "first 1");
	CHECK_INT(e.code, PR_INVALID);
	CHECK_INT(pr_fail(NULL, PR_IO, "x"), PR_IO);
	CHECK_STR(pr_strerror(PR_NOTFOUND), "not found");
}

int main(void)
{
	TEST_RUN(test_str);
	TEST_RUN(test_buf);
	TEST_RUN(test_arena);
	TEST_RUN(test_time);
	TEST_RUN(test_zone);
	TEST_RUN(test_utf8);
	TEST_RUN(test_slug);
	TEST_RUN(test_hash);
	TEST_RUN(test_config);
	TEST_RUN(test_error);
	TEST_DONE();
}
