/*
 * http/form.c: multipart/form-data bodies (file uploads) parsed by
 * libmicrohttpd's post processor, handed to the handler as parts in the
 * request's arena, so that no handler needs the library or a parser of
 * its own.
 */
#include "http_int.h"

#include <string.h>

#define FORM_PP_BUFFER 16384 /* the post processor's own buffer */

struct form_state {
	struct arena *a;
	struct http_part *v;
	size_t n, max;
	struct buf cur; /* data of the part v[n - 1] so far */
	enum pr_err rc;
	const char *why;
};

/* Moves the data gathered for the last part into the arena. */
static void form_close(struct form_state *st)
{
	struct http_part *p;
	char *d;

	if (st->n == 0 || st->rc != PR_OK)
		return;
	p = &st->v[st->n - 1];
	if (st->cur.err != PR_OK) {
		st->rc = st->cur.err;
		st->why = "a part of the form is too large";
		return;
	}
	d = arena_alloc(st->a, st->cur.n + 1);
	if (d == NULL) {
		st->rc = PR_NOMEM;
		st->why = "out of memory";
		return;
	}
	if (st->cur.n)
		memcpy(d, st->cur.p, st->cur.n);
	d[st->cur.n] = '\0';
	p->data = (struct str){d, st->cur.n};
	buf_reset(&st->cur);
}

/* Starts a new part; false when there are too many. */
static bool form_open(struct form_state *st, const char *key,
                      const char *filename, const char *type)
{
	struct http_part *p;

	form_close(st);
	if (st->rc != PR_OK)
		return false;
	if (st->n == st->max) {
		st->rc = PR_TOOBIG;
		st->why = "the form has too many parts";
		return false;
	}
	p = &st->v[st->n++];
	p->name = arena_strdup(st->a, key ? key : "");
	p->filename = filename ? arena_strdup(st->a, filename) : NULL;
	p->content_type = type ? arena_strdup(st->a, type) : NULL;
	p->data = STR_NULL;
	if (p->name == NULL || (filename && p->filename == NULL)) {
		st->rc = PR_NOMEM;
		st->why = "out of memory";
		return false;
	}
	return true;
}

/* Whether a call at offset 0 continues the part just opened: the library
 * may announce a part with no data before its first bytes. */
static bool same_part(const struct form_state *st, const char *key,
                      const char *filename)
{
	const struct http_part *p;

	if (st->n == 0 || st->cur.n > 0)
		return false;
	p = &st->v[st->n - 1];
	return strcmp(p->name, key ? key : "") == 0 &&
	       (p->filename == NULL) == (filename == NULL) &&
	       (filename == NULL || strcmp(p->filename, filename) == 0);
}

static enum MHD_Result form_iter(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *filename,
                                 const char *type, const char *encoding,
                                 const char *data, uint64_t off, size_t size)
{
	struct form_state *st = cls;

	(void)kind;
	(void)encoding;
	if (off == 0 && !same_part(st, key, filename) &&
	    !form_open(st, key, filename, type))
		return MHD_NO;
	if (st->n == 0)
		return MHD_NO;
	if (size > 0)
		buf_add(&st->cur, data, size);
	return st->cur.err == PR_OK ? MHD_YES : MHD_NO;
}

enum pr_err http_form_parts(const struct http_request *r, size_t max_parts,
                            struct http_part **parts, size_t *n,
                            struct pr_error *e)
{
	struct form_state st = {.a = r->arena, .max = max_parts};
	struct MHD_PostProcessor *pp = NULL;
	struct str type = http_header(r, "Content-Type");

	*parts = NULL;
	*n = 0;
	buf_init(&st.cur, r->body.n + 1);
	if (!str_prefix(type, STR_LIT("multipart/form-data"))) {
		st.rc = PR_INVALID;
		st.why = "the body is not multipart/form-data";
		goto out;
	}
	st.v = arena_zalloc(r->arena, (max_parts + 1) * sizeof(*st.v));
	pp = MHD_create_post_processor(r->conn, FORM_PP_BUFFER, form_iter, &st);
	if (st.v == NULL || pp == NULL) {
		st.rc = st.v == NULL ? PR_NOMEM : PR_INVALID;
		st.why = st.v == NULL ? "out of memory"
		                      : "the multipart body has no usable "
		                        "boundary";
		goto out;
	}
	if (MHD_post_process(pp, r->body.p, r->body.n) != MHD_YES &&
	    st.rc == PR_OK) {
		st.rc = PR_INVALID;
		st.why = "the multipart body cannot be read";
	}
	if (MHD_destroy_post_processor(pp) != MHD_YES && st.rc == PR_OK) {
		st.rc = PR_INVALID;
		st.why = "the multipart body ends early";
	}
	pp = NULL;
	form_close(&st);
out:
	buf_free(&st.cur);
	if (st.rc != PR_OK)
		return pr_fail(e, st.rc, "%s", st.why);
	*parts = st.v;
	*n = st.n;
	return PR_OK;
}
