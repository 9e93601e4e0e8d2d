/*
 * site/search.c: the parameters of a search (a table of query keys, each
 * with its validator, as the route table does for paths), running it, the
 * query strings of links to other searches and the API's cursors.
 */
#include "site_search.h"

#include <stdio.h>
#include <string.h>

#define ALL (SITE_SEARCH_PAGE | SITE_SEARCH_ATOM | SITE_SEARCH_JSON)
/* Bytes of a cursor: version, order, score, date, id, reference, check. */
#define CURSOR_BYTES 35

typedef enum pr_err (*param_fn)(struct site_req *r, struct site_search *s,
                                struct str v, const char *key);

static enum pr_err p_q(struct site_req *r, struct site_search *s, struct str v,
                       const char *key);
static enum pr_err p_date(struct site_req *r, struct site_search *s,
                          struct str v, const char *key);
static enum pr_err p_kind(struct site_req *r, struct site_search *s,
                          struct str v, const char *key);
static enum pr_err p_lang(struct site_req *r, struct site_search *s,
                          struct str v, const char *key);
static enum pr_err p_entity(struct site_req *r, struct site_search *s,
                            struct str v, const char *key);
static enum pr_err p_sort(struct site_req *r, struct site_search *s,
                          struct str v, const char *key);
static enum pr_err p_page(struct site_req *r, struct site_search *s,
                          struct str v, const char *key);
static enum pr_err p_cursor(struct site_req *r, struct site_search *s,
                            struct str v, const char *key);
static enum pr_err p_limit(struct site_req *r, struct site_search *s,
                           struct str v, const char *key);

/* The keys a search reads; others are ignored. */
static const struct {
	const char *key;
	unsigned kinds;
	param_fn fn;
} params[] = {
    {"q", ALL, p_q},
    {"from", ALL, p_date},
    {"to", ALL, p_date},
    {"kind", ALL, p_kind},
    {"lang", ALL, p_lang},
    {"tag", ALL, p_entity},
    {"person", ALL, p_entity},
    {"place", ALL, p_entity},
    {"sort", SITE_SEARCH_PAGE | SITE_SEARCH_JSON, p_sort},
    {"page", SITE_SEARCH_PAGE, p_page},
    {"limit", SITE_SEARCH_JSON, p_limit},
    {"cursor", SITE_SEARCH_JSON, p_cursor},
};

/* The filters that links keep, in the order they are written. */
static const char *const kept[] = {"q",   "from",   "to",    "kind", "lang",
                                   "tag", "person", "place", "sort"};

/* A value for a message: cut to 40 bytes on a character boundary. */
static const char *quoted(struct site_req *r, struct str v)
{
	struct str cut = utf8_prefix(v, 40);

	return arena_printf(r->a, "%.*s%s", (int)cut.n, cut.p,
	                    cut.n < v.n ? "…" : "");
}

static enum pr_err bad(struct site_req *r, const char *key, const char *a1,
                       const char *a2)
{
	return site__fail(&r->err, PR_INVALID, r->lang, key, a1, a2);
}

static enum pr_err p_q(struct site_req *r, struct site_search *s, struct str v,
                       const char *key)
{
	struct pr_error e = {0};

	s->q = str_trim(v);
	if (search_parse(r->a, s->q, &s->pq, &e) == PR_INVALID)
		return bad(r, "error_search_text", e.msg, NULL);
	if (e.code != PR_OK)
		return pr_fail(&r->err, e.code, "%s", e.msg);
	s->empty = s->pq.empty;
	return PR_OK;
}

static bool digits(struct str v, size_t at, size_t n, int *out)
{
	int x = 0;

	for (size_t i = at; i < at + n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		x = x * 10 + (v.p[i] - '0');
	}
	*out = x;
	return true;
}

/* YYYY-MM-DD of a real day; *y *m *d get it. */
static bool parse_day(struct str v, int *y, int *m, int *d)
{
	return v.n == 10 && v.p[4] == '-' && v.p[7] == '-' &&
	       digits(v, 0, 4, y) && digits(v, 5, 2, m) && digits(v, 8, 2, d) &&
	       *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= pr_days_in_month(*y, *m);
}

static enum pr_err p_date(struct site_req *r, struct site_search *s,
                          struct str v, const char *key)
{
	bool from = key[0] == 'f';
	int y, m, d;

	if (v.n == 0)
		return PR_OK;
	if (!parse_day(v, &y, &m, &d))
		return bad(r, "error_search_date", key, quoted(r, v));
	memcpy(from ? s->from : s->to, v.p, 10);
	if (from)
		s->req.from = pr_time_local_midnight(y, m, d);
	else
		s->req.to = pr_time_local_midnight(y, m, d + 1);
	return PR_OK;
}

static enum pr_err p_kind(struct site_req *r, struct site_search *s,
                          struct str v, const char *key)
{
	if (v.n == 0)
		return PR_OK;
	for (size_t i = 0; store_kinds[i] != NULL; i++)
		if (str_eq_c(v, store_kinds[i])) {
			s->kind_f = store_kinds[i];
			return PR_OK;
		}
	return bad(r, "error_search_kind", quoted(r, v), NULL);
}

static enum pr_err p_lang(struct site_req *r, struct site_search *s,
                          struct str v, const char *key)
{
	if (v.n == 0)
		return PR_OK;
	for (int i = 0; i < r->cfg->n_languages; i++)
		if (str_eq_c(v, r->cfg->languages[i])) {
			s->lang_f = r->cfg->languages[i];
			return PR_OK;
		}
	return bad(r, "error_search_lang", quoted(r, v), NULL);
}

static enum pr_err p_entity(struct site_req *r, struct site_search *s,
                            struct str v, const char *key)
{
	int t = key[1] == 'a'   ? ENTITY_TAG
	        : key[1] == 'e' ? ENTITY_PERSON
	                        : ENTITY_PLACE;

	if (v.n == 0)
		return PR_OK;
	if (v.n > SLUG_MAX || !slug_valid(v))
		return bad(r, "error_search_slug", key, quoted(r, v));
	s->slug[t] = v;
	return PR_OK;
}

static enum pr_err p_sort(struct site_req *r, struct site_search *s,
                          struct str v, const char *key)
{
	if (v.n == 0 || str_eq_c(v, "relevance"))
		return PR_OK;
	if (!str_eq_c(v, "date"))
		return bad(r, "error_search_sort", quoted(r, v), NULL);
	s->by_date = true;
	return PR_OK;
}

static enum pr_err p_page(struct site_req *r, struct site_search *s,
                          struct str v, const char *key)
{
	char max[16];
	int64_t n;

	if (v.n == 0)
		return PR_OK;
	snprintf(max, sizeof(max), "%d", STORE_LIMIT_MAX / s->limit);
	if (v.n > 10 || v.p[0] == '0' || !str_to_i64(v, 1, SITE_PAGE_MAX, &n))
		return bad(r, "error_search_page", quoted(r, v), NULL);
	if (n > STORE_LIMIT_MAX / s->limit)
		return bad(r, "error_search_page_max", max, NULL);
	s->page = n;
	return PR_OK;
}

static enum pr_err p_limit(struct site_req *r, struct site_search *s,
                           struct str v, const char *key)
{
	int64_t n;
	char max[16];

	if (v.n == 0)
		return PR_OK;
	snprintf(max, sizeof(max), "%d", SITE_SEARCH_LIMIT_MAX);
	if (v.n > 4 || !str_to_i64(v, 1, SITE_SEARCH_LIMIT_MAX, &n))
		return bad(r, "error_search_limit", max, NULL);
	s->limit = (int)n;
	return PR_OK;
}

static enum pr_err p_cursor(struct site_req *r, struct site_search *s,
                            struct str v, const char *key)
{
	if (v.n == 0)
		return PR_OK;
	if (!site__cursor_parse(v, s->by_date, &s->req.after))
		return bad(r, "error_search_cursor", NULL, NULL);
	return PR_OK;
}

/* Looks up the filters' tags, persons and places. */
static enum pr_err find_entities(struct site_req *r, struct site_search *s)
{
	struct pr_error e = {0};
	enum pr_err rc;

	for (int t = 0; t < ENTITY_TYPES; t++) {
		if (s->slug[t].p == NULL)
			continue;
		rc = store_entity_get(r->st, r->a, (enum entity_type)t,
		                      s->slug[t], &s->ent[t], &e);
		if (rc == PR_NOTFOUND) {
			s->no_entity = true;
			continue;
		}
		if (rc != PR_OK)
			return pr_fail(&r->err, rc, "%s", e.msg);
		s->req.entity[t] = s->ent[t].id;
	}
	return PR_OK;
}

static enum pr_err read_params(struct site_req *r, struct site_search *s)
{
	enum pr_err rc = PR_OK;
	struct str v;

	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (!(params[i].kinds & s->kind))
			continue;
		v = http_query(r->http, params[i].key);
		if (v.p != NULL &&
		    (rc = params[i].fn(r, s, v, params[i].key)) != PR_OK)
			break;
	}
	return rc;
}

enum pr_err site__search_params(struct site_req *r, enum site_search_kind k,
                                struct site_search *s)
{
	enum pr_err rc;

	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->page = 1;
	s->empty = true;
	s->limit = k == SITE_SEARCH_ATOM   ? SITE_SEARCH_FEED_ITEMS
	           : k == SITE_SEARCH_JSON ? 20
	                                   : (int)r->cfg->page_size;
	if ((rc = read_params(r, s)) != PR_OK)
		return rc;
	if (s->from[0] && s->to[0] && s->req.from >= s->req.to)
		return bad(r, "error_search_range", s->from, s->to);
	return find_entities(r, s);
}

enum pr_err site__search_run(struct site_req *r, struct site_search *s)
{
	struct store_search_req *q = &s->req;

	q->q = &s->pq;
	q->now = r->now;
	q->lang = s->lang_f;
	q->kind = s->kind_f;
	q->sort = s->by_date || s->kind == SITE_SEARCH_ATOM
	              ? STORE_SORT_DATE
	              : STORE_SORT_RELEVANCE;
	q->offset = (s->page - 1) * s->limit;
	q->limit = s->limit;
	q->facets = s->kind != SITE_SEARCH_ATOM;
	if (s->no_entity) {
		memset(&s->res, 0, sizeof(s->res));
		return PR_OK;
	}
	return store_search(r->st, r->a, q, &s->res, &r->err);
}

/* The value of key in s as links write it; NULL when not set. */
static struct str kept_value(const struct site_search *s, const char *key)
{
	if (strcmp(key, "q") == 0)
		return s->q;
	if (strcmp(key, "from") == 0)
		return s->from[0] ? str_c(s->from) : STR_NULL;
	if (strcmp(key, "to") == 0)
		return s->to[0] ? str_c(s->to) : STR_NULL;
	if (strcmp(key, "kind") == 0)
		return s->kind_f ? str_c(s->kind_f) : STR_NULL;
	if (strcmp(key, "lang") == 0)
		return s->lang_f ? str_c(s->lang_f) : STR_NULL;
	if (strcmp(key, "sort") == 0)
		return s->by_date ? STR_LIT("date") : STR_NULL;
	return s->slug[key[1] == 'a'   ? ENTITY_TAG
	               : key[1] == 'e' ? ENTITY_PERSON
	                               : ENTITY_PLACE];
}

const char *site__search_qs(struct site_req *r, const struct site_search *s,
                            const char *key, const char *value)
{
	const char *out;
	struct str v;
	struct buf b;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		if (key != NULL && strcmp(key, kept[i]) == 0)
			v = value ? str_c(value) : STR_NULL;
		else
			v = kept_value(s, kept[i]);
		if (v.p == NULL || (v.n == 0 && strcmp(kept[i], "q") != 0))
			continue;
		buf_adds(&b, b.n ? "&" : "");
		buf_adds(&b, kept[i]);
		buf_addc(&b, '=');
		url_escape(&b, v);
	}
	out = b.err ? "" : arena_strndup(r->a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return out ? out : "";
}

/* Cursors: a version byte, the order, the key and a check byte, in hex. */

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

const char *site__cursor_text(struct site_req *r,
                              const struct store_search_cursor *c, bool by_date)
{
	uint8_t b[CURSOR_BYTES];
	char hex[2 * CURSOR_BYTES + 1];
	uint64_t bits;

	memcpy(&bits, &c->score, sizeof(bits));
	b[0] = 1;
	b[1] = by_date ? 'd' : 'r';
	put64(b + 2, bits);
	put64(b + 10, (uint64_t)c->published_at);
	put64(b + 18, (uint64_t)c->id);
	put64(b + 26, (uint64_t)c->reference);
	b[CURSOR_BYTES - 1] = (uint8_t)hash64(b, CURSOR_BYTES - 1, 7);
	hash_hex(b, CURSOR_BYTES, hex);
	return arena_strdup(r->a, hex);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool site__cursor_parse(struct str s, bool by_date,
                        struct store_search_cursor *out)
{
	uint8_t b[CURSOR_BYTES];
	uint64_t bits;
	int hi, lo;

	if (s.n != 2 * CURSOR_BYTES)
		return false;
	for (size_t i = 0; i < CURSOR_BYTES; i++) {
		hi = hex_digit(s.p[2 * i]);
		lo = hex_digit(s.p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	if (b[0] != 1 || b[1] != (by_date ? 'd' : 'r') ||
	    b[CURSOR_BYTES - 1] != (uint8_t)hash64(b, CURSOR_BYTES - 1, 7))
		return false;
	bits = get64(b + 2);
	memcpy(&out->score, &bits, sizeof(bits));
	out->published_at = (int64_t)get64(b + 10);
	out->id = (int64_t)get64(b + 18);
	out->reference = (int64_t)get64(b + 26);
	return out->id > 0;
}
