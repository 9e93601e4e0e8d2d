/*
 * store/photo.c: the photos of an article. A row describes one photo (its
 * file by hash, its size, what the editor or the image said about it) and
 * its place in the article's order; positions stay 1..n through every
 * add, move, reorder and delete, so the lead photo is always position 1
 * and a list page finds it with one index look-up.
 */
#include "store_int.h"

#include <string.h>

static const char *const photo_types[] = {"jpg", "png", "webp", "gif"};

/* Reads the PHOTO columns of sql.c from the row st stands on. */
static bool read_photo(struct arena *ar, sqlite3_stmt *st, struct photo *p)
{
	bool oom = false;

	p->id = sqlite3_column_int64(st, 0);
	p->article_id = sqlite3_column_int64(st, 1);
	p->position = sqlite3_column_int(st, 2);
	p->sha256 = store__col_text(ar, st, 3, &oom);
	p->type = store__col_text(ar, st, 4, &oom);
	p->width = sqlite3_column_int(st, 5);
	p->height = sqlite3_column_int(st, 6);
	p->bytes = sqlite3_column_int64(st, 7);
	p->caption = store__col_text(ar, st, 8, &oom);
	p->credit = store__col_text(ar, st, 9, &oom);
	p->alt = store__col_text(ar, st, 10, &oom);
	p->licence = store__col_text(ar, st, 11, &oom);
	p->has_taken = sqlite3_column_type(st, 12) != SQLITE_NULL;
	p->taken_at = p->has_taken ? sqlite3_column_int64(st, 12) : 0;
	p->added_at = sqlite3_column_int64(st, 13);
	return !oom;
}

static bool type_valid(const char *t)
{
	for (size_t i = 0; t && i < sizeof(photo_types) / sizeof(*photo_types);
	     i++)
		if (strcmp(t, photo_types[i]) == 0)
			return true;
	return false;
}

static enum pr_err check_text(const struct photo *p, const char *field,
                              const char *v, struct pr_error *e)
{
	size_t n = v ? strlen(v) : 0;

	if (n > STORE_PHOTO_TEXT_MAX)
		return pr_fail(
		    e, PR_INVALID,
		    "photo of article %lld: %s: %zu bytes, more than "
		    "%d",
		    (long long)p->article_id, field, n, STORE_PHOTO_TEXT_MAX);
	if (v && !utf8_valid(v, n, NULL))
		return pr_fail(e, PR_INVALID,
		               "photo of article %lld: %s: not valid UTF-8",
		               (long long)p->article_id, field);
	return PR_OK;
}

static enum pr_err check_texts(const struct photo *p, struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = check_text(p, "caption", p->caption, e)) == PR_OK &&
	    (rc = check_text(p, "credit", p->credit, e)) == PR_OK &&
	    (rc = check_text(p, "alt", p->alt, e)) == PR_OK)
		rc = check_text(p, "licence", p->licence, e);
	return rc;
}

static enum pr_err check_photo(const struct photo *p, struct pr_error *e)
{
	const char *sha = p->sha256 ? p->sha256 : "";
	size_t n = strlen(sha);

	if (n != 64 || strspn(sha, "0123456789abcdef") != 64)
		return pr_fail(
		    e, PR_INVALID,
		    "photo of article %lld: sha256: not 64 lower-case "
		    "hex digits",
		    (long long)p->article_id);
	if (!type_valid(p->type))
		return pr_fail(e, PR_INVALID,
		               "photo of article %lld: type: \"%.16s\" is not "
		               "jpg, png, webp or gif",
		               (long long)p->article_id,
		               p->type ? p->type : "");
	if (p->width < 1 || p->height < 1 || p->bytes < 0)
		return pr_fail(e, PR_INVALID,
		               "photo of article %lld: size: %d x %d pixels, "
		               "%lld bytes",
		               (long long)p->article_id, p->width, p->height,
		               (long long)p->bytes);
	return check_texts(p, e);
}

/* Whether article id exists. */
static enum pr_err article_exists(struct store *s, int64_t id,
                                  struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ARTICLE_GROUP);
	enum pr_err rc;
	bool row;

	store__bind_int(s, st, 1, id);
	rc = store__row(s, st, &row, e, "finding an article");
	sqlite3_reset(st);
	if (rc == PR_OK && !row)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld does not exist",
		             (long long)id);
	return rc;
}

static enum pr_err count_of(struct store *s, int64_t article_id, int64_t *n,
                            struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_COUNT);
	enum pr_err rc;
	bool row;

	store__bind_int(s, st, 1, article_id);
	rc = store__row(s, st, &row, e, "counting photos");
	*n = rc == PR_OK && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc;
}

/* The photo of the article with p's file: *found, and p's id and
 * position when it is there. */
static enum pr_err find_file(struct store *s, struct photo *p, bool *found,
                             struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_FIND);
	enum pr_err rc;

	store__bind_int(s, st, 1, p->article_id);
	store__bind_text(s, st, 2, p->sha256);
	rc = store__row(s, st, found, e, "finding a photo");
	if (rc == PR_OK && *found) {
		p->id = sqlite3_column_int64(st, 0);
		p->position = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc;
}

static enum pr_err insert(struct store *s, struct photo *p, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_INSERT);
	enum pr_err rc;

	store__bind_int(s, st, 1, p->article_id);
	store__bind_int(s, st, 2, p->position);
	store__bind_text(s, st, 3, p->sha256);
	store__bind_text(s, st, 4, p->type);
	store__bind_int(s, st, 5, p->width);
	store__bind_int(s, st, 6, p->height);
	store__bind_int(s, st, 7, p->bytes);
	store__bind_text(s, st, 8, p->caption);
	store__bind_text(s, st, 9, p->credit);
	store__bind_text(s, st, 10, p->alt);
	store__bind_text(s, st, 11, p->licence);
	if (p->has_taken)
		store__bind_int(s, st, 12, p->taken_at);
	else
		store__bind_null(s, st, 12);
	store__bind_int(s, st, 13, p->added_at);
	rc = store__exec(s, st, e, "adding a photo");
	if (rc == PR_OK)
		p->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* Everything store_photo_add checks before it writes. */
static enum pr_err add_prepare(struct store *s, struct photo *p, bool *found,
                               struct pr_error *e)
{
	enum pr_err rc;
	int64_t n;

	if ((rc = check_photo(p, e)) != PR_OK ||
	    (rc = article_exists(s, p->article_id, e)) != PR_OK ||
	    (rc = find_file(s, p, found, e)) != PR_OK || *found)
		return rc;
	if ((rc = count_of(s, p->article_id, &n, e)) != PR_OK)
		return rc;
	if (n >= STORE_PHOTOS_MAX)
		return pr_fail(
		    e, PR_INVALID,
		    "article %lld has %d photos, the most it may have",
		    (long long)p->article_id, STORE_PHOTOS_MAX);
	p->position = (int)n + 1;
	if (p->added_at == 0)
		p->added_at = pr_now();
	return PR_OK;
}

enum pr_err store_photo_add(struct store *s, struct photo *p, bool *added,
                            struct pr_error *e)
{
	bool found = false;
	enum pr_err rc;

	if (added)
		*added = false;
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = add_prepare(s, p, &found, e);
	if (rc == PR_OK && !found && (rc = insert(s, p, e)) == PR_OK) {
		store__touch(s);
		if (added)
			*added = true;
	}
	return store__write_end(s, rc, e);
}

enum pr_err store_photos_of(struct store *s, struct arena *ar,
                            int64_t article_id, struct photo_list *out,
                            struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTOS_OF);
	enum pr_err rc = PR_OK;
	size_t cap = 16;
	bool row;

	memset(out, 0, sizeof(*out));
	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, STORE_PHOTOS_MAX);
	while ((rc = store__row(s, st, &row, e, "reading photos")) == PR_OK &&
	       row) {
		if (out->n == 0 || out->n == cap) {
			struct photo *v;
			cap = out->n ? 2 * cap : cap;
			v = arena_alloc(ar, cap * sizeof(*v));
			if (v && out->n)
				memcpy(v, out->v, out->n * sizeof(*v));
			out->v = v;
		}
		if (!out->v || !read_photo(ar, st, &out->v[out->n++])) {
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != PR_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

enum pr_err store_photo_count(struct store *s, int64_t article_id, int64_t *out,
                              struct pr_error *e)
{
	return count_of(s, article_id, out, e);
}

/* The position of photo id in the article; PR_NOTFOUND when it is none
 * of its photos. */
static enum pr_err position_of(struct store *s, int64_t article_id, int64_t id,
                               int *pos, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_POSITION);
	enum pr_err rc;
	bool row;

	store__bind_int(s, st, 1, id);
	store__bind_int(s, st, 2, article_id);
	rc = store__row(s, st, &row, e, "finding a photo");
	*pos = rc == PR_OK && row ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (rc == PR_OK && !row)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld has no photo %lld",
		             (long long)article_id, (long long)id);
	return rc;
}

enum pr_err store_photo_update(struct store *s, const struct photo *p,
                               struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	int pos;

	if ((rc = check_texts(p, e)) != PR_OK)
		return rc;
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	if ((rc = position_of(s, p->article_id, p->id, &pos, e)) != PR_OK)
		goto out;
	st = store__stmt(s, STMT_PHOTO_UPDATE);
	store__bind_int(s, st, 1, p->id);
	store__bind_int(s, st, 2, p->article_id);
	store__bind_text(s, st, 3, p->caption);
	store__bind_text(s, st, 4, p->credit);
	store__bind_text(s, st, 5, p->alt);
	store__bind_text(s, st, 6, p->licence);
	if (p->has_taken)
		store__bind_int(s, st, 7, p->taken_at);
	else
		store__bind_null(s, st, 7);
	if ((rc = store__exec(s, st, e, "changing a photo")) == PR_OK)
		store__touch(s);
out:
	return store__write_end(s, rc, e);
}

/* Positions from..to of the article move by delta. */
static enum pr_err shift(struct store *s, int64_t article_id, int64_t from,
                         int64_t to, int delta, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_SHIFT);

	store__bind_int(s, st, 1, article_id);
	store__bind_int(s, st, 2, from);
	store__bind_int(s, st, 3, to);
	store__bind_int(s, st, 4, delta);
	return store__exec(s, st, e, "reordering photos");
}

static enum pr_err set_position(struct store *s, int64_t article_id, int64_t id,
                                int64_t pos, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_SET_POSITION);
	enum pr_err rc;

	store__bind_int(s, st, 1, id);
	store__bind_int(s, st, 2, article_id);
	store__bind_int(s, st, 3, pos);
	rc = store__exec(s, st, e, "reordering photos");
	if (rc == PR_OK && sqlite3_changes(s->db) != 1)
		rc = pr_fail(e, PR_NOTFOUND, "article %lld has no photo %lld",
		             (long long)article_id, (long long)id);
	return rc;
}

/* Moves the photo at from to to, the ones between making room. */
static enum pr_err move_to(struct store *s, int64_t article_id, int64_t id,
                           int from, int to, struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	if (to < from)
		rc = shift(s, article_id, to, from - 1, 1, e);
	else if (to > from)
		rc = shift(s, article_id, from + 1, to, -1, e);
	if (rc == PR_OK && to != from)
		rc = set_position(s, article_id, id, to, e);
	return rc;
}

enum pr_err store_photo_move(struct store *s, int64_t article_id,
                             int64_t photo_id, int position, struct pr_error *e)
{
	enum pr_err rc;
	int64_t n = 0;
	int from = 0;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	if ((rc = position_of(s, article_id, photo_id, &from, e)) != PR_OK ||
	    (rc = count_of(s, article_id, &n, e)) != PR_OK)
		goto out;
	if (position < 1 || position > n) {
		rc = pr_fail(e, PR_INVALID,
		             "article %lld: position %d: expected 1 to %lld",
		             (long long)article_id, position, (long long)n);
		goto out;
	}
	if ((rc = move_to(s, article_id, photo_id, from, position, e)) == PR_OK)
		store__touch(s);
out:
	return store__write_end(s, rc, e);
}

/* Whether ids name every photo of the article once. */
static enum pr_err check_order(struct store *s, int64_t article_id,
                               const int64_t *ids, size_t n, struct pr_error *e)
{
	enum pr_err rc;
	int64_t count;
	int pos;

	if ((rc = count_of(s, article_id, &count, e)) != PR_OK)
		return rc;
	if ((int64_t)n != count)
		return pr_fail(e, PR_INVALID,
		               "article %lld has %lld photos, not %zu",
		               (long long)article_id, (long long)count, n);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < i; k++)
			if (ids[k] == ids[i])
				return pr_fail(e, PR_INVALID,
				               "photo %lld is named twice",
				               (long long)ids[i]);
		rc = position_of(s, article_id, ids[i], &pos, NULL);
		if (rc == PR_NOTFOUND)
			return pr_fail(
			    e, PR_INVALID,
			    "photo %lld is not one of article %lld's",
			    (long long)ids[i], (long long)article_id);
		if (rc != PR_OK)
			return position_of(s, article_id, ids[i], &pos, e);
	}
	return PR_OK;
}

enum pr_err store_photo_reorder(struct store *s, int64_t article_id,
                                const int64_t *ids, size_t n,
                                struct pr_error *e)
{
	enum pr_err rc;

	if (n > STORE_PHOTOS_MAX)
		return pr_fail(e, PR_INVALID, "%zu photos, more than %d", n,
		               STORE_PHOTOS_MAX);
	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	rc = check_order(s, article_id, ids, n, e);
	for (size_t i = 0; rc == PR_OK && i < n; i++)
		rc = set_position(s, article_id, ids[i], (int64_t)i + 1, e);
	if (rc == PR_OK)
		store__touch(s);
	return store__write_end(s, rc, e);
}

enum pr_err store_photo_delete(struct store *s, int64_t article_id,
                               int64_t photo_id, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	int pos = 0;

	if ((rc = store__write_begin(s, e)) != PR_OK)
		return rc;
	if ((rc = position_of(s, article_id, photo_id, &pos, e)) != PR_OK)
		goto out;
	st = store__stmt(s, STMT_PHOTO_DELETE);
	store__bind_int(s, st, 1, photo_id);
	store__bind_int(s, st, 2, article_id);
	rc = store__exec(s, st, e, "removing a photo");
	if (rc == PR_OK)
		rc = shift(s, article_id, pos + 1, INT64_MAX, -1, e);
	if (rc == PR_OK)
		store__touch(s);
out:
	return store__write_end(s, rc, e);
}

enum pr_err store_photo_used(struct store *s, const char *sha256, bool *used,
                             struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_USED);
	enum pr_err rc;

	*used = false;
	store__bind_text(s, st, 1, sha256);
	rc = store__row(s, st, used, e, "looking for a file's photos");
	sqlite3_reset(st);
	return rc;
}

/* The lead photo of article id into *out (NULL when it has none). */
static enum pr_err lead_of(struct store *s, struct arena *ar, int64_t id,
                           const struct photo **out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_LEAD);
	struct photo *p = NULL;
	enum pr_err rc;
	bool row;

	store__bind_int(s, st, 1, id);
	rc = store__row(s, st, &row, e, "reading a lead photo");
	if (rc == PR_OK && row &&
	    (!(p = arena_alloc(ar, sizeof(*p))) || !read_photo(ar, st, p)))
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	sqlite3_reset(st);
	*out = rc == PR_OK ? p : NULL;
	return rc;
}

enum pr_err store_lead_photos(struct store *s, struct arena *ar,
                              const struct article_list *l,
                              const struct photo ***out, struct pr_error *e)
{
	const struct photo **v = arena_zalloc(ar, (l->n + 1) * sizeof(*v));
	enum pr_err rc = PR_OK;
	bool opened = false;

	*out = NULL;
	if (!v)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	for (size_t i = 0; i < l->n && rc == PR_OK; i++)
		rc = lead_of(s, ar, l->items[i].id, &v[i], e);
	store__read_end(s, opened);
	if (rc == PR_OK)
		*out = v;
	return rc;
}

enum pr_err store_photo_each(struct store *s,
                             enum pr_err (*fn)(void *ctx,
                                               const struct photo *p),
                             void *ctx, struct pr_error *e)
{
	struct arena *ar = arena_new(1 << 20);
	sqlite3_stmt *st = store__stmt(s, STMT_PHOTO_EACH);
	enum pr_err rc;
	bool opened = false, row;
	struct photo p;

	if (!ar)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		goto out;
	while ((rc = store__row(s, st, &row, e, "reading photos")) == PR_OK &&
	       row) {
		arena_reset(ar);
		if (!read_photo(ar, st, &p)) {
			rc = pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
			break;
		}
		if ((rc = fn(ctx, &p)) != PR_OK)
			break;
	}
out:
	sqlite3_reset(st);
	store__read_end(s, opened);
	arena_free(ar);
	return rc;
}
