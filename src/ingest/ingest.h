/*
 * ingest.h: the whole interface of src/ingest, the importers. A file of the
 * interchange format of DESIGN.md (JSON Lines, one article an object) or a
 * plain-text release like tests/fixtures/sample-release.txt becomes
 * articles in the store, all of a file or none of it. Every record is
 * validated first; the first problem stops the file with a message
 * "FILE:LINE: field: what is wrong".
 */
#ifndef PR_INGEST_H
#define PR_INGEST_H

#include "../core/core.h"
#include "../store/store.h"

/* ingest/file.c */

enum ingest_format {
	INGEST_AUTO,  /* by extension (.jsonl, .json, .txt), else by content */
	INGEST_JSONL, /* the interchange format */
	INGEST_TEXT,  /* a plain-text release */
};

/* What a plain-text release does not say itself; JSON Lines records carry
 * all of it and ignore these. */
struct ingest_opts {
	enum ingest_format format;
	const char *lang;       /* NULL: the configured default language */
	const char *kind;       /* NULL: "news" */
	bool has_date;          /* a text release needs a date */
	int64_t date;           /* published_at, unix seconds */
	int64_t translation_of; /* another item of the group; 0 for none */
};

struct ingest_result {
	enum ingest_format format; /* the format the file was read as */
	int64_t items;             /* articles inserted */
	int64_t first_id, last_id; /* of the inserted articles, in file order */
	long photo_count;          /* text: the "9 Photo" line; -1 when none */
	int64_t photos_ignored;    /* JSON Lines "photos" entries not stored */
};

/*
 * Imports the file at path into s as one transaction (store_begin ..
 * store_commit); on any error it rolls back, so the database is exactly as
 * before, and e says "PATH:LINE: field: what is wrong" (or "PATH: ..." for
 * the file as a whole). Limits come from cfg (max_import_line, languages).
 * o may be NULL for a JSON Lines file. r (may be NULL) receives counts,
 * also for a failed file (items then counts what was rolled back).
 */
enum pr_err ingest_file(struct store *s, const struct config *cfg,
                        const char *path, const struct ingest_opts *o,
                        struct ingest_result *r, struct pr_error *e);

/* The format of path chosen as ingest_file does when asked for AUTO: by the
 * name, else by the first byte that is not white space ('{': JSON Lines). */
enum ingest_format ingest_guess_format(const char *path, struct str head);

/* ingest/jsonl.c */

/*
 * Reads JSON Lines from f, named name in messages, and inserts each record
 * into s in the caller's transaction, in file order. Records are parsed,
 * validated and rendered on worker threads (one for each processor beyond
 * the first) while this thread inserts; s is used by this thread only.
 * Records whose translation_of names a later record are inserted after it.
 * On error the store holds part of the file: the caller rolls back.
 */
enum pr_err ingest_jsonl(struct store *s, const struct config *cfg, FILE *f,
                         const char *name, struct ingest_result *r,
                         struct pr_error *e);

/* ingest/release.c */

/* A plain-text release taken apart; strings are NUL-terminated UTF-8 in
 * the arena given to ingest_release_parse. */
struct release {
	const char *title;
	const char *lead; /* the first paragraph; "" when there is none */
	const char *body; /* the other paragraphs as Markdown that renders
	                     exactly as the text was written */
	long photo_count; /* the "9 Photo" / "9 фото" line; -1 when none */
	long title_line;  /* line numbers in the file, for messages */
	long lead_line;
};

/*
 * Parses the text of a release: the first non-empty line is the title; an
 * optional "N Photo(s)" or "N фото" line follows; a last line made only of
 * navigation words ("Print News Archive", "Версия для печати Новости
 * Архив") is dropped; the paragraphs (separated by blank lines) make the
 * lead (the first one, unless it merely repeats the title) and the body.
 * name is used in messages ("NAME:LINE: invalid UTF-8 ..."). Allocates out
 * in a; PR_INVALID for invalid UTF-8 or a release without a title.
 */
enum pr_err ingest_release_parse(struct arena *a, const char *name,
                                 struct str text, struct release *out,
                                 struct pr_error *e);

/*
 * Appends one line of plain text as Markdown that renders as exactly that
 * text: characters Markdown would read as syntax (list and heading markers
 * at the start, emphasis, code, links, HTML, entities, tables) are
 * backslash-escaped. line must not contain a newline.
 */
void ingest_md_escape(struct buf *out, struct str line);

#endif
