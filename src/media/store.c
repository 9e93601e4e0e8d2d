/*
 * media/store.c: the content-addressed files under DATA/media/: their
 * names, the check of names asked for over HTTP, and writing a file so that
 * it appears whole or not at all (temp file, fsync, rename, fsync of the
 * folder).
 */
#include "media_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096

bool media_sha_valid(struct str s)
{
	size_t i;

	if (s.n != 64)
		return false;
	for (i = 0; i < s.n; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') ||
		      (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

const char *media_format_ext(enum media_format f)
{
	return f == MEDIA_FMT_WEBP ? "webp" : "jpg";
}

const char *media_format_mime(enum media_format f)
{
	return f == MEDIA_FMT_WEBP ? "image/webp" : "image/jpeg";
}

/* "ab/cd/" of a hash. */
static void shard(struct buf *out, const char *sha)
{
	buf_addf(out, "%.2s/%.2s/", sha, sha + 2);
}

void media_original_name(struct buf *out, const char *sha_hex,
                         enum media_type type)
{
	buf_adds(out, "orig/");
	shard(out, sha_hex);
	buf_addf(out, "%.64s.%s", sha_hex, media_type_ext(type));
}

void media_rendition_name(struct buf *out, const char *sha_hex, int width,
                          enum media_format f)
{
	buf_adds(out, "r/");
	shard(out, sha_hex);
	buf_addf(out, "%.64s-%d.%s", sha_hex, width, media_format_ext(f));
}

void media__path(struct buf *out, const char *data_dir, const char *name)
{
	buf_adds(out, data_dir);
	buf_adds(out, "/media/");
	buf_adds(out, name);
}

/* s starts with "ab/cd/<sha>" whose shards match; moves past the hash. */
static bool sharded_sha(struct str *s)
{
	struct str sha;

	if (s->n < 70 || s->p[2] != '/' || s->p[5] != '/')
		return false;
	sha = (struct str){s->p + 6, 64};
	if (!media_sha_valid(sha) || memcmp(sha.p, s->p, 2) != 0 ||
	    memcmp(sha.p + 2, s->p + 3, 2) != 0)
		return false;
	s->p += 70;
	s->n -= 70;
	return true;
}

static const char *original_mime(struct str ext)
{
	static const enum media_type types[] = {MEDIA_JPEG, MEDIA_PNG,
	                                        MEDIA_WEBP, MEDIA_GIF};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (str_eq_c(ext, media_type_ext(types[i])))
			return media_type_mime(types[i]);
	return NULL;
}

/* "-<width>.<webp|jpg>", width 1..99999 without leading zero. */
static const char *rendition_mime(struct str s)
{
	struct str width;
	int64_t w;

	if (s.n < 2 || s.p[0] != '-' || s.p[1] == '0')
		return NULL;
	s.p++;
	s.n--;
	width = str_cut(&s, '.');
	if (!str_to_i64(width, 1, 99999, &w))
		return NULL;
	if (str_eq_c(s, "webp"))
		return "image/webp";
	if (str_eq_c(s, "jpg"))
		return "image/jpeg";
	return NULL;
}

bool media_name_valid(struct str name, const char **mime)
{
	const char *m = NULL;

	if (str_prefix(name, STR_LIT("orig/"))) {
		name.p += 5;
		name.n -= 5;
		if (sharded_sha(&name) && name.n > 1 && name.p[0] == '.')
			m = original_mime((struct str){name.p + 1, name.n - 1});
	} else if (str_prefix(name, STR_LIT("r/"))) {
		name.p += 2;
		name.n -= 2;
		if (sharded_sha(&name))
			m = rendition_mime(name);
	}
	if (mime != NULL)
		*mime = m;
	return m != NULL;
}

/* mkdir -p of the folder part of path (which is NUL-ended and writable). */
static int make_dirs(char *path)
{
	char *p;
	int rc = 0;

	for (p = strchr(path + 1, '/'); p != NULL && rc == 0;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* fsync of the folder holding path, so that the rename itself lasts. */
static int sync_dir(char *path)
{
	char *slash = strrchr(path, '/');
	int fd, rc;

	if (slash == NULL)
		return 0;
	*slash = '\0';
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*slash = '/';
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int fill_temp(int fd, const void *p, size_t n)
{
	if (write_all(fd, p, n) != 0 || fsync(fd) != 0)
		return -1;
	return 0;
}

/* The temp file, written and synced, renamed to path. */
static enum pr_err put(struct buf *path, struct buf *tmp, const void *p,
                       size_t n, struct pr_error *e)
{
	char *t = (char *)buf_cstr(tmp), *f = (char *)buf_cstr(path);
	int fd = -1;
	enum pr_err rc = PR_OK;

	if (make_dirs(t) != 0 || (fd = mkostemp(t, O_CLOEXEC)) < 0) {
		rc = pr_fail(e, PR_IO, "%s: %s", t, strerror(errno));
		goto out;
	}
	if (fill_temp(fd, p, n) != 0 || make_dirs(f) != 0 ||
	    rename(t, f) != 0 || sync_dir(f) != 0)
		rc = pr_fail(e, PR_IO, "%s: %s", f, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && rc != PR_OK)
		unlink(t);
	return rc;
}

enum pr_err media__write(const char *data_dir, const char *name, const void *p,
                         size_t n, bool keep, bool *created, struct pr_error *e)
{
	struct buf path, tmp;
	struct stat st;
	enum pr_err rc = PR_OK;

	buf_init(&path, PATH_CAP);
	buf_init(&tmp, PATH_CAP);
	media__path(&path, data_dir, name);
	media__path(&tmp, data_dir, "tmp/up-XXXXXX");
	if (created != NULL)
		*created = false;
	if (path.err != PR_OK || tmp.err != PR_OK) {
		rc = pr_fail(e, PR_IO, "%s: path too long", data_dir);
		goto out;
	}
	if (keep && stat(buf_cstr(&path), &st) == 0 && S_ISREG(st.st_mode))
		goto out;
	if ((rc = put(&path, &tmp, p, n, e)) == PR_OK && created != NULL)
		*created = true;
out:
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

enum pr_err media_store_original(const char *data_dir, struct str bytes,
                                 char sha_hex[MEDIA_SHA_HEX], bool *created,
                                 struct pr_error *e)
{
	enum media_type type = media_sniff(bytes);
	uint8_t h[32];
	struct buf name;
	enum pr_err rc;

	if (created != NULL)
		*created = false;
	if (type == MEDIA_UNKNOWN)
		return pr_fail(e, PR_INVALID, "not an accepted image format");
	hash_sha256(bytes.p, bytes.n, h);
	hash_hex(h, sizeof(h), sha_hex);
	buf_init(&name, 256);
	media_original_name(&name, sha_hex, type);
	rc = media__write(data_dir, buf_cstr(&name), bytes.p, bytes.n, true,
	                  created, e);
	buf_free(&name);
	return rc;
}

static enum pr_err unlink_name(const char *data_dir, struct buf *name,
                               struct pr_error *e)
{
	struct buf path;
	enum pr_err rc = PR_OK;

	buf_init(&path, PATH_CAP);
	media__path(&path, data_dir, buf_cstr(name));
	if (unlink(buf_cstr(&path)) != 0 && errno != ENOENT)
		rc = pr_fail(e, PR_IO, "%s: %s", buf_cstr(&path),
		             strerror(errno));
	buf_free(&path);
	buf_reset(name);
	return rc;
}

/* Unlinks every DATA/media/r/ab/cd/<sha>-*.{webp,jpg}. */
static enum pr_err remove_renditions(const char *data_dir, const char *sha,
                                     struct pr_error *e)
{
	struct buf dir, name;
	struct dirent *d;
	DIR *dp;
	enum pr_err rc = PR_OK, r;

	buf_init(&dir, PATH_CAP);
	buf_init(&name, 256);
	media__path(&dir, data_dir, "r/");
	shard(&dir, sha);
	if ((dp = opendir(buf_cstr(&dir))) == NULL)
		goto out;
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, sha, 64) != 0 ||
		    rendition_mime(str_c(d->d_name + 64)) == NULL)
			continue;
		buf_adds(&name, "r/");
		shard(&name, sha);
		buf_adds(&name, d->d_name);
		if ((r = unlink_name(data_dir, &name, e)) != PR_OK)
			rc = r;
	}
	closedir(dp);
out:
	buf_free(&dir);
	buf_free(&name);
	return rc;
}

enum pr_err media_remove(const char *data_dir, const char *sha_hex,
                         struct pr_error *e)
{
	struct buf name;
	enum pr_err rc = PR_OK, r;
	int t;

	if (!media_sha_valid(str_c(sha_hex)))
		return pr_fail(e, PR_INVALID, "not a SHA-256: %.80s", sha_hex);
	buf_init(&name, 256);
	for (t = MEDIA_JPEG; t <= MEDIA_GIF; t++) {
		media_original_name(&name, sha_hex, (enum media_type)t);
		if ((r = unlink_name(data_dir, &name, e)) != PR_OK)
			rc = r;
	}
	if ((r = remove_renditions(data_dir, sha_hex, e)) != PR_OK)
		rc = r;
	buf_free(&name);
	return rc;
}
