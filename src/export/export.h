/*
 * export.h: the whole interface of src/export: the full export of the
 * site's articles in the interchange format of DESIGN.md (JSON Lines, one
 * article an object), which src/ingest reads back. The output is
 * deterministic: the same database always gives the same bytes, and an
 * export imported into an empty site exports to the same bytes again.
 */
#ifndef PR_EXPORT_H
#define PR_EXPORT_H

#include "../core/core.h"
#include "../store/store.h"

/* export/jsonl.c */

/*
 * Appends a as one line of JSON (ending in "\n"): the fields id, lang,
 * kind, status, published_at, updated_at, title, slug, lead, body,
 * translation_of, author, tags, persons, places in that order, UTF-8 as it
 * is (not \u-escaped); lead, author and translation_of are left out when
 * empty or 0, and so are empty name lists. PR_INVALID when a string is not
 * UTF-8, PR_NOMEM or PR_TOOBIG when out fails; nothing is appended then.
 */
enum pr_err export_article(struct buf *out, const struct article *a,
                           struct pr_error *e);

/*
 * Writes every article of s, in id order, to f as JSON Lines, each with
 * its photos last ("photos": file, caption, credit, alt and licence when
 * set, taken_at or null). A stream cannot carry files: each photo's file
 * is named where its original lies under the data folder
 * ("media/orig/ab/cd/<sha256>.jpg"), so the export imports as it is when
 * saved in the data folder or beside a copy of its media/ folder. PR_IO
 * when f cannot be written (the message says why: disk full, closed
 * pipe).
 */
enum pr_err export_jsonl(struct store *s, FILE *f, struct pr_error *e);

/*
 * Writes DIR/articles.jsonl (creating DIR and its parents when missing):
 * first to a temporary file in DIR, then renamed over the old one, so a
 * reader never sees half an export. *count (may be NULL) receives the number of
 * articles.
 */
enum pr_err export_dir(struct store *s, const char *dir, int64_t *count,
                       struct pr_error *e);

/*
 * export_dir with the photos' files: the original of each photo is copied
 * from data_dir's media/ to DIR/photos/<article id>/<position>.<ext>, which
 * its line names, so that importing DIR/articles.jsonl gives the same
 * site (and exporting that, the same bytes). data_dir NULL: as
 * export_dir, photos named under the data folder and not copied.
 */
enum pr_err export_dir_photos(struct store *s, const char *data_dir,
                              const char *dir, int64_t *count,
                              struct pr_error *e);

#endif
