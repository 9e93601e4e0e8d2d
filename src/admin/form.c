/*
 * admin/form.c: what the browser sends: form bodies
 * (application/x-www-form-urlencoded) decoded and checked at the edge,
 * cookies, and the random tokens of sessions, forms and preview links
 * with their hashes and constant-time comparison.
 */
#include "admin_int.h"

#include <sodium.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one key or value into a; CR LF becomes LF. false on a bad
 * escape. */
static bool decode(struct arena *a, struct str in, struct str *out)
{
	char *p = arena_alloc(a, in.n + 1);
	size_t i, n = 0;
	int hi, lo;

	if (p == NULL)
		return false;
	for (i = 0; i < in.n; i++) {
		char c = in.p[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= in.n)
				return false;
			hi = hex_digit(in.p[i + 1]);
			lo = hex_digit(in.p[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\n' && n > 0 && p[n - 1] == '\r')
			n--;
		p[n++] = c;
	}
	p[n] = '\0';
	*out = (struct str){p, n};
	return true;
}

/* A short, printable copy of a key for a message. */
static void key_name(struct str k, char out[48])
{
	size_t i, n = k.n < 40 ? k.n : 40;

	for (i = 0; i < n; i++)
		out[i] = k.p[i] > 0x20 && k.p[i] < 0x7f ? k.p[i] : '?';
	out[n] = '\0';
}

static enum pr_err add_field(struct arena *a, struct str pair, struct form *f,
                             struct pr_error *e)
{
	struct str raw = pair, k = str_cut(&raw, '='), key, value;
	size_t bad;
	char name[48];

	if (!decode(a, k, &key) || !decode(a, raw, &value))
		return pr_fail(e, PR_INVALID,
		               "the form has a malformed %%-escape");
	key_name(key, name);
	if (!utf8_valid(key.p, key.n, &bad) ||
	    !utf8_valid(value.p, value.n, &bad))
		return pr_fail(e, PR_INVALID,
		               "form field %s: not UTF-8 text (byte %zu)", name,
		               bad + 1);
	if (f->n == ADMIN_FIELDS_MAX)
		return pr_fail(e, PR_TOOBIG, "the form has more than %d fields",
		               ADMIN_FIELDS_MAX);
	f->v[f->n++] = (struct form_field){key, value};
	return PR_OK;
}

enum pr_err admin__form_parse(struct arena *a, struct str body,
                              struct form *out, struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	struct str pair;

	out->n = 0;
	out->v = arena_alloc(a, ADMIN_FIELDS_MAX * sizeof(*out->v));
	if (out->v == NULL)
		return pr_fail(e, PR_NOMEM, "out of memory");
	while (body.n > 0 && rc == PR_OK) {
		pair = str_cut(&body, '&');
		if (pair.n > 0)
			rc = add_field(a, pair, out, e);
	}
	return rc;
}

/* A plain part of a multipart body as a form field, CR LF made LF. */
static enum pr_err add_part(struct areq *r, const struct http_part *p)
{
	struct str key = str_c(p->name), v = p->data;
	char *d = arena_alloc(r->a, v.n + 1), name[48];
	size_t n = 0, bad;

	if (d == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] == '\n' && n > 0 && d[n - 1] == '\r')
			n--;
		d[n++] = v.p[i];
	}
	d[n] = '\0';
	key_name(key, name);
	if (!utf8_valid(d, n, &bad))
		return pr_fail(&r->err, PR_INVALID,
		               "form field %s: not UTF-8 text (byte %zu)", name,
		               bad + 1);
	r->form.v[r->form.n++] = (struct form_field){key, (struct str){d, n}};
	return PR_OK;
}

enum pr_err admin__form_multipart(struct areq *r)
{
	struct http_part *parts;
	enum pr_err rc;
	size_t n;

	r->form.n = 0;
	r->form.v = arena_alloc(r->a, ADMIN_FIELDS_MAX * sizeof(*r->form.v));
	r->files = arena_alloc(r->a, ADMIN_FIELDS_MAX * sizeof(*r->files));
	r->n_files = 0;
	if (r->form.v == NULL || r->files == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	rc = http_form_parts(r->http, ADMIN_FIELDS_MAX, &parts, &n, &r->err);
	for (size_t i = 0; rc == PR_OK && i < n; i++) {
		if (parts[i].filename != NULL)
			r->files[r->n_files++] = parts[i];
		else
			rc = add_part(r, &parts[i]);
	}
	if (rc != PR_OK)
		r->status = rc == PR_TOOBIG ? 413 : 400;
	return rc;
}

struct str admin__field(const struct form *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (str_eq_c(f->v[i].key, key))
			return f->v[i].value;
	return STR_NULL;
}

const char *admin__field_c(struct areq *r, const char *key)
{
	struct str v = admin__field(&r->form, key);

	return v.p ? v.p : ""; /* decode() ends every value in NUL */
}

void admin__form_encode(struct buf *out, const struct form *f, const char *skip)
{
	bool first = true;

	for (size_t i = 0; i < f->n; i++) {
		if (skip && str_eq_c(f->v[i].key, skip))
			continue;
		if (!first)
			buf_addc(out, '&');
		url_escape(out, f->v[i].key);
		buf_addc(out, '=');
		url_escape(out, f->v[i].value);
		first = false;
	}
}

struct str admin__cookie(const struct http_request *req, const char *name)
{
	struct str all = http_header(req, "Cookie"), pair, k;

	while (all.n > 0) {
		pair = str_trim(str_cut(&all, ';'));
		k = str_trim(str_cut(&pair, '='));
		if (str_eq_c(k, name))
			return str_trim(pair);
	}
	return STR_NULL;
}

bool admin__token_valid(struct str s)
{
	if (s.n != ADMIN_TOKEN_HEX)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') ||
		      (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

void admin__token_new(char out[ADMIN_TOKEN_HEX + 1])
{
	uint8_t raw[ADMIN_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	hash_hex(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}

void admin__token_hash(struct str token, char out[ADMIN_TOKEN_HEX + 1])
{
	uint8_t h[32];

	hash_sha256(token.p, token.n, h);
	hash_hex(h, sizeof(h), out);
}

bool admin__secret_eq(struct str a, struct str b)
{
	return a.p != NULL && b.p != NULL && a.n == b.n && a.n > 0 &&
	       sodium_memcmp(a.p, b.p, a.n) == 0;
}
