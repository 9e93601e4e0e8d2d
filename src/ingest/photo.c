/*
 * ingest/photo.c: a photo from an image file into an article: the file
 * read within the upload limit, checked and stored by src/media (the
 * original under its hash, the renditions), then described in the store.
 * The files are written before the transaction commits; the originals a
 * transaction created are remembered, so that a rollback removes them
 * again and a refused import leaves the data folder as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_int.h"

void ingest_media_init(struct ingest_media *m, const char *data_dir)
{
	memset(m, 0, sizeof *m);
	m->data_dir = data_dir;
}

void ingest_media_free(struct ingest_media *m)
{
	free(m->created);
	m->created = NULL;
	m->n = m->cap = 0;
}

void ingest_media_undo(struct ingest_media *m, struct store *s)
{
	struct pr_error e = {0};
	bool used;

	for (size_t i = 0; i < m->n; i++) {
		if (store_photo_used(s, m->created[i], &used, &e) != PR_OK) {
			log_warn("%s", e.msg);
			continue;
		}
		if (!used &&
		    media_remove(m->data_dir, m->created[i], &e) != PR_OK)
			log_warn("%s", e.msg);
	}
	m->n = 0;
	m->added = 0;
}

/* Remembers that this transaction created the original sha. */
static enum pr_err note_created(struct ingest_media *m, const char *sha,
                                struct pr_error *e)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		void *v = realloc(m->created, cap * sizeof *m->created);
		if (!v)
			return pr_fail(e, PR_NOMEM, "out of memory");
		m->created = v;
		m->cap = cap;
	}
	memcpy(m->created[m->n++], sha, MEDIA_SHA_HEX);
	return PR_OK;
}

/* Reads all of fd (size bytes by fstat) into *out. */
static enum pr_err read_all(int fd, const char *path, size_t size, char **out,
                            struct pr_error *e)
{
	char *p = malloc(size ? size : 1);
	size_t got = 0;
	ssize_t k;

	if (!p)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", path);
	while (got < size && (k = read(fd, p + got, size - got)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(p);
			return pr_fail(e, PR_IO, "%s: cannot read: %s", path,
			               strerror(errno));
		}
		got += (size_t)k;
	}
	if (got != size) {
		free(p);
		return pr_fail(e, PR_IO, "%s: the file changed while read",
		               path);
	}
	*out = p;
	return PR_OK;
}

/* The bytes of the image at path (malloc'd into *out), refused unread
 * when larger than the limit. */
static enum pr_err read_image(const char *path, char **out, size_t *n,
                              struct pr_error *e)
{
	struct media_limits lim;
	enum pr_err rc;
	struct stat st;
	int fd;

	*out = NULL;
	media_limits_get(&lim);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return pr_fail(e, PR_IO, "%s: cannot open: %s", path,
		               strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = pr_fail(e, PR_INVALID, "%s: not a file", path);
	else if ((uint64_t)st.st_size > lim.max_bytes)
		rc = pr_fail(e, PR_TOOBIG,
		             "%s: file is %lld bytes, over the limit of %zu "
		             "bytes (upload_max_mb)",
		             path, (long long)st.st_size, lim.max_bytes);
	else
		rc = read_all(fd, path, (size_t)st.st_size, out, e);
	*n = rc == PR_OK ? (size_t)st.st_size : 0;
	close(fd);
	return rc;
}

static const char *given(const char *v, const char *from_image)
{
	return v ? v : from_image;
}

/* The row of the store for the stored image and what ph gives. */
static void describe(struct photo *p, const struct media_photo *mp,
                     const struct ingest_photo *ph, int64_t article_id,
                     size_t bytes)
{
	memset(p, 0, sizeof *p);
	p->article_id = article_id;
	p->sha256 = mp->sha;
	p->type = media_type_ext(mp->info.type);
	p->width = mp->info.width;
	p->height = mp->info.height;
	p->bytes = (int64_t)bytes;
	p->caption = given(ph->caption, mp->meta.caption);
	p->credit = given(ph->credit, mp->meta.credit);
	p->alt = given(ph->alt, "");
	p->licence = given(ph->licence, "");
	p->has_taken = ph->taken_given ? ph->has_taken : mp->meta.has_date;
	p->taken_at = ph->taken_given ? ph->taken_at : mp->meta.date;
}

/* Stores the photo of bytes in the article; mp filled by media_add. */
static enum pr_err add_bytes(struct store *s, struct ingest_media *m,
                             int64_t article_id, const struct ingest_photo *ph,
                             struct str bytes, struct media_photo *mp,
                             bool *added, struct pr_error *e)
{
	struct pr_error se = {0}, ignored = {0};
	struct photo p;
	enum pr_err rc;

	rc = media_add(m->data_dir, bytes, 0, mp, &se);
	if (rc != PR_OK)
		return pr_fail(e, rc, "%s: %s", ph->file, se.msg);
	describe(&p, mp, ph, article_id, bytes.n);
	rc = store_photo_add(s, &p, added, &se);
	if (rc == PR_OK && mp->created)
		rc = note_created(m, mp->sha, &se);
	if (rc != PR_OK) {
		if (mp->created)
			media_remove(m->data_dir, mp->sha, &ignored);
		return pr_fail(e, rc, "%s: %s", ph->file, se.msg);
	}
	if (*added)
		m->added++;
	return PR_OK;
}

enum pr_err ingest_photo_add(struct store *s, struct ingest_media *m,
                             int64_t article_id, const struct ingest_photo *ph,
                             bool *added, struct pr_error *e)
{
	struct media_photo *mp = NULL;
	char *bytes = NULL;
	bool local_added;
	enum pr_err rc;
	size_t n = 0;

	if (!added)
		added = &local_added;
	*added = false;
	if ((rc = read_image(ph->file, &bytes, &n, e)) != PR_OK)
		goto out;
	if (!(mp = calloc(1, sizeof *mp))) {
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", ph->file);
		goto out;
	}
	rc = add_bytes(s, m, article_id, ph, (struct str){bytes, n}, mp, added,
	               e);
out:
	free(mp);
	free(bytes);
	return rc;
}
