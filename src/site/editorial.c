/*
 * site/editorial.c: what readers see of the editors' work: "Updated on"
 * with the public change note of the latest correction, the history page
 * of an item (its published versions, each with its differences from the
 * one before, and each readable in full), the notice in place of a
 * withdrawn item (410), and the public page of any article for the
 * editors' previews.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

#define HISTORY_MAX 50 /* versions a history page shows */
#define DIFF_MAX    ((size_t)8 << 20)
#define HTML_MAX    ((size_t)8 << 20)

/* The public versions of a, oldest first: revisions readers could see.
 * A version replaced before the item came out was never seen. */
static enum pr_err public_versions(struct site_req *r, const struct article *a,
                                   struct revision **out, size_t *n)
{
	struct revision *v;
	size_t all, k = 0;
	enum pr_err rc;

	*n = 0;
	rc = store_revisions(r->st, r->a, a->id, false, &v, &all, &r->err);
	if (rc != PR_OK)
		return rc;
	for (size_t i = 0; i < all; i++)
		if (v[i].public)
			v[k++] = v[i];
	for (size_t i = 0, j = 0; i < k; i++) {
		if (i + 1 < k && v[i + 1].saved_at <= a->published_at)
			continue;
		v[j++] = v[i];
		*n = j;
	}
	if (*n > HISTORY_MAX) {
		memmove(v, v + *n - HISTORY_MAX, HISTORY_MAX * sizeof(*v));
		*n = HISTORY_MAX;
	}
	*out = v;
	return PR_OK;
}

static const char *history_path(struct site_req *r, const struct article *a)
{
	return arena_printf(r->a, "/%s/news/%lld-%s/history", a->lang,
	                    (long long)a->id, a->slug);
}

void site__corrections(struct site_req *r, const struct article *a)
{
	struct revision *v;
	size_t n = 0;
	bool updated = a->updated_at > a->published_at;

	tv_set(r->model, "has_updated", tv_bool(r->a, updated));
	if (public_versions(r, a, &v, &n) != PR_OK) {
		pr_error_clear(&r->err);
		return;
	}
	for (size_t i = n; updated && i-- > 1;)
		if (v[i].note[0] != '\0') {
			tv_set_cstr(r->model, "update_note", v[i].note);
			break;
		}
	if (n > 1)
		tv_set_cstr(r->model, "history_url", history_path(r, a));
}

/* The history page */

static enum pr_err diff_into(struct site_req *r, struct tval *obj,
                             const char *key, const char *a, const char *b)
{
	struct buf out;
	enum pr_err rc;

	if (strcmp(a, b) == 0)
		return PR_OK;
	buf_init(&out, DIFF_MAX);
	rc = render_diff(&out, str_c(a), str_c(b), &r->err);
	if (rc == PR_OK)
		tv_set(obj, key, tv_html(r->a, buf_str(&out)));
	buf_free(&out);
	return rc;
}

static struct tval *version_value(struct site_req *r, const struct article *a,
                                  const struct revision *v, size_t i, size_t n)
{
	struct tval *o = tv_obj(r->a);

	tv_set_int(o, "number", (int64_t)i + 1);
	tv_set(o, "date",
	       site__date(r, i == 0 && v->saved_at < a->published_at
	                         ? a->published_at
	                         : v->saved_at));
	tv_set_cstr(o, "note", v->note);
	tv_set_bool(o, "current", i + 1 == n);
	tv_set_cstr(o, "url",
	            arena_printf(r->a, "%s?v=%zu", history_path(r, a), i + 1));
	return o;
}

/* The versions, newest first, each with its changes from the one
 * before. */
static enum pr_err versions_model(struct site_req *r, const struct article *a,
                                  const struct revision *v, size_t n)
{
	struct tval *list = tv_list(r->a), *o;
	struct tval **v_out = arena_zalloc(r->a, (n + 1) * sizeof(*v_out));
	struct revision prev = {0}, cur;
	enum pr_err rc = PR_OK;

	if (v_out == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == PR_OK; i++) {
		rc = store_revision_get(r->st, r->a, a->id, v[i].revision, &cur,
		                        &r->err);
		if (rc != PR_OK)
			break;
		o = version_value(r, a, &v[i], i, n);
		if (i > 0 &&
		    (rc = diff_into(r, o, "diff_title", prev.title,
		                    cur.title)) == PR_OK &&
		    (rc = diff_into(r, o, "diff_lead", prev.lead, cur.lead)) ==
		        PR_OK)
			rc = diff_into(r, o, "diff_body", prev.body, cur.body);
		tv_set_bool(o, "has_diff", i > 0);
		v_out[i] = o;
		prev = cur;
	}
	for (size_t i = n; i-- > 0;)
		tv_push(list, v_out[i]);
	tv_set(r->model, "versions", list);
	return rc;
}

/* ?v=N: one version in full. */
static enum pr_err one_version(struct site_req *r, const struct article *a,
                               const struct revision *v, size_t n, int64_t k)
{
	struct revision cur;
	struct tval *o;
	struct buf html;
	enum pr_err rc;

	rc = store_revision_get(r->st, r->a, a->id, v[k - 1].revision, &cur,
	                        &r->err);
	if (rc != PR_OK)
		return rc;
	buf_init(&html, HTML_MAX);
	rc = render_markdown(&html, str_c(cur.body), &r->err);
	o = version_value(r, a, &v[k - 1], (size_t)k - 1, n);
	tv_set_cstr(o, "title", cur.title);
	tv_set_cstr(o, "lead", cur.lead);
	if (rc == PR_OK)
		tv_set(o, "body", tv_html(r->a, buf_str(&html)));
	tv_set(r->model, "version", o);
	buf_free(&html);
	return rc;
}

static enum pr_err history_load(struct site_req *r, struct article *a)
{
	char id[24];
	enum pr_err rc;

	rc = store_article_get(r->st, r->a, r->route->id, a, &r->err);
	if (rc == PR_OK &&
	    (!config_has_language(r->cfg, str_c(a->lang)) ||
	     !((a->status == ARTICLE_PUBLISHED && a->published_at <= r->now) ||
	       a->status == ARTICLE_WITHDRAWN)))
		rc = PR_NOTFOUND;
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		snprintf(id, sizeof(id), "%lld", (long long)r->route->id);
		rc = site__fail(&r->err, rc, r->lang, "error_no_article", id,
		                NULL);
	}
	return rc;
}

enum pr_err site__history(struct site_req *r)
{
	const char *path, *article_path;
	struct revision *v;
	struct article a;
	int64_t k = 0;
	enum pr_err rc;
	size_t n;

	if ((rc = history_load(r, &a)) != PR_OK)
		return rc;
	r->lang = a.lang;
	path = history_path(r, &a);
	if (!str_eq_c(r->http->path, path)) {
		site__redirect(r, 301, path);
		return PR_OK;
	}
	if ((rc = public_versions(r, &a, &v, &n)) != PR_OK)
		return rc;
	if (http_query(r->http, "v").p != NULL &&
	    !str_to_i64(http_query(r->http, "v"), 1, (int64_t)n, &k))
		return site__fail(&r->err, PR_NOTFOUND, r->lang,
		                  "error_no_page", NULL, NULL);
	article_path = site__article_path(r->a, a.id, a.lang, a.slug, false);
	site__model(r, a.title, NULL, path, NULL);
	tv_set_cstr(r->model, "article_url", article_path);
	tv_set_cstr(r->model, "article_title", a.title);
	tv_set_cstr(r->model, "count", arena_printf(r->a, "%zu", n));
	rc = k ? one_version(r, &a, v, n, k) : versions_model(r, &a, v, n);
	if (rc != PR_OK)
		return rc;
	r->res->last_modified = a.updated_at;
	return site__render(r, "history");
}

/* Withdrawn items and previews */

enum pr_err site__gone(struct site_req *r, const struct article *a)
{
	const char *path =
	    site__article_path(r->a, a->id, a->lang, a->slug, false);
	struct workflow wf;
	struct tval *w = tv_obj(r->a);
	enum pr_err rc;

	if ((rc = store_workflow_get(r->st, r->a, a->id, &wf, &r->err)) !=
	    PR_OK)
		return rc;
	r->lang = a->lang;
	if ((rc = site__article_model(r, a, path)) != PR_OK)
		return rc;
	tv_set(
	    w, "date",
	    site__date(r, wf.withdrawn_at ? wf.withdrawn_at : a->updated_at));
	tv_set_cstr(w, "note", wf.withdrawn_note);
	tv_set(r->model, "withdrawn", w);
	rc = site__render(r, "article");
	r->res->status = 410;
	r->res->cacheable = false;
	return rc;
}

enum pr_err site_article_page(struct site *s, struct store *st,
                              const struct http_request *req,
                              struct http_response *res,
                              const struct article *a, struct pr_error *e)
{
	struct site_req r;
	const char *path;
	enum pr_err rc;

	site__req_init(&r, s, req, res);
	r.st = st;
	r.lang = a->lang;
	path = site__article_path(r.a, a->id, a->lang, a->slug, false);
	if (a->status == ARTICLE_WITHDRAWN)
		rc = site__gone(&r, a);
	else if ((rc = site__article_model(&r, a, path)) == PR_OK)
		rc = site__render(&r, "article");
	res->cacheable = false;
	if (rc != PR_OK)
		pr_fail(e, rc, "%s", r.err.msg);
	return rc;
}
