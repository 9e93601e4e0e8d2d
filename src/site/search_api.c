/*
 * site/search_api.c: search for programs. /api/v1/search answers JSON with
 * the same keys as the page, cursor pagination (the "next" string goes
 * back as ?cursor=) and errors as JSON; /{lang}/search/{feed} is the feed
 * of any search, newest first, through the feeds of site/feed.c.
 */
#include "site_search.h"

#include <string.h>

#define API_BODY_MAX (4u << 20)

static const char *absolute(struct site_req *r, const char *path)
{
	return arena_printf(r->a, "%s%s", r->cfg->base_url, path);
}

static void hit_json(struct site_req *r, struct jsonw *w, struct search_hl *hl,
                     const struct store_search_hit *h)
{
	const struct article_summary *it = &h->item;
	char when[PR_TIME_LEN];
	struct buf b;

	buf_init(&b, 1 << 20);
	jsonw_obj(w);
	jsonw_key(w, "id");
	jsonw_int(w, it->id);
	jsonw_kstr(w, "url",
	           absolute(r, site__article_path(r->a, it->id, it->lang,
	                                          it->slug, false)));
	jsonw_kstr(w, "lang", it->lang);
	jsonw_kstr(w, "kind", it->kind);
	pr_time_format(it->published_at, when);
	jsonw_kstr(w, "published_at", when);
	pr_time_format(it->updated_at, when);
	jsonw_kstr(w, "updated_at", when);
	jsonw_kstr(w, "title", it->title);
	search_highlight(hl, &b, str_c(it->title));
	jsonw_key(w, "title_html");
	jsonw_str(w, buf_str(&b));
	jsonw_kstr(w, "lead", it->lead);
	buf_reset(&b);
	search_snippet(hl, &b, str_c(h->text), 0);
	jsonw_key(w, "snippet_html");
	jsonw_str(w, buf_str(&b));
	jsonw_end(w);
	buf_free(&b);
	if (it->updated_at > r->res->last_modified)
		r->res->last_modified = it->updated_at;
}

static void facets_json(struct jsonw *w, const struct store_search_result *res)
{
	static const char *const names[STORE_FACETS] = {
	    "kind", "lang", "year", "tag", "person", "place"};
	const struct store_facet_list *l;

	jsonw_key(w, "facets");
	jsonw_obj(w);
	for (int f = 0; f < STORE_FACETS; f++) {
		l = &res->facets[f];
		jsonw_key(w, names[f]);
		jsonw_arr(w);
		for (size_t i = 0; i < l->n; i++) {
			jsonw_obj(w);
			jsonw_kstr(w, "value", l->v[i].key);
			if (f >= STORE_FACET_TAG)
				jsonw_kstr(w, "name", l->v[i].name);
			jsonw_key(w, "count");
			jsonw_int(w, l->v[i].count);
			jsonw_end(w);
		}
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void head_json(struct jsonw *w, const struct site_search *s)
{
	jsonw_key(w, "query");
	jsonw_str(w, s->q);
	jsonw_key(w, "total");
	jsonw_int(w, s->res.total);
	jsonw_key(w, "approximate");
	jsonw_bool(w, s->res.approximate);
	jsonw_kstr(w, "sort", s->by_date ? "date" : "relevance");
	jsonw_key(w, "limit");
	jsonw_int(w, s->limit);
}

static void next_json(struct site_req *r, struct jsonw *w,
                      const struct site_search *s)
{
	jsonw_key(w, "next");
	if (s->res.has_more && s->res.n > 0)
		jsonw_cstr(w, site__cursor_text(r, &s->res.next, s->by_date));
	else
		jsonw_null(w);
}

/* The suggestion for a query that found nothing, or none. */
static void suggestion_json(struct site_req *r, struct jsonw *w,
                            const struct site_search *s)
{
	struct pr_error e = {0};
	struct str out;

	if (s->res.total > 0 || s->no_entity ||
	    store_search_suggest(r->st, r->a, s->q, &s->pq, &out, &e) != PR_OK)
		return;
	jsonw_key(w, "suggestion");
	jsonw_str(w, out);
}

static enum pr_err answer(struct site_req *r, const struct site_search *s)
{
	struct search_hl *hl = NULL;
	struct pr_error e = {0};
	struct jsonw w;

	if (search_hl_new(&hl, &s->pq, &e) != PR_OK)
		return pr_fail(&r->err, PR_NOMEM, "%s", e.msg);
	buf_reset(&r->res->body);
	jsonw_begin(&w, &r->res->body, false);
	jsonw_obj(&w);
	head_json(&w, s);
	jsonw_key(&w, "results");
	jsonw_arr(&w);
	for (size_t i = 0; i < s->res.n; i++)
		hit_json(r, &w, hl, &s->res.hits[i]);
	jsonw_end(&w);
	facets_json(&w, &s->res);
	next_json(r, &w, s);
	suggestion_json(r, &w, s);
	jsonw_end(&w);
	search_hl_free(hl);
	if (jsonw_finish(&w) != PR_OK)
		return pr_fail(&r->err, PR_TOOBIG, "search: answer too large");
	r->res->status = 200;
	r->res->content_type = "application/json; charset=utf-8";
	r->res->cacheable = true;
	return PR_OK;
}

/* An error as JSON: {"error": {"status": 400, "message": "..."}}. */
static enum pr_err fail_json(struct site_req *r, enum pr_err rc)
{
	int status = rc == PR_INVALID ? 400 : rc == PR_NOTFOUND ? 404 : 500;
	struct jsonw w;

	if (status == 500)
		return rc;
	buf_reset(&r->res->body);
	jsonw_begin(&w, &r->res->body, false);
	jsonw_obj(&w);
	jsonw_key(&w, "error");
	jsonw_obj(&w);
	jsonw_key(&w, "status");
	jsonw_int(&w, status);
	jsonw_kstr(&w, "message", r->err.msg);
	jsonw_end(&w);
	jsonw_end(&w);
	if (jsonw_finish(&w) != PR_OK)
		return rc;
	r->res->status = status;
	r->res->content_type = "application/json; charset=utf-8";
	r->res->cacheable = false;
	return PR_OK;
}

enum pr_err site__search_api(struct site_req *r)
{
	struct site_search *s = arena_zalloc(r->a, sizeof(*s));
	enum pr_err rc;

	if (s == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	rc = site__search_params(r, SITE_SEARCH_JSON, s);
	if (rc == PR_OK && s->empty)
		rc = site__fail(&r->err, PR_INVALID, r->lang,
		                "error_search_empty", NULL, NULL);
	if (rc == PR_OK)
		rc = site__search_run(r, s);
	if (rc == PR_OK)
		rc = answer(r, s);
	return rc == PR_OK ? PR_OK : fail_json(r, rc);
}

/* The hits as the list a feed shows. */
static struct article_list *as_list(struct site_req *r,
                                    const struct site_search *s)
{
	struct article_list *l = arena_zalloc(r->a, sizeof(*l));

	if (l == NULL ||
	    (s->res.n > 0 &&
	     !(l->items = arena_alloc(r->a, s->res.n * sizeof(*l->items)))))
		return NULL;
	for (size_t i = 0; i < s->res.n; i++)
		l->items[i] = s->res.hits[i].item;
	l->n = s->res.n;
	l->total = s->res.total;
	return l;
}

enum pr_err site__search_feed(struct site_req *r)
{
	struct site_search *s = arena_zalloc(r->a, sizeof(*s));
	struct site_feed f = {0};
	enum pr_err rc;

	if (s == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	if ((rc = site__search_params(r, SITE_SEARCH_ATOM, s)) != PR_OK)
		return rc;
	if (!s->empty && (rc = site__search_run(r, s)) != PR_OK)
		return rc;
	f.format = (enum site_feed_format)r->route->feed;
	f.title = s->empty
	              ? i18n(r->lang, "search")
	              : site__text(r->a, r->lang, "search_title",
	                           arena_strndup(r->a, s->q.p, s->q.n), NULL);
	f.base = arena_printf(r->a, "/%s/search", r->lang);
	f.query = site__search_qs(r, s, NULL, NULL);
	f.html_path = arena_printf(r->a, "/%s/search?%s", r->lang, f.query);
	if ((f.items = as_list(r, s)) == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	return site__feed(r, &f);
}
