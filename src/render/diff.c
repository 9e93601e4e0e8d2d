/*
 * render/diff.c: the differences between two versions of a text as HTML,
 * word by word: what both share is printed escaped, what went away inside
 * <del> and what came in inside <ins>. The common beginning and end are
 * taken off first (a correction usually touches a few words), then the
 * longest common subsequence of what is left is found with a table that
 * is bounded in size; past the bound the comparison goes line by line,
 * and past that the middle is shown as removed and added whole.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#define DIFF_MAX_CELLS  ((size_t)4 << 20) /* LCS table entries (uint16) */
#define DIFF_MAX_TOKENS 65000             /* per side, so lengths fit */

enum op { OP_SAME, OP_DEL, OP_INS };

struct tokens {
	struct str *v;
	size_t n;
};

/* Splits s into runs of white space and runs of anything else, or into
 * lines (each with its newline) when lines is set. */
static bool tokenize(struct str s, bool lines, struct tokens *t)
{
	size_t i = 0, cap = 64;

	t->n = 0;
	if ((t->v = malloc(cap * sizeof(*t->v))) == NULL)
		return false;
	while (i < s.n) {
		size_t j = i + 1;
		bool sp = s.p[i] == ' ' || s.p[i] == '\n' || s.p[i] == '\t';
		if (lines)
			while (j < s.n && s.p[j - 1] != '\n')
				j++;
		else
			while (j < s.n && (s.p[j] == ' ' || s.p[j] == '\n' ||
			                   s.p[j] == '\t') == sp)
				j++;
		if (t->n == cap) {
			struct str *v = realloc(t->v, 2 * cap * sizeof(*v));
			if (v == NULL)
				return false;
			t->v = v;
			cap *= 2;
		}
		t->v[t->n++] = (struct str){s.p + i, j - i};
		i = j;
	}
	return true;
}

/* Writes runs of one operation, merging neighbours of the same kind. */
struct writer {
	struct buf *out;
	enum op open; /* OP_SAME: no tag open */
};

static void put(struct writer *w, enum op op, struct str text)
{
	if (op != w->open) {
		if (w->open != OP_SAME)
			buf_adds(w->out,
			         w->open == OP_DEL ? "</del>" : "</ins>");
		if (op != OP_SAME)
			buf_adds(w->out, op == OP_DEL ? "<del>" : "<ins>");
		w->open = op;
	}
	html_escape(w->out, text);
}

static void close_tag(struct writer *w)
{
	put(w, OP_SAME, STR_LIT(""));
}

/* The LCS table of a[0..n) and b[0..m): L[i][j] = LCS of a[i..], b[j..]. */
static uint16_t *lcs_table(const struct str *a, size_t n, const struct str *b,
                           size_t m)
{
	size_t w = m + 1;
	uint16_t *L = calloc((n + 1) * w, sizeof(*L));

	if (L == NULL)
		return NULL;
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			uint16_t down = L[(i + 1) * w + j],
			         right = L[i * w + j + 1];
			L[i * w + j] =
			    str_eq(a[i], b[j])
			        ? (uint16_t)(L[(i + 1) * w + j + 1] + 1)
			        : (down > right ? down : right);
		}
	return L;
}

/* Walks the table, deletions before insertions at each change. */
static void walk(struct writer *wr, const struct str *a, size_t n,
                 const struct str *b, size_t m, const uint16_t *L)
{
	size_t i = 0, j = 0, w = m + 1;

	while (i < n || j < m) {
		if (i < n && j < m && str_eq(a[i], b[j])) {
			put(wr, OP_SAME, a[i++]);
			j++;
		} else if (j == m ||
		           (i < n && L[(i + 1) * w + j] >= L[i * w + j + 1])) {
			put(wr, OP_DEL, a[i++]);
		} else {
			put(wr, OP_INS, b[j++]);
		}
	}
}

static void whole(struct writer *w, const struct str *a, size_t n,
                  const struct str *b, size_t m)
{
	for (size_t i = 0; i < n; i++)
		put(w, OP_DEL, a[i]);
	for (size_t j = 0; j < m; j++)
		put(w, OP_INS, b[j]);
}

static bool fits(size_t n, size_t m)
{
	return n <= DIFF_MAX_TOKENS && m <= DIFF_MAX_TOKENS &&
	       (n + 1) * (m + 1) <= DIFF_MAX_CELLS;
}

/* The changed middle of two token lists. */
static void middle(struct writer *w, const struct str *a, size_t n,
                   const struct str *b, size_t m, int depth);

/* Compares the middle again, line by line; each changed pair of lines
 * that is small enough then word by word. */
static void by_lines(struct writer *w, const struct str *a, size_t n,
                     const struct str *b, size_t m)
{
	struct str sa = {a[0].p, (size_t)(a[n - 1].p + a[n - 1].n - a[0].p)};
	struct str sb = {b[0].p, (size_t)(b[m - 1].p + b[m - 1].n - b[0].p)};
	struct tokens la = {0}, lb = {0};

	if (tokenize(sa, true, &la) && tokenize(sb, true, &lb) &&
	    (la.n < n || lb.n < m))
		middle(w, la.v, la.n, lb.v, lb.n, 1);
	else
		whole(w, a, n, b, m);
	free(la.v);
	free(lb.v);
}

static void middle(struct writer *w, const struct str *a, size_t n,
                   const struct str *b, size_t m, int depth)
{
	uint16_t *L;

	if (n == 0 || m == 0) {
		whole(w, a, n, b, m);
		return;
	}
	if (!fits(n, m) || (L = lcs_table(a, n, b, m)) == NULL) {
		if (depth == 0)
			by_lines(w, a, n, b, m);
		else
			whole(w, a, n, b, m);
		return;
	}
	walk(w, a, n, b, m, L);
	free(L);
}

static void diff_tokens(struct writer *w, const struct tokens *a,
                        const struct tokens *b)
{
	size_t pre = 0, suf = 0;

	while (pre < a->n && pre < b->n && str_eq(a->v[pre], b->v[pre]))
		put(w, OP_SAME, a->v[pre++]);
	while (suf < a->n - pre && suf < b->n - pre &&
	       str_eq(a->v[a->n - 1 - suf], b->v[b->n - 1 - suf]))
		suf++;
	middle(w, a->v + pre, a->n - pre - suf, b->v + pre, b->n - pre - suf,
	       0);
	for (size_t i = a->n - suf; i < a->n; i++)
		put(w, OP_SAME, a->v[i]);
	close_tag(w);
}

enum pr_err render_diff(struct buf *out, struct str a, struct str b,
                        struct pr_error *e)
{
	struct tokens ta = {0}, tb = {0};
	struct writer w = {out, OP_SAME};
	enum pr_err rc = PR_OK;

	if (!tokenize(a, false, &ta) || !tokenize(b, false, &tb)) {
		rc = pr_fail(e, PR_NOMEM, "diff: out of memory");
		goto out;
	}
	diff_tokens(&w, &ta, &tb);
	if (out->err != PR_OK)
		rc = pr_fail(e, out->err, "diff: the result is too large");
out:
	free(ta.v);
	free(tb.v);
	return rc;
}
