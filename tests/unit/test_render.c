/*
 * test_render.c: escaping, Markdown (what must be escaped or neutralised,
 * what must come out as HTML), the template engine (values, sections,
 * partials, syntax errors, limits, themes on disk) and the interface
 * strings.
 */
#include "render/render.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct buf out;
static struct pr_error err;

static const char *esc(const char *s)
{
	buf_reset(&out);
	html_escape(&out, str_c(s));
	return buf_cstr(&out);
}

static const char *uesc(const char *s)
{
	buf_reset(&out);
	url_escape(&out, str_c(s));
	return buf_cstr(&out);
}

static const char *hurl(const char *s)
{
	buf_reset(&out);
	html_url(&out, str_c(s));
	return buf_cstr(&out);
}

/* Markdown to HTML; "ERROR" when rendering fails. */
static const char *md(const char *s)
{
	buf_reset(&out);
	pr_error_clear(&err);
	if (render_markdown(&out, str_c(s), &err) != PR_OK)
		return "ERROR";
	return buf_cstr(&out);
}

static bool has(const char *hay, const char *needle)
{
	bool ok = strstr(hay, needle) != NULL;

	if (!ok)
		fprintf(stderr, "  \"%s\" not in \"%s\"\n", needle, hay);
	return ok;
}

static void test_html_escape(void)
{
	CHECK_STR(esc("<a href=\"x\">&'</a>"),
	          "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	CHECK_STR(esc("plain текст"), "plain текст");
	CHECK_STR(esc(""), "");
	CHECK_STR(esc("a\x01"
	              "b\x7f"),
	          "a\xef\xbf\xbd"
	          "b\xef\xbf\xbd");
	CHECK_STR(esc("tab\tnl\n"), "tab\tnl\n");
	/* U+0085 (a C1 control) goes, U+00A0 and U+00E9 stay. */
	CHECK_STR(esc("\xc2\x85|\xc2\xa0|\xc3\xa9"),
	          "\xef\xbf\xbd|\xc2\xa0|\xc3\xa9");
	CHECK_STR(esc("end\xc2"), "end\xc2");
}

static const char *xesc(const char *s, size_t n, bool attr)
{
	buf_reset(&out);
	xml_escape(&out, (struct str){s, n}, attr);
	return buf_cstr(&out);
}

static const char *jesc(const char *s, size_t n, bool html)
{
	buf_reset(&out);
	json_escape(&out, (struct str){s, n}, html);
	return buf_cstr(&out);
}

#define XESC(lit, attr) xesc(lit, sizeof(lit) - 1, attr)
#define JESC(lit, html) jesc(lit, sizeof(lit) - 1, html)

/* Whatever the text, XML 1.0 allows what comes out. */
static void test_xml_escape(void)
{
	CHECK_STR(XESC("a & b < c > d \" e ' f", false),
	          "a &amp; b &lt; c &gt; d &quot; e &apos; f");
	CHECK_STR(XESC("x]]>y</t>", false), "x]]&gt;y&lt;/t&gt;");
	CHECK_STR(XESC("t\tn\nr\r", false), "t\tn\nr&#13;");
	CHECK_STR(XESC("t\tn\nr\r", true), "t&#9;n&#10;r&#13;");
	/* NUL, C0 controls, DEL, C1 controls, U+FFFE, U+FFFF, bad bytes */
	CHECK_STR(XESC("a\0b\x01\x08\x0b\x0c\x1f\x7f|\xc2\x85|"
	               "\xef\xbf\xbe\xef\xbf\xbf|\xff\xc3|\xed\xa0\x80",
	               false),
	          "a\xef\xbf\xbd"
	          "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	          "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd"
	          "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd"
	          "\xef\xbf\xbd\xef\xbf\xbd");
	/* right-to-left marks and other text stay as they are */
	CHECK_STR(
	    XESC("\xe2\x80\xae\xe2\x80\x8f текст \xf0\x9f\x93\xb0", false),
	    "\xe2\x80\xae\xe2\x80\x8f текст \xf0\x9f\x93\xb0");
	CHECK_STR(XESC("", false), "");
}

static void test_xml_writer(void)
{
	struct xmlw w;

	buf_reset(&out);
	xmlw_begin(&w, &out);
	xmlw_open(&w, "feed");
	xmlw_attr_c(&w, "xmlns", "urn:x");
	xmlw_leaf_c(&w, "title", "A & <B>");
	xmlw_open(&w, "link");
	xmlw_attr(&w, "href", STR_LIT("/a?b=1&c=\"2\""));
	xmlw_close(&w);
	xmlw_close(&w);
	CHECK_INT(xmlw_end(&w), PR_OK);
	CHECK_STR(buf_cstr(&out),
	          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	          "<feed xmlns=\"urn:x\">\n"
	          "<title>A &amp; &lt;B&gt;</title>\n"
	          "<link href=\"/a?b=1&amp;c=&quot;2&quot;\"/>\n"
	          "</feed>\n");
	/* calls out of order are caught once, at the end */
	buf_reset(&out);
	xmlw_begin(&w, &out);
	xmlw_open(&w, "a");
	xmlw_text(&w, STR_LIT("text"));
	xmlw_open(&w, "b");
	xmlw_close(&w);
	xmlw_close(&w);
	CHECK_INT(xmlw_end(&w), PR_INTERNAL);
	buf_reset(&out);
	xmlw_begin(&w, &out);
	xmlw_open(&w, "a");
	CHECK_INT(xmlw_end(&w), PR_INTERNAL);
	xmlw_close(&w);
	xmlw_close(&w);
	CHECK_INT(xmlw_end(&w), PR_INTERNAL);
	buf_reset(&out);
	xmlw_begin(&w, &out);
	xmlw_open(&w, "a");
	xmlw_close(&w);
	xmlw_open(&w, "second-root");
	xmlw_close(&w);
	CHECK_INT(xmlw_end(&w), PR_INTERNAL);
}

static void test_json_escape(void)
{
	CHECK_STR(JESC("a\"b\\c/d", false), "a\\\"b\\\\c/d");
	CHECK_STR(JESC("\n\r\t\b\f\x01\x1f\x7f", false),
	          "\\n\\r\\t\\b\\f\\u0001\\u001f\x7f");
	CHECK_STR(JESC("</script><!--&", false), "</script><!--&");
	CHECK_STR(JESC("</script><!--&", true),
	          "\\u003c/script\\u003e\\u003c!--\\u0026");
	CHECK_STR(JESC("\xe2\x80\xa8|\xe2\x80\xa9", true), "\\u2028|\\u2029");
	CHECK_STR(JESC("\xe2\x80\xae текст", true), "\xe2\x80\xae текст");
	CHECK_STR(JESC("\xff|\xed\xa0\x80|\xc3", false),
	          "\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd");
	CHECK_STR(JESC("a\0b", false), "a\\u0000b");
}

static void test_json_writer(void)
{
	struct jsonw w;

	buf_reset(&out);
	jsonw_begin(&w, &out, true);
	jsonw_obj(&w);
	jsonw_kstr(&w, "title", "</script>");
	jsonw_key(&w, "n");
	jsonw_int(&w, -42);
	jsonw_key(&w, "list");
	jsonw_arr(&w);
	jsonw_bool(&w, true);
	jsonw_cstr(&w, NULL);
	jsonw_obj(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	CHECK_INT(jsonw_finish(&w), PR_OK);
	CHECK_STR(buf_cstr(&out), "{\"title\":\"\\u003c/script\\u003e\","
	                          "\"n\":-42,\"list\":[true,\"\",{}]}");
	/* a value without its key, an end too many */
	buf_reset(&out);
	jsonw_begin(&w, &out, false);
	jsonw_obj(&w);
	jsonw_cstr(&w, "x");
	jsonw_end(&w);
	CHECK_INT(jsonw_finish(&w), PR_INTERNAL);
	buf_reset(&out);
	jsonw_begin(&w, &out, false);
	jsonw_arr(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	CHECK_INT(jsonw_finish(&w), PR_INTERNAL);
	buf_reset(&out);
	jsonw_begin(&w, &out, false);
	jsonw_obj(&w);
	jsonw_key(&w, "dangling");
	jsonw_end(&w);
	CHECK_INT(jsonw_finish(&w), PR_INTERNAL);
}

static void test_url_escape(void)
{
	CHECK_STR(uesc("a b/с?&=#"), "a%20b%2F%D1%81%3F%26%3D%23");
	CHECK_STR(uesc("Az09-._~"), "Az09-._~");
	CHECK_STR(uesc("\"<>'"), "%22%3C%3E%27");
}

static void test_url_kind(void)
{
	CHECK_INT(html_url_kind(STR_LIT("https://example.org/")),
	          HTML_URL_ABSOLUTE);
	CHECK_INT(html_url_kind(STR_LIT("HTTP://example.org/")),
	          HTML_URL_ABSOLUTE);
	CHECK_INT(html_url_kind(STR_LIT("//example.org/x")), HTML_URL_ABSOLUTE);
	CHECK_INT(html_url_kind(STR_LIT("\\\\example.org/x")),
	          HTML_URL_ABSOLUTE);
	CHECK_INT(html_url_kind(STR_LIT("mailto:a@b.org")), HTML_URL_MAILTO);
	CHECK_INT(html_url_kind(STR_LIT("/ru/news/1-x")), HTML_URL_RELATIVE);
	CHECK_INT(html_url_kind(STR_LIT("#top")), HTML_URL_RELATIVE);
	CHECK_INT(html_url_kind(STR_LIT("photo.jpg")), HTML_URL_RELATIVE);
	CHECK_INT(html_url_kind(STR_LIT("a/b:c")), HTML_URL_RELATIVE);
	CHECK_INT(html_url_kind(STR_LIT("")), HTML_URL_RELATIVE);
	CHECK_INT(html_url_kind(STR_LIT("javascript:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("JaVaScRiPt:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("\x01javascript:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT(" \t\njavascript:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("java\tscr\nipt:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("data:text/html,<b>")),
	          HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("vbscript:msgbox")), HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("httpx://a")), HTML_URL_UNSAFE);
	CHECK_INT(html_url_kind(STR_LIT("jav\\script:alert(1)")),
	          HTML_URL_UNSAFE);
	CHECK_STR(hurl("javascript:alert(1)"), "#");
	CHECK_STR(hurl(" /a b?x=1&y='\"#f"), "/a%20b?x=1&amp;y=&#39;%22#f");
	CHECK_STR(hurl("/%41%zz/ф"), "/%41%25zz/%D1%84");
}

static void test_md_basic(void)
{
	CHECK_STR(md("Hello *world*"), "<p>Hello <em>world</em></p>\n");
	CHECK_STR(md("a  \nb"), "<p>a<br>\nb</p>\n");
	CHECK_STR(md("~~gone~~ **bold** `x<y`"),
	          "<p><del>gone</del> <strong>bold</strong> "
	          "<code>x&lt;y</code></p>\n");
	CHECK_STR(md("> quote\n\n- a\n- b\n\n3. c\n4. d\n\n---\n"),
	          "<blockquote>\n<p>quote</p>\n</blockquote>\n"
	          "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
	          "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n<hr>\n");
	CHECK_STR(md("```c\nif (a < b)\n```\n"),
	          "<pre><code class=\"language-c\">if (a &lt; b)\n"
	          "</code></pre>\n");
	CHECK_STR(md(""), "");
}

static void test_md_raw_html(void)
{
	const char *h = md("<script>alert(1)</script>\n\nx <b "
	                   "onclick=\"y\">z</b>\n\n<!-- c -->");

	CHECK(has(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	CHECK(has(h, "&lt;b onclick=&quot;y&quot;&gt;z&lt;/b&gt;"));
	CHECK(has(h, "&lt;!-- c --&gt;"));
	CHECK(strstr(h, "<script") == NULL && strstr(h, "<b ") == NULL);
}

static void test_md_links(void)
{
	CHECK_STR(md("[x](javascript:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](JaVaScRiPt:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](<\x01javascript:alert(1)>)"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](&#x20;javascript:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](java&#9;script:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](&#1;javascript:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("<javascript:alert(1)>"),
	          "<p><a href=\"#\">javascript:alert(1)</a></p>\n");
	CHECK_STR(md("[x](jav\\script:alert(1))"),
	          "<p><a href=\"#\">x</a></p>\n");
	CHECK_STR(md("[x](vbscript:msgbox) [y](data:text/html,a)"),
	          "<p><a href=\"#\">x</a> <a href=\"#\">y</a></p>\n");
	CHECK_STR(md("[a](https://example.org/?a=1&b=2 \"T \\\"q\\\"\")"),
	          "<p><a href=\"https://example.org/?a=1&amp;b=2\" "
	          "title=\"T &quot;q&quot;\" rel=\"noopener\">a</a></p>\n");
	CHECK_STR(md("[a](/ru/news/1-x) [b](#top) [c](mailto:a@b.org)"),
	          "<p><a href=\"/ru/news/1-x\">a</a> <a href=\"#top\">b</a> "
	          "<a href=\"mailto:a@b.org\">c</a></p>\n");
	CHECK(has(md("<press@example.org>"),
	          "href=\"mailto:press@example.org\""));
	CHECK(has(md("[a](//evil.example/x)"), "rel=\"noopener\""));
	CHECK(has(md("[a](<a b>)"), "href=\"a%20b\""));
}

static void test_md_images(void)
{
	CHECK_STR(md("![Alt *text* & more](/media/a.jpg \"Title\")"),
	          "<p><img src=\"/media/a.jpg\" alt=\"Alt text &amp; more\" "
	          "title=\"Title\" loading=\"lazy\"></p>\n");
	CHECK_STR(md("![x](data:image/png;base64,AAAA)"),
	          "<p><img src=\"#\" alt=\"x\" loading=\"lazy\"></p>\n");
	CHECK_STR(md("![a ![b](/b.png) c](/a.png)"),
	          "<p><img src=\"/a.png\" alt=\"a b c\" "
	          "loading=\"lazy\"></p>\n");
	CHECK_STR(md("[![i](/i.png)](https://example.org)"),
	          "<p><a href=\"https://example.org\" rel=\"noopener\">"
	          "<img src=\"/i.png\" alt=\"i\" loading=\"lazy\"></a></p>\n");
}

static void test_md_tables(void)
{
	CHECK_STR(md("| a | b | c |\n|:--|--:|:-:|\n| 1 | <2> | 3 |\n"),
	          "<table>\n<thead>\n<tr>\n"
	          "<th class=\"align-left\">a</th>\n"
	          "<th class=\"align-right\">b</th>\n"
	          "<th class=\"align-center\">c</th>\n"
	          "</tr>\n</thead>\n<tbody>\n<tr>\n"
	          "<td class=\"align-left\">1</td>\n"
	          "<td class=\"align-right\">&lt;2&gt;</td>\n"
	          "<td class=\"align-center\">3</td>\n"
	          "</tr>\n</tbody>\n</table>\n");
	CHECK_STR(md("| a |\n|---|\n"),
	          "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n"
	          "</table>\n");
}

static void test_md_headings(void)
{
	CHECK_STR(md("# One\n## Two\n### Three\n#### Four\n##### Five\n"
	             "###### Six\nSetext\n======\n"),
	          "<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n"
	          "<h5>Four</h5>\n<h6>Five</h6>\n<h6>Six</h6>\n"
	          "<h2>Setext</h2>\n");
	/* never a skipped level: one deeper than the heading before */
	CHECK_STR(md("### A\n# B\n###### C\n#### D\n"),
	          "<h2>A</h2>\n<h2>B</h2>\n<h3>C</h3>\n<h4>D</h4>\n");
	CHECK(strstr(md("# a\n\n#b\n\n<h1>c</h1>"), "<h1") == NULL);
}

static void test_md_entities(void)
{
	CHECK_STR(md("&laquo;x&raquo; &amp; &#1234; &#x41; &bogus; &#0;"),
	          "<p>«x» &amp; \xd3\x92 A &amp;bogus; \xef\xbf\xbd</p>\n");
	CHECK_STR(md("&lt;script&gt;"), "<p>&lt;script&gt;</p>\n");
	CHECK_STR(md("[a](/x?a&amp;b \"&quot;\")"),
	          "<p><a href=\"/x?a&amp;b\" title=\"&quot;\">a</a></p>\n");
}

/* md4c 0.4.8 reads past the end of "[](j" and, finding ")" there, runs
 * off the buffer: what lies after the input must never be seen. */
static void test_md_overread(void)
{
	char *p = malloc(8);
	struct buf b;

	memcpy(p, "[](j)))", 8);
	buf_init(&b, 1 << 20);
	CHECK_INT(render_markdown(&b, (struct str){p, 4}, &err), PR_OK);
	CHECK_STR(buf_cstr(&b), "<p>[](j</p>\n");
	buf_reset(&b);
	CHECK_INT(render_markdown(&b, (struct str){p, 3}, &err), PR_OK);
	CHECK_STR(buf_cstr(&b), "<p>[](</p>\n");
	buf_free(&b);
	free(p);
}

static void test_md_invalid(void)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	buf_adds(&b, "keep");
	pr_error_clear(&err);
	CHECK_INT(render_markdown(&b, STR_LIT("ok\xff more"), &err),
	          PR_INVALID);
	CHECK(has(err.msg, "byte 2"));
	CHECK_STR(buf_cstr(&b), "keep");
	pr_error_clear(&err);
	CHECK_INT(render_markdown(&b, (struct str){"a\0b", 3}, &err),
	          PR_INVALID);
	CHECK(has(err.msg, "byte 1"));
	CHECK_INT(render_markdown(&b, STR_LIT("\xd0\x9f\xd1"), &err),
	          PR_INVALID);
	buf_free(&b);
	buf_init(&b, 16);
	pr_error_clear(&err);
	CHECK_INT(
	    render_markdown(&b, STR_LIT("a long enough paragraph here"), &err),
	    PR_TOOBIG);
	buf_free(&b);
}

/* ---- templates ---- */

static struct tmpl *load(const struct tmpl_source *f, size_t n)
{
	struct tmpl *t = NULL;

	pr_error_clear(&err);
	if (tmpl_load_mem(&t, f, n, &err) != PR_OK)
		fprintf(stderr, "  load: %s\n", err.msg);
	return t;
}

/* Renders name from the one-template set {name.html: src}. */
static const char *render1(const char *src, const struct tval *model)
{
	struct tmpl_source f = {"x.html", str_c(src)};
	struct tmpl *t = load(&f, 1);

	buf_reset(&out);
	if (t == NULL || tmpl_render(t, "x", model, &out, &err) != PR_OK)
		buf_adds(&out, "ERROR");
	tmpl_free(t);
	return buf_cstr(&out);
}

/* The load error of a one-template set, "" when it loads. */
static const char *load_error(const char *src)
{
	struct tmpl_source f = {"x.html", str_c(src)};
	struct tmpl *t = NULL;

	pr_error_clear(&err);
	if (tmpl_load_mem(&t, &f, 1, &err) == PR_OK) {
		tmpl_free(t);
		return "";
	}
	return err.msg;
}

static struct tval *sample_model(struct arena *a)
{
	struct tval *m = tv_obj(a), *items = tv_list(a), *page = tv_obj(a);
	const char *names[] = {"one", "<two>", "three"};
	size_t i;

	for (i = 0; i < 3; i++) {
		struct tval *it = tv_obj(a);

		tv_set_cstr(it, "name", names[i]);
		tv_set_int(it, "n", (int64_t)i + 1);
		tv_push(items, it);
	}
	tv_set(m, "items", items);
	tv_set(m, "empty", tv_list(a));
	tv_set_cstr(page, "title", "A & B");
	tv_set(m, "page", page);
	tv_set_cstr(m, "site", "Press <office>");
	tv_set(m, "body", tv_html(a, STR_LIT("<p>ok</p>")));
	tv_set_bool(m, "yes", true);
	tv_set_bool(m, "no", false);
	tv_set_int(m, "zero", 0);
	tv_set_int(m, "neg", -42);
	tv_set_cstr(m, "blank", "");
	return m;
}

static void test_tv_values(void)
{
	struct arena *a = arena_new(1 << 20);
	struct tval *m = sample_model(a), *big = tv_obj(a);
	struct str s;
	char key[16];
	int i;

	CHECK(tv_get(m, "page.title") != NULL);
	CHECK(tv_get_str(m, "page.title", &s) && str_eq_c(s, "A & B"));
	CHECK(tv_get(m, "page.nope") == NULL);
	CHECK(tv_get(m, "site.title") == NULL);
	CHECK(tv_get(m, ".") == m);
	CHECK_INT(tv_count(tv_get(m, "items")), 3);
	tv_set_cstr(m, "site", "replaced");
	CHECK(tv_get_str(m, "site", &s) && str_eq_c(s, "replaced"));
	CHECK(tv_set(NULL, "k", NULL) == NULL);
	CHECK(tv_push(NULL, NULL) == NULL);
	/* past the linear limit: the index must find every key */
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		tv_set_int(big, key, i);
	}
	tv_set_int(big, "k7", 700);
	CHECK_INT(tv_count(big), 300);
	for (i = 0; i < 300; i++) {
		const struct tval *v;

		snprintf(key, sizeof(key), "k%d", i);
		v = tv_get(big, key);
		CHECK(v != NULL);
	}
	arena_free(a);
}

static void test_tmpl_vars(void)
{
	struct arena *a = arena_new(1 << 20);
	struct tval *m = sample_model(a);

	CHECK_STR(render1("<h1>{{page.title}}</h1>{{ site }}", m),
	          "<h1>A &amp; B</h1>Press &lt;office&gt;");
	CHECK_STR(render1("{{body}}|{{missing}}|{{page.missing.x}}", m),
	          "<p>ok</p>||");
	CHECK_STR(render1("{{yes}} {{no}} {{zero}} {{neg}} {{items}}", m),
	          "true false 0 -42 ");
	CHECK_STR(render1("a{{! a comment\nover lines }}b", m), "ab");
	CHECK_STR(render1("no tags at all", m), "no tags at all");
	CHECK_STR(render1("{{site}}", NULL), "");
	arena_free(a);
}

static void test_tmpl_sections(void)
{
	struct arena *a = arena_new(1 << 20);
	struct tval *m = sample_model(a), *words = tv_list(a);

	CHECK_STR(render1("{{#items}}[{{n}}:{{name}}@{{site}}]{{/items}}", m),
	          "[1:one@Press &lt;office&gt;][2:&lt;two&gt;@Press "
	          "&lt;office&gt;][3:three@Press &lt;office&gt;]");
	CHECK_STR(
	    render1("{{#items}}{{name}}{{^@last}}, {{/@last}}{{/items}}", m),
	    "one, &lt;two&gt;, three");
	CHECK_STR(render1("{{#items}}{{@index}}/{{@number}}{{#@first}}!"
	                  "{{/@first}} {{/items}}",
	                  m),
	          "0/1! 1/2 2/3 ");
	CHECK_STR(render1("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", m),
	          "none");
	CHECK_STR(render1("{{^missing}}a{{/missing}}{{^no}}b{{/no}}"
	                  "{{^zero}}c{{/zero}}{{^blank}}d{{/blank}}"
	                  "{{^yes}}e{{/yes}}{{^items}}f{{/items}}",
	                  m),
	          "abcd");
	CHECK_STR(render1("{{#page}}{{title}}{{/page}}{{#yes}}y{{/yes}}"
	                  "{{#no}}n{{/no}}{{#site}}<{{.}}>{{/site}}",
	                  m),
	          "A &amp; By<Press &lt;office&gt;>");
	CHECK_STR(render1("{{#page.title}}T{{/page.title}}", m), "T");
	tv_push(words, tv_cstr(a, "a<"));
	tv_push(words, tv_cstr(a, "b"));
	tv_set(m, "words", words);
	CHECK_STR(render1("{{#words}}({{.}}){{/words}}", m), "(a&lt;)(b)");
	CHECK_STR(render1("{{#items}}{{#items}}x{{/items}}{{/items}}", m),
	          "xxxxxxxxx");
	arena_free(a);
}

static void test_tmpl_standalone(void)
{
	struct arena *a = arena_new(1 << 20);
	struct tval *m = sample_model(a);

	CHECK_STR(render1("<ul>\n  {{#items}}\n  <li>{{n}}</li>\n"
	                  "  {{/items}}\n</ul>\n",
	                  m),
	          "<ul>\n  <li>1</li>\n  <li>2</li>\n  <li>3</li>\n</ul>\n");
	CHECK_STR(render1("a\n{{! note }}\nb\r\n  {{#yes}}\r\nc\n{{/yes}}", m),
	          "a\nb\r\nc\n");
	CHECK_STR(render1("a {{#yes}}\nb{{/yes}} c\n", m), "a \nb c\n");
	arena_free(a);
}

static void test_tmpl_partials(void)
{
	struct tmpl_source f[] = {
	    {"page.html", STR_LIT("<main>{{>item-list}}</main>")},
	    {"item-list.html",
	     STR_LIT("{{#items}}\n  {{>item}}\n{{/items}}\n")},
	    {"item.html", STR_LIT("<i>{{name}}</i>\n")},
	    {"a.b.html", STR_LIT("dotted")},
	    {"style.css", STR_LIT("body{}")},
	};
	struct arena *a = arena_new(1 << 20);
	struct tmpl *t = load(f, 5);
	struct str s;
	const char *ct = NULL;

	CHECK(t != NULL);
	buf_reset(&out);
	CHECK_INT(tmpl_render(t, "page", sample_model(a), &out, &err), PR_OK);
	CHECK_STR(buf_cstr(&out), "<main><i>one</i>\n<i>&lt;two&gt;</i>\n"
	                          "<i>three</i>\n</main>");
	CHECK(tmpl_has(t, "a.b") && tmpl_has(t, "item") &&
	      !tmpl_has(t, "style"));
	CHECK(tmpl_asset(t, STR_LIT("style.css"), &s, &ct));
	CHECK(str_eq_c(s, "body{}"));
	CHECK_STR(ct, "text/css; charset=utf-8");
	CHECK(!tmpl_asset(t, STR_LIT("page.html"), &s, &ct));
	CHECK(!tmpl_asset(t, STR_LIT("nope.css"), &s, &ct));
	buf_reset(&out);
	CHECK_INT(tmpl_render(t, "nope", NULL, &out, &err), PR_NOTFOUND);
	CHECK_STR(buf_cstr(&out), "");
	tmpl_free(t);
	arena_free(a);
}

static void test_tmpl_recursion(void)
{
	struct tmpl_source f[] = {
	    {"loop.html", STR_LIT("a{{>loop}}")},
	    {"tree.html", STR_LIT("{{name}}{{#kids}}({{>tree}}){{/kids}}")},
	};
	struct arena *a = arena_new(1 << 20);
	struct tval *root = tv_obj(a), *kids = tv_list(a), *kid = tv_obj(a);
	struct tmpl *t = load(f, 2);

	CHECK(t != NULL);
	buf_reset(&out);
	buf_adds(&out, "kept");
	pr_error_clear(&err);
	CHECK_INT(tmpl_render(t, "loop", NULL, &out, &err), PR_INVALID);
	CHECK(has(err.msg, "loop.html:1: partials nested deeper than"));
	CHECK_STR(buf_cstr(&out), "kept");
	/* Names resolve outward: a leaf needs its own (empty) kids, or it
	 * would find its parent's and recurse until the limit. */
	CHECK_STR(render1("{{#items}}{{#items}}{{#items}}{{#items}}{{#items}}"
	                  "{{#items}}{{#items}}{{#items}}{{#items}}{{#items}}"
	                  "{{#items}}{{#items}}{{#items}}{{#items}}{{#items}}"
	                  "{{#items}}{{#items}}{{#items}}{{#items}}{{#items}}"
	                  "{{/items}}{{/items}}{{/items}}{{/items}}{{/items}}"
	                  "{{/items}}{{/items}}{{/items}}{{/items}}{{/items}}"
	                  "{{/items}}{{/items}}{{/items}}{{/items}}{{/items}}"
	                  "{{/items}}{{/items}}{{/items}}{{/items}}{{/items}}",
	                  sample_model(a)),
	          "ERROR");
	CHECK(has(err.msg, "x.html:1: rendering takes over"));
	tv_set_cstr(kid, "name", "b");
	tv_set(kid, "kids", tv_list(a));
	tv_set_cstr(root, "name", "a");
	tv_set(root, "kids", tv_push(kids, kid));
	buf_reset(&out);
	CHECK_INT(tmpl_render(t, "tree", root, &out, &err), PR_OK);
	CHECK_STR(buf_cstr(&out), "a(b)");
	tmpl_free(t);
	arena_free(a);
}

static void test_tmpl_errors(void)
{
	struct tmpl_source f = {"p.html", STR_LIT("{{>absent}}")};
	struct tmpl *t = NULL;
	char deep[400];
	size_t k = 0;
	int i;

	CHECK_STR(load_error("a\n{{#x}}\nb\n"),
	          "x.html:2: unclosed section 'x'");
	CHECK_STR(load_error("{{#x}}\n{{/y}}"),
	          "x.html:2: '{{/y}}' closes section 'x' opened on line 1");
	CHECK_STR(load_error("\n\n{{/y}}"),
	          "x.html:3: '{{/y}}' closes no open section");
	CHECK_STR(load_error("a\nb {{name"), "x.html:2: unclosed tag '{{'");
	CHECK(has(load_error("{{{raw}}}"), "x.html:1: unescaped output"));
	CHECK(has(load_error("\n{{&raw}}"), "x.html:2: unescaped output"));
	CHECK(has(load_error("{{=<% %>=}}"), "delimiters"));
	CHECK_STR(load_error("{{a..b}}"), "x.html:1: bad name 'a..b'");
	CHECK_STR(load_error("{{a b}}"), "x.html:1: bad name 'a b'");
	CHECK_STR(load_error("{{@nope}}"), "x.html:1: bad name '@nope'");
	CHECK_STR(load_error("{{ }}"), "x.html:1: empty tag");
	CHECK_STR(load_error("{{> ../etc }}"),
	          "x.html:1: bad partial name '../etc'");
	CHECK_STR(load_error("ok\xff"), "x.html:1: invalid UTF-8");
	for (i = 0; i <= TMPL_MAX_NEST; i++) {
		memcpy(deep + k, "{{#a}}", 6);
		k += 6;
	}
	deep[k] = '\0';
	CHECK(has(load_error(deep), "nested deeper than"));
	pr_error_clear(&err);
	CHECK_INT(tmpl_load_mem(&t, &f, 1, &err), PR_INVALID);
	CHECK_STR(err.msg, "p.html:1: unknown partial 'absent'");
	CHECK(t == NULL);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void test_tmpl_theme_dir(void)
{
	char dir[] = "/tmp/pr-render-test-XXXXXX";
	const char *names[] = {"t_page.html", "t_part.html",  "style.css",
	                       "logo.svg",    ".hidden.html", "notes.txt~"};
	struct arena *a = arena_new(1 << 20);
	struct tmpl *t = NULL;
	struct str s;
	const char *ct;
	size_t i;

	CHECK(mkdtemp(dir) != NULL);
	write_file(dir, names[0],
	           "<title>{{page.title}}</title>\n"
	           "{{>t_part}}");
	write_file(dir, names[1], "{{site}}");
	write_file(dir, names[2], "/* from the folder */");
	write_file(dir, names[3], "<svg/>");
	write_file(dir, names[4], "{{#broken}}");
	write_file(dir, names[5], "x");
	pr_error_clear(&err);
	CHECK_INT(tmpl_load(&t, dir, &err), PR_OK);
	buf_reset(&out);
	CHECK_INT(tmpl_render(t, "t_page", sample_model(a), &out, &err), PR_OK);
	CHECK_STR(buf_cstr(&out),
	          "<title>A &amp; B</title>\nPress &lt;office&gt;");
	CHECK(tmpl_asset(t, STR_LIT("style.css"), &s, &ct) &&
	      str_eq_c(s, "/* from the folder */"));
	CHECK(tmpl_asset(t, STR_LIT("logo.svg"), &s, &ct));
	CHECK_STR(ct, "image/svg+xml");
	CHECK(!tmpl_asset(t, STR_LIT("notes.txt~"), &s, &ct));
	CHECK(!tmpl_has(t, ".hidden"));
	tmpl_free(t);
	write_file(dir, names[1], "\n{{#site}}");
	pr_error_clear(&err);
	CHECK_INT(tmpl_load(&t, dir, &err), PR_INVALID);
	CHECK(has(err.msg, "/t_part.html:2: unclosed section 'site'"));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		remove_file(dir, names[i]);
	rmdir(dir);
	pr_error_clear(&err);
	CHECK_INT(tmpl_load(&t, dir, &err), PR_NOTFOUND);
	CHECK(has(err.msg, dir));
	CHECK(t == NULL);
	arena_free(a);
}

static void test_tmpl_embedded(void)
{
	struct tmpl *t = NULL;

	pr_error_clear(&err);
	CHECK_INT(tmpl_load(&t, NULL, &err), PR_OK);
	if (err.code != PR_OK)
		fprintf(stderr, "  embedded theme: %s\n", err.msg);
	tmpl_free(t);
	CHECK_INT(tmpl_load(&t, "", &err), PR_OK);
	tmpl_free(t);
}

/* ---- interface strings ---- */

static void test_i18n_table(void)
{
	const char *prev = NULL, *k;
	size_t i;

	for (i = 0; (k = i18n_key(i)) != NULL; i++) {
		if (prev != NULL && strcmp(prev, k) >= 0) {
			fprintf(stderr, "  i18n keys out of order: %s, %s\n",
			        prev, k);
			CHECK(0);
		}
		CHECK(strcmp(i18n("en", k), k) != 0 || strcmp(k, "of") == 0);
		CHECK(i18n("ru", k)[0] != '\0');
		prev = k;
	}
	CHECK(i > 80);
	CHECK_STR(i18n("ru", "news"), "Новости");
	CHECK_STR(i18n("en", "news"), "News");
	CHECK_STR(i18n("de", "news"), "News");
	CHECK_STR(i18n(NULL, "print_version"), "Print version");
	CHECK_STR(i18n("ru", "no_such_key"), "no_such_key");
	CHECK(i18n_has_lang(STR_LIT("ru")) && !i18n_has_lang(STR_LIT("de")));
}

static void test_i18n_model(void)
{
	struct arena *a = arena_new(1 << 20);
	struct tval *m = tv_obj(a);
	struct str s;

	i18n_model(a, m, "ru");
	CHECK(tv_get_str(m, "t.older", &s) && str_eq_c(s, "Более ранние"));
	CHECK(tv_get_str(m, "t.kind_speech", &s) && str_eq_c(s, "Выступление"));
	CHECK_STR(render1("{{t.skip_to_content}}", m), "Перейти к содержанию");
	arena_free(a);
}

static const char *plural_n(const char *lang, int64_t n)
{
	buf_reset(&out);
	i18n_count(&out, lang, "items", n);
	return buf_cstr(&out);
}

static void test_i18n_plural(void)
{
	CHECK_STR(plural_n("ru", 1), "1 материал");
	CHECK_STR(plural_n("ru", 2), "2 материала");
	CHECK_STR(plural_n("ru", 4), "4 материала");
	CHECK_STR(plural_n("ru", 5), "5 материалов");
	CHECK_STR(plural_n("ru", 0), "0 материалов");
	CHECK_STR(plural_n("ru", 11), "11 материалов");
	CHECK_STR(plural_n("ru", 12), "12 материалов");
	CHECK_STR(plural_n("ru", 14), "14 материалов");
	CHECK_STR(plural_n("ru", 21), "21 материал");
	CHECK_STR(plural_n("ru", 22), "22 материала");
	CHECK_STR(plural_n("ru", 25), "25 материалов");
	CHECK_STR(plural_n("ru", 101), "101 материал");
	CHECK_STR(plural_n("ru", 111), "111 материалов");
	CHECK_STR(plural_n("ru", 1002), "1002 материала");
	CHECK_STR(plural_n("en", 1), "1 item");
	CHECK_STR(plural_n("en", 0), "0 items");
	CHECK_STR(plural_n("en", 2), "2 items");
	CHECK_STR(plural_n("en", 21), "21 items");
	CHECK_STR(i18n_plural("ru", "photos", 3), "фотографии");
	CHECK_STR(i18n_plural("ru", "photos", 9), "фотографий");
	CHECK_STR(i18n_plural("ru", "nothing", 9), "nothing");
}

static void test_i18n_dates(void)
{
	struct pr_date d = {
	    .year = 2021, .month = 11, .day = 18, .hour = 9, .min = 5};

	buf_reset(&out);
	i18n_date(&out, "en", &d);
	CHECK_STR(buf_cstr(&out), "18 November 2021");
	buf_reset(&out);
	i18n_date(&out, "ru", &d);
	CHECK_STR(buf_cstr(&out), "18 ноября 2021 г.");
	buf_reset(&out);
	i18n_datetime(&out, "ru", &d);
	CHECK_STR(buf_cstr(&out), "18 ноября 2021 г., 09:05");
	buf_reset(&out);
	i18n_month_year(&out, "ru", 2021, 11);
	CHECK_STR(buf_cstr(&out), "Ноябрь 2021");
	buf_reset(&out);
	i18n_month_year(&out, "en", 2022, 1);
	CHECK_STR(buf_cstr(&out), "January 2022");
	CHECK_STR(i18n_month("en", 11), "November");
	CHECK_STR(i18n_month("ru", 11), "ноябрь");
	CHECK_STR(i18n_month("ru", 5), "май");
	CHECK_STR(i18n_month_genitive("ru", 5), "мая");
	CHECK_STR(i18n_month_genitive("en", 5), "May");
	CHECK_STR(i18n_month("ru", 13), "");
	CHECK_STR(i18n_month("ru", 0), "");
}

/* Plain text of Markdown for the search index: the words a reader sees. */
static void test_markdown_text(void)
{
	static const struct {
		const char *md, *text;
	} cases[] = {
	    {"Plain *emphasis* and **strong**.", "Plain emphasis and strong."},
	    {"# Title\n\nPara one\nstill one.\n\n> Quoted",
	     "Title\n\nPara one still one.\n\nQuoted"},
	    {"[link text](http://example.com/x) and ![alt](a.png)",
	     "link text and alt"},
	    {"- one\n- two\n\n1. three", "one\ntwo\n\nthree"},
	    {"| a | b |\n|---|---|\n| c | d |", "a b\nc d"},
	    {"Tom &amp; Jerry &copy; `code`", "Tom & Jerry \xc2\xa9 code"},
	    {"<b>raw</b> html", "<b>raw</b> html"},
	    {"", ""},
	};
	struct pr_error e = {0};
	struct buf b;
	size_t i;

	buf_init(&b, 4096);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		CHECK_INT(render_markdown_text(&b, str_c(cases[i].md), &e),
		          PR_OK);
		CHECK_STR(buf_cstr(&b), cases[i].text);
	}
	buf_addc(&b, 'x');
	CHECK_INT(render_markdown_text(&b, STR_LIT("bad \xff"), &e),
	          PR_INVALID);
	CHECK_STR(buf_cstr(&b), "x");
	buf_free(&b);
}

int main(void)
{
	buf_init(&out, 1 << 20);
	TEST_RUN(test_html_escape);
	TEST_RUN(test_url_escape);
	TEST_RUN(test_xml_escape);
	TEST_RUN(test_xml_writer);
	TEST_RUN(test_json_escape);
	TEST_RUN(test_json_writer);
	TEST_RUN(test_url_kind);
	TEST_RUN(test_md_basic);
	TEST_RUN(test_md_raw_html);
	TEST_RUN(test_md_links);
	TEST_RUN(test_md_images);
	TEST_RUN(test_md_tables);
	TEST_RUN(test_md_headings);
	TEST_RUN(test_md_entities);
	TEST_RUN(test_md_overread);
	TEST_RUN(test_md_invalid);
	TEST_RUN(test_tv_values);
	TEST_RUN(test_tmpl_vars);
	TEST_RUN(test_tmpl_sections);
	TEST_RUN(test_tmpl_standalone);
	TEST_RUN(test_tmpl_partials);
	TEST_RUN(test_tmpl_recursion);
	TEST_RUN(test_tmpl_errors);
	TEST_RUN(test_tmpl_theme_dir);
	TEST_RUN(test_tmpl_embedded);
	TEST_RUN(test_i18n_table);
	TEST_RUN(test_i18n_model);
	TEST_RUN(test_i18n_plural);
	TEST_RUN(test_i18n_dates);
	TEST_RUN(test_markdown_text);
	buf_free(&out);
	TEST_DONE();
}
