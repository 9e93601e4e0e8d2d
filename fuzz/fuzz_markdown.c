/*
 * fuzz_markdown.c: libFuzzer target for render_markdown. Besides crashes
 * and sanitizer reports it checks what the renderer promises: valid UTF-8
 * in gives valid UTF-8 out, every '<' in the output starts a tag the
 * renderer writes (so no markup from the source survives), attribute values
 * are quoted, and no href or src holds a URL html_url_kind calls unsafe.
 */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {
    "a",     "blockquote", "br", "code", "del",   "em", "h2", "h3",  "h4",
    "h5",    "h6",         "hr", "img",  "li",    "ol", "p",  "pre", "strong",
    "table", "tbody",      "td", "th",   "thead", "tr", "ul",
};

static const char *const attrs[] = {"alt", "class", "href",  "loading",
                                    "rel", "src",   "start", "title"};

static bool in_list(const char *const *list, size_t n, const char *p,
                    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], p, len) == 0)
			return true;
	return false;
}

/* Undoes the escapes html_escape and html_url write. */
static void attr_decode(struct buf *b, const char *p, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'},
	            {"&lt;", '<'},
	            {"&gt;", '>'},
	            {"&quot;", '"'},
	            {"&#39;", '\''}};
	size_t i, k, len;

	for (i = 0; i < n; i++) {
		for (k = 0; p[i] == '&' && k < sizeof(ents) / sizeof(*ents);
		     k++) {
			len = strlen(ents[k].ent);
			if (n - i >= len &&
			    memcmp(p + i, ents[k].ent, len) == 0)
				break;
		}
		if (p[i] == '&' && k < sizeof(ents) / sizeof(*ents)) {
			buf_addc(b, ents[k].c);
			i += strlen(ents[k].ent) - 1;
		} else {
			buf_addc(b, p[i]);
		}
	}
}

static size_t name_end(struct str h, size_t i)
{
	while (i < h.n && ((h.p[i] >= 'a' && h.p[i] <= 'z') ||
	                   (h.p[i] >= '0' && h.p[i] <= '9')))
		i++;
	return i;
}

/* Checks one attribute from h.p[i] (after the blank); returns the index
 * after its closing quote. */
static size_t check_attr(struct str h, size_t i, struct buf *b)
{
	size_t start = i, end = name_end(h, i), q;
	const char *close;

	if (end == start || !in_list(attrs, sizeof(attrs) / sizeof(*attrs),
	                             h.p + start, end - start))
		abort();
	if (end + 2 > h.n || h.p[end] != '=' || h.p[end + 1] != '"')
		abort();
	q = end + 2;
	close = memchr(h.p + q, '"', h.n - q);
	if (close == NULL)
		abort();
	buf_reset(b);
	attr_decode(b, h.p + q, (size_t)(close - (h.p + q)));
	if ((memcmp(h.p + start, "href", 4) == 0 ||
	     memcmp(h.p + start, "src", 3) == 0) &&
	    html_url_kind(buf_str(b)) == HTML_URL_UNSAFE)
		abort();
	return (size_t)(close - h.p) + 1;
}

/* Checks the tag that starts after the '<' at h.p[i - 1]; returns the
 * index after its '>'. */
static size_t check_tag(struct str h, size_t i, struct buf *b)
{
	size_t start, end;

	if (i < h.n && h.p[i] == '/')
		i++;
	start = i;
	end = name_end(h, i);
	if (end == start || !in_list(tags, sizeof(tags) / sizeof(*tags),
	                             h.p + start, end - start))
		abort();
	for (i = end; i < h.n && h.p[i] == ' ';)
		i = check_attr(h, i + 1, b);
	if (i >= h.n || h.p[i] != '>')
		abort();
	return i + 1;
}

static void check_html(struct str h)
{
	struct buf b;
	size_t i = 0;

	buf_init(&b, h.n + 1);
	while (i < h.n)
		i = h.p[i] == '<' ? check_tag(h, i + 1, &b) : i + 1;
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str md = {size ? (const char *)data : "", size};
	struct pr_error e = {0};
	struct buf out;
	enum pr_err rc;

	buf_init(&out, 64u << 20);
	rc = render_markdown(&out, md, &e);
	if (rc == PR_OK) {
		if (!utf8_valid(out.p ? out.p : "", out.n, NULL))
			abort();
		check_html(buf_str(&out));
	} else if (rc == PR_INVALID && utf8_valid(md.p, md.n, NULL)) {
		abort();
	}
	buf_free(&out);
	return 0;
}
