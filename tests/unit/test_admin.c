/*
 * Unit tests of src/admin and the diff it shows: form bodies decoded and
 * refused, tokens and their comparison, the roles of policy.c as a table,
 * the workflow states, password hashes, and render_diff on small, large
 * and hostile texts (escaped, bounded).
 */
#include "admin/admin_int.h"
#include "test.h"

#include <time.h>
#include <unistd.h>

static struct arena *ar;

static struct str field(const struct form *f, const char *k)
{
	return admin__field(f, k);
}

static void test_form(void)
{
	struct pr_error e = {0};
	struct form f;

	CHECK_INT(admin__form_parse(ar,
	                            STR_LIT("a=1&b=x+y%21&c=%E2%82%AC&&d="
	                                    "&body=l1%0D%0Al2%0D%0A"),
	                            &f, &e),
	          PR_OK);
	CHECK_INT(f.n, 5);
	CHECK(str_eq_c(field(&f, "a"), "1"));
	CHECK(str_eq_c(field(&f, "b"), "x y!"));
	CHECK(str_eq_c(field(&f, "c"), "€"));
	CHECK(str_eq_c(field(&f, "d"), ""));
	CHECK(str_eq_c(field(&f, "body"), "l1\nl2\n"));
	CHECK(field(&f, "missing").p == NULL);
	/* a value that looks like SQL is only text */
	CHECK_INT(admin__form_parse(ar, STR_LIT("t=%27%3B+DROP+TABLE+article"),
	                            &f, &e),
	          PR_OK);
	CHECK(str_eq_c(field(&f, "t"), "'; DROP TABLE article"));
}

static void test_form_bad(void)
{
	struct pr_error e = {0};
	struct form f;
	struct buf b;

	CHECK_INT(admin__form_parse(ar, STR_LIT("a=%4"), &f, &e), PR_INVALID);
	pr_error_clear(&e);
	CHECK_INT(admin__form_parse(ar, STR_LIT("a=%zz"), &f, &e), PR_INVALID);
	pr_error_clear(&e);
	CHECK_INT(admin__form_parse(ar, STR_LIT("title=%FF%FE"), &f, &e),
	          PR_INVALID);
	CHECK(strstr(e.msg, "title") != NULL);
	pr_error_clear(&e);
	CHECK_INT(admin__form_parse(ar, STR_LIT("a=x%00y"), &f, &e),
	          PR_INVALID);
	pr_error_clear(&e);
	buf_init(&b, 1 << 20);
	for (int i = 0; i <= ADMIN_FIELDS_MAX; i++)
		buf_addf(&b, "k%d=v&", i);
	CHECK_INT(admin__form_parse(ar, buf_str(&b), &f, &e), PR_TOOBIG);
	buf_free(&b);
}

static void test_form_encode(void)
{
	struct pr_error e = {0};
	struct form f, g;
	struct buf b;

	CHECK_INT(admin__form_parse(ar,
	                            STR_LIT("csrf=secret&title=A+%26+B&body=x%"
	                                    "0Ay"),
	                            &f, &e),
	          PR_OK);
	buf_init(&b, 4096);
	admin__form_encode(&b, &f, "csrf");
	CHECK(strstr(buf_cstr(&b), "secret") == NULL);
	CHECK_INT(admin__form_parse(ar, buf_str(&b), &g, &e), PR_OK);
	CHECK_INT(g.n, 2);
	CHECK(str_eq_c(field(&g, "title"), "A & B"));
	CHECK(str_eq_c(field(&g, "body"), "x\ny"));
	buf_free(&b);
}

static void test_tokens(void)
{
	char a[ADMIN_TOKEN_HEX + 1], b[ADMIN_TOKEN_HEX + 1];
	char h[ADMIN_TOKEN_HEX + 1];

	admin__token_new(a);
	admin__token_new(b);
	CHECK(admin__token_valid(str_c(a)));
	CHECK(strcmp(a, b) != 0);
	CHECK(!admin__token_valid(STR_LIT("abc")));
	a[5] = 'G';
	CHECK(!admin__token_valid(str_c(a)));
	admin__token_hash(str_c(b), h);
	CHECK(admin__token_valid(str_c(h)));
	CHECK(strcmp(h, b) != 0);
	CHECK(admin__secret_eq(str_c(b), str_c(b)));
	CHECK(!admin__secret_eq(str_c(b), str_c(h)));
	CHECK(!admin__secret_eq(STR_LIT(""), STR_LIT("")));
	CHECK(!admin__secret_eq(STR_NULL, str_c(b)));
	CHECK(!admin__secret_eq(STR_LIT("abc"), STR_LIT("abcd")));
}

static void test_states(void)
{
	CHECK_INT(admin__state(ARTICLE_DRAFT, 0, 0, 100), STATE_DRAFT);
	CHECK_INT(admin__state(ARTICLE_DRAFT, 0, 50, 100), STATE_SUBMITTED);
	CHECK_INT(admin__state(ARTICLE_PUBLISHED, 200, 0, 100),
	          STATE_SCHEDULED);
	CHECK_INT(admin__state(ARTICLE_PUBLISHED, 100, 0, 100),
	          STATE_PUBLISHED);
	CHECK_INT(admin__state(ARTICLE_WITHDRAWN, 10, 0, 100), STATE_WITHDRAWN);
	CHECK_STR(admin__state_name(STATE_SUBMITTED), "submitted");
}

static void test_policy(void)
{
	struct user author = {.id = 7, .role = ROLE_AUTHOR};
	struct user editor = {.id = 8, .role = ROLE_EDITOR};
	struct user admin = {.id = 9, .role = ROLE_ADMIN};
	struct user off = {.id = 10, .role = ROLE_ADMIN, .disabled = true};

	/* authors: their own items before they are out */
	CHECK(admin__may(&author, ACT_CREATE, -1, 0));
	CHECK(admin__may(&author, ACT_EDIT, 7, STATE_DRAFT));
	CHECK(admin__may(&author, ACT_SUBMIT, 7, STATE_DRAFT));
	CHECK(!admin__may(&author, ACT_EDIT, 8, STATE_DRAFT));
	CHECK(!admin__may(&author, ACT_VIEW, 8, STATE_DRAFT));
	CHECK(!admin__may(&author, ACT_EDIT, 7, STATE_PUBLISHED));
	CHECK(!admin__may(&author, ACT_PUBLISH, 7, STATE_DRAFT));
	CHECK(!admin__may(&author, ACT_WITHDRAW, 7, STATE_PUBLISHED));
	CHECK(!admin__may(&author, ACT_LINKS, 7, STATE_DRAFT));
	CHECK(!admin__may(&author, ACT_USERS, -1, 0));
	/* editors: anyone's items, not the accounts */
	CHECK(admin__may(&editor, ACT_EDIT, 7, STATE_PUBLISHED));
	CHECK(admin__may(&editor, ACT_PUBLISH, 7, STATE_SUBMITTED));
	CHECK(admin__may(&editor, ACT_WITHDRAW, 7, STATE_PUBLISHED));
	CHECK(!admin__may(&editor, ACT_USERS, -1, 0));
	CHECK(!admin__may(&editor, ACT_AUDIT, -1, 0));
	/* admins everything; nobody when disabled or unknown */
	CHECK(admin__may(&admin, ACT_USERS, -1, 0));
	CHECK(admin__may(&admin, ACT_AUDIT, -1, 0));
	CHECK(!admin__may(&off, ACT_ENTER, -1, 0));
	CHECK(!admin__may(NULL, ACT_ENTER, -1, 0));
}

static void test_password(void)
{
	struct config cfg;
	struct pr_error e = {0};
	char h[ADMIN_HASH_LEN];

	config_defaults(&cfg);
	cfg.password_opslimit = 1;
	cfg.password_memlimit_kb = 8;
	CHECK_INT(admin_password_check(STR_LIT("short"), &e), PR_INVALID);
	pr_error_clear(&e);
	CHECK_INT(admin_password_check(STR_LIT("long enough"), &e), PR_OK);
	CHECK_INT(admin_password_hash(&cfg, STR_LIT("correct horse"), h, &e),
	          PR_OK);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	CHECK(admin_password_verify(h, STR_LIT("correct horse")));
	CHECK(!admin_password_verify(h, STR_LIT("correct horsE")));
	CHECK(!admin_password_verify(h, STR_LIT("")));
	CHECK(!admin_password_verify("garbage", STR_LIT("correct horse")));
	CHECK(!admin_password_verify(NULL, STR_LIT("x")));
}

/* render_diff */

static const char *diff(const char *a, const char *b)
{
	static char out[4096];
	struct buf buf;

	buf_init(&buf, 1 << 20);
	CHECK_INT(render_diff(&buf, str_c(a), str_c(b), NULL), PR_OK);
	snprintf(out, sizeof(out), "%s", buf_cstr(&buf));
	buf_free(&buf);
	return out;
}

static void test_diff(void)
{
	CHECK_STR(diff("", ""), "");
	CHECK_STR(diff("same text", "same text"), "same text");
	CHECK_STR(diff("the red fox", "the brown fox"),
	          "the <del>red</del><ins>brown</ins> fox");
	CHECK_STR(diff("a b", "a b c"), "a b<ins> c</ins>");
	CHECK_STR(diff("x a b", "a b"), "<del>x </del>a b");
	CHECK_STR(diff("", "new"), "<ins>new</ins>");
	CHECK_STR(diff("old", ""), "<del>old</del>");
	CHECK_STR(diff("one two three four", "one three four five"),
	          "one <del>two </del>three four<ins> five</ins>");
	/* everything is escaped, markup included */
	CHECK_STR(diff("<b>a</b>", "<i>a</i>"),
	          "<del>&lt;b&gt;a&lt;/b&gt;</del><ins>&lt;i&gt;a&lt;/i&gt;"
	          "</ins>");
	CHECK_STR(diff("5 < 6 & \"q\"", "5 < 7 & \"q\""),
	          "5 &lt; <del>6</del><ins>7</ins> &amp; &quot;q&quot;");
}

/* Two long texts that differ everywhere: the table would be too big, so
 * the comparison goes by lines and stays fast and bounded. */
static void test_diff_bounded(void)
{
	struct buf a, b, out;
	clock_t t0 = clock();
	double secs;

	buf_init(&a, 16 << 20);
	buf_init(&b, 16 << 20);
	buf_init(&out, 64 << 20);
	for (int i = 0; i < 20000; i++) {
		buf_addf(&a, "w%d ", i);
		buf_addf(&b, "v%d ", i);
		if (i % 10 == 9) {
			buf_addc(&a, '\n');
			buf_addc(&b, '\n');
		}
	}
	CHECK_INT(render_diff(&out, buf_str(&a), buf_str(&b), NULL), PR_OK);
	CHECK(strstr(buf_cstr(&out), "<del>w0 ") != NULL);
	CHECK(strstr(buf_cstr(&out), "v19999") != NULL);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(secs < 5.0);
	/* a small change in a long text stays word by word */
	buf_reset(&out);
	buf_reset(&b);
	buf_addstr(&b, buf_str(&a));
	memcpy(b.p + 1000, "XXXX", 4);
	CHECK_INT(render_diff(&out, buf_str(&a), buf_str(&b), NULL), PR_OK);
	CHECK(strstr(buf_cstr(&out), "<ins>") != NULL);
	CHECK(out.n < a.n + 200);
	/* a full output buffer is an error, not a crash */
	buf_free(&out);
	buf_init(&out, 100);
	CHECK_INT(render_diff(&out, buf_str(&a), buf_str(&b), NULL), PR_TOOBIG);
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}

/* The store's side of editing */

static struct article item(int64_t id, int64_t at, enum article_status st)
{
	struct article a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.lang = "en";
	a.title = "Title";
	a.lead = "Lead";
	a.body = "Body";
	a.body_html = "<p>Body</p>";
	a.status = st;
	a.published_at = at;
	return a;
}

/* The ids of the visible English items, newest first, as a string. */
static const char *news_ids(struct store *s, int64_t now)
{
	static char out[256];
	struct article_list l;
	size_t k = 0;

	out[0] = '\0';
	if (store_news_page(s, ar, "en", now, 1, 50, &l, NULL) != PR_OK)
		return "error";
	for (size_t i = 0; i < l.n; i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%lld",
		                      i ? " " : "", (long long)l.items[i].id);
	return out;
}

static void test_store_editing(void)
{
	char dir[] = "/tmp/test_admin.XXXXXX", path[128];
	struct revision_meta m = {0};
	struct pr_error e = {0};
	struct store *s = NULL;
	struct article a;
	int64_t gen0, gen1, due;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/site.db", dir);
	CHECK_INT(store_open(&s, path, STORE_CREATE, &e), PR_OK);
	for (int64_t id = 1; id <= 3; id++) {
		a = item(id, 1000 * id, ARTICLE_PUBLISHED);
		CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	}
	a = item(4, 5000, ARTICLE_DRAFT);
	CHECK_INT(store_article_insert(s, &a, &e), PR_OK);
	CHECK_STR(news_ids(s, 10000), "3 2 1");
	/* a save moves item 1 to the newest place, as a new revision */
	a = item(1, 3500, ARTICLE_PUBLISHED);
	a.title = "Title, corrected";
	m.base = 1;
	m.who = "Tester";
	m.note = "fixed";
	m.public = true;
	store_generation(s, 10000, &gen0, &due, NULL);
	CHECK_INT(store_article_update(s, &a, &m, &e), PR_OK);
	CHECK_INT(a.revision, 2);
	store_generation(s, 10000, &gen1, &due, NULL);
	CHECK(gen1 != gen0);
	CHECK_STR(news_ids(s, 10000), "1 3 2");
	/* a save from the old base is refused and changes nothing */
	a.title = "Lost?";
	CHECK_INT(store_article_update(s, &a, &m, &e), PR_CONFLICT);
	pr_error_clear(&e);
	CHECK_INT(store_article_get(s, ar, 1, &a, &e), PR_OK);
	CHECK_STR(a.title, "Title, corrected");
	CHECK_INT(a.revision, 2);
	/* publish the draft in the middle, schedule, withdraw */
	CHECK_INT(store_article_set_status(s, 4, ARTICLE_PUBLISHED, 2500, 2500,
	                                   0, &e),
	          PR_OK);
	CHECK_STR(news_ids(s, 10000), "1 3 4 2");
	CHECK_INT(store_article_set_status(s, 3, ARTICLE_PUBLISHED, 20000,
	                                   20000, 0, &e),
	          PR_OK);
	CHECK_STR(news_ids(s, 10000), "1 4 2");
	CHECK_STR(news_ids(s, 20000), "3 1 4 2");
	store_generation(s, 10000, &gen1, &due, NULL);
	CHECK_INT(due, 20000);
	CHECK_INT(store_article_set_status(s, 4, ARTICLE_WITHDRAWN, 2500, 9000,
	                                   0, &e),
	          PR_OK);
	CHECK_STR(news_ids(s, 20000), "3 1 2");
	CHECK_INT(store_check(s, &e), PR_OK);
	/* the revisions: the first public one, then the correction */
	{
		struct revision *v;
		size_t n;
		CHECK_INT(store_revisions(s, ar, 1, true, &v, &n, &e), PR_OK);
		CHECK_INT(n, 2);
		CHECK(n == 2 && v[0].public && v[1].public);
		CHECK(n == 2 && strcmp(v[1].note, "fixed") == 0);
		CHECK(n == 2 && strcmp(v[0].title, "Title") == 0);
	}
	if (e.code)
		fprintf(stderr, "%s\n", e.msg);
	store_close(s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/site.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/site.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	ar = arena_new((size_t)64 << 20);
	TEST_RUN(test_form);
	TEST_RUN(test_form_bad);
	TEST_RUN(test_form_encode);
	TEST_RUN(test_tokens);
	TEST_RUN(test_states);
	TEST_RUN(test_policy);
	TEST_RUN(test_password);
	TEST_RUN(test_diff);
	TEST_RUN(test_diff_bounded);
	TEST_RUN(test_store_editing);
	arena_free(ar);
	TEST_DONE();
}
