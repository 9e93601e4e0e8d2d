/*
 * site/site_search.h: what the search page, its Atom feed and the JSON API
 * share inside src/site (not part of the module's interface): the
 * parameters of a search, validated at the edge, and running it.
 */
#ifndef PR_SITE_SEARCH_H
#define PR_SITE_SEARCH_H

#include "../search/search.h"
#include "site.h"

enum site_search_kind {
	SITE_SEARCH_PAGE = 1, /* /{lang}/search: page numbers */
	SITE_SEARCH_ATOM = 2, /* /{lang}/search/atom.xml: newest first */
	SITE_SEARCH_JSON = 4, /* /api/v1/search: cursors */
};

#define SITE_SEARCH_LIMIT_MAX  100 /* hits a call of the API */
#define SITE_SEARCH_FEED_ITEMS 20

/* A search as asked for. Strings point into the request or its arena. */
struct site_search {
	enum site_search_kind kind;
	struct str q;                  /* as typed, white space trimmed */
	struct search_query pq;        /* q parsed */
	bool empty;                    /* nothing to search for in q */
	char from[11], to[11];         /* "2021-11-18" as given, "" for none */
	const char *kind_f;            /* ?kind, NULL for none */
	const char *lang_f;            /* ?lang, NULL for none */
	bool by_date;                  /* ?sort=date */
	struct str slug[ENTITY_TYPES]; /* ?tag ?person ?place, STR_NULL */
	struct entity ent[ENTITY_TYPES];
	bool no_entity; /* a filter names no tag, person or place */
	int64_t page;   /* ?page, from 1 */
	int limit;      /* hits wanted */
	struct store_search_req req;
	struct store_search_result res;
};

/*
 * Reads and checks the query's keys for a search of kind k into s. A
 * malformed value gives PR_INVALID with a message in r->lang saying what
 * was wrong (the caller answers 400).
 */
enum pr_err site__search_params(struct site_req *r, enum site_search_kind k,
                                struct site_search *s);

/* Runs s (which must not be empty) into s->res. */
enum pr_err site__search_run(struct site_req *r, struct site_search *s);

/*
 * The query string ("q=...&kind=...", percent-encoded, without '?') of s
 * with key set to value (NULL: left out), other keys kept; page and cursor
 * are never kept. In r->a; "" when out of memory.
 */
const char *site__search_qs(struct site_req *r, const struct site_search *s,
                            const char *key, const char *value);

/* The cursor string of c (opaque: hex, with a check) and its reverse;
 * false for a string this site did not write. */
const char *site__cursor_text(struct site_req *r,
                              const struct store_search_cursor *c,
                              bool by_date);
bool site__cursor_parse(struct str s, bool by_date,
                        struct store_search_cursor *out);

#endif
