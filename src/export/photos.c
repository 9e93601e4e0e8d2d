/*
 * export/photos.c: the photos of an export. An export to a folder carries
 * the originals beside its JSON Lines, under names import reads back
 * ("photos/<article id>/<position>.<ext>"), so the folder is a complete
 * copy of the site; an export to a stream cannot carry files and names
 * each original where it lies under the data folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../media/media.h"
#include "export_int.h"

#define COPY_CHUNK (256 * 1024)

/* "media/orig/ab/cd/<sha>.<ext>": where the original lies under DATA. */
static const char *media_path(struct arena *ar, const struct photo *p)
{
	enum media_type types[] = {MEDIA_JPEG, MEDIA_PNG, MEDIA_WEBP,
	                           MEDIA_GIF};
	enum media_type t = MEDIA_UNKNOWN;
	const char *out;
	struct buf b;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(p->type, media_type_ext(types[i])) == 0)
			t = types[i];
	buf_init(&b, 512);
	buf_adds(&b, "media/");
	media_original_name(&b, p->sha256, t);
	out = b.err ? NULL : arena_strndup(ar, b.p, b.n);
	buf_free(&b);
	return out;
}

/* Copies everything of fd_in to fd_out. */
static enum pr_err copy_fd(int in, int out, const char *from, const char *to,
                           struct pr_error *e)
{
	char *chunk = malloc(COPY_CHUNK);
	enum pr_err rc = PR_OK;
	ssize_t k, w;

	if (!chunk)
		return pr_fail(e, PR_NOMEM, "out of memory");
	while (rc == PR_OK && (k = read(in, chunk, COPY_CHUNK)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = pr_fail(e, PR_IO, "%s: cannot read: %s", from,
			             strerror(errno));
			break;
		}
		for (ssize_t off = 0; rc == PR_OK && off < k; off += w)
			if ((w = write(out, chunk + off, (size_t)(k - off))) <
			    0)
				rc = pr_fail(e, PR_IO, "%s: cannot write: %s",
				             to, strerror(errno));
	}
	free(chunk);
	return rc;
}

/* Copies from to the new file to, through to.tmp. */
static enum pr_err copy_file(const char *from, const char *to,
                             struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	struct buf tmp;
	int in, out = -1;

	buf_init(&tmp, 8192);
	buf_addf(&tmp, "%s.tmp", to);
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		rc = pr_fail(e, PR_IO, "%s: cannot open: %s", from,
		             strerror(errno));
	else if ((out = open(buf_cstr(&tmp),
	                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) <
	         0)
		rc = pr_fail(e, PR_IO, "%s: cannot create: %s", buf_cstr(&tmp),
		             strerror(errno));
	if (rc == PR_OK)
		rc = copy_fd(in, out, from, buf_cstr(&tmp), e);
	if (rc == PR_OK && fsync(out) != 0)
		rc = pr_fail(e, PR_IO, "%s: %s", to, strerror(errno));
	if (out >= 0 && close(out) != 0 && rc == PR_OK)
		rc = pr_fail(e, PR_IO, "%s: %s", to, strerror(errno));
	if (in >= 0)
		close(in);
	if (rc == PR_OK && rename(buf_cstr(&tmp), to) != 0)
		rc = pr_fail(e, PR_IO, "%s: %s", to, strerror(errno));
	if (rc != PR_OK && out >= 0)
		unlink(buf_cstr(&tmp));
	buf_free(&tmp);
	return rc;
}

static enum pr_err make_dir(struct buf *p, struct pr_error *e)
{
	if (p->err)
		return pr_fail(e, PR_TOOBIG, "the path is too long");
	if (mkdir(buf_cstr(p), 0755) != 0 && errno != EEXIST)
		return pr_fail(e, PR_IO, "%s: cannot create: %s", buf_cstr(p),
		               strerror(errno));
	return PR_OK;
}

/* DIR/photos/<id>/, made when missing. */
static enum pr_err photo_dir(const char *dir, int64_t id, struct pr_error *e)
{
	enum pr_err rc;
	struct buf p;

	buf_init(&p, 8192);
	buf_addf(&p, "%s/photos", dir);
	if ((rc = make_dir(&p, e)) == PR_OK) {
		buf_addf(&p, "/%lld", (long long)id);
		rc = make_dir(&p, e);
	}
	buf_free(&p);
	return rc;
}

/* Copies DATA/<media> to DIR/<name>. */
static enum pr_err copy_original(const char *data_dir, const char *dir,
                                 const char *media, const char *name,
                                 struct pr_error *e)
{
	struct buf from, to;
	enum pr_err rc;

	buf_init(&from, 8192);
	buf_init(&to, 8192);
	buf_addf(&from, "%s/%s", data_dir, media);
	buf_addf(&to, "%s/%s", dir, name);
	if (from.err || to.err)
		rc = pr_fail(e, PR_TOOBIG, "%s: the path is too long", dir);
	else
		rc = copy_file(buf_cstr(&from), buf_cstr(&to), e);
	buf_free(&from);
	buf_free(&to);
	return rc;
}

enum pr_err export__photo_files(struct arena *ar, const char *data_dir,
                                const char *dir, int64_t id,
                                const struct photo_list *l, const char ***names,
                                struct pr_error *e)
{
	const char **v = arena_zalloc(ar, (l->n + 1) * sizeof *v);
	enum pr_err rc = PR_OK;

	*names = v;
	if (!v)
		return pr_fail(e, PR_NOMEM, "out of memory");
	if (dir && l->n > 0 && (rc = photo_dir(dir, id, e)) != PR_OK)
		return rc;
	for (size_t i = 0; i < l->n && rc == PR_OK; i++) {
		const struct photo *p = &l->v[i];
		const char *media = media_path(ar, p);
		v[i] = dir ? arena_printf(ar, "photos/%lld/%d.%s",
		                          (long long)id, p->position, p->type)
		           : media;
		if (!media || !v[i])
			rc = pr_fail(e, PR_NOMEM, "out of memory");
		else if (dir)
			rc = copy_original(data_dir, dir, media, v[i], e);
	}
	return rc;
}
