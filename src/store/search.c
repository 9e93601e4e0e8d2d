/*
 * store/search.c: searches over the index of migration 4. FTS5 finds the
 * matches, newest id first; pressroom_tf() (search/rank.c) tells for each
 * how often each phrase occurs in each column; the rest happens here, in
 * memory, with a table of what every article is (language, kind, status,
 * date, column sizes, links) read once for each generation of the site:
 * the filters, BM25 with a boost for recent items, the best hits in a
 * heap, the facet counts. No join per match, no %_docsize read per match.
 *
 * The walk has a budget (which it may overrun until it has the hits of the
 * page asked for). A query with more matches than it allows (a
 * common word in a large archive) is ranked among the newest matches and
 * the items with all its words in their title or lead (article_head, a
 * much smaller index), and its total and facets are estimated from evenly
 * spread windows of the matches not walked; the result says so.
 */
#include "store_int.h"

#include "../search/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_BUDGET    20000 /* work of the main walk (see row_work) */
#define SCAN_MAX       40000 /* ... when the page is not full by then */
#define HEAD_BUDGET    3000  /* the same for the walk of article_head */
#define SAMPLE_WORK    2000  /* work of the estimates */
#define SAMPLE_DOCS    4000  /* articles they look at, at most */
#define SAMPLE_WINDOWS 8
#define DF_SAMPLE      1000 /* articles a phrase is counted in */
#define DF_WINDOWS     4    /* spread over the table in so many windows */
#define DF_MIN_SEEN    30   /* fewer there: count it everywhere */
#define DF_EXACT_MAX   20000
#define DF_SLOTS       1024 /* document frequencies remembered */
#define RECENCY_BOOST  0.5  /* a new item scores up to 1.5 times as much */
#define YEAR_SECONDS   31557600.0
#define DAY_SECONDS    86400
#define LANGS_MAX      16
#define KINDS_MAX      8
#define YEARS          10000
#define GROW_MIN       1024

/* What a search needs to know of an article. */
struct doc {
	int64_t id, published_at;
	uint32_t len[SEARCH_RANK_COLUMNS]; /* tokens of title, lead, body */
	uint32_t link;                     /* its first link in c->link */
	uint16_t n_links;
	int16_t year; /* local year of published_at */
	uint8_t lang, kind;
	bool published;
};

struct ent {
	int64_t id;
	enum entity_type type;
};

struct df_slot {
	uint64_t hash; /* 0: empty */
	int64_t df;
};

struct store__search {
	int64_t gen;     /* the generation the table was read at; -1: none */
	struct doc *doc; /* by id */
	size_t n, cap;
	int64_t *pmax;  /* latest published_at of doc[0..i] */
	uint32_t *link; /* entities of each article (dense numbers) */
	size_t n_link, cap_link;
	struct ent *ent; /* each dense number's entity, by id */
	size_t n_ent, cap_ent;
	char lang[LANGS_MAX][STORE_LANG_MAX];
	int n_lang;
	int year_min, year_max;
	double avg_len[SEARCH_RANK_COLUMNS];
	int64_t *year_start; /* local start of each year; INT64_MIN unknown */
	struct df_slot df[DF_SLOTS];
};

/* A hit in the making. */
struct cand {
	double score;
	int64_t pub, id;
	uint32_t doc;
};

/* The best cap candidates: a heap whose root is the worst of them. */
struct heap {
	struct cand *v;
	size_t n, cap;
	bool by_date;
};

/* Counts of the hits that passed the filters; estimates are scaled up,
 * so they are doubles. */
struct tally {
	double total;
	double kind[KINDS_MAX];
	double lang[LANGS_MAX];
	double *year; /* year_max - year_min + 1 */
	double *ent;  /* n_ent */
	uint32_t *touched;
	size_t n_touched;
};

/* A request compiled against the table. */
struct filter {
	int64_t now, from, to;
	int lang, kind;            /* -1: any; -2: nothing can match */
	int64_t ent[ENTITY_TYPES]; /* dense entity number; -1 any, -2 none */
};

/* One search under way. */
struct run {
	struct store *s;
	struct store__search *c;
	struct arena *ar;
	const struct store_search_req *req;
	struct filter f;
	struct search_rank rank;
	struct search_tf tf;
	struct heap heap;
	struct tally t;
	struct cand after;
	int64_t reference;
	bool has_after, excluded;
	size_t cut;       /* docs below this index were not walked */
	uint64_t work;    /* of the main walk */
	double df_sum;    /* articles holding each phrase, added up */
	size_t n_scored;  /* phrases scored (not excluded) */
	int64_t cut_id;   /* the id the walk stopped at (INT64_MAX: none) */
	bool approximate; /* total and facets are estimates */
};

/* The table */

void store__search_free(struct store__search *c)
{
	if (c == NULL)
		return;
	free(c->doc);
	free(c->pmax);
	free(c->link);
	free(c->ent);
	free(c->year_start);
	free(c);
}

/* Makes room for one more of size sz in *v (holding n of cap). */
static bool grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t nc = *cap ? *cap * 2 : GROW_MIN;
	void *p;

	if (n < *cap)
		return true;
	if ((p = realloc(*v, nc * sz)) == NULL)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

static int lang_index(struct store__search *c, const char *lang)
{
	int i;

	if (lang == NULL)
		return -1;
	for (i = 0; i < c->n_lang; i++)
		if (strcmp(c->lang[i], lang) == 0)
			return i;
	if (c->n_lang == LANGS_MAX || strlen(lang) >= STORE_LANG_MAX)
		return LANGS_MAX - 1;
	snprintf(c->lang[c->n_lang], STORE_LANG_MAX, "%s", lang);
	return c->n_lang++;
}

static int kind_index(const char *kind)
{
	int i;

	for (i = 0; kind != NULL && store_kinds[i] != NULL && i < KINDS_MAX - 1;
	     i++)
		if (strcmp(store_kinds[i], kind) == 0)
			return i;
	return KINDS_MAX - 1;
}

/* The civil year of unix time t in UTC. */
static int utc_year(int64_t t)
{
	int64_t z = (t >= 0 ? t : t - (DAY_SECONDS - 1)) / DAY_SECONDS + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	return (int)(yoe + era * 400 + (mp >= 10 ? 1 : 0));
}

static int64_t year_start(struct store__search *c, int y)
{
	if (y < 1)
		return INT64_MIN;
	if (y >= YEARS)
		return INT64_MAX;
	if (c->year_start[y] == INT64_MIN)
		c->year_start[y] = pr_time_local_midnight(y, 1, 1);
	return c->year_start[y];
}

/* The year of t in the site's time zone. */
static int local_year(struct store__search *c, int64_t t)
{
	int y = utc_year(t);

	if (y < 1)
		return 1;
	if (y >= YEARS - 1)
		return YEARS - 1;
	if (t < year_start(c, y))
		return y - 1;
	if (t >= year_start(c, y + 1))
		return y + 1;
	return y;
}

static enum pr_err load_articles(struct store *s, struct store__search *c,
                                 struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_META);
	struct doc *d;
	enum pr_err rc;
	bool row;

	c->n = 0;
	while ((rc = store__row(s, st, &row, e, "reading articles")) == PR_OK &&
	       row) {
		if (!grow((void **)&c->doc, &c->cap, c->n, sizeof(*c->doc))) {
			rc = pr_fail(e, PR_NOMEM, "%s: search: out of memory",
			             s->path);
			break;
		}
		d = &c->doc[c->n++];
		memset(d, 0, sizeof(*d));
		d->id = sqlite3_column_int64(st, 0);
		d->lang = (uint8_t)lang_index(
		    c, (const char *)sqlite3_column_text(st, 1));
		d->kind = (uint8_t)kind_index(
		    (const char *)sqlite3_column_text(st, 2));
		d->published = sqlite3_column_int(st, 3) != 0;
		d->published_at = sqlite3_column_int64(st, 4);
		d->year = (int16_t)local_year(c, d->published_at);
	}
	sqlite3_reset(st);
	return rc;
}

/* One SQLite varint (as FTS5 writes sizes); 0 when malformed. */
static size_t get_varint(const uint8_t *p, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n && i < 9; i++) {
		if (i == 8) {
			x = (x << 8) | p[i];
			break;
		}
		x = (x << 7) | (p[i] & 0x7f);
		if (!(p[i] & 0x80))
			break;
	}
	if (i == n)
		return 0;
	*v = x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
	return i + 1;
}

static void set_sizes(struct doc *d, const uint8_t *p, size_t n)
{
	size_t i, k, at = 0;

	for (i = 0; i < SEARCH_RANK_COLUMNS && at < n; i++) {
		if ((k = get_varint(p + at, n - at, &d->len[i])) == 0)
			break;
		at += k;
	}
}

static enum pr_err load_sizes(struct store *s, struct store__search *c,
                              struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_SIZES);
	double sum[SEARCH_RANK_COLUMNS] = {0};
	enum pr_err rc;
	int64_t i = 0, id;
	size_t k;
	bool row;

	while ((rc = store__row(s, st, &row, e, "reading the index")) ==
	           PR_OK &&
	       row) {
		id = sqlite3_column_int64(st, 0);
		while ((size_t)i < c->n && c->doc[i].id < id)
			i++;
		if ((size_t)i == c->n || c->doc[i].id != id)
			continue;
		set_sizes(&c->doc[i], sqlite3_column_blob(st, 1),
		          (size_t)sqlite3_column_bytes(st, 1));
		for (k = 0; k < SEARCH_RANK_COLUMNS; k++)
			sum[k] += c->doc[i].len[k];
	}
	sqlite3_reset(st);
	for (k = 0; k < SEARCH_RANK_COLUMNS; k++)
		c->avg_len[k] =
		    c->n && sum[k] > 0 ? sum[k] / (double)c->n : 1.0;
	return rc;
}

static enum pr_err load_entities(struct store *s, struct store__search *c,
                                 struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_ENTITIES);
	const char *type;
	struct ent *en;
	enum pr_err rc;
	bool row;

	c->n_ent = 0;
	while ((rc = store__row(s, st, &row, e, "reading entities")) == PR_OK &&
	       row) {
		if (!grow((void **)&c->ent, &c->cap_ent, c->n_ent,
		          sizeof(*c->ent))) {
			rc = pr_fail(e, PR_NOMEM, "%s: search: out of memory",
			             s->path);
			break;
		}
		type = (const char *)sqlite3_column_text(st, 1);
		en = &c->ent[c->n_ent++];
		en->id = sqlite3_column_int64(st, 0);
		en->type = type == NULL                  ? ENTITY_TAG
		           : strcmp(type, "person") == 0 ? ENTITY_PERSON
		           : strcmp(type, "place") == 0  ? ENTITY_PLACE
		                                         : ENTITY_TAG;
	}
	sqlite3_reset(st);
	return rc;
}

/* The dense number of entity id, or -1. */
static int64_t find_entity(const struct store__search *c, int64_t id)
{
	size_t lo = 0, hi = c->n_ent, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->ent[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n_ent && c->ent[lo].id == id ? (int64_t)lo : -1;
}

/* Adds one link of article id; *i walks the table along. */
static bool add_link(struct store__search *c, int64_t *i, int64_t id,
                     int64_t ent)
{
	struct doc *d;

	while ((size_t)*i < c->n && c->doc[*i].id < id)
		(*i)++;
	if ((size_t)*i == c->n || c->doc[*i].id != id || ent < 0)
		return true;
	d = &c->doc[*i];
	if (d->n_links == UINT16_MAX)
		return true;
	if (!grow((void **)&c->link, &c->cap_link, c->n_link, sizeof(*c->link)))
		return false;
	if (d->n_links == 0)
		d->link = (uint32_t)c->n_link;
	c->link[c->n_link++] = (uint32_t)ent;
	d->n_links++;
	return true;
}

static enum pr_err load_links(struct store *s, struct store__search *c,
                              struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_LINKS);
	enum pr_err rc;
	int64_t i = 0;
	bool row;

	c->n_link = 0;
	while ((rc = store__row(s, st, &row, e, "reading links")) == PR_OK &&
	       row) {
		if (!add_link(c, &i, sqlite3_column_int64(st, 0),
		              find_entity(c, sqlite3_column_int64(st, 1)))) {
			rc = pr_fail(e, PR_NOMEM, "%s: search: out of memory",
			             s->path);
			break;
		}
	}
	sqlite3_reset(st);
	return rc;
}

static bool finish_table(struct store__search *c)
{
	int64_t *p = realloc(c->pmax, (c->n ? c->n : 1) * sizeof(*p));
	int64_t m = INT64_MIN;
	size_t i;

	if (p == NULL)
		return false;
	c->pmax = p;
	c->year_min = YEARS;
	c->year_max = 0;
	for (i = 0; i < c->n; i++) {
		m = c->doc[i].published_at > m ? c->doc[i].published_at : m;
		p[i] = m;
		if (c->doc[i].year < c->year_min)
			c->year_min = c->doc[i].year;
		if (c->doc[i].year > c->year_max)
			c->year_max = c->doc[i].year;
	}
	if (c->year_min > c->year_max)
		c->year_min = c->year_max = 0;
	return true;
}

static enum pr_err new_cache(struct store *s, struct pr_error *e)
{
	struct store__search *c = calloc(1, sizeof(*c));
	size_t i;

	if (c == NULL ||
	    (c->year_start = malloc(YEARS * sizeof(*c->year_start))) == NULL) {
		store__search_free(c);
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               s->path);
	}
	for (i = 0; i < YEARS; i++)
		c->year_start[i] = INT64_MIN;
	c->gen = -1;
	s->search = c;
	return PR_OK;
}

/* Reads the table again when the generation moved on. */
static enum pr_err load_table(struct store *s, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_GEN_GET);
	struct store__search *c;
	enum pr_err rc;
	int64_t gen = -1;
	bool row;

	if (s->search == NULL && (rc = new_cache(s, e)) != PR_OK)
		return rc;
	c = s->search;
	rc = store__row(s, st, &row, e, "reading the generation");
	if (rc == PR_OK && row)
		gen = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != PR_OK || (gen == c->gen && gen != -1))
		return rc;
	c->gen = -1;
	c->n_lang = 0;
	memset(c->df, 0, sizeof(c->df));
	if ((rc = load_articles(s, c, e)) != PR_OK ||
	    (rc = load_sizes(s, c, e)) != PR_OK ||
	    (rc = load_entities(s, c, e)) != PR_OK ||
	    (rc = load_links(s, c, e)) != PR_OK)
		return rc;
	if (!finish_table(c))
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               s->path);
	c->gen = gen;
	return PR_OK;
}

/* Document frequencies */

/* Matches of the phrase match among doc[lo..hi). */
static enum pr_err count_range(struct store *s, const char *match, size_t lo,
                               size_t hi, int64_t *n, struct pr_error *e)
{
	struct store__search *c = s->search;
	sqlite3_stmt *st = store__stmt(s, STMT_SEARCH_DF_RANGE);
	enum pr_err rc;
	bool row;

	store__bind_text(s, st, 1, match);
	store__bind_int(s, st, 2, c->doc[lo].id);
	store__bind_int(s, st, 3, hi < c->n ? c->doc[hi].id : INT64_MAX);
	rc = store__row(s, st, &row, e, "counting a word");
	if (rc == PR_OK && row)
		*n += sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

/* How many articles hold the phrase match: counted in DF_WINDOWS windows
 * of DF_SAMPLE articles in all, spread over the table, and scaled when it
 * is common there (the newest articles alone may be of another sort), else
 * counted everywhere (up to DF_EXACT_MAX). Remembered until the table is
 * read again. */
static enum pr_err phrase_df(struct store *s, const char *match, int64_t *df,
                             struct pr_error *e)
{
	struct store__search *c = s->search;
	uint64_t h = hash64(match, strlen(match), 1) | 1;
	struct df_slot *slot = &c->df[h % DF_SLOTS];
	size_t w = DF_SAMPLE / DF_WINDOWS, k, lo;
	sqlite3_stmt *st;
	enum pr_err rc = PR_OK;
	int64_t seen = 0;
	bool row;

	if (slot->hash == h) {
		*df = slot->df;
		return PR_OK;
	}
	for (k = 0; k < DF_WINDOWS && c->n > 4 * DF_SAMPLE && rc == PR_OK;
	     k++) {
		lo = c->n * (2 * k + 1) / (2 * DF_WINDOWS) - w / 2;
		rc = count_range(s, match, lo, lo + w, &seen, e);
	}
	if (rc == PR_OK && seen >= DF_MIN_SEEN) {
		*df = seen * (int64_t)c->n / (int64_t)(w * DF_WINDOWS);
	} else if (rc == PR_OK) {
		st = store__stmt(s, STMT_SEARCH_DF_UPTO);
		store__bind_text(s, st, 1, match);
		store__bind_int(s, st, 2, DF_EXACT_MAX);
		rc = store__row(s, st, &row, e, "counting a word");
		*df = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
	}
	if (rc == PR_OK) {
		slot->hash = h;
		slot->df = *df;
	}
	return rc;
}

/* The weights of the query's phrases. */
static enum pr_err weigh(struct run *r, struct pr_error *e)
{
	struct search_phrase *ph;
	enum pr_err rc;
	size_t n, i;
	int64_t df;

	search_rank_init(&r->rank);
	memcpy(r->rank.avg_len, r->c->avg_len, sizeof(r->rank.avg_len));
	if ((rc = search_phrases(r->ar, r->req->q, &ph, &n, e)) != PR_OK)
		return rc;
	r->rank.n_phrases = n < SEARCH_RANK_PHRASES ? n : SEARCH_RANK_PHRASES;
	for (i = 0; i < r->rank.n_phrases; i++) {
		if (ph[i].excluded) {
			r->excluded = true;
			continue;
		}
		if ((rc = phrase_df(r->s, ph[i].match, &df, e)) != PR_OK)
			return rc;
		r->rank.idf[i] = search_idf((int64_t)r->c->n, df);
		r->df_sum += (double)df;
		r->n_scored++;
	}
	for (; i < n; i++)
		r->excluded = r->excluded || ph[i].excluded;
	return PR_OK;
}

/* Filters */

static bool has_entity(const struct store__search *c, const struct doc *d,
                       int64_t ent)
{
	uint32_t i;

	for (i = 0; i < d->n_links; i++)
		if (c->link[d->link + i] == (uint32_t)ent)
			return true;
	return false;
}

static bool passes(const struct run *r, const struct doc *d)
{
	const struct filter *f = &r->f;
	int t;

	if (!d->published || d->published_at > f->now ||
	    (f->from != 0 && d->published_at < f->from) ||
	    (f->to != 0 && d->published_at >= f->to) ||
	    (f->lang != -1 && f->lang != d->lang) ||
	    (f->kind != -1 && f->kind != d->kind))
		return false;
	for (t = 0; t < ENTITY_TYPES; t++)
		if (f->ent[t] != -1 && !has_entity(r->c, d, f->ent[t]))
			return false;
	return true;
}

static void compile_filter(struct run *r)
{
	const struct store_search_req *q = r->req;
	struct store__search *c = r->c;
	int i, t;

	r->f.now = q->now;
	r->f.from = q->from;
	r->f.to = q->to;
	r->f.lang = -1;
	r->f.kind = -1;
	if (q->lang != NULL && q->lang[0] != '\0') {
		r->f.lang = -2;
		for (i = 0; i < c->n_lang; i++)
			if (strcmp(c->lang[i], q->lang) == 0)
				r->f.lang = i;
	}
	if (q->kind != NULL && q->kind[0] != '\0')
		r->f.kind =
		    store_kind_valid(str_c(q->kind)) ? kind_index(q->kind) : -2;
	for (t = 0; t < ENTITY_TYPES; t++) {
		r->f.ent[t] = -1;
		if (q->entity[t] != 0 &&
		    (r->f.ent[t] = find_entity(c, q->entity[t])) < 0)
			r->f.ent[t] = -2;
	}
}

/* The heap */

static bool better(const struct heap *h, const struct cand *a,
                   const struct cand *b)
{
	if (h->by_date)
		return a->pub > b->pub || (a->pub == b->pub && a->id > b->id);
	return a->score > b->score || (a->score == b->score && a->id > b->id);
}

static void swap(struct cand *a, struct cand *b)
{
	struct cand t = *a;

	*a = *b;
	*b = t;
}

static void sift_down(struct heap *h, size_t i)
{
	size_t l, worst;

	for (;;) {
		l = 2 * i + 1;
		worst = i;
		if (l < h->n && better(h, &h->v[worst], &h->v[l]))
			worst = l;
		if (l + 1 < h->n && better(h, &h->v[worst], &h->v[l + 1]))
			worst = l + 1;
		if (worst == i)
			return;
		swap(&h->v[i], &h->v[worst]);
		i = worst;
	}
}

static void heap_push(struct heap *h, const struct cand *c)
{
	size_t i;

	if (h->n == h->cap) {
		if (h->cap == 0 || !better(h, c, &h->v[0]))
			return;
		h->v[0] = *c;
		sift_down(h, 0);
		return;
	}
	i = h->n++;
	h->v[i] = *c;
	while (i > 0 && better(h, &h->v[(i - 1) / 2], &h->v[i])) {
		swap(&h->v[i], &h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static int cmp_best_first(const void *a, const void *b, void *h)
{
	if (better(h, a, b))
		return -1;
	return better(h, b, a) ? 1 : 0;
}

/* Counting */

static void tally(struct run *r, const struct doc *d, double w)
{
	struct tally *t = &r->t;
	uint32_t i, en;

	t->total += w;
	if (!r->req->facets)
		return;
	t->kind[d->kind] += w;
	t->lang[d->lang < LANGS_MAX ? d->lang : LANGS_MAX - 1] += w;
	t->year[d->year - r->c->year_min] += w;
	for (i = 0; i < d->n_links; i++) {
		en = r->c->link[d->link + i];
		if (t->ent[en] == 0)
			t->touched[t->n_touched++] = en;
		t->ent[en] += w;
	}
}

/* The walks */

static double recency(const struct run *r, int64_t pub)
{
	double age = (double)(r->reference - pub);

	return 1.0 / (1.0 + (age > 0 ? age : 0) / YEAR_SECONDS);
}

/* Scores a row of a walk and offers it to the heap. */
static void offer(struct run *r, size_t i)
{
	const struct doc *d = &r->c->doc[i];
	struct cand c = {0.0, d->published_at, d->id, (uint32_t)i};

	if (!r->heap.by_date)
		c.score = search_bm25(&r->rank, &r->tf, d->len) *
		          (1.0 + RECENCY_BOOST * recency(r, d->published_at));
	if (r->has_after && !better(&r->heap, &r->after, &c))
		return;
	heap_push(&r->heap, &c);
}

/* What a row of a walk costs, roughly in units of 0.1 us here: FTS5
 * moves each phrase's iterator and decodes the positions, pressroom_tf
 * walks them. */
static uint64_t row_work(const struct run *r, uint64_t positions)
{
	return 2 + r->rank.n_phrases + positions / 4;
}

/* What FTS5 spent stepping over the articles of each phrase that did not
 * hold the others, down to table index at (about 0.1 us an article: it
 * merges the phrases' lists of articles). Nothing for one phrase, whose
 * every article is a row. */
static uint64_t list_work(const struct run *r, size_t at)
{
	double covered =
	    (double)(r->c->n - at) / (double)(r->c->n ? r->c->n : 1);

	return r->n_scored > 1 ? (uint64_t)(r->df_sum * covered) : 0;
}

static void bind_tf(struct run *r, sqlite3_stmt *st)
{
	if (sqlite3_bind_pointer(st, 1, &r->tf, SEARCH_TF_TYPE, NULL) !=
	        SQLITE_OK &&
	    r->s->bind_rc == SQLITE_OK)
		r->s->bind_rc = SQLITE_NOMEM;
}

/* The index of rowid in the table, looking down from *at (rows come
 * newest id first); -1 when the article is not in the table. */
static int64_t walk_to(const struct store__search *c, int64_t rowid, size_t *at)
{
	size_t hi = *at, lo, step = 1, mid;

	while (hi > 0 && step < hi && c->doc[hi - step].id > rowid)
		step *= 2;
	lo = step < hi ? hi - step : 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->doc[mid].id < rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < c->n && c->doc[lo].id == rowid ? (int64_t)lo : -1;
}

/* The main walk over article_fts: every match until the budget is spent;
 * r->cut and r->cut_id say where it stopped. */
static enum pr_err walk(struct run *r, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(r->s, STMT_SEARCH_SCAN);
	uint64_t rows = 0, work = 0, seen = 0;
	size_t at = r->c->n;
	enum pr_err rc;
	int64_t i;
	bool row;

	bind_tf(r, st);
	store__bind_text(r->s, st, 2, r->req->q->match);
	store__bind_int(r->s, st, 3, INT64_MAX);
	r->tf.instances = 0;
	while ((rc = store__row(r->s, st, &row, e, "searching")) == PR_OK &&
	       row) {
		rows += row_work(r, r->tf.instances - seen);
		seen = r->tf.instances;
		if ((i = walk_to(r->c, r->tf.rowid, &at)) >= 0 &&
		    passes(r, &r->c->doc[i])) {
			tally(r, &r->c->doc[i], 1.0);
			offer(r, (size_t)i);
		}
		work = rows + list_work(r, at);
		if (r->req->exhaustive)
			continue;
		if (work >= SCAN_MAX ||
		    (work >= SCAN_BUDGET && r->heap.n == r->heap.cap)) {
			r->work = work;
			r->cut = at;
			r->cut_id = r->tf.rowid;
			break;
		}
	}
	sqlite3_reset(st);
	return rc;
}

/* Whether an article below the cut could still belong among the hits. */
static bool rest_may_enter(const struct run *r)
{
	const struct cand *worst = r->heap.n ? &r->heap.v[0] : NULL;
	struct cand c = {0.0, INT64_MAX, INT64_MAX, 0};

	if (r->cut == 0)
		return false;
	if (worst == NULL || r->heap.n < r->heap.cap)
		return true;
	c.pub = r->c->pmax[r->cut - 1];
	c.id = r->cut_id;
	if (!r->heap.by_date)
		c.score = search_bm25_max(&r->rank) *
		          (1.0 + RECENCY_BOOST * recency(r, c.pub));
	return better(&r->heap, &c, worst);
}

/* The walk over titles and leads below the cut, for relevance order.
 * Bodies are not counted there: what is found scores on its title and lead
 * alone. Skipped with excluded words, which a title cannot rule out. */
static enum pr_err walk_heads(struct run *r, struct pr_error *e)
{
	sqlite3_stmt *st;
	uint64_t work = 0, seen = 0;
	size_t at = r->cut;
	enum pr_err rc = PR_OK;
	int64_t i;
	bool row;

	if (r->heap.by_date || r->excluded || !rest_may_enter(r))
		return PR_OK;
	st = store__stmt(r->s, STMT_SEARCH_HEAD);
	bind_tf(r, st);
	store__bind_text(r->s, st, 2, r->req->q->match);
	store__bind_int(r->s, st, 3, r->cut_id);
	r->tf.instances = 0;
	while (work < HEAD_BUDGET &&
	       (rc = store__row(r->s, st, &row, e, "searching")) == PR_OK &&
	       row) {
		work += row_work(r, r->tf.instances - seen);
		seen = r->tf.instances;
		if ((i = walk_to(r->c, r->tf.rowid, &at)) >= 0 &&
		    passes(r, &r->c->doc[i]))
			offer(r, (size_t)i);
	}
	sqlite3_reset(st);
	return work >= HEAD_BUDGET ? PR_OK : rc;
}

/* The same for rows in id order, looking up from *at. */
static int64_t walk_up(const struct store__search *c, int64_t rowid, size_t *at)
{
	size_t lo = *at, hi, step = 1, mid;

	while (lo + step < c->n && c->doc[lo + step].id < rowid)
		step *= 2;
	hi = lo + step < c->n ? lo + step + 1 : c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->doc[mid].id < rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < c->n && c->doc[lo].id == rowid ? (int64_t)lo : -1;
}

/* Counts the matches of doc[lo..hi) into the tally, each worth w. */
static enum pr_err sample_window(struct run *r, size_t lo, size_t hi, double w,
                                 struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(r->s, STMT_SEARCH_WINDOW);
	int64_t bound = hi < r->c->n ? r->c->doc[hi].id : INT64_MAX, i;
	size_t at = lo;
	enum pr_err rc;
	bool row;

	store__bind_text(r->s, st, 1, r->req->q->match);
	store__bind_int(r->s, st, 2, r->c->doc[lo].id);
	store__bind_int(r->s, st, 3, bound);
	while ((rc = store__row(r->s, st, &row, e, "searching")) == PR_OK &&
	       row) {
		i = walk_up(r->c, sqlite3_column_int64(st, 0), &at);
		if (i >= 0 && passes(r, &r->c->doc[i]))
			tally(r, &r->c->doc[i], w);
	}
	sqlite3_reset(st);
	return rc;
}

/* How many articles the estimates can look at for SAMPLE_WORK, judging by
 * what the main walk cost an article. */
static size_t sample_size(const struct run *r)
{
	size_t walked = r->c->n - r->cut, docs;
	double per_doc = (double)r->work / (double)(walked ? walked : 1);

	docs = (size_t)(SAMPLE_WORK / (per_doc > 0.01 ? per_doc : 0.01));
	if (docs < SAMPLE_WINDOWS * 16)
		docs = SAMPLE_WINDOWS * 16;
	return docs < SAMPLE_DOCS ? docs : SAMPLE_DOCS;
}

/* Estimates the counts below the cut from SAMPLE_WINDOWS windows, one in
 * the middle of each stretch of equal size, scaled up to the stretch. */
static enum pr_err estimate(struct run *r, struct pr_error *e)
{
	size_t n = r->cut, k, lo, hi, w, mid, docs = sample_size(r);
	enum pr_err rc = PR_OK;

	if (n == 0)
		return PR_OK;
	for (k = 0; k < SAMPLE_WINDOWS && rc == PR_OK; k++) {
		lo = n * k / SAMPLE_WINDOWS;
		hi = n * (k + 1) / SAMPLE_WINDOWS;
		if (hi <= lo)
			continue;
		w = docs / SAMPLE_WINDOWS;
		w = w < hi - lo ? w : hi - lo;
		mid = lo + (hi - lo - w) / 2;
		r->approximate = r->approximate || w < hi - lo;
		rc = sample_window(r, mid, mid + w,
		                   (double)(hi - lo) / (double)w, e);
	}
	return rc;
}

/* The result */

static int64_t rounded(double v)
{
	return (int64_t)llround(v);
}

static void facet_set(struct store_facet *f, const char *key, const char *name,
                      double count)
{
	f->key = key;
	f->name = name;
	f->count = rounded(count);
}

static bool simple_facets(struct run *r, struct store_search_result *out)
{
	struct store_facet_list *l;
	struct store__search *c = r->c;
	int i, y;

	l = &out->facets[STORE_FACET_KIND];
	l->v = arena_zalloc(r->ar, KINDS_MAX * sizeof(*l->v));
	for (i = 0; l->v && store_kinds[i] != NULL && i < KINDS_MAX - 1; i++)
		if (rounded(r->t.kind[i]) > 0)
			facet_set(&l->v[l->n++], store_kinds[i], store_kinds[i],
			          r->t.kind[i]);
	l = &out->facets[STORE_FACET_LANG];
	l->v = arena_zalloc(r->ar, LANGS_MAX * sizeof(*l->v));
	for (i = 0; l->v && i < c->n_lang; i++)
		if (rounded(r->t.lang[i]) > 0)
			facet_set(&l->v[l->n++], c->lang[i], c->lang[i],
			          r->t.lang[i]);
	l = &out->facets[STORE_FACET_YEAR];
	l->v = arena_zalloc(r->ar, (size_t)(c->year_max - c->year_min + 1) *
	                               sizeof(*l->v));
	for (y = c->year_max; l->v && y >= c->year_min; y--) {
		const char *k = arena_printf(r->ar, "%d", y);
		if (rounded(r->t.year[y - c->year_min]) > 0)
			facet_set(&l->v[l->n++], k, k,
			          r->t.year[y - c->year_min]);
	}
	return out->facets[STORE_FACET_KIND].v &&
	       out->facets[STORE_FACET_LANG].v &&
	       out->facets[STORE_FACET_YEAR].v;
}

static int cmp_count(const void *a, const void *b, void *t)
{
	const double *ent = ((const struct tally *)t)->ent;
	double x = ent[*(const uint32_t *)a], y = ent[*(const uint32_t *)b];

	if (x != y)
		return x > y ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Names the entity of dense number en into f. */
static enum pr_err entity_facet(struct run *r, uint32_t en,
                                struct store_facet *f, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(r->s, STMT_SEARCH_ENTITY);
	enum pr_err rc;
	bool row, oom = false;

	store__bind_int(r->s, st, 1, r->c->ent[en].id);
	rc = store__row(r->s, st, &row, e, "naming an entity");
	if (rc == PR_OK && row) {
		f->name = store__col_text(r->ar, st, 0, &oom);
		f->key = store__col_text(r->ar, st, 1, &oom);
		f->count = rounded(r->t.ent[en]);
	}
	sqlite3_reset(st);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		             r->s->path);
	return rc;
}

static enum pr_err entity_facets(struct run *r, struct store_search_result *out,
                                 struct pr_error *e)
{
	struct store_facet_list *l;
	enum pr_err rc = PR_OK;
	size_t i;
	uint32_t en;

	qsort_r(r->t.touched, r->t.n_touched, sizeof(*r->t.touched), cmp_count,
	        &r->t);
	for (i = 0; i < ENTITY_TYPES; i++) {
		l = &out->facets[STORE_FACET_TAG + i];
		l->v = arena_zalloc(r->ar, STORE_FACET_TOP * sizeof(*l->v));
		if (l->v == NULL)
			return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
			               r->s->path);
	}
	for (i = 0; i < r->t.n_touched && rc == PR_OK; i++) {
		en = r->t.touched[i];
		l = &out->facets[STORE_FACET_TAG + r->c->ent[en].type];
		if (l->n < STORE_FACET_TOP && rounded(r->t.ent[en]) > 0)
			rc = entity_facet(r, en, &l->v[l->n++], e);
	}
	return rc;
}

/* Reads hit h of the heap's candidate c. */
static enum pr_err read_hit(struct run *r, const struct cand *c,
                            struct store_search_hit *h, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(r->s, STMT_SEARCH_HIT);
	struct article_summary *it = &h->item;
	enum pr_err rc;
	bool row, oom = false;

	store__bind_int(r->s, st, 1, c->id);
	if ((rc = store__row(r->s, st, &row, e, "reading a hit")) != PR_OK)
		return rc;
	if (!row) {
		sqlite3_reset(st);
		return pr_fail(e, PR_CORRUPT,
		               "%s: the search index names article %lld, "
		               "which has no text; run pressroom reindex",
		               r->s->path, (long long)c->id);
	}
	it->id = sqlite3_column_int64(st, 0);
	it->slug = store__col_text(r->ar, st, 1, &oom);
	it->lang = store__col_text(r->ar, st, 2, &oom);
	it->kind = store__col_text(r->ar, st, 3, &oom);
	it->title = store__col_text(r->ar, st, 4, &oom);
	it->lead = store__col_text(r->ar, st, 5, &oom);
	it->published_at = sqlite3_column_int64(st, 6);
	it->updated_at = sqlite3_column_int64(st, 7);
	h->text = store__col_text(r->ar, st, 8, &oom);
	h->score = c->score;
	sqlite3_reset(st);
	if (oom)
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               r->s->path);
	return PR_OK;
}

static enum pr_err read_hits(struct run *r, struct store_search_result *out,
                             struct pr_error *e)
{
	size_t from = (size_t)r->req->offset, i;
	const struct cand *last;
	enum pr_err rc = PR_OK;

	qsort_r(r->heap.v, r->heap.n, sizeof(*r->heap.v), cmp_best_first,
	        &r->heap);
	out->has_more = r->heap.n > from + (size_t)r->req->limit;
	if (r->heap.n <= from)
		return PR_OK;
	out->n = r->heap.n - from;
	out->n =
	    out->n < (size_t)r->req->limit ? out->n : (size_t)r->req->limit;
	out->hits = arena_zalloc(r->ar, out->n * sizeof(*out->hits));
	if (out->hits == NULL)
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               r->s->path);
	for (i = 0; i < out->n && rc == PR_OK; i++)
		rc = read_hit(r, &r->heap.v[from + i], &out->hits[i], e);
	last = &r->heap.v[from + out->n - 1];
	out->next = (struct store_search_cursor){last->score, last->pub,
	                                         last->id, r->reference};
	return rc;
}

/* Searching */

static enum pr_err check_req(struct store *s, const struct store_search_req *q,
                             struct pr_error *e)
{
	if (q->q == NULL || q->q->empty || q->q->match == NULL ||
	    q->q->match[0] == '\0')
		return pr_fail(e, PR_INVALID, "nothing to search for");
	if (q->limit < 1 || q->offset < 0 ||
	    q->offset + q->limit > STORE_LIMIT_MAX)
		return pr_fail(e, PR_INVALID,
		               "search results go to %d at most (asked for "
		               "%lld from %lld)",
		               STORE_LIMIT_MAX, (long long)q->limit,
		               (long long)q->offset + 1);
	return PR_OK;
}

static enum pr_err prepare_run(struct run *r, struct pr_error *e)
{
	const struct store_search_req *q = r->req;
	size_t years = (size_t)(r->c->year_max - r->c->year_min + 1);

	r->heap.by_date = q->sort == STORE_SORT_DATE;
	r->heap.cap = (size_t)(q->offset + q->limit) + 1;
	r->heap.v = arena_alloc(r->ar, r->heap.cap * sizeof(*r->heap.v));
	r->t.year = arena_zalloc(r->ar, years * sizeof(*r->t.year));
	r->t.ent = arena_zalloc(r->ar, (r->c->n_ent + 1) * sizeof(*r->t.ent));
	r->t.touched =
	    arena_alloc(r->ar, (r->c->n_ent + 1) * sizeof(*r->t.touched));
	if (!r->heap.v || !r->t.year || !r->t.ent || !r->t.touched)
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               r->s->path);
	r->has_after = q->after.id != 0;
	r->after = (struct cand){q->after.score, q->after.published_at,
	                         q->after.id, 0};
	r->reference = q->after.id != 0 && q->after.reference != 0
	                   ? q->after.reference
	                   : q->now - q->now % DAY_SECONDS;
	r->cut_id = INT64_MAX;
	compile_filter(r);
	return PR_OK;
}

static enum pr_err run_search(struct run *r, struct store_search_result *out,
                              struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = load_table(r->s, e)) != PR_OK)
		return rc;
	r->c = r->s->search;
	if ((rc = prepare_run(r, e)) != PR_OK || (rc = weigh(r, e)) != PR_OK)
		return rc;
	if ((rc = walk(r, e)) != PR_OK)
		return rc;
	if (r->cut_id != INT64_MAX && ((rc = walk_heads(r, e)) != PR_OK ||
	                               (rc = estimate(r, e)) != PR_OK))
		return rc;
	if ((rc = read_hits(r, out, e)) != PR_OK)
		return rc;
	out->total = rounded(r->t.total);
	out->approximate = r->approximate;
	if (r->req->facets) {
		if (!simple_facets(r, out))
			return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
			               r->s->path);
		rc = entity_facets(r, out, e);
	}
	return rc;
}

enum pr_err store_search(struct store *s, struct arena *ar,
                         const struct store_search_req *req,
                         struct store_search_result *out, struct pr_error *e)
{
	struct run *r = NULL;
	enum pr_err rc;
	bool opened = false;

	memset(out, 0, sizeof(*out));
	if ((rc = check_req(s, req, e)) != PR_OK)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return pr_fail(e, PR_NOMEM, "%s: search: out of memory",
		               s->path);
	r->s = s;
	r->ar = ar;
	r->req = req;
	if ((rc = store__read_begin(s, &opened, e)) == PR_OK)
		rc = run_search(r, out, e);
	store__read_end(s, opened);
	if (rc != PR_OK)
		memset(out, 0, sizeof(*out));
	free(r);
	return rc;
}

enum pr_err store_search_suggest(struct store *s, struct arena *ar,
                                 struct str q, const struct search_query *pq,
                                 struct str *out, struct pr_error *e)
{
	enum pr_err rc;
	bool opened;

	*out = STR_NULL;
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	rc = search_suggest_query(s->db, "article_vocab", "article_fts", ar, q,
	                          pq, out, e);
	store__read_end(s, opened);
	return rc;
}
