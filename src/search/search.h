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
 * `tokenize='pressroom'`; it takes no arguments) and the auxiliary
 * function pressroom_tf() of search/rank.c. Every connection that reads
 * or writes such a table must register them first. PR_INTERNAL when the
 * SQLite library has no FTS5, PR_NOMEM when out of memory.
 */
enum pr_err search_register(struct sqlite3 *db, struct pr_error *e);

/* search/pretok.c */

/*
 * The tokens of documents worked out ahead of time on another thread, so
 * that the one thread writing an index spends less of its time tokenizing.
 * A set holds the tokens of texts; search_pretok_use hands it to the
 * tokenizer of the calling thread, which then takes the recorded tokens
 * of a text it holds (the same bytes) instead of working them out. The
 * index is the same either way. A set is used by one thread at a time.
 */
struct search_pretok;

/* *out is freed with search_pretok_free; PR_NOMEM. */
enum pr_err search_pretok_new(struct search_pretok **out, struct pr_error *e);
void search_pretok_free(struct search_pretok *p); /* NULL is fine */
/* Forgets the texts it holds. */
void search_pretok_reset(struct search_pretok *p);
/* Works out and keeps the tokens of a document's text (one column);
 * PR_NOMEM or PR_TOOBIG leave the text to be tokenized as usual. */
enum pr_err search_pretok_add(struct search_pretok *p, struct str text);
/* The set the tokenizer of this thread replays from; NULL for none. */
void search_pretok_use(const struct search_pretok *p);

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

/* One phrase of a MATCH expression, in FTS5's numbering of phrases (the
 * order in which they are written). */
struct search_phrase {
	const char *match; /* a MATCH expression of this phrase alone */
	size_t term;       /* its term in q->terms */
	bool excluded;
};

/*
 * The phrases of q->match in FTS5's order (a hyphenated word gives two:
 * as typed and joined), so that the caller can look up how many documents
 * hold each. *out lives in ar; *n is 0 for an empty query.
 */
enum pr_err search_phrases(struct arena *ar, const struct search_query *q,
                           struct search_phrase **out, size_t *n,
                           struct pr_error *e);

/* search/rank.c */

#define SEARCH_RANK_PHRASES 64 /* phrases of a query that are scored */
#define SEARCH_RANK_COLUMNS 3  /* title, lead, body */
#define SEARCH_TF_TYPE      "pressroom_tf" /* pointer type of the argument */

/*
 * Filled by `pressroom_tf(TABLE, ?)` for the row it is called on, ? being
 * a struct search_tf bound with sqlite3_bind_pointer(..., SEARCH_TF_TYPE,
 * NULL); the function itself returns NULL. Phrases past
 * SEARCH_RANK_PHRASES and columns past SEARCH_RANK_COLUMNS are not
 * counted.
 */
struct search_tf {
	int64_t rowid;
	int n_phrases, n_columns;
	uint16_t tf[SEARCH_RANK_PHRASES][SEARCH_RANK_COLUMNS];
	uint64_t instances; /* positions walked, added up over the rows (a
	                       measure of the work done; the caller resets) */
};

/* What the score of a query needs besides the counts of a row. */
struct search_rank {
	size_t n_phrases;
	double idf[SEARCH_RANK_PHRASES];     /* 0: not scored (excluded) */
	double avg_len[SEARCH_RANK_COLUMNS]; /* tokens of a column on average */
};

/* Empty, with average lengths of 1. */
void search_rank_init(struct search_rank *r);

/* The inverse document frequency of a phrase held by df of docs
 * documents, always positive: log(1 + (docs - df + 0.5) / (df + 0.5)). */
double search_idf(int64_t docs, int64_t df);

/*
 * BM25 (k1 = 1.2) over the columns with weights 10 (title), 4 (lead) and 1
 * (body), each column's length (in tokens, len) normalised by its average
 * (b = 0.3, 0.5, 0.75): higher is better, 0 when nothing scored matched.
 */
double search_bm25(const struct search_rank *r, const struct search_tf *tf,
                   const uint32_t len[SEARCH_RANK_COLUMNS]);

/* An upper bound of search_bm25 for any row. */
double search_bm25_max(const struct search_rank *r);

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
