/*
 * search.h: the whole interface of src/search, the search engine behind
 * the reader's search page and the API. It owns the FTS5 tokenizer
 * "pressroom" (Unicode folding, Snowball stemmers for Russian and English
 * chosen per word by script, names indexed across alphabets), the parser
 * that turns what a person types into a safe FTS5 MATCH expression, the
 * snippets with highlighted matches and the spelling suggestions drawn from
 * the index's own vocabulary.
 *
 * Tokens the index holds, so that store can write its schema:
 *   - the Snowball stem of every word ("прокурорами" -> "прокурор",
 *     "meetings" -> "meet"), ё folded to е, й kept, diacritics removed;
 *     numbers and words of letters and digits whole ("2021", "covid19");
 *   - a word of hyphenated parts ("Нур-Султан", "COVID-19") as its parts
 *     plus the joined form ("нурсултан", "covid19") at the first part's
 *     position;
 *   - for capitalised words (proper-name candidates) a name key at the same
 *     position: "~" and a Latin phonetic skeleton of the word, the same for
 *     "Краснов", "Краснова", "Krasnov" and "Krasnova" ("~krasnov"). Keys
 *     start with '~', which no other token does. See search/name.c.
 * Query words get name keys whether capitalised or not, so "krasnov" finds
 * "Краснову".
 *
 * Threads: the tokenizer keeps one pair of stemmers per FTS5 table per
 * connection (FTS5 calls xCreate once for each), so a connection used by
 * one thread at a time is safe. A struct search_hl is used by one thread.
 */
#ifndef PR_SEARCH_H
#define PR_SEARCH_H

#include "../core/core.h"

struct sqlite3; /* sqlite3.h is included by store and search alone */

/*
 * Bumped whenever the tokens written for the same text change, so that
 * store can notice an index built by an older pressroom and rebuild it.
 */
#define SEARCH_TOKENIZER_VERSION 1

/* search/fts.c */

/*
 * Registers the FTS5 tokenizer "pressroom" on db (use it with
 * `tokenize='pressroom'`; it takes no arguments). Every connection that
 * reads or writes such a table must register it first. PR_INTERNAL when
 * the SQLite library has no FTS5, PR_NOMEM when out of memory.
 */
enum pr_err search_register(struct sqlite3 *db, struct pr_error *e);

/* search/query.c */

#define SEARCH_MAX_TERMS      32  /* terms kept of one query */
#define SEARCH_MAX_TERM_BYTES 256 /* bytes kept of one word or phrase */
#define SEARCH_MIN_PREFIX     3   /* letters before '*' for a prefix */

/* One word or "phrase" of a query, as the person typed it. */
struct search_term {
	struct str text; /* without quotes, '-' or '*'; NUL-ended; cut to
	                    SEARCH_MAX_TERM_BYTES */
	size_t at, len;  /* where that text was in the query (bytes), before
	                    any cut */
	int group;       /* terms joined by OR share a group number */
	bool phrase;     /* typed in double quotes */
	bool prefix;     /* ended in '*' */
	bool excluded;   /* preceded by '-' or NOT */
};

struct search_query {
	const char *match;         /* FTS5 MATCH expression; "" when empty */
	struct search_term *terms; /* in the order typed */
	size_t n_terms;
	bool empty;     /* nothing to search for: no word outside exclusions */
	bool truncated; /* terms past SEARCH_MAX_TERMS, or bytes of a term past
	                   SEARCH_MAX_TERM_BYTES, were dropped */
};

/*
 * Parses a query as people type it: words that must all match, "exact
 * phrases", prefix*, -excluded words (also NOT word), OR (or ИЛИ, in
 * capitals) between terms, binding tighter than the implicit AND. Every
 * character typed ends up inside an FTS5 string, so nothing typed is read
 * as FTS5 syntax: quotes, parentheses, column filters, ^, NEAR, lone
 * operators and unbalanced quotes (the last phrase runs to the end) give an
 * expression that runs. A query with nothing to look for gives PR_OK with
 * out->empty set. Invalid UTF-8 (or a NUL byte) gives PR_INVALID naming the
 * byte offset. Everything in *out lives in ar; on error *out is empty.
 */
enum pr_err search_parse(struct arena *ar, struct str q,
                         struct search_query *out, struct pr_error *e);

/* search/snippet.c */

/*
 * A highlighter for the words of a query: a text's words are marked when
 * they share a stem or a name key with a term that is not excluded, the
 * way the index matched them ("прокурора" for a query "прокуроры",
 * "Краснов" for "Krasnov").
 */
struct search_hl;

/* *out is freed with search_hl_free; q need not outlive it. PR_NOMEM when
 * out of memory. */
enum pr_err search_hl_new(struct search_hl **out, const struct search_query *q,
                          struct pr_error *e);
void search_hl_free(struct search_hl *h); /* NULL is fine */

/*
 * Appends text to out, HTML-escaped, with every matching word wrapped in
 * <mark>...</mark>; for titles. Bytes that are not UTF-8 become U+FFFD.
 * Errors stay in out->err.
 */
void search_highlight(struct search_hl *h, struct buf *out, struct str text);

/*
 * Appends a snippet of about `words` words (30 when 0, at most 256) of
 * plain text: the first window that holds every term, else the one holding
 * the most distinct terms, then the most matches; its matches centred (or
 * the window moved back to stay full at the end of the text), escaped and
 * marked as by search_highlight, runs of white space shown as one space,
 * and "… " / " …" where text was left out. With no match, the start of the
 * text. Errors stay in out->err.
 */
void search_snippet(struct search_hl *h, struct buf *out, struct str text,
                    size_t words);

/* search/suggest.c */

/*
 * The word of the index's vocabulary closest to `word` (one word as typed,
 * of 3 to 64 letters): the vocabulary term within a Damerau-Levenshtein
 * distance of 1 (words of up to 4 letters) or 2 of the word's stem, the
 * nearest first and among equals the one in most documents, searched among
 * terms that start with the stem's first or second letter. vocab names an
 * fts5vocab table of type "row" over fts, the FTS5 table (NULL: the stem
 * is returned as it is). Terms are stems, so the suggestion is the form
 * closest to what was typed among the words of the first documents holding
 * the term, in lower case. PR_NOTFOUND when the word (its stem or its name
 * key) is in the vocabulary already or nothing is close; PR_INVALID for a
 * table name that is not [A-Za-z0-9_]. *out lives in ar.
 */
enum pr_err search_suggest(struct sqlite3 *db, const char *vocab,
                           const char *fts, struct arena *ar, struct str word,
                           struct str *out, struct pr_error *e);

/*
 * The query q (as typed, parsed into pq) with each plain word that is not
 * in the vocabulary replaced by its suggestion. PR_NOTFOUND when no word
 * was replaced. *out lives in ar.
 */
enum pr_err search_suggest_query(struct sqlite3 *db, const char *vocab,
                                 const char *fts, struct arena *ar,
                                 struct str q, const struct search_query *pq,
                                 struct str *out, struct pr_error *e);

#endif
