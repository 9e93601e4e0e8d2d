/*
 * ingest_int.h: what the files of src/ingest share among themselves; not
 * part of the module's interface (that is ingest.h).
 */
#ifndef PR_INGEST_INT_H
#define PR_INGEST_INT_H

#include <jansson.h>

#include "ingest.h"

/* ingest/file.c */

/* Room for a quoted value in a message: at most 60 bytes of it. */
#define INGEST__QUOTED 256

/* Writes s to out as "s" for a message: cut to 60 bytes (with "...")
 * and with control characters, quotes and backslashes escaped. Returns
 * out. */
const char *ingest__quote(char out[INGEST__QUOTED], struct str s);

/* ingest/record.c */

/* What it takes to turn a line into an article; one per worker slot. */
struct ingest__parser {
	const char *name; /* the file, for messages */
	const struct config *cfg;
	struct arena *arena; /* the record's allocations */
	struct buf html;     /* its body_html */
	struct buf text;     /* its body_text (plain text for search) */
	struct buf slug;     /* scratch for slugs */
};

/* One record of a JSON Lines file. The article's strings point into root
 * and the parser's arena and html: they live until the next parse with the
 * same parser and record. */
struct ingest__rec {
	struct article a;
	json_t *root;
	int64_t line;
	struct ingest_photo *photo; /* the "photos" entries */
	size_t n_photos;
	unsigned seen; /* bit i: field i of the table was present */
	bool has_id;   /* the record gave its id */
	bool has_updated;
	bool blank; /* an empty line: no record */
};

/* Sets p up for the file name; free with ingest__parser_free. */
enum pr_err ingest__parser_init(struct ingest__parser *p, const char *name,
                                const struct config *cfg);
void ingest__parser_free(struct ingest__parser *p);

/*
 * Parses line number no into r: JSON, every field checked and the defaults
 * filled in, the body rendered. Everything that needs the database or the
 * other records (a duplicate id, translation_of) is left to the caller.
 * Fails with "NAME:LINE: field: what is wrong".
 */
enum pr_err ingest__parse_line(struct ingest__parser *p, struct str line,
                               int64_t no, struct ingest__rec *r,
                               struct pr_error *e);
/* Lets go of r's JSON; r may be parsed into again. */
void ingest__rec_free(struct ingest__rec *r);

/* ingest/jsonl.c */

/* ingest_jsonl with the photos of the transaction (NULL: records with
 * photos are refused). */
enum pr_err ingest__jsonl(struct store *s, const struct config *cfg, FILE *f,
                          const char *name, struct ingest_media *media,
                          struct ingest_result *r, struct pr_error *e);

/* ingest/release.c */

/* Imports the text release read from f (named name in messages) in the
 * caller's transaction. */
enum pr_err ingest__text(struct store *s, const struct config *cfg, FILE *f,
                         const char *name, const struct ingest_opts *o,
                         struct ingest_result *r, struct pr_error *e);

#endif
