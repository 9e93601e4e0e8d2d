/*
 * export/jsonl.c: articles as JSON Lines in the interchange format, to a
 * stream or to DIR/articles.jsonl written whole or not at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "export_int.h"

#define LINE_MAX_BYTES ((size_t)1 << 28)

static const char *const entity_keys[ENTITY_TYPES] = {
    [ENTITY_TAG] = "tags",
    [ENTITY_PERSON] = "persons",
    [ENTITY_PLACE] = "places",
};

/* Sets key to the string s; a NULL s is the empty string. Returns false
 * for invalid UTF-8 (or no memory). */
static bool set_str(json_t *o, const char *key, const char *s)
{
	s = s ? s : "";
	return json_object_set_new(o, key, json_stringn(s, strlen(s))) == 0;
}

static bool set_int(json_t *o, const char *key, int64_t v)
{
	return json_object_set_new(o, key, json_integer((json_int_t)v)) == 0;
}

static bool set_time(json_t *o, const char *key, int64_t t)
{
	char s[PR_TIME_LEN];

	pr_time_format(t, s);
	return set_str(o, key, s);
}

static bool set_names(json_t *o, const char *key, const struct names *nm)
{
	json_t *list;

	if (nm->n == 0)
		return true;
	if (!(list = json_array()))
		return false;
	for (size_t i = 0; i < nm->n; i++) {
		const char *s = nm->name[i] ? nm->name[i] : "";
		if (json_array_append_new(list, json_stringn(s, strlen(s)))) {
			json_decref(list);
			return false;
		}
	}
	return json_object_set_new(o, key, list) == 0;
}

/* The optional fields: left out when empty. */
static bool set_optional(json_t *o, const struct article *a)
{
	bool ok = true;

	if (a->translation_of)
		ok = ok && set_int(o, "translation_of", a->translation_of);
	if (a->author && a->author[0])
		ok = ok && set_str(o, "author", a->author);
	for (int t = 0; t < ENTITY_TYPES; t++)
		ok = ok && set_names(o, entity_keys[t], &a->entities[t]);
	return ok;
}

/* A published item whose time is still ahead is "scheduled", as the
 * editors call it and as import reads it back. */
static const char *status_name(const struct article *a)
{
	if (a->status == ARTICLE_PUBLISHED && a->published_at > pr_now())
		return "scheduled";
	return store_status_name(a->status);
}

/* The object of one article, in the field order of the format. */
static json_t *article_object(const struct article *a)
{
	json_t *o = json_object();
	bool ok = o != NULL;

	ok = ok && set_int(o, "id", a->id);
	ok = ok && set_str(o, "lang", a->lang);
	ok = ok && set_str(o, "kind", a->kind);
	ok = ok && set_str(o, "status", status_name(a));
	ok = ok && set_time(o, "published_at", a->published_at);
	ok = ok && set_time(o, "updated_at", a->updated_at);
	ok = ok && set_str(o, "title", a->title);
	ok = ok && set_str(o, "slug", a->slug);
	if (a->lead && a->lead[0])
		ok = ok && set_str(o, "lead", a->lead);
	ok = ok && set_str(o, "body", a->body);
	ok = ok && set_optional(o, a);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One photo entry: file, caption and credit always (an empty one says
 * "none", where a missing one would make import read the image's own),
 * alt and licence when set, taken_at as a date or null. */
static json_t *photo_object(const struct photo *p, const char *file)
{
	json_t *o = json_object();
	bool ok = o != NULL;

	ok = ok && set_str(o, "file", file);
	ok = ok && set_str(o, "caption", p->caption);
	ok = ok && set_str(o, "credit", p->credit);
	if (p->alt[0])
		ok = ok && set_str(o, "alt", p->alt);
	if (p->licence[0])
		ok = ok && set_str(o, "licence", p->licence);
	if (p->has_taken)
		ok = ok && set_time(o, "taken_at", p->taken_at);
	else
		ok = ok && json_object_set_new(o, "taken_at", json_null()) == 0;
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* "photos", last of the fields, when the article has any. */
static bool set_photos(json_t *o, const struct photo_list *l,
                       const char *const *files)
{
	json_t *list;

	if (!l || l->n == 0)
		return true;
	if (!(list = json_array()))
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (json_array_append_new(list,
		                          photo_object(&l->v[i], files[i]))) {
			json_decref(list);
			return false;
		}
	return json_object_set_new(o, "photos", list) == 0;
}

static int dump_to_buf(const char *p, size_t n, void *data)
{
	struct buf *b = data;

	buf_add(b, p, n);
	return b->err ? -1 : 0;
}

/* export_article with the article's photos, named files. */
static enum pr_err article_line(struct buf *out, const struct article *a,
                                const struct photo_list *photos,
                                const char *const *files, struct pr_error *e)
{
	size_t start = out->n;
	json_t *o = article_object(a);
	enum pr_err rc = PR_OK;

	if (o && !set_photos(o, photos, files)) {
		json_decref(o);
		o = NULL;
	}
	if (!o) {
		rc = pr_fail(e, PR_INVALID,
		             "article %lld: a text field is not valid UTF-8",
		             (long long)a->id);
		goto out;
	}
	if (json_dump_callback(o, dump_to_buf, out, 0) != 0 || out->err) {
		rc = pr_fail(e, out->err ? out->err : PR_NOMEM,
		             "article %lld: %s", (long long)a->id,
		             pr_strerror(out->err ? out->err : PR_NOMEM));
		goto out;
	}
	buf_addc(out, '\n');
out:
	if (rc != PR_OK || out->err)
		out->n = start;
	json_decref(o);
	return rc != PR_OK ? rc : out->err;
}

enum pr_err export_article(struct buf *out, const struct article *a,
                           struct pr_error *e)
{
	return article_line(out, a, NULL, NULL, e);
}

struct sink {
	FILE *f;
	struct buf line;
	int64_t count;
	struct pr_error err;
	struct store *s;
	struct arena *ar;     /* the photos of one article */
	const char *data_dir; /* the originals are copied from here ... */
	const char *dir;      /* ... to here; NULL: not copied */
};

/* The article's line with its photos (their files copied with dir). */
static enum pr_err line_of(struct sink *k, const struct article *a)
{
	const char **files = NULL;
	struct photo_list l;
	enum pr_err rc;

	arena_reset(k->ar);
	rc = store_photos_of(k->s, k->ar, a->id, &l, &k->err);
	if (rc == PR_OK)
		rc = export__photo_files(k->ar, k->data_dir, k->dir, a->id, &l,
		                         &files, &k->err);
	if (rc == PR_OK)
		rc = article_line(&k->line, a, &l, files, &k->err);
	return rc;
}

static enum pr_err write_one(void *ctx, const struct article *a)
{
	struct sink *k = ctx;
	enum pr_err rc;

	buf_reset(&k->line);
	if ((rc = line_of(k, a)) != PR_OK)
		return rc;
	if (fwrite(k->line.p, 1, k->line.n, k->f) != k->line.n)
		return pr_fail(&k->err, PR_IO, "cannot write: %s",
		               strerror(errno));
	k->count++;
	return PR_OK;
}

/* Writes every article to f; *count gets how many. */
static enum pr_err write_all(struct store *s, FILE *f, struct sink k,
                             int64_t *count, struct pr_error *e)
{
	struct pr_error se = {0};
	enum pr_err rc;

	k.f = f;
	k.s = s;
	if (!(k.ar = arena_new(SIZE_MAX / 4)))
		return pr_fail(e, PR_NOMEM, "out of memory");
	buf_init(&k.line, LINE_MAX_BYTES);
	rc = store_article_each(s, write_one, &k, &se);
	if (rc != PR_OK)
		pr_fail(e, rc, "%s", k.err.code ? k.err.msg : se.msg);
	else if (fflush(f) != 0 || ferror(f))
		rc = pr_fail(e, PR_IO, "cannot write: %s", strerror(errno));
	buf_free(&k.line);
	arena_free(k.ar);
	if (count)
		*count = k.count;
	return rc;
}

enum pr_err export_jsonl(struct store *s, FILE *f, struct pr_error *e)
{
	return write_all(s, f, (struct sink){0}, NULL, e);
}

/* Creates dir and its missing parents. */
static enum pr_err make_dirs(const char *dir, struct pr_error *e)
{
	char p[4096];
	size_t n = strlen(dir);
	struct stat st;

	if (n >= sizeof p)
		return pr_fail(e, PR_TOOBIG, "%s: the path is too long", dir);
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return pr_fail(e, PR_IO, "%s: cannot create: %s", p,
			               strerror(errno));
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pr_fail(e, PR_IO, "%s: not a folder", dir);
	return PR_OK;
}

/* Writes the export to the open temporary file fd and makes it durable. */
static enum pr_err write_tmp(struct store *s, struct sink k, int fd,
                             const char *tmp, int64_t *count,
                             struct pr_error *e)
{
	FILE *f = fdopen(fd, "wb");
	enum pr_err rc;

	if (!f) {
		close(fd);
		return pr_fail(e, PR_IO, "%s: %s", tmp, strerror(errno));
	}
	rc = write_all(s, f, k, count, e);
	if (rc == PR_OK && fsync(fileno(f)) != 0)
		rc = pr_fail(e, PR_IO, "%s: %s", tmp, strerror(errno));
	if (fclose(f) != 0 && rc == PR_OK)
		rc = pr_fail(e, PR_IO, "%s: %s", tmp, strerror(errno));
	return rc;
}

enum pr_err export_dir(struct store *s, const char *dir, int64_t *count,
                       struct pr_error *e)
{
	return export_dir_photos(s, NULL, dir, count, e);
}

enum pr_err export_dir_photos(struct store *s, const char *data_dir,
                              const char *dir, int64_t *count,
                              struct pr_error *e)
{
	struct sink k = {.data_dir = data_dir, .dir = data_dir ? dir : NULL};
	struct buf tmp, dest;
	enum pr_err rc;
	int fd = -1;

	buf_init(&tmp, 8192);
	buf_init(&dest, 8192);
	buf_addf(&tmp, "%s/.articles.jsonl.XXXXXX", dir);
	buf_addf(&dest, "%s/articles.jsonl", dir);
	if (tmp.err || dest.err) {
		rc = pr_fail(e, PR_TOOBIG, "%s: path too long", dir);
		goto out;
	}
	if ((rc = make_dirs(dir, e)) != PR_OK)
		goto out;
	buf_cstr(&tmp);
	if ((fd = mkstemp(tmp.p)) < 0) {
		rc = pr_fail(e, PR_IO, "%s: cannot create a file: %s", dir,
		             strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0644) != 0) {
		rc = pr_fail(e, PR_IO, "%s: %s", tmp.p, strerror(errno));
		close(fd);
		unlink(tmp.p);
		goto out;
	}
	rc = write_tmp(s, k, fd, buf_cstr(&tmp), count, e);
	if (rc == PR_OK && rename(buf_cstr(&tmp), buf_cstr(&dest)) != 0)
		rc = pr_fail(e, PR_IO, "%s: %s", buf_cstr(&dest),
		             strerror(errno));
	if (rc != PR_OK)
		unlink(buf_cstr(&tmp));
out:
	buf_free(&tmp);
	buf_free(&dest);
	return rc;
}
