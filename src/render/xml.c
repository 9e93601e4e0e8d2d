/*
 * render/xml.c: the XML writer that feeds and sitemaps go through. Names
 * come from the program; every text and attribute value is escaped here,
 * at the sink, into what XML 1.0 allows: markup characters become
 * entities (so "]]>" and "</x>" stay text), characters XML 1.0 forbids
 * (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and malformed UTF-8
 * become U+FFFD, as do DEL and the C1 controls, which XML allows but
 * readers choke on.
 */
#include "render.h"

#include <string.h>

#define REPLACEMENT 0xfffd

static bool xml_char_ok(uint32_t c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	if (c >= 0x7f && c <= 0x9f)
		return false;
	return c != 0xfffe && c != 0xffff;
}

/* The entity for a byte that needs one in text (attr false) or in a
 * double- or single-quoted attribute value; NULL when it goes as it is. */
static const char *entity(unsigned char c, bool attr)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&apos;";
	case '\t': return attr ? "&#9;" : NULL;
	case '\n': return attr ? "&#10;" : NULL;
	case '\r': return "&#13;";
	default: return NULL;
	}
}

/* One character at p (n bytes left): its length, and what to write for it
 * in *rep (NULL: the bytes themselves). */
static size_t next_char(const unsigned char *p, size_t n, bool attr,
                        const char **rep, uint32_t *cp)
{
	size_t len;

	*rep = NULL;
	if (p[0] < 0x80) {
		*cp = p[0];
		*rep = entity(p[0], attr);
		return 1;
	}
	len = utf8_decode((const char *)p, n, cp);
	if (len == 0) {
		*cp = REPLACEMENT;
		return 1;
	}
	return len;
}

void xml_escape(struct buf *out, struct str s, bool attr)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, run = 0, len;
	const char *rep;
	uint32_t cp;

	while (i < s.n) {
		len = next_char(p + i, s.n - i, attr, &rep, &cp);
		if (rep == NULL && xml_char_ok(cp) && cp != REPLACEMENT) {
			i += len;
			continue;
		}
		buf_add(out, p + run, i - run);
		if (rep != NULL)
			buf_adds(out, rep);
		else
			utf8_encode(out, REPLACEMENT);
		i += len;
		run = i;
	}
	buf_add(out, p + run, i - run);
}

/* Writer */

static void fail(struct xmlw *w)
{
	if (w->err == PR_OK)
		w->err = PR_INTERNAL;
}

/* Ends a start tag left open for attributes. */
static void seal(struct xmlw *w)
{
	if (!w->in_tag)
		return;
	buf_addc(w->out, '>');
	w->in_tag = false;
}

void xmlw_begin(struct xmlw *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
}

void xmlw_open(struct xmlw *w, const char *name)
{
	if (w->depth == XMLW_DEPTH || (w->depth == 0 && w->done)) {
		fail(w);
		return;
	}
	if (w->in_tag)
		buf_adds(w->out, ">\n");
	else if (w->depth > 0 && w->text[w->depth - 1])
		fail(w);
	if (w->depth > 0)
		w->parent[w->depth - 1] = true;
	buf_addc(w->out, '<');
	buf_adds(w->out, name);
	w->open[w->depth] = name;
	w->parent[w->depth] = false;
	w->text[w->depth] = false;
	w->depth++;
	w->in_tag = true;
}

void xmlw_attr(struct xmlw *w, const char *name, struct str value)
{
	if (!w->in_tag) {
		fail(w);
		return;
	}
	buf_addc(w->out, ' ');
	buf_adds(w->out, name);
	buf_adds(w->out, "=\"");
	xml_escape(w->out, value, true);
	buf_addc(w->out, '"');
}

void xmlw_attr_c(struct xmlw *w, const char *name, const char *value)
{
	xmlw_attr(w, name, str_c(value ? value : ""));
}

void xmlw_text(struct xmlw *w, struct str text)
{
	if (w->depth == 0 || w->parent[w->depth - 1]) {
		fail(w);
		return;
	}
	seal(w);
	w->text[w->depth - 1] = true;
	xml_escape(w->out, text, false);
}

void xmlw_close(struct xmlw *w)
{
	if (w->depth == 0) {
		fail(w);
		return;
	}
	w->depth--;
	if (w->in_tag) {
		buf_adds(w->out, "/>\n");
		w->in_tag = false;
	} else {
		buf_adds(w->out, "</");
		buf_adds(w->out, w->open[w->depth]);
		buf_adds(w->out, ">\n");
	}
	w->done = w->depth == 0;
}

void xmlw_leaf(struct xmlw *w, const char *name, struct str text)
{
	xmlw_open(w, name);
	xmlw_text(w, text);
	xmlw_close(w);
}

void xmlw_leaf_c(struct xmlw *w, const char *name, const char *text)
{
	xmlw_leaf(w, name, str_c(text ? text : ""));
}

enum pr_err xmlw_end(struct xmlw *w)
{
	if (w->out->err != PR_OK)
		return w->out->err;
	if (w->err != PR_OK || w->depth != 0 || !w->done)
		return PR_INTERNAL;
	return PR_OK;
}
