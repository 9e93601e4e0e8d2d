/*
 * ingest/release.c: plain-text releases like
 * tests/fixtures/sample-release.txt. Taking the text apart (title, the
 * "9 Photo" line, the trailing navigation words, lead and paragraphs),
 * writing plain text as Markdown that renders exactly as written, and
 * importing a release as one article with what the command line says
 * (date, language, kind, translation).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "../render/render.h"
#include "ingest_int.h"

struct line {
	struct str s; /* without white space at either end */
	long no;      /* 1-based */
};

/* Characters that mean something to Markdown anywhere in a line. */
static const bool md_inline[256] = {
    ['\\'] = true, ['`'] = true, ['*'] = true, ['_'] = true, ['['] = true,
    [']'] = true,  ['<'] = true, ['>'] = true, ['~'] = true, ['|'] = true,
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
	       c == '\n';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* s without ASCII white space and no-break spaces at either end. */
static struct str trim(struct str s)
{
	for (;;) {
		s = str_trim(s);
		if (str_prefix(s, STR_LIT("\xc2\xa0"))) {
			s.p += 2;
			s.n -= 2;
		} else if (str_suffix(s, STR_LIT("\xc2\xa0"))) {
			s.n -= 2;
		} else {
			return s;
		}
	}
}

/* The length of the number of an ordered-list marker ("12." or "3)"
 * followed by a space or the end) at the start of s; 0 when none. */
static size_t list_number(struct str s)
{
	size_t i = 0;

	while (i < s.n && i < 10 && is_digit(s.p[i]))
		i++;
	if (i == 0 || i > 9 || i >= s.n || (s.p[i] != '.' && s.p[i] != ')'))
		return 0;
	if (i + 1 < s.n && !is_blank(s.p[i + 1]))
		return 0;
	return i;
}

/* Whether s[i..] is an entity or character reference ("&amp;",
 * "&#65;", "&#x41;") that Markdown would decode. */
static bool entity_at(struct str s, size_t i)
{
	size_t k = i + 1, start;

	if (k < s.n && s.p[k] == '#') {
		k++;
		if (k < s.n && (s.p[k] == 'x' || s.p[k] == 'X'))
			k++;
	}
	for (start = k; k < s.n && is_alnum(s.p[k]); k++)
		;
	return k > start && k < s.n && s.p[k] == ';';
}

void ingest_md_escape(struct buf *out, struct str line)
{
	size_t i;

	line = trim(line);
	i = list_number(line);
	if (i) {
		buf_add(out, line.p, i);
		buf_addc(out, '\\');
	} else if (line.n && memchr("#-+=", line.p[0], 4)) {
		buf_addc(out, '\\');
	}
	for (; i < line.n; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if (md_inline[c] || (c == '&' && entity_at(line, i)))
			buf_addc(out, '\\');
		buf_addc(out, (char)c);
	}
}

/* words */

/* Splits the next word (separated by ASCII white space) off *s. */
static bool next_word(struct str *s, struct str *word)
{
	size_t i = 0, j;

	while (i < s->n && is_blank(s->p[i]))
		i++;
	for (j = i; j < s->n && !is_blank(s->p[j]); j++)
		;
	*word = (struct str){s->p + i, j - i};
	s->p += j;
	s->n -= j;
	return word->n > 0;
}

/* word is one of list (ASCII letters compared without case). */
static bool word_in(struct str word, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == word.n &&
		    strncasecmp(list[i], word.p, word.n) == 0)
			return true;
	return false;
}

static const char *const photo_words[] = {
    "photo", "photos", "фото", "Фото", "ФОТО", NULL,
};

/* "9 Photo", "  12 Photos", "9 фото": the count; -1 otherwise. */
static long photo_line(struct str s)
{
	struct str num, word, rest;
	int64_t n;

	if (!next_word(&s, &num) || !next_word(&s, &word) ||
	    next_word(&s, &rest))
		return -1;
	if (num.n > 6 || !str_to_i64(num, 0, 999999, &n) ||
	    !word_in(word, photo_words))
		return -1;
	return (long)n;
}

/* The links of a release page's footer, as copied with its text. */
static const char *const nav_main[] = {
    "print",  "news",    "archive", "печати", "Печати", "печать",
    "Печать", "новости", "Новости", "архив",  "Архив",  NULL,
};
static const char *const nav_glue[] = {
    "version", "версия", "Версия", "для", "Для", "|", "/", "·", NULL,
};

/* A line made only of navigation words, one of them a main one. */
static bool nav_line(struct str s)
{
	struct str word;
	bool main_word = false;

	while (next_word(&s, &word)) {
		if (word_in(word, nav_main))
			main_word = true;
		else if (!word_in(word, nav_glue))
			return false;
	}
	return main_word;
}

/* text as it compares with a title: ASCII case, runs of white space and
 * a final full stop do not count. */
static void normalise(struct buf *b, struct str s)
{
	struct str word;

	while (next_word(&s, &word)) {
		if (b->n)
			buf_addc(b, ' ');
		for (size_t i = 0; i < word.n; i++) {
			char c = word.p[i];
			buf_addc(b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
		}
	}
	while (b->n && (b->p[b->n - 1] == '.' || b->p[b->n - 1] == ' '))
		b->n--;
}

static bool repeats(struct str para, struct str title)
{
	struct buf a, b;
	bool same;

	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	normalise(&a, para);
	normalise(&b, title);
	same = !a.err && !b.err && str_eq(buf_str(&a), buf_str(&b));
	buf_free(&a);
	buf_free(&b);
	return same;
}

/* parsing */

static struct line *split_lines(struct arena *a, struct str text, size_t *n)
{
	size_t count = 1;
	struct line *v;

	for (size_t i = 0; i < text.n; i++)
		count += text.p[i] == '\n';
	if (!(v = arena_alloc(a, count * sizeof *v)))
		return NULL;
	for (size_t i = 0; i < count; i++) {
		v[i].s = trim(str_cut(&text, '\n'));
		v[i].no = (long)i + 1;
	}
	*n = count;
	return v;
}

static enum pr_err check_utf8(const char *name, struct str text,
                              struct pr_error *e)
{
	size_t bad, line = 1, start = 0;

	if (utf8_valid(text.p, text.n, &bad))
		return PR_OK;
	for (size_t i = 0; i < bad; i++)
		if (text.p[i] == '\n') {
			line++;
			start = i + 1;
		}
	return pr_fail(e, PR_INVALID,
	               "%s:%zu: invalid UTF-8 at byte column %zu", name, line,
	               bad - start + 1);
}

/* Paragraph lines from *i on as one line of text (lines joined by
 * spaces) into text and as Markdown into md (either may be NULL); *i moves
 * past the paragraph. */
static void take_paragraph(const struct line *v, size_t *i, size_t end,
                           struct buf *text, struct buf *md)
{
	while (*i < end && v[*i].s.n == 0)
		(*i)++;
	for (size_t k = *i; *i < end && v[*i].s.n > 0; (*i)++) {
		if (text) {
			if (*i > k)
				buf_addc(text, ' ');
			buf_addstr(text, v[*i].s);
		}
		if (md) {
			if (*i > k)
				buf_addc(md, '\n');
			ingest_md_escape(md, v[*i].s);
		}
	}
}

static bool more_text(const struct line *v, size_t i, size_t end)
{
	while (i < end && v[i].s.n == 0)
		i++;
	return i < end;
}

/* Lead and body from lines [i, end). */
static enum pr_err paragraphs(struct arena *a, const char *name,
                              const struct line *v, size_t i, size_t end,
                              struct release *out, struct pr_error *e)
{
	struct buf lead, body;
	enum pr_err rc = PR_OK;

	buf_init(&lead, SIZE_MAX / 4);
	buf_init(&body, SIZE_MAX / 4);
	while (more_text(v, i, end)) {
		buf_reset(&lead);
		while (i < end && v[i].s.n == 0)
			i++;
		out->lead_line = v[i].no;
		take_paragraph(v, &i, end, &lead, NULL);
		if (!repeats(buf_str(&lead), str_c(out->title)))
			break;
		buf_reset(&lead);
		out->lead_line = 0;
	}
	while (more_text(v, i, end)) {
		if (body.n)
			buf_add(&body, "\n\n", 2);
		take_paragraph(v, &i, end, NULL, &body);
	}
	out->lead = arena_strndup(a, lead.p ? lead.p : "", lead.n);
	out->body = arena_strndup(a, body.p ? body.p : "", body.n);
	if (lead.err || body.err || !out->lead || !out->body)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", name);
	buf_free(&lead);
	buf_free(&body);
	return rc;
}

/* The index after the last line of text, without trailing navigation
 * words (unless they are all there is after the title). */
static size_t text_end(const struct line *v, size_t n, size_t first)
{
	while (n > first && v[n - 1].s.n == 0)
		n--;
	if (n > first + 1 && nav_line(v[n - 1].s))
		n--;
	return n;
}

enum pr_err ingest_release_parse(struct arena *a, const char *name,
                                 struct str text, struct release *out,
                                 struct pr_error *e)
{
	struct line *v;
	size_t n, i = 0, end;
	enum pr_err rc;

	memset(out, 0, sizeof *out);
	out->photo_count = -1;
	if (str_prefix(text, STR_LIT("\xef\xbb\xbf"))) {
		text.p += 3;
		text.n -= 3;
	}
	if ((rc = check_utf8(name, text, e)) != PR_OK)
		return rc;
	if (!(v = split_lines(a, text, &n)))
		return pr_fail(e, PR_NOMEM, "%s: out of memory", name);
	while (i < n && v[i].s.n == 0)
		i++;
	if (i == n)
		return pr_fail(e, PR_INVALID,
		               "%s: no title: the release is empty", name);
	out->title = arena_strndup(a, v[i].s.p, v[i].s.n);
	out->title_line = v[i].no;
	if (!out->title)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", name);
	end = text_end(v, n, i);
	for (i++; i < end && v[i].s.n == 0; i++)
		;
	if (i < end && (out->photo_count = photo_line(v[i].s)) >= 0)
		i++;
	return paragraphs(a, name, v, i, end, out, e);
}

/* importing */

/* The whole of f, up to max bytes. */
static enum pr_err read_release(FILE *f, const char *name, size_t max,
                                struct buf *out, struct pr_error *e)
{
	char chunk[16384];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->n + n > max)
			return pr_fail(e, PR_TOOBIG,
			               "%s: the release is over %zu bytes, the "
			               "limit (max_import_line)",
			               name, max);
		buf_add(out, chunk, n);
	}
	if (ferror(f))
		return pr_fail(e, PR_IO, "%s: cannot read: %s", name,
		               strerror(errno));
	if (out->err)
		return pr_fail(e, out->err, "%s: %s", name,
		               pr_strerror(out->err));
	return PR_OK;
}

/* What the command line says about the release, checked. */
static enum pr_err check_opts(const struct config *cfg, const char *name,
                              const struct ingest_opts *o, struct pr_error *e)
{
	char q[INGEST__QUOTED];

	if (!o->has_date)
		return pr_fail(e, PR_INVALID,
		               "%s: a text release needs --date (when it was "
		               "published, RFC 3339)",
		               name);
	if (o->lang && !config_has_language(cfg, str_c(o->lang)))
		return pr_fail(e, PR_INVALID, "%s: --lang: unknown language %s",
		               name, ingest__quote(q, str_c(o->lang)));
	if (o->kind && !store_kind_valid(str_c(o->kind)))
		return pr_fail(e, PR_INVALID, "%s: --kind: unknown kind %s",
		               name, ingest__quote(q, str_c(o->kind)));
	return PR_OK;
}

/* The plain text of the body, for the search index. */
static enum pr_err plain_text(struct arena *a, const char *name,
                              const struct release *rel, struct article *out,
                              struct pr_error *e)
{
	struct pr_error re = {0};
	enum pr_err rc;
	struct buf t;

	buf_init(&t, 4 * strlen(rel->body) + 65536);
	rc = render_markdown_text(&t, str_c(rel->body), &re);
	if (rc == PR_OK &&
	    !(out->body_text = arena_strndup(a, t.p ? t.p : "", t.n)))
		rc = PR_NOMEM;
	buf_free(&t);
	if (rc != PR_OK)
		return pr_fail(e, rc, "%s: body: %s", name,
		               re.msg[0] ? re.msg : pr_strerror(rc));
	return PR_OK;
}

static enum pr_err fill_article(struct arena *a, const struct config *cfg,
                                const char *name, const struct ingest_opts *o,
                                const struct release *rel, struct buf *html,
                                struct article *out, struct pr_error *e)
{
	struct pr_error re = {0};
	struct buf slug;
	enum pr_err rc;

	memset(out, 0, sizeof *out);
	out->lang = o->lang ? o->lang : cfg->default_language;
	out->kind = o->kind ? o->kind : "news";
	out->status = ARTICLE_PUBLISHED;
	out->title = rel->title;
	out->lead = rel->lead;
	out->body = rel->body;
	out->author = "";
	out->published_at = out->updated_at = o->date;
	out->translation_of = o->translation_of;
	out->revision = 1;
	buf_init(&slug, 4 * SLUG_MAX);
	slug_make(&slug, str_c(rel->title), SLUG_MAX);
	out->slug = arena_strndup(a, slug.p ? slug.p : "", slug.n);
	buf_free(&slug);
	if ((rc = render_markdown(html, str_c(rel->body), &re)) != PR_OK)
		return pr_fail(e, rc, "%s: body: %s", name,
		               re.msg[0] ? re.msg : pr_strerror(rc));
	out->body_html = buf_cstr(html);
	if (!out->slug || html->err)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", name);
	return plain_text(a, name, rel, out, e);
}

static enum pr_err insert_release(struct store *s, const char *name,
                                  struct article *a, struct ingest_result *r,
                                  struct pr_error *e)
{
	struct pr_error se = {0};
	enum pr_err rc = store_article_insert(s, a, &se);

	if (rc == PR_NOTFOUND && a->translation_of)
		return pr_fail(e, rc, "%s: --translation-of: no article %lld",
		               name, (long long)a->translation_of);
	if (rc != PR_OK)
		return pr_fail(e, rc, "%s: %s", name,
		               se.msg[0] ? se.msg : pr_strerror(rc));
	r->items = 1;
	r->first_id = r->last_id = a->id;
	return PR_OK;
}

enum pr_err ingest__text(struct store *s, const struct config *cfg, FILE *f,
                         const char *name, const struct ingest_opts *o,
                         struct ingest_result *r, struct pr_error *e)
{
	size_t max =
	    cfg->max_import_line > 0 ? (size_t)cfg->max_import_line : 1u << 20;
	struct arena *a = arena_new(SIZE_MAX / 4);
	struct buf text, html;
	struct release rel;
	struct article art;
	enum pr_err rc;

	buf_init(&text, max);
	buf_init(&html, 8 * max + 65536);
	if (!a) {
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", name);
		goto out;
	}
	if ((rc = check_opts(cfg, name, o, e)) != PR_OK ||
	    (rc = read_release(f, name, max, &text, e)) != PR_OK ||
	    (rc = ingest_release_parse(a, name, buf_str(&text), &rel, e)) !=
	        PR_OK)
		goto out;
	r->photo_count = rel.photo_count;
	if ((rc = fill_article(a, cfg, name, o, &rel, &html, &art, e)) != PR_OK)
		goto out;
	rc = insert_release(s, name, &art, r, e);
out:
	buf_free(&text);
	buf_free(&html);
	arena_free(a);
	return rc;
}
