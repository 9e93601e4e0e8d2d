/*
 * store/slug.c: permanent links. An article's address is its id followed
 * by its slug, and the site redirects any slug to the current one, so a
 * changed slug never breaks a link; the slugs an article had before are
 * kept all the same (a trigger of the schema records the old one whenever
 * the slug column changes, whoever changes it), so that the editors' side
 * can show them and nothing that was once published is forgotten.
 */
#include "store_int.h"

#include <string.h>

#define OLD_SLUGS_MAX 1000

enum pr_err store_article_set_slug(struct store *s, int64_t id, struct str slug,
                                   struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;

	if (slug.n == 0 || slug.n > SLUG_MAX || !slug_valid(slug))
		return pr_fail(
		    e, PR_INVALID,
		    "article %lld: slug \"%.*s\" is not a slug "
		    "(lower-case letters, digits and single hyphens, "
		    "at most %d bytes)",
		    (long long)id, STR_FMT(utf8_prefix(slug, 100)), SLUG_MAX);
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_SLUG_SET);
	store__bind_int(s, st, 1, id);
	store__bind_str(s, st, 2, slug);
	rc = store__exec(s, st, e, "changing a slug");
	if (rc == PR_OK && sqlite3_changes(s->db) == 0)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld does not exist",
		             (long long)id);
	if (rc == PR_OK)
		store__touch(s);
	return store__write_end(s, rc, e);
}

enum pr_err store_article_old_slugs(struct store *s, struct arena *ar,
                                    int64_t id, struct slug_list *out,
                                    struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SLUG_HISTORY);
	enum pr_err rc;
	bool row, oom = false;

	memset(out, 0, sizeof(*out));
	out->slug = arena_alloc(ar, OLD_SLUGS_MAX * sizeof(*out->slug));
	if (out->slug == NULL) {
		sqlite3_reset(st);
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	}
	store__bind_int(s, st, 1, id);
	while ((rc = store__row(s, st, &row, e, "reading old slugs")) ==
	           PR_OK &&
	       row && out->n < OLD_SLUGS_MAX && !oom)
		out->slug[out->n++] = store__col_text(ar, st, 0, &oom);
	sqlite3_reset(st);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	return rc;
}
