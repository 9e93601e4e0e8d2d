/*
 * site/search_page.c: the search page of a language: the form with its
 * filters, what was found (title and snippet with the matched words
 * marked, date, kind, language), numbered pages, the facets beside the
 * results as links, and when nothing was found the same query without
 * its filters and a spelling suggestion.
 */
#include "site_search.h"

#include <stdio.h>
#include <string.h>

static const char *search_path(struct site_req *r, const char *lang,
                               const char *qs)
{
	return arena_printf(r->a, "/%s/search%s%s", lang, qs[0] ? "?" : "", qs);
}

/* The page with key set to value, page 1. */
static const char *with(struct site_req *r, const struct site_search *s,
                        const char *key, const char *value)
{
	return search_path(r, r->lang, site__search_qs(r, s, key, value));
}

static const char *page_url(struct site_req *r, const struct site_search *s,
                            int64_t page)
{
	const char *qs = site__search_qs(r, s, NULL, NULL);

	if (page <= 1)
		return search_path(r, r->lang, qs);
	return arena_printf(r->a, "/%s/search?%s&page=%lld", r->lang, qs,
	                    (long long)page);
}

static int64_t pages_of(const struct site_search *s)
{
	int64_t max = STORE_LIMIT_MAX / s->limit;
	int64_t n = (s->res.total + s->limit - 1) / s->limit;

	return n < 1 ? 1 : n > max ? max : n;
}

/* The form */

static void option(struct site_req *r, struct tval *list, const char *value,
                   const char *label, bool selected)
{
	struct tval *o = tv_obj(r->a);

	tv_set_cstr(o, "value", value);
	tv_set_cstr(o, "label", label);
	tv_set_bool(o, "selected", selected);
	tv_push(list, o);
}

static void form_model(struct site_req *r, const struct site_search *s,
                       struct tval *m)
{
	struct tval *kinds = tv_list(r->a), *langs = tv_list(r->a);
	struct tval *hidden = tv_list(r->a), *h;
	static const char *const keys[ENTITY_TYPES] = {"tag", "person",
	                                               "place"};

	for (size_t i = 0; store_kinds[i] != NULL; i++)
		option(r, kinds, store_kinds[i],
		       site__kind_label(r, store_kinds[i]),
		       s->kind_f && strcmp(s->kind_f, store_kinds[i]) == 0);
	for (int i = 0; i < r->cfg->n_languages; i++)
		option(r, langs, r->cfg->languages[i],
		       i18n(r->cfg->languages[i], "lang_name"),
		       s->lang_f &&
		           strcmp(s->lang_f, r->cfg->languages[i]) == 0);
	for (int t = 0; t < ENTITY_TYPES; t++) {
		if (s->slug[t].p == NULL)
			continue;
		h = tv_obj(r->a);
		tv_set_cstr(h, "name", keys[t]);
		tv_set_str(h, "value", s->slug[t]);
		tv_push(hidden, h);
	}
	tv_set_cstr(m, "action", search_path(r, r->lang, ""));
	tv_set_str(m, "q", s->q);
	tv_set_cstr(m, "from", s->from);
	tv_set_cstr(m, "to", s->to);
	tv_set(m, "kinds", kinds);
	tv_set(m, "langs", langs);
	tv_set(m, "hidden", hidden);
	tv_set_bool(m, "by_date", s->by_date);
	tv_set_bool(m, "has_filters",
	            s->from[0] || s->to[0] || s->kind_f || s->lang_f ||
	                s->by_date || tv_count(hidden) > 0);
}

/* Active filters, each with the link that drops it */

static void filter(struct site_req *r, const struct site_search *s,
                   struct tval *list, const char *label, const char *value,
                   const char *key)
{
	struct tval *f = tv_obj(r->a);

	tv_set_cstr(f, "label", label);
	tv_set_cstr(f, "value", value);
	tv_set_cstr(f, "remove", with(r, s, key, NULL));
	tv_push(list, f);
}

static void filters_model(struct site_req *r, const struct site_search *s,
                          struct tval *m)
{
	static const char *const keys[ENTITY_TYPES] = {"tag", "person",
	                                               "place"};
	struct tval *list = tv_list(r->a);

	if (s->from[0])
		filter(r, s, list, i18n(r->lang, "search_from"), s->from,
		       "from");
	if (s->to[0])
		filter(r, s, list, i18n(r->lang, "search_to"), s->to, "to");
	if (s->kind_f)
		filter(r, s, list, i18n(r->lang, "kind"),
		       site__kind_label(r, s->kind_f), "kind");
	if (s->lang_f)
		filter(r, s, list, i18n(r->lang, "language_switch"),
		       i18n(s->lang_f, "lang_name"), "lang");
	for (int t = 0; t < ENTITY_TYPES; t++)
		if (s->slug[t].p != NULL)
			filter(r, s, list, i18n(r->lang, keys[t]),
			       s->ent[t].name
			           ? s->ent[t].name
			           : arena_strndup(r->a, s->slug[t].p,
			                           s->slug[t].n),
			       keys[t]);
	tv_set(m, "filters", list);
	tv_set_bool(m, "has_active", tv_count(list) > 0);
}

/* Hits */

static struct tval *hit_model(struct site_req *r, struct search_hl *hl,
                              const struct store_search_hit *h)
{
	const struct article_summary *it = &h->item;
	struct tval *v = tv_obj(r->a);
	struct buf b;

	buf_init(&b, 1 << 20);
	tv_set_cstr(
	    v, "url",
	    site__article_path(r->a, it->id, it->lang, it->slug, false));
	search_highlight(hl, &b, str_c(it->title));
	tv_set(v, "title", tv_html(r->a, buf_str(&b)));
	buf_reset(&b);
	search_snippet(hl, &b, str_c(h->text), 0);
	tv_set(v, "snippet", tv_html(r->a, buf_str(&b)));
	buf_free(&b);
	tv_set_cstr(v, "kind", site__kind_label(r, it->kind));
	tv_set_cstr(v, "lang", it->lang);
	tv_set_cstr(v, "lang_name", i18n(it->lang, "lang_name"));
	tv_set_bool(v, "other_lang", strcmp(it->lang, r->lang) != 0);
	tv_set(v, "date", site__date(r, it->published_at));
	if (it->updated_at > r->res->last_modified)
		r->res->last_modified = it->updated_at;
	return v;
}

static enum pr_err hits_model(struct site_req *r, const struct site_search *s,
                              struct tval *m)
{
	struct tval *list = tv_list(r->a);
	struct search_hl *hl = NULL;
	struct pr_error e = {0};

	if (search_hl_new(&hl, &s->pq, &e) != PR_OK)
		return pr_fail(&r->err, PR_NOMEM, "%s", e.msg);
	for (size_t i = 0; i < s->res.n; i++)
		tv_push(list, hit_model(r, hl, &s->res.hits[i]));
	search_hl_free(hl);
	tv_set(m, "hits", list);
	tv_set_bool(m, "has_hits", s->res.n > 0);
	tv_set_int(m, "start", s->req.offset + 1);
	return PR_OK;
}

/* "12 results", "about 12,000 results" */
static const char *total_text(struct site_req *r, const struct site_search *s)
{
	const char *n;
	struct buf b;

	buf_init(&b, 256);
	i18n_count(&b, r->lang, "results", s->res.total);
	n = arena_strndup(r->a, b.p ? b.p : "", b.err ? 0 : b.n);
	buf_free(&b);
	if (!s->res.approximate)
		return n;
	return site__text(r->a, r->lang, "search_about", n, NULL);
}

static const char *search_url(struct site_req *r, const void *ctx, int64_t n)
{
	return page_url(r, ctx, n);
}

/* Facets */

static void value(struct site_req *r, struct tval *values, const char *name,
                  int64_t count, const char *url, bool current)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "name", name);
	tv_set_int(v, "count", count);
	tv_set_cstr(v, "url", url);
	tv_set_bool(v, "current", current);
	tv_push(values, v);
}

static const char *year_link(struct site_req *r, const struct site_search *s,
                             const char *year, bool *current)
{
	struct site_search t = *s;
	char from[11], to[11];

	snprintf(from, sizeof(from), "%.4s-01-01", year);
	snprintf(to, sizeof(to), "%.4s-12-31", year);
	*current = strcmp(s->from, from) == 0 && strcmp(s->to, to) == 0;
	if (*current)
		return with(r, s, "to", NULL);
	memcpy(t.from, from, sizeof(from));
	return with(r, &t, "to", to);
}

/* The key, the current value and the label of each facet. */
static const char *facet_key(enum store_facet_type f)
{
	static const char *const keys[STORE_FACETS] = {
	    "kind", "lang", "year", "tag", "person", "place"};

	return keys[f];
}

static const char *facet_title(struct site_req *r, enum store_facet_type f)
{
	static const char *const titles[STORE_FACETS] = {
	    "kind", "language_switch", "year", "tags", "persons", "places"};

	return i18n(r->lang, titles[f]);
}

static const char *facet_name(struct site_req *r, enum store_facet_type f,
                              const struct store_facet *v)
{
	if (f == STORE_FACET_KIND)
		return site__kind_label(r, v->key);
	if (f == STORE_FACET_LANG)
		return i18n(v->key, "lang_name");
	return v->name;
}

static bool facet_current(const struct site_search *s, enum store_facet_type f,
                          const struct store_facet *v)
{
	if (f == STORE_FACET_KIND)
		return s->kind_f && strcmp(s->kind_f, v->key) == 0;
	if (f == STORE_FACET_LANG)
		return s->lang_f && strcmp(s->lang_f, v->key) == 0;
	return s->slug[f - STORE_FACET_TAG].p &&
	       str_eq_c(s->slug[f - STORE_FACET_TAG], v->key);
}

static struct tval *facet_values(struct site_req *r,
                                 const struct site_search *s,
                                 enum store_facet_type f)
{
	const struct store_facet_list *l = &s->res.facets[f];
	struct tval *values = tv_list(r->a);
	const char *url;
	bool cur;

	for (size_t i = 0; i < l->n; i++) {
		if (f == STORE_FACET_YEAR) {
			url = year_link(r, s, l->v[i].key, &cur);
		} else {
			cur = facet_current(s, f, &l->v[i]);
			url =
			    with(r, s, facet_key(f), cur ? NULL : l->v[i].key);
		}
		value(r, values, facet_name(r, f, &l->v[i]), l->v[i].count, url,
		      cur);
	}
	return values;
}

static void facets_model(struct site_req *r, const struct site_search *s,
                         struct tval *m)
{
	struct tval *list = tv_list(r->a), *f;

	for (int i = 0; i < STORE_FACETS; i++) {
		if (s->res.facets[i].n == 0)
			continue;
		f = tv_obj(r->a);
		tv_set_cstr(f, "title",
		            facet_title(r, (enum store_facet_type)i));
		tv_set(f, "values",
		       facet_values(r, s, (enum store_facet_type)i));
		tv_push(list, f);
	}
	tv_set(m, "facets", list);
	tv_set_bool(m, "has_facets", tv_count(list) > 0);
}

/* When nothing was found */

static const char *const entity_key[ENTITY_TYPES] = {"tag", "person", "place"};

static bool filtered(const struct site_search *s)
{
	bool any = s->from[0] || s->to[0] || s->kind_f || s->lang_f;

	for (int t = 0; t < ENTITY_TYPES; t++)
		any = any || s->slug[t].p != NULL;
	return any;
}

/* The query for a message, cut to a readable length. */
static const char *quoted_q(struct site_req *r, const struct site_search *s)
{
	struct str cut = utf8_prefix(s->q, 80);

	return arena_printf(r->a, "%.*s%s", (int)cut.n, cut.p,
	                    cut.n < s->q.n ? "…" : "");
}

/* The same words without the filters, when that finds something. */
static enum pr_err unfiltered(struct site_req *r, const struct site_search *s,
                              struct tval *m)
{
	struct site_search t = *s;
	struct pr_error e = {0};
	enum pr_err rc;

	if (!filtered(s))
		return PR_OK;
	memset(&t.req, 0, sizeof(t.req));
	t.from[0] = t.to[0] = '\0';
	t.kind_f = t.lang_f = NULL;
	memset(t.slug, 0, sizeof(t.slug));
	t.no_entity = false;
	t.page = 1;
	t.limit = 1;
	t.kind = SITE_SEARCH_JSON;
	rc = site__search_run(r, &t);
	t.kind = SITE_SEARCH_PAGE;
	if (rc != PR_OK)
		return pr_fail(&r->err, rc, "%s",
		               r->err.msg[0] ? r->err.msg : e.msg);
	if (t.res.total == 0)
		return PR_OK;
	tv_set_cstr(
	    m, "unfiltered_url",
	    search_path(r, r->lang, site__search_qs(r, &t, NULL, NULL)));
	tv_set_cstr(m, "unfiltered", total_text(r, &t));
	return PR_OK;
}

static enum pr_err suggestion(struct site_req *r, const struct site_search *s,
                              struct tval *m)
{
	struct pr_error e = {0};
	struct tval *v;
	struct str out;
	enum pr_err rc;

	rc = store_search_suggest(r->st, r->a, s->q, &s->pq, &out, &e);
	if (rc == PR_NOTFOUND)
		return PR_OK;
	if (rc != PR_OK)
		return pr_fail(&r->err, rc, "%s", e.msg);
	v = tv_obj(r->a);
	tv_set_str(v, "text", out);
	tv_set_cstr(v, "url",
	            with(r, s, "q", arena_strndup(r->a, out.p, out.n)));
	tv_set(m, "suggestion", v);
	return PR_OK;
}

static enum pr_err nothing_model(struct site_req *r,
                                 const struct site_search *s, struct tval *m)
{
	char a[24], b[24];
	enum pr_err rc;

	if (s->res.total > 0) {
		snprintf(a, sizeof(a), "%lld", (long long)s->page);
		snprintf(b, sizeof(b), "%lld", (long long)pages_of(s));
		tv_set_cstr(m, "past_end",
		            site__text(r->a, r->lang, "search_past_end", a, b));
		tv_set_cstr(m, "last_page", page_url(r, s, pages_of(s)));
		return PR_OK;
	}
	tv_set_cstr(
	    m, "none",
	    site__text(r->a, r->lang, "search_none", quoted_q(r, s), NULL));
	for (int t = 0; t < ENTITY_TYPES && s->no_entity; t++)
		if (s->slug[t].p != NULL && s->ent[t].id == 0)
			tv_set_cstr(m, "none",
			            site__text(r->a, r->lang,
			                       "search_no_entity",
			                       i18n(r->lang, entity_key[t]),
			                       arena_strndup(r->a, s->slug[t].p,
			                                     s->slug[t].n)));
	if ((rc = unfiltered(r, s, m)) != PR_OK)
		return rc;
	return suggestion(r, s, m);
}

/* The page */

static const char *page_title(struct site_req *r, const struct site_search *s)
{
	if (s->empty)
		return i18n(r->lang, "search");
	return site__text(r->a, r->lang, "search_title", quoted_q(r, s), NULL);
}

static const char *other_lang(struct site_req *r)
{
	for (int i = 0; i < r->cfg->n_languages; i++)
		if (strcmp(r->cfg->languages[i], r->lang) != 0)
			return r->cfg->languages[i];
	return NULL;
}

static enum pr_err results_model(struct site_req *r,
                                 const struct site_search *s, struct tval *m)
{
	enum pr_err rc;

	tv_set_cstr(m, "summary",
	            site__text(r->a, r->lang, "search_summary",
	                       total_text(r, s), quoted_q(r, s)));
	filters_model(r, s, m);
	if ((rc = hits_model(r, s, m)) != PR_OK)
		return rc;
	site__pagination(r, m, s->page, s->res.n > 0 ? pages_of(s) : 1, true,
	                 search_url, s);
	facets_model(r, s, m);
	if (s->res.n == 0)
		return nothing_model(r, s, m);
	return PR_OK;
}

static enum pr_err page_model(struct site_req *r, const struct site_search *s)
{
	const char *qs = site__search_qs(r, s, NULL, NULL),
	           *other = other_lang(r);
	struct tval *m = tv_obj(r->a);
	enum pr_err rc = PR_OK;

	site__model(r, page_title(r, s), "search", NULL,
	            other ? search_path(r, other, qs) : NULL);
	form_model(r, s, m);
	tv_set_bool(m, "has_query", !s->empty);
	if (!s->empty) {
		rc = results_model(r, s, m);
		tv_set_cstr(m, "feed",
		            arena_printf(r->a, "/%s/search/%s?%s", r->lang,
		                         site_feed_files[1], qs));
		site__feed_links(r, arena_printf(r->a, "/%s/search", r->lang),
		                 qs, page_title(r, s));
	}
	tv_set(r->model, "search", m);
	tv_set_str(r->model, "search_q", s->q);
	return rc;
}

enum pr_err site__search(struct site_req *r)
{
	struct site_search *s = arena_zalloc(r->a, sizeof(*s));
	enum pr_err rc;

	if (s == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	if ((rc = site__search_params(r, SITE_SEARCH_PAGE, s)) != PR_OK)
		return rc;
	if (!s->empty && (rc = site__search_run(r, s)) != PR_OK)
		return rc;
	if ((rc = page_model(r, s)) != PR_OK)
		return rc;
	return site__render(r, "search");
}
