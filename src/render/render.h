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

/* Appends s with & < > " ' escaped; safe in text and in quoted attributes. */
void html_escape(struct buf *out, struct str s);
/* Appends s percent-encoded for a URL path segment or query value. */
void url_escape(struct buf *out, struct str s);

/* render/markdown.c */

/*
 * Renders CommonMark (with tables and strikethrough) to HTML. Raw HTML in
 * the source is shown as text, never passed through; link and image URLs
 * are kept only with the schemes http, https, mailto or relative, others
 * become "#". Appends to out; PR_INVALID for malformed UTF-8 (message gives
 * the byte offset), PR_TOOBIG when out reaches its maximum.
 */
enum pr_err render_markdown(struct buf *out, struct str md, struct pr_error *e);

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
struct tval *tv_html(struct arena *a, struct str trusted_html);
/* Sets key in obj (replacing an earlier value); both NULL-safe, so a failed
 * allocation shows up as a missing value, not a crash. Returns obj. */
struct tval *tv_set(struct tval *obj, const char *key, struct tval *v);
/* Appends v to list; returns list. */
struct tval *tv_push(struct tval *list, struct tval *v);
/* The value under a dotted key ("page.title"); NULL when absent. */
const struct tval *tv_get(const struct tval *obj, const char *path);

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
 * Names are looked up from the innermost scope outward.
 */
struct tmpl;

/*
 * Loads and parses every template of the theme: the embedded default theme,
 * with the files of theme_dir (may be NULL or "") replacing those of the
 * same name. A syntax error fails with "FILE:LINE: why". Free with
 * tmpl_free.
 */
enum pr_err tmpl_load(struct tmpl **out, const char *theme_dir,
		      struct pr_error *e);
void tmpl_free(struct tmpl *t);

/* Renders the template `name` ("article" for article.html) with model,
 * appending to out. PR_NOTFOUND for an unknown name. */
enum pr_err tmpl_render(const struct tmpl *t, const char *name,
			const struct tval *model, struct buf *out,
			struct pr_error *e);

/* A static file of the theme ("style.css"), from theme_dir or embedded;
 * false when there is none. The bytes live as long as t. */
bool tmpl_asset(const struct tmpl *t, struct str name, struct str *out,
		const char **content_type);

/* render/i18n.c */

/* The interface string key in lang ("en" or "ru"); falls back to English,
 * then to the key itself. */
const char *i18n(const char *lang, const char *key);
/* Adds every interface string of lang under "t" in obj ({{t.older}}). */
void i18n_model(struct arena *a, struct tval *obj, const char *lang);
/* "18 November 2021" / "18 ноября 2021 г." for a local date. */
void i18n_date(struct buf *out, const char *lang, const struct pr_date *d);
/* "November 2021" / "ноябрь 2021" (nominative) and month names. */
const char *i18n_month(const char *lang, int month); /* 1..12 */

#endif
