/*
 * render.h: the whole interface of src/render: HTML escaping, Markdown to
 * sanitised HTML (md4c), the template engine with its value model, the
 * interface strings in each language and the theme (embedded default, a
 * folder on disk overriding it).
 */
#ifndef PR_RENDER_H
#define PR_RENDER_H

#include "../core/core.h"

/* render/html.c */

/* Appends s with & < > " ' escaped; safe in text and in quoted attributes.
 * Control characters HTML forbids (C0 but tab, LF, FF, CR; DEL; C1) become
 * U+FFFD. */
void html_escape(struct buf *out, struct str s);
/* Appends s percent-encoded for a URL path segment or query value: every
 * byte but A-Z a-z 0-9 - . _ ~ becomes %XX. */
void url_escape(struct buf *out, struct str s);

/*
 * What a URL from untrusted text may be used as. Leading white space and
 * control characters are skipped and tabs and newlines inside ignored, as
 * browsers do, and the scheme is compared without regard to case.
 */
enum html_url_kind {
	HTML_URL_UNSAFE,   /* any other scheme: javascript:, data:, ... */
	HTML_URL_RELATIVE, /* no scheme: "/ru/news", "photo.jpg", "#top" */
	HTML_URL_ABSOLUTE, /* http:, https: or "//host": another site */
	HTML_URL_MAILTO,   /* mailto: */
};
enum html_url_kind html_url_kind(struct str url);

/*
 * Appends url for a double-quoted href or src attribute: "#" when its kind
 * is HTML_URL_UNSAFE, otherwise url without leading white space, with bytes
 * that do not belong in a URL percent-encoded (existing %XX kept) and & and
 * ' escaped.
 */
void html_url(struct buf *out, struct str url);

/* render/markdown.c */

/*
 * Renders CommonMark (with tables and strikethrough) to HTML. Raw HTML in
 * the source is shown as text, never passed through; link and image URLs
 * are kept only with the schemes http, https, mailto or relative, others
 * become "#"; links to other sites (absolute URLs) get rel="noopener" and
 * images alt text and loading="lazy". Headings start at h2 (the page title
 * is the h1) and never skip a level. Table alignment comes out as class
 * "align-left", "align-center" or "align-right" for the theme's CSS.
 * Appends to out; PR_INVALID for malformed UTF-8 or NUL (message gives the
 * byte offset; out is left as it was), PR_TOOBIG when out reaches its
 * maximum.
 */
enum pr_err render_markdown(struct buf *out, struct str md, struct pr_error *e);

/*
 * The plain text of a Markdown body, for the search index and snippets:
 * the words as a reader sees them (link and image texts included, URLs,
 * markup and raw HTML tags left out, entities decoded), blocks separated
 * by a blank line, list items and table rows by a newline, cells by a
 * space. Appends to out; errors as render_markdown.
 */
enum pr_err render_markdown_text(struct buf *out, struct str md,
                                 struct pr_error *e);

/* render/diff.c */

/*
 * Appends the changes from a to b as HTML, word by word: shared text
 * escaped, removed text inside <del>, added text inside <ins>. Memory and
 * time stay bounded: a long changed middle is compared line by line, and
 * past that shown as removed and added whole. PR_TOOBIG when out reaches
 * its maximum, PR_NOMEM when out of memory.
 */
enum pr_err render_diff(struct buf *out, struct str a, struct str b,
                        struct pr_error *e);

/* render/tmpl.c: values */

/*
 * A page model is a tree of values built in an arena. Strings are escaped
 * when a template prints them; tv_html marks already-sanitised HTML (the
 * rendered body) that is printed as it is: grep for it.
 */
struct tval;

struct tval *tv_obj(struct arena *a);
struct tval *tv_list(struct arena *a);
struct tval *tv_str(struct arena *a, struct str s);   /* copies s */
struct tval *tv_cstr(struct arena *a, const char *s); /* copies s */
struct tval *tv_int(struct arena *a, int64_t v);
struct tval *tv_bool(struct arena *a, bool v);
struct tval *tv_html(struct arena *a, struct str trusted_html); /* copies */
/* Like tv_cstr but s is not copied: it must outlive the model (string
 * literals, static tables). */
struct tval *tv_lit(struct arena *a, const char *s);
/* Sets key in obj (replacing an earlier value); both NULL-safe, so a failed
 * allocation shows up as a missing value, not a crash. The key is copied.
 * Returns obj. */
struct tval *tv_set(struct tval *obj, const char *key, struct tval *v);
/* Shorthands for tv_set(obj, key, tv_cstr(...)) and so on, allocating in
 * obj's arena; NULL-safe like tv_set. */
struct tval *tv_set_cstr(struct tval *obj, const char *key, const char *s);
struct tval *tv_set_str(struct tval *obj, const char *key, struct str s);
struct tval *tv_set_int(struct tval *obj, const char *key, int64_t v);
struct tval *tv_set_bool(struct tval *obj, const char *key, bool v);
/* Appends v to list (a NULL v is left out); returns list. */
struct tval *tv_push(struct tval *list, struct tval *v);
/* Items of a list, keys of an object, 0 for anything else or NULL. */
size_t tv_count(const struct tval *v);
/* The value under a dotted key ("page.title"); NULL when absent. */
const struct tval *tv_get(const struct tval *obj, const char *path);
/* The text of a string or tv_html value under path; false otherwise. */
bool tv_get_str(const struct tval *obj, const char *path, struct str *out);

/* render/tmpl.c: templates */

/*
 * Templates are Mustache-like:
 *   {{name}} {{a.b}}    the value, escaped (tv_html values as they are)
 *   {{#x}}...{{/x}}     a list: once per item (the item's keys in scope,
 *                       {{.}} the item itself); otherwise once when x is
 *                       true, a non-empty string or a non-zero number
 *   {{^x}}...{{/x}}     once when x is false, absent or an empty list
 *   {{>name}}           another template of the set
 *   {{!comment}}
 * Names are looked up from the innermost scope outward; in a dotted name
 * only the first part is, the rest must follow from there. Inside a list
 * section {{@index}} (from 0), {{@number}} (from 1), {{@first}} and
 * {{@last}} describe the innermost item. Numbers print in decimal, true and
 * false as "true" and "false", objects and lists as nothing. A section,
 * inverted section, partial or comment tag alone on its line takes the line
 * with it, so templates can be indented freely. {{{x}}}, {{&x}} and
 * {{=<% %>=}} are syntax errors: unescaped output comes only from tv_html.
 * Sections nest at most TMPL_MAX_NEST deep in one file and partials at
 * most TMPL_MAX_PARTIALS deep while rendering; one rendering visits at
 * most TMPL_MAX_STEPS tags and texts (nested sections over lists multiply).
 */
struct tmpl;

#define TMPL_MAX_NEST     32
#define TMPL_MAX_PARTIALS 16
#define TMPL_MAX_STEPS    (1L << 24)

/*
 * Loads and parses every template of the theme: the embedded default theme,
 * with the files of theme_dir (may be NULL or "") replacing those of the
 * same name. A syntax error fails with "FILE:LINE: why". Free with
 * tmpl_free.
 */
enum pr_err tmpl_load(struct tmpl **out, const char *theme_dir,
                      struct pr_error *e);
void tmpl_free(struct tmpl *t);

/* One file for tmpl_load_mem. */
struct tmpl_source {
	const char *name; /* "article.html" (a template) or "style.css" */
	struct str text;
};

/*
 * Like tmpl_load, from the n files given instead of the embedded theme and
 * a folder (for tests, fuzzing and previews). The texts are copied.
 */
enum pr_err tmpl_load_mem(struct tmpl **out, const struct tmpl_source *files,
                          size_t n, struct pr_error *e);

/* Renders the template `name` ("article" for article.html) with model,
 * appending to out. PR_NOTFOUND for an unknown name, PR_INVALID when
 * partials nest too deep (the message names template and line), PR_TOOBIG
 * when out reaches its maximum or the rendering TMPL_MAX_STEPS. Unless out
 * itself failed, out is left as it was on error. Safe to call from many
 * threads on one t. */
enum pr_err tmpl_render(const struct tmpl *t, const char *name,
                        const struct tval *model, struct buf *out,
                        struct pr_error *e);

/* true when the set has a template of that name. */
bool tmpl_has(const struct tmpl *t, const char *name);

/* A static file of the theme ("style.css"), from theme_dir or embedded;
 * false when there is none. The bytes live as long as t. content_type
 * (may be NULL) gets e.g. "text/css; charset=utf-8", by extension. */
bool tmpl_asset(const struct tmpl *t, struct str name, struct str *out,
                const char **content_type);

/* Calls fn for every static file of the theme in name order (for the
 * static export); stops at and returns the first result that is not
 * PR_OK. */
typedef enum pr_err (*tmpl_asset_fn)(void *arg, struct str name,
                                     struct str data, const char *content_type);
enum pr_err tmpl_assets_each(const struct tmpl *t, tmpl_asset_fn fn, void *arg);

/* render/i18n.c */

/* The interface string key in lang ("en" or "ru"); falls back to English,
 * then to the key itself. */
const char *i18n(const char *lang, const char *key);
/* Adds every interface string of lang under "t" in obj ({{t.older}}). */
void i18n_model(struct arena *a, struct tval *obj, const char *lang);
/* "18 November 2021" / "18 ноября 2021 г." for a local date. */
void i18n_date(struct buf *out, const char *lang, const struct pr_date *d);
/* "18 November 2021, 09:30" / "18 ноября 2021 г., 09:30". */
void i18n_datetime(struct buf *out, const char *lang, const struct pr_date *d);
/* "November 2021" / "Ноябрь 2021": a month as a heading. */
void i18n_month_year(struct buf *out, const char *lang, int year, int month);
/* Month names: nominative ("November", "ноябрь") and genitive, as after a
 * day ("November", "ноября"); "" outside 1..12. */
const char *i18n_month(const char *lang, int month); /* 1..12 */
const char *i18n_month_genitive(const char *lang, int month);
/*
 * The form of a counted word for n: key_one, key_few or key_many from the
 * table ("items" gives "материал", "материала", "материалов" for 1, 2, 5 in
 * Russian). English has one and other; other is the key_many entry.
 */
const char *i18n_plural(const char *lang, const char *key, int64_t n);
/* Appends n, a space and i18n_plural(lang, key, n): "5 материалов". */
void i18n_count(struct buf *out, const char *lang, const char *key, int64_t n);
/* true for a language with a table ("en", "ru"). */
bool i18n_has_lang(struct str lang);
/* The i-th key of the table, in byte order; NULL past the end (to list
 * what a theme can use and what a translation must cover). */
const char *i18n_key(size_t i);

/* render/xml.c: the writer feeds and sitemaps go through */

/*
 * Appends s escaped for XML 1.0 text (attr false) or a double-quoted
 * attribute value: & < > " ' as entities (so "]]>" stays text; in values
 * also tab, LF and CR as character references), characters XML 1.0 does
 * not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), DEL, the C1
 * controls and malformed UTF-8 as U+FFFD.
 */
void xml_escape(struct buf *out, struct str s, bool attr);

#define XMLW_DEPTH 16

/*
 * An XML writer over a struct buf: element names are the program's
 * (literals), texts and attribute values are escaped by xml_escape. Calls
 * out of order (text beside child elements, an attribute after content,
 * a close without an open, a second root) are remembered and make
 * xmlw_end fail, so feed code reads straight down and checks once.
 * Elements holding elements put each child on its own line.
 */
struct xmlw {
	struct buf *out;
	const char *open[XMLW_DEPTH]; /* names of the open elements */
	bool parent[XMLW_DEPTH];      /* the element has child elements */
	bool text[XMLW_DEPTH];        /* the element has text */
	int depth;
	bool in_tag; /* the start tag is still open for attributes */
	bool done;   /* the root element is closed */
	enum pr_err err;
};

/* Starts a document in out with the XML declaration (UTF-8). */
void xmlw_begin(struct xmlw *w, struct buf *out);
void xmlw_open(struct xmlw *w, const char *name);
void xmlw_attr(struct xmlw *w, const char *name, struct str value);
void xmlw_attr_c(struct xmlw *w, const char *name, const char *value);
void xmlw_text(struct xmlw *w, struct str text);
void xmlw_close(struct xmlw *w); /* <x/> when it has nothing */
/* <name>text</name> */
void xmlw_leaf(struct xmlw *w, const char *name, struct str text);
void xmlw_leaf_c(struct xmlw *w, const char *name, const char *text);
/* PR_OK when the document is complete and out took all of it; out's
 * error (PR_TOOBIG, PR_NOMEM) or PR_INTERNAL for calls out of order. */
enum pr_err xmlw_end(struct xmlw *w);

/* render/json.c: the writer JSON Feed and JSON-LD go through */

/*
 * Appends s escaped for the inside of a JSON string: the quote, the
 * backslash and control characters; malformed UTF-8 as the escape of
 * U+FFFD; with html also < > & U+2028 U+2029 as escapes, for JSON
 * inside an HTML <script> element.
 */
void json_escape(struct buf *out, struct str s, bool html);

#define JSONW_DEPTH 32

/*
 * A JSON writer over a struct buf, compact, with every key and string
 * escaped by json_escape. Like xmlw, a call out of order (a value
 * without its key in an object, an unbalanced end) is remembered and
 * reported once by jsonw_finish.
 */
struct jsonw {
	struct buf *out;
	bool html;
	int depth;
	bool is_obj[JSONW_DEPTH];
	bool first[JSONW_DEPTH];
	bool after_key;
	bool done;
	enum pr_err err;
};

/* html: escape for a <script type="application/ld+json"> element. */
void jsonw_begin(struct jsonw *w, struct buf *out, bool html);
void jsonw_obj(struct jsonw *w); /* { */
void jsonw_arr(struct jsonw *w); /* [ */
void jsonw_end(struct jsonw *w); /* } or ] */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, struct str s);
void jsonw_cstr(struct jsonw *w, const char *s); /* NULL gives "" */
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* "key": "s" */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
/* PR_OK when one complete value was written and out took all of it. */
enum pr_err jsonw_finish(struct jsonw *w);

#endif
