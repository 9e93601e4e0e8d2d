/*
 * render/markdown.c: article bodies from Markdown to HTML. md4c parses;
 * the HTML is written here rather than by md4c-html so that every URL goes
 * through html_url, raw HTML comes out as text and headings start at h2
 * (the page title is the h1).
 */
#include "render_int.h"

#include <limits.h>
#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT_CHAR "\xef\xbf\xbd"
#define ATTR_MAX         (1024 * 1024)
/* md4c 0.4.8 reads past the end of its input in some constructs (a link
 * destination cut off by the end: "[](") and acts on what it finds there;
 * it parses a copy followed by this many NULs, which it takes for the
 * end. */
#define MD_PAD 64

struct md_state {
	struct buf *out;
	struct buf attr;    /* a decoded attribute value */
	unsigned img_depth; /* > 0 inside an image description */
	unsigned h_level;   /* of the last heading written; 1 at the start */
};

/* Code points HTML allows in text: no NUL, surrogates, controls other
 * than white space, or noncharacters. */
static bool md_cp_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r';
	if ((cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return false;
	return cp <= 0x10ffff;
}

static void md_codepoint(struct buf *b, uint32_t cp)
{
	utf8_encode(b, md_cp_ok(cp) ? cp : 0xfffd);
}

/* A numeric reference: md4c hands over "&#123;" or "&#x1F;" only, with at
 * most 7 decimal or 6 hex digits. */
static void md_numeric_entity(struct buf *b, const char *p, size_t n)
{
	uint32_t cp = 0;
	size_t i = 2;
	bool hex = n > 3 && (p[2] == 'x' || p[2] == 'X');
	char c;

	for (i += hex; i + 1 < n; i++) {
		c = p[i];
		if (hex && c >= 'a')
			cp = cp * 16 + (uint32_t)(c - 'a' + 10);
		else if (hex && c >= 'A')
			cp = cp * 16 + (uint32_t)(c - 'A' + 10);
		else
			cp = cp * (hex ? 16 : 10) + (uint32_t)(c - '0');
	}
	md_codepoint(b, cp);
}

/* Appends the decoded form of the entity p[0..n) ("&amp;"); a name HTML
 * does not know stays text, as CommonMark says. */
static void md_entity(struct buf *b, const char *p, size_t n)
{
	const char *utf8;

	if (n < 3 || p[0] != '&' || p[n - 1] != ';') {
		buf_add(b, p, n);
		return;
	}
	if (p[1] == '#') {
		md_numeric_entity(b, p, n);
		return;
	}
	utf8 = render__entity(p + 1, n - 2);
	if (utf8 != NULL)
		buf_adds(b, utf8);
	else
		buf_add(b, p, n);
}

/* Decodes an attribute (entities, NUL) into st->attr. */
static struct str md_attr(struct md_state *st, const MD_ATTRIBUTE *a)
{
	unsigned i;
	const char *p;
	size_t n;

	buf_reset(&st->attr);
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		p = a->text + a->substr_offsets[i];
		n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			md_entity(&st->attr, p, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			buf_add(&st->attr, REPLACEMENT_CHAR, 3);
		else
			buf_add(&st->attr, p, n);
	}
	if (st->attr.err != PR_OK)
		buf_reset(&st->attr);
	return buf_str(&st->attr);
}

static void md_attr_text(struct md_state *st, const char *name,
                         const MD_ATTRIBUTE *a)
{
	if (a->size == 0)
		return;
	buf_addc(st->out, ' ');
	buf_adds(st->out, name);
	buf_adds(st->out, "=\"");
	html_escape(st->out, md_attr(st, a));
	buf_addc(st->out, '"');
}

static void md_attr_url(struct md_state *st, const char *name,
                        const MD_ATTRIBUTE *a)
{
	buf_addc(st->out, ' ');
	buf_adds(st->out, name);
	buf_adds(st->out, "=\"");
	html_url(st->out, md_attr(st, a));
	buf_addc(st->out, '"');
}

static void md_open_ol(struct md_state *st, const MD_BLOCK_OL_DETAIL *d)
{
	if (d->start == 1)
		buf_adds(st->out, "<ol>\n");
	else
		buf_addf(st->out, "<ol start=\"%u\">\n", d->start);
}

/*
 * Body headings start at h2 (the page title is the only h1) and never skip
 * a level, which HTML checkers report and screen readers trip over: each is
 * at most one deeper than the one before.
 */
static void md_open_h(struct md_state *st, const MD_BLOCK_H_DETAIL *d)
{
	unsigned level = d->level >= 6 ? 6 : d->level + 1;

	if (level > st->h_level + 1)
		level = st->h_level + 1;
	st->h_level = level;
	buf_addf(st->out, "<h%u>", level);
}

static void md_open_code(struct md_state *st, const MD_BLOCK_CODE_DETAIL *d)
{
	buf_adds(st->out, "<pre><code");
	if (d->lang.size > 0) {
		buf_adds(st->out, " class=\"language-");
		html_escape(st->out, md_attr(st, &d->lang));
		buf_addc(st->out, '"');
	}
	buf_addc(st->out, '>');
}

/* Alignment as a class: the align attribute is obsolete in HTML5 and a
 * style attribute would need 'unsafe-inline' in a content policy. */
static void md_open_cell(struct md_state *st, const char *tag,
                         const MD_BLOCK_TD_DETAIL *d)
{
	static const char *const align[] = {
	    [MD_ALIGN_LEFT] = "left",
	    [MD_ALIGN_CENTER] = "center",
	    [MD_ALIGN_RIGHT] = "right",
	};

	buf_addc(st->out, '<');
	buf_adds(st->out, tag);
	if (d->align != MD_ALIGN_DEFAULT && (unsigned)d->align <= 3) {
		buf_adds(st->out, " class=\"align-");
		buf_adds(st->out, align[d->align]);
		buf_addc(st->out, '"');
	}
	buf_addc(st->out, '>');
}

static const char *md_block_open(MD_BLOCKTYPE type)
{
	switch (type) {
	case MD_BLOCK_QUOTE: return "<blockquote>\n";
	case MD_BLOCK_UL: return "<ul>\n";
	case MD_BLOCK_LI: return "<li>";
	case MD_BLOCK_HR: return "<hr>\n";
	case MD_BLOCK_P: return "<p>";
	case MD_BLOCK_TABLE: return "<table>\n";
	case MD_BLOCK_THEAD: return "<thead>\n";
	case MD_BLOCK_TBODY: return "<tbody>\n";
	case MD_BLOCK_TR: return "<tr>\n";
	default: return "";
	}
}

static const char *md_block_close(MD_BLOCKTYPE type)
{
	switch (type) {
	case MD_BLOCK_QUOTE: return "</blockquote>\n";
	case MD_BLOCK_UL: return "</ul>\n";
	case MD_BLOCK_OL: return "</ol>\n";
	case MD_BLOCK_LI: return "</li>\n";
	case MD_BLOCK_CODE: return "</code></pre>\n";
	case MD_BLOCK_P: return "</p>\n";
	case MD_BLOCK_TABLE: return "</table>\n";
	case MD_BLOCK_THEAD: return "</thead>\n";
	case MD_BLOCK_TBODY: return "</tbody>\n";
	case MD_BLOCK_TR: return "</tr>\n";
	case MD_BLOCK_TH: return "</th>\n";
	case MD_BLOCK_TD: return "</td>\n";
	default: return "";
	}
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct md_state *st = ud;

	switch (type) {
	case MD_BLOCK_OL: md_open_ol(st, detail); break;
	case MD_BLOCK_H: md_open_h(st, detail); break;
	case MD_BLOCK_CODE: md_open_code(st, detail); break;
	case MD_BLOCK_TH: md_open_cell(st, "th", detail); break;
	case MD_BLOCK_TD: md_open_cell(st, "td", detail); break;
	default: buf_adds(st->out, md_block_open(type)); break;
	}
	return st->out->err != PR_OK;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct md_state *st = ud;

	if (type == MD_BLOCK_H)
		buf_addf(st->out, "</h%u>\n", st->h_level);
	else
		buf_adds(st->out, md_block_close(type));
	return st->out->err != PR_OK;
}

static void md_open_a(struct md_state *st, const MD_SPAN_A_DETAIL *d)
{
	struct str href;

	buf_adds(st->out, "<a");
	md_attr_url(st, "href", &d->href);
	md_attr_text(st, "title", &d->title);
	href = md_attr(st, &d->href);
	if (html_url_kind(href) == HTML_URL_ABSOLUTE)
		buf_adds(st->out, " rel=\"noopener\"");
	buf_addc(st->out, '>');
}

static void md_close_img(struct md_state *st, const MD_SPAN_IMG_DETAIL *d)
{
	buf_addc(st->out, '"');
	md_attr_text(st, "title", &d->title);
	buf_adds(st->out, " loading=\"lazy\">");
}

/*
 * An image's description may hold emphasis, links and more images; all of
 * it becomes plain text in alt, so no tags are written until the outermost
 * image closes.
 */
static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct md_state *st = ud;

	if (st->img_depth > 0) {
		st->img_depth += type == MD_SPAN_IMG;
		return 0;
	}
	switch (type) {
	case MD_SPAN_EM: buf_adds(st->out, "<em>"); break;
	case MD_SPAN_STRONG: buf_adds(st->out, "<strong>"); break;
	case MD_SPAN_A: md_open_a(st, detail); break;
	case MD_SPAN_IMG:
		buf_adds(st->out, "<img");
		md_attr_url(st, "src", &((MD_SPAN_IMG_DETAIL *)detail)->src);
		buf_adds(st->out, " alt=\"");
		st->img_depth = 1;
		break;
	case MD_SPAN_CODE: buf_adds(st->out, "<code>"); break;
	case MD_SPAN_DEL: buf_adds(st->out, "<del>"); break;
	default: break;
	}
	return st->out->err != PR_OK;
}

static const char *md_span_close(MD_SPANTYPE type)
{
	switch (type) {
	case MD_SPAN_EM: return "</em>";
	case MD_SPAN_STRONG: return "</strong>";
	case MD_SPAN_A: return "</a>";
	case MD_SPAN_CODE: return "</code>";
	case MD_SPAN_DEL: return "</del>";
	default: return "";
	}
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct md_state *st = ud;

	if (st->img_depth > 0) {
		if (type == MD_SPAN_IMG && --st->img_depth == 0)
			md_close_img(st, detail);
		return st->out->err != PR_OK;
	}
	buf_adds(st->out, md_span_close(type));
	return st->out->err != PR_OK;
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                   void *ud)
{
	struct md_state *st = ud;
	bool in_img = st->img_depth > 0;

	switch (type) {
	case MD_TEXT_NULLCHAR: buf_add(st->out, REPLACEMENT_CHAR, 3); break;
	case MD_TEXT_BR: buf_adds(st->out, in_img ? " " : "<br>\n"); break;
	case MD_TEXT_SOFTBR: buf_adds(st->out, in_img ? " " : "\n"); break;
	case MD_TEXT_ENTITY:
		buf_reset(&st->attr);
		md_entity(&st->attr, text, size);
		html_escape(st->out, buf_str(&st->attr));
		break;
	default: html_escape(st->out, (struct str){text, size}); break;
	}
	return st->out->err != PR_OK;
}

static const MD_PARSER md_parser = {
    .abi_version = 0,
    .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML,
    .enter_block = md_enter_block,
    .leave_block = md_leave_block,
    .enter_span = md_enter_span,
    .leave_span = md_leave_span,
    .text = md_text,
};

/* A copy of md with MD_PAD NULs after it, for md4c; NULL when out of
 * memory. The caller frees it. */
static char *md_padded(struct str md)
{
	char *copy = malloc(md.n + MD_PAD);

	if (copy == NULL)
		return NULL;
	if (md.n > 0)
		memcpy(copy, md.p, md.n);
	memset(copy + md.n, 0, MD_PAD);
	return copy;
}

enum pr_err render_markdown(struct buf *out, struct str md, struct pr_error *e)
{
	struct md_state st = {.out = out, .h_level = 1};
	size_t start = out->n, bad;
	enum pr_err rc = PR_OK;
	char *copy = NULL;
	int r;

	buf_init(&st.attr, ATTR_MAX);
	if (md.n > UINT_MAX - MD_PAD) {
		rc = pr_fail(e, PR_TOOBIG, "markdown: %zu bytes is too long",
		             md.n);
		goto out;
	}
	if (!utf8_valid(md.p, md.n, &bad)) {
		rc = pr_fail(e, PR_INVALID,
		             "markdown: invalid UTF-8 at byte %zu", bad);
		goto out;
	}
	copy = md_padded(md);
	if (copy == NULL) {
		rc = pr_fail(e, PR_NOMEM, "markdown: out of memory");
		goto out;
	}
	r = md_parse(copy, (MD_SIZE)md.n, &md_parser, &st);
	if (out->err != PR_OK)
		rc = pr_fail(e, out->err, "markdown: output: %s",
		             pr_strerror(out->err));
	else if (r != 0)
		rc = pr_fail(e, PR_NOMEM, "markdown: parser out of memory");
out:
	if (rc != PR_OK && out->err == PR_OK)
		out->n = start;
	buf_free(&st.attr);
	free(copy);
	return rc;
}

/* Plain text */

struct md_text_state {
	struct buf *out;
	struct buf ent;
	size_t start; /* where this text began in out */
	int pending;  /* separator owed before the next text: 0 none, 1 a
	                 space (cells), 2 a newline (items, rows), 3 a blank
	                 line (blocks) */
};

static int md_text_enter(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct md_text_state *st = ud;
	int sep = 3;

	if (type == MD_BLOCK_DOC || type == MD_BLOCK_TABLE ||
	    type == MD_BLOCK_THEAD || type == MD_BLOCK_TBODY)
		return 0;
	if (type == MD_BLOCK_TD || type == MD_BLOCK_TH)
		sep = 1;
	else if (type == MD_BLOCK_LI || type == MD_BLOCK_TR)
		sep = 2;
	if (sep > st->pending)
		st->pending = sep;
	return 0;
}

static int md_text_leave(MD_BLOCKTYPE type, void *detail, void *ud)
{
	return 0;
}

static int md_text_span(MD_SPANTYPE type, void *detail, void *ud)
{
	return 0;
}

/* Writes the separator owed, unless nothing was written yet. */
static void md_text_sep(struct md_text_state *st)
{
	static const char *const seps[] = {"", " ", "\n", "\n\n"};

	if (st->out->n > st->start)
		buf_adds(st->out, seps[st->pending]);
	st->pending = 0;
}

static int md_text_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                        void *ud)
{
	struct md_text_state *st = ud;

	md_text_sep(st);
	switch (type) {
	case MD_TEXT_NULLCHAR: buf_add(st->out, REPLACEMENT_CHAR, 3); break;
	case MD_TEXT_BR: buf_addc(st->out, '\n'); break;
	case MD_TEXT_SOFTBR: buf_addc(st->out, ' '); break;
	case MD_TEXT_ENTITY:
		buf_reset(&st->ent);
		md_entity(&st->ent, text, size);
		buf_addstr(st->out, buf_str(&st->ent));
		break;
	default: buf_add(st->out, text, size); break;
	}
	return st->out->err != PR_OK;
}

static const MD_PARSER md_text_parser = {
    .abi_version = 0,
    .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML,
    .enter_block = md_text_enter,
    .leave_block = md_text_leave,
    .enter_span = md_text_span,
    .leave_span = md_text_span,
    .text = md_text_text,
};

enum pr_err render_markdown_text(struct buf *out, struct str md,
                                 struct pr_error *e)
{
	struct md_text_state st = {.out = out, .start = out->n};
	enum pr_err rc = PR_OK;
	char *copy = NULL;
	size_t bad;
	int r;

	buf_init(&st.ent, ATTR_MAX);
	if (md.n > UINT_MAX - MD_PAD) {
		rc = pr_fail(e, PR_TOOBIG, "markdown: %zu bytes is too long",
		             md.n);
		goto out;
	}
	if (!utf8_valid(md.p, md.n, &bad)) {
		rc = pr_fail(e, PR_INVALID,
		             "markdown: invalid UTF-8 at byte %zu", bad);
		goto out;
	}
	if ((copy = md_padded(md)) == NULL) {
		rc = pr_fail(e, PR_NOMEM, "markdown: out of memory");
		goto out;
	}
	r = md_parse(copy, (MD_SIZE)md.n, &md_text_parser, &st);
	if (out->err != PR_OK)
		rc = pr_fail(e, out->err, "markdown: output: %s",
		             pr_strerror(out->err));
	else if (r != 0)
		rc = pr_fail(e, PR_NOMEM, "markdown: parser out of memory");
out:
	if (rc != PR_OK && out->err == PR_OK)
		out->n = st.start;
	buf_free(&st.ent);
	free(copy);
	return rc;
}
