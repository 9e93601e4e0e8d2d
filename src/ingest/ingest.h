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
#include "../media/media.h"
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
	const char *data_dir;   /* where the photos of JSON Lines records go
	                           (DATA/media/); NULL: records with photos are
	                           refused */
};

struct ingest_result {
	enum ingest_format format; /* the format the file was read as */
	int64_t items;             /* articles inserted */
	int64_t first_id, last_id; /* of the inserted articles, in file order */
	long photo_count;          /* text: the "9 Photo" line; -1 when none */
	int64_t photos;            /* JSON Lines: photos added to articles */
};

/*
 * Imports the file at path into s as one transaction (store_begin ..
 * store_commit); on any error it rolls back, so the database is exactly as
 * before, the photo files it wrote are removed again (ingest_media_undo),
 * and e says "PATH:LINE: field: what is wrong" (or "PATH: ..." for the
 * file as a whole; "PATH:LINE: photos: item N: PHOTO: why" for a photo). Limits
 * come from cfg (max_import_line, languages). o may be NULL for a JSON Lines
 * file. r (may be NULL) receives counts, also for a failed file (items then
 * counts what was rolled back).
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
 * into s in the caller's transaction, in file order. Photos need
 * ingest_file with opts->data_dir: here a record with photos is refused.
 * Records are parsed, validated and rendered on worker threads (one for each
 * processor beyond the first) while this thread inserts; s is used by this
 * thread only. Records whose translation_of names a later record are inserted
 * after it. On error the store holds part of the file: the caller rolls back.
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

/* ingest/photo.c: photos from image files, for import and `pressroom
 * photo add` */

/* What a JSON Lines entry or the command line says about a photo. A NULL
 * text, or taken_given false, means: take it from the image's own
 * metadata (caption, credit, date; alt and licence are then ""). */
struct ingest_photo {
	const char *file; /* the image; relative paths are the caller's */
	const char *caption, *credit, *alt, *licence;
	bool taken_given; /* taken_at was given; has_taken false: unknown */
	bool has_taken;
	int64_t taken_at;
};

/* The photos of one transaction: where their files go and the originals it
 * created there, so that a rollback takes them away again. */
struct ingest_media {
	const char *data_dir;
	char (*created)[MEDIA_SHA_HEX];
	size_t n, cap;
	int64_t added; /* photos added to articles */
};

void ingest_media_init(struct ingest_media *m, const char *data_dir);
/* After a rollback: removes each original the transaction created, with
 * its renditions, unless an article uses it after all (another process
 * may have added the same file meanwhile). Then forgets them. */
void ingest_media_undo(struct ingest_media *m, struct store *s);
void ingest_media_free(struct ingest_media *m);

/*
 * Reads the image ph->file (refused when larger than the configured
 * upload_max_mb, before it is read), checks and stores it with media_add
 * (renditions included) and appends it to the photos of article_id in the
 * caller's transaction, with the texts of ph or else the image's own.
 * The same file in the same article changes nothing (*added false). On
 * failure e says "FILE: why" ("photo.jpg: not an image: ..."), and
 * nothing of this photo is left behind (files it created are removed).
 */
enum pr_err ingest_photo_add(struct store *s, struct ingest_media *m,
                             int64_t article_id, const struct ingest_photo *ph,
                             bool *added, struct pr_error *e);

#endif
