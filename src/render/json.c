/*
 * render/json.c: the JSON writer that JSON Feed and the pages' JSON-LD go
 * through. Keys and strings are escaped here, at the sink: quotes,
 * backslashes and control characters always, malformed UTF-8 becomes
 * U+FFFD, and in html mode also < > & and the line separators U+2028 and
 * U+2029, so that the text can stand inside a <script> element ("</script>"
 * in a title cannot end it).
 */
#include "render.h"

#include <inttypes.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

static void u_escape(struct buf *out, uint32_t c)
{
	char s[6] = {'\\',
	             'u',
	             hex[(c >> 12) & 15],
	             hex[(c >> 8) & 15],
	             hex[(c >> 4) & 15],
	             hex[c & 15]};

	buf_add(out, s, sizeof(s));
}

/* The short escape of an ASCII byte, or NULL. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\b': return "\\b";
	case '\f': return "\\f";
	default: return NULL;
	}
}

static bool html_special(uint32_t c)
{
	return c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029;
}

/* Writes the escape of the character at p (its length len, code point
 * cp, len 0 for a malformed byte); false when it goes as it is. */
static bool escape_one(struct buf *out, const unsigned char *p, size_t len,
                       uint32_t cp, bool html)
{
	const char *rep;

	if (len == 0) {
		u_escape(out, 0xfffd);
		return true;
	}
	if (len == 1 && (rep = short_escape(p[0])) != NULL) {
		buf_adds(out, rep);
		return true;
	}
	if (cp < 0x20 || (html && html_special(cp))) {
		u_escape(out, cp);
		return true;
	}
	return false;
}

void json_escape(struct buf *out, struct str s, bool html)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, run = 0, len;
	uint32_t cp;

	while (i < s.n) {
		if (p[i] < 0x80) {
			cp = p[i];
			len = 1;
		} else {
			len = utf8_decode((const char *)p + i, s.n - i, &cp);
		}
		if (len == 0 || cp < 0x20 || cp == '"' || cp == '\\' ||
		    (html && html_special(cp))) {
			buf_add(out, p + run, i - run);
			escape_one(out, p + i, len, cp, html);
			i += len ? len : 1;
			run = i;
		} else {
			i += len;
		}
	}
	buf_add(out, p + run, i - run);
}

/* Writer */

static void fail(struct jsonw *w)
{
	if (w->err == PR_OK)
		w->err = PR_INTERNAL;
}

/* Before a value: the comma between members, and whether a value may
 * stand here at all (in an object only after its key). */
static bool value_place(struct jsonw *w)
{
	int d = w->depth;

	if (d == 0) {
		if (w->done)
			fail(w);
		return !w->done;
	}
	if (w->is_obj[d - 1]) {
		if (!w->after_key) {
			fail(w);
			return false;
		}
		w->after_key = false;
		return true;
	}
	if (!w->first[d - 1])
		buf_addc(w->out, ',');
	w->first[d - 1] = false;
	return true;
}

/* After a value: at the top level the document is complete. */
static void value_done(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

void jsonw_begin(struct jsonw *w, struct buf *out, bool html)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->html = html;
}

static void open_container(struct jsonw *w, char c, bool obj)
{
	if (!value_place(w))
		return;
	if (w->depth == JSONW_DEPTH) {
		fail(w);
		return;
	}
	buf_addc(w->out, c);
	w->is_obj[w->depth] = obj;
	w->first[w->depth] = true;
	w->depth++;
}

void jsonw_obj(struct jsonw *w)
{
	open_container(w, '{', true);
}

void jsonw_arr(struct jsonw *w)
{
	open_container(w, '[', false);
}

void jsonw_end(struct jsonw *w)
{
	if (w->depth == 0 || w->after_key) {
		fail(w);
		return;
	}
	w->depth--;
	buf_addc(w->out, w->is_obj[w->depth] ? '}' : ']');
	value_done(w);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	int d = w->depth;

	if (d == 0 || !w->is_obj[d - 1] || w->after_key) {
		fail(w);
		return;
	}
	if (!w->first[d - 1])
		buf_addc(w->out, ',');
	w->first[d - 1] = false;
	buf_addc(w->out, '"');
	json_escape(w->out, str_c(key), w->html);
	buf_adds(w->out, "\":");
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, struct str s)
{
	if (!value_place(w))
		return;
	buf_addc(w->out, '"');
	json_escape(w->out, s, w->html);
	buf_addc(w->out, '"');
	value_done(w);
}

void jsonw_cstr(struct jsonw *w, const char *s)
{
	jsonw_str(w, str_c(s ? s : ""));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	if (!value_place(w))
		return;
	buf_addf(w->out, "%" PRId64, v);
	value_done(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	if (!value_place(w))
		return;
	buf_adds(w->out, v ? "true" : "false");
	value_done(w);
}

void jsonw_null(struct jsonw *w)
{
	if (!value_place(w))
		return;
	buf_adds(w->out, "null");
	value_done(w);
}

void jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_cstr(w, s);
}

enum pr_err jsonw_finish(struct jsonw *w)
{
	if (w->out->err != PR_OK)
		return w->out->err;
	if (w->err != PR_OK || w->depth != 0 || !w->done)
		return PR_INTERNAL;
	return PR_OK;
}
