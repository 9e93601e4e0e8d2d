/*
 * cli/check_media.c: the photo part of `pressroom check`: every photo the
 * database describes has its original and all its renditions under
 * DIR/media/ (a restore that forgot media/, a disk that lost files).
 */
#include <sys/stat.h>

#include "../media/media.h"
#include "cli.h"

struct media_count {
	const char *data;
	int64_t photos, files, missing;
	char first[512]; /* the first missing file */
};

static void expect(struct media_count *m, struct buf *name)
{
	struct buf path;
	struct stat st;

	buf_init(&path, 8192);
	buf_addf(&path, "%s/media/%s", m->data, buf_cstr(name));
	m->files++;
	if (stat(buf_cstr(&path), &st) != 0 || !S_ISREG(st.st_mode)) {
		if (m->missing++ == 0)
			snprintf(m->first, sizeof m->first, "%s",
			         buf_cstr(&path));
	}
	buf_free(&path);
	buf_reset(name);
}

static enum media_type type_of(const char *ext)
{
	static const enum media_type types[] = {MEDIA_JPEG, MEDIA_PNG,
	                                        MEDIA_WEBP, MEDIA_GIF};

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (str_eq_c(str_c(ext), media_type_ext(types[i])))
			return types[i];
	return MEDIA_UNKNOWN;
}

static enum pr_err count_photo(void *ctx, const struct photo *p)
{
	struct media_count *m = ctx;
	int w[MEDIA_MAX_WIDTHS], n = media_widths(p->width, w);
	struct buf name;

	buf_init(&name, 1024);
	m->photos++;
	media_original_name(&name, p->sha256, type_of(p->type));
	expect(m, &name);
	for (int i = 0; i < n; i++) {
		media_rendition_name(&name, p->sha256, w[i], MEDIA_FMT_WEBP);
		expect(m, &name);
		media_rendition_name(&name, p->sha256, w[i], MEDIA_FMT_JPEG);
		expect(m, &name);
	}
	buf_free(&name);
	return PR_OK;
}

bool cli_check_media(const struct cli *c)
{
	struct media_count m = {.data = c->data};
	struct pr_error e = {0};
	struct store *s = NULL;
	bool ok = cli_store(c, STORE_READONLY, &s, &e) == PR_OK &&
	          store_photo_each(s, count_photo, &m, &e) == PR_OK;

	store_close(s);
	if (!ok)
		cli_fail(&e);
	else if (m.missing > 0)
		cli_failf("%s/media: %lld of the %lld files of %lld photos are "
		          "missing (the first: %s)",
		          c->data, (long long)m.missing, (long long)m.files,
		          (long long)m.photos, m.first);
	else
		printf("ok   %s/media: every file of %lld photo%s\n", c->data,
		       (long long)m.photos, m.photos == 1 ? "" : "s");
	return ok && m.missing == 0;
}
