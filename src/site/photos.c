/*
 * site/photos.c: photos on the reader's side: the lead photo and the
 * gallery link of an article, a thumbnail in lists, the gallery of an
 * article, one page per photo with its credit, licence and the original to
 * download, the files under /media/, and the photos feeds, sitemaps and
 * page metadata show. Every size of a photo is named from its hash and
 * width (media_srcset), so pages never touch the file system; only /media/
 * opens files, and only names that media_name_valid accepts.
 */
#include "site.h"

#include "../media/media.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEDIA_PREFIX "/media/"

/* What the layout gives each kind of picture (style.css): the column of
 * text (45.5rem wide at most), a cell of the gallery's grid, a list's
 * thumbnail. */
static const struct slot {
	const char *sizes;
	int src_width; /* the JPEG of img src, for browsers without srcset */
} wide = {"(min-width: 48rem) 45.5rem, calc(100vw - 2.5rem)", 1280},
  cell = {"(min-width: 48rem) 11rem, calc(50vw - 1.75rem)", 640},
  thumb = {"7rem", 320};

/* The first photos of a gallery load at once, the rest when scrolled
 * near. */
#define EAGER_CELLS 4
#define EAGER_ITEMS 3

/* The srcset of p's renditions in format f. */
static const char *srcset(struct site_req *r, const struct photo *p,
                          enum media_format f)
{
	const char *out;
	struct buf b;

	buf_init(&b, 4096);
	media_srcset(&b, MEDIA_PREFIX, p->sha256, p->width, f);
	out = b.err ? "" : arena_strndup(r->a, buf_cstr(&b), b.n);
	buf_free(&b);
	return out ? out : "";
}

/* "/media/r/ab/cd/<sha>-<w>.<ext>" of the rendition at most want wide. */
static const char *rendition_path(struct arena *a, const struct photo *p,
                                  int want, enum media_format f)
{
	int w = media_width_at_most(p->width, want);
	const char *out;
	struct buf b;

	buf_init(&b, 512);
	buf_adds(&b, MEDIA_PREFIX);
	media_rendition_name(&b, p->sha256, w, f);
	out = b.err ? "" : arena_strndup(a, buf_cstr(&b), b.n);
	buf_free(&b);
	return out ? out : "";
}

/* The model of the picture partial: both formats' srcsets, the fallback,
 * the slot's sizes, the intrinsic size and alt. */
static struct tval *picture(struct site_req *r, const struct photo *p,
                            const struct slot *s, const char *alt, bool lazy)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "webp", srcset(r, p, MEDIA_FMT_WEBP));
	tv_set_cstr(v, "jpeg", srcset(r, p, MEDIA_FMT_JPEG));
	tv_set_cstr(v, "src",
	            rendition_path(r->a, p, s->src_width, MEDIA_FMT_JPEG));
	tv_set_cstr(v, "sizes", s->sizes);
	tv_set_int(v, "width", p->width);
	tv_set_int(v, "height", p->height);
	tv_set_cstr(v, "alt", alt);
	tv_set_bool(v, "lazy", lazy);
	tv_set_cstr(v, "caption", p->caption);
	tv_set_cstr(v, "credit", p->credit);
	tv_set_cstr(v, "licence", p->licence);
	return v;
}

/* "Photo 3 of 9" */
static const char *photo_n_of(struct site_req *r, int n, size_t total)
{
	char a[16], b[24];

	snprintf(a, sizeof(a), "%d", n);
	snprintf(b, sizeof(b), "%zu", total);
	return site__text(r->a, r->lang, "photo_n_of", a, b);
}

/* Alt text of a picture that is a link's only content: the photo's own,
 * else its caption, else its number. */
static const char *link_alt(struct site_req *r, const struct photo *p,
                            size_t total)
{
	if (p->alt[0])
		return p->alt;
	if (p->caption[0])
		return p->caption;
	return photo_n_of(r, p->position, total);
}

static const char *gallery_path(struct site_req *r, const struct article *a)
{
	return arena_printf(
	    r->a, "%s/photos",
	    site__article_path(r->a, a->id, a->lang, a->slug, false));
}

static const char *photo_path(struct site_req *r, const struct article *a,
                              int n)
{
	return arena_printf(r->a, "%s/%d", gallery_path(r, a), n);
}

/* Raises the page's Last-Modified to the newest photo's. */
static void photos_modified(struct site_req *r, const struct photo_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].added_at > r->res->last_modified)
			r->res->last_modified = l->v[i].added_at;
}

enum pr_err site__article_photos(struct site_req *r, const struct article *a)
{
	struct photo_list l;
	struct tval *g;
	enum pr_err rc;
	struct buf b;

	if (a->status == ARTICLE_WITHDRAWN)
		return PR_OK;
	rc = store_photos_of(r->st, r->a, a->id, &l, &r->err);
	if (rc != PR_OK || l.n == 0)
		return rc;
	photos_modified(r, &l);
	tv_set(r->model, "lead_photo",
	       picture(r, &l.v[0], &wide, l.v[0].alt, false));
	if (a->status != ARTICLE_PUBLISHED) /* a preview: no gallery yet */
		return PR_OK;
	g = tv_obj(r->a);
	tv_set_cstr(g, "url", gallery_path(r, a));
	buf_init(&b, 256);
	i18n_count(&b, r->lang, "photo_count", (int64_t)l.n);
	tv_set_str(g, "text", buf_str(&b));
	buf_free(&b);
	tv_set(r->model, "gallery", g);
	return PR_OK;
}

void site__item_photos(struct site_req *r, const struct article_list *l,
                       struct tval **items)
{
	const struct photo **lead = NULL;
	struct pr_error e = {0};

	if (store_lead_photos(r->st, r->a, l, &lead, &e) != PR_OK) {
		log_warn("%s", e.msg);
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		if (lead[i] && items[i])
			tv_set(
			    items[i], "photo",
			    picture(r, lead[i], &thumb, "", i >= EAGER_ITEMS));
}

/* The visible article of the route's id and its photos; 404 otherwise. */
static enum pr_err load(struct site_req *r, struct article *a,
                        struct photo_list *l)
{
	enum pr_err rc;
	char id[24];

	rc = store_article_get(r->st, r->a, r->route->id, a, &r->err);
	if (rc == PR_OK &&
	    (a->status != ARTICLE_PUBLISHED || a->published_at > r->now ||
	     !config_has_language(r->cfg, str_c(a->lang))))
		rc = PR_NOTFOUND;
	if (rc == PR_OK)
		rc = store_photos_of(r->st, r->a, a->id, l, &r->err);
	if (rc == PR_OK && l->n == 0)
		rc = PR_NOTFOUND;
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		snprintf(id, sizeof(id), "%lld", (long long)r->route->id);
		rc = site__fail(&r->err, rc, r->lang, "error_no_photos", id,
		                NULL);
	}
	return rc;
}

/* The article's part of a photo page's model. */
static void article_model(struct site_req *r, const struct article *a)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "title", a->title);
	tv_set_cstr(v, "url",
	            site__article_path(r->a, a->id, a->lang, a->slug, false));
	tv_set(v, "date", site__date(r, a->published_at));
	tv_set(r->model, "article", v);
	tv_set_cstr(r->model, "gallery_url", gallery_path(r, a));
	tv_set_cstr(r->model, "gallery_js",
	            site__asset_url(r->site, "gallery.js"));
}

/* Answers with a 301 to canonical when the request is for another
 * address of the page; true when it did. */
static bool redirected(struct site_req *r, const char *canonical)
{
	if (canonical != NULL && str_eq_c(r->http->path, canonical))
		return false;
	site__redirect(r, 301, canonical ? canonical : "/");
	return true;
}

static struct tval *gallery_cells(struct site_req *r, const struct article *a,
                                  const struct photo_list *l)
{
	struct tval *list = tv_list(r->a);

	for (size_t i = 0; i < l->n; i++) {
		const struct photo *p = &l->v[i];
		struct tval *v = picture(r, p, &cell, link_alt(r, p, l->n),
		                         i >= EAGER_CELLS);
		tv_set_cstr(v, "url", photo_path(r, a, p->position));
		tv_set_cstr(v, "number", photo_n_of(r, p->position, l->n));
		tv_push(list, v);
	}
	return list;
}

enum pr_err site__gallery(struct site_req *r)
{
	struct photo_list l;
	const char *path, *title;
	struct article a;
	struct buf b;
	enum pr_err rc;

	if ((rc = load(r, &a, &l)) != PR_OK)
		goto out;
	r->lang = a.lang;
	path = gallery_path(r, &a);
	if (redirected(r, path))
		goto out;
	title = arena_printf(r->a, "%s: %s", i18n(r->lang, "gallery"), a.title);
	site__model(r, title ? title : a.title, NULL, path, NULL);
	article_model(r, &a);
	tv_set(r->model, "photos", gallery_cells(r, &a, &l));
	buf_init(&b, 256);
	i18n_count(&b, r->lang, "photo_count", (int64_t)l.n);
	tv_set_str(r->model, "count_text", buf_str(&b));
	buf_free(&b);
	tv_set_cstr(r->model, "description", a.lead);
	r->res->last_modified = a.updated_at;
	photos_modified(r, &l);
	rc = site__render(r, "gallery");
out:
	return rc;
}

/* "4.2 MB", "4,2 МБ", "830 KB" */
static const char *size_text(struct site_req *r, int64_t bytes)
{
	char n[32];

	if (bytes < 1000 * 1000) {
		snprintf(n, sizeof(n), "%lld",
		         (long long)((bytes + 999) / 1000));
		return site__text(r->a, r->lang, "size_kb", n, NULL);
	}
	snprintf(n, sizeof(n), "%.1f", (double)bytes / 1e6);
	if (strcmp(r->lang, "ru") == 0 && strchr(n, '.'))
		*strchr(n, '.') = ',';
	return site__text(r->a, r->lang, "size_mb", n, NULL);
}

static enum media_type type_of(const char *ext)
{
	static const enum media_type types[] = {MEDIA_JPEG, MEDIA_PNG,
	                                        MEDIA_WEBP, MEDIA_GIF};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(ext, media_type_ext(types[i])) == 0)
			return types[i];
	return MEDIA_UNKNOWN;
}

/* The download of the original: its address, a file name for saving it,
 * its format, size and pixels. */
static struct tval *original_model(struct site_req *r, const struct article *a,
                                   const struct photo *p)
{
	enum media_type t = type_of(p->type);
	struct tval *v = tv_obj(r->a);
	struct buf b;

	buf_init(&b, 512);
	buf_adds(&b, MEDIA_PREFIX);
	media_original_name(&b, p->sha256, t);
	tv_set_str(v, "url", buf_str(&b));
	buf_free(&b);
	tv_set_cstr(v, "name",
	            arena_printf(r->a, "%lld-%d.%s", (long long)a->id,
	                         p->position, p->type));
	tv_set_cstr(v, "mime", media_type_mime(t));
	tv_set_cstr(v, "format", media_type_name(t));
	tv_set_cstr(v, "size", size_text(r, p->bytes));
	tv_set_int(v, "width", p->width);
	tv_set_int(v, "height", p->height);
	return v;
}

static void photo_model(struct site_req *r, const struct article *a,
                        const struct photo_list *l, int n)
{
	const struct photo *p = &l->v[n - 1];
	struct tval *pic = picture(r, p, &wide, p->alt, false);

	tv_set(r->model, "photo", pic);
	tv_set_cstr(r->model, "number", photo_n_of(r, n, l->n));
	if (p->has_taken)
		tv_set(pic, "taken", site__date(r, p->taken_at));
	if (n > 1)
		tv_set_cstr(r->model, "prev", photo_path(r, a, n - 1));
	if ((size_t)n < l->n)
		tv_set_cstr(r->model, "next", photo_path(r, a, n + 1));
	tv_set(r->model, "original", original_model(r, a, p));
}

enum pr_err site__photo(struct site_req *r)
{
	int n = r->route->photo_no;
	const char *path, *title;
	struct photo_list l;
	struct article a;
	enum pr_err rc;
	char num[16];

	if ((rc = load(r, &a, &l)) != PR_OK)
		goto out;
	r->lang = a.lang;
	if ((size_t)n > l.n) {
		snprintf(num, sizeof(num), "%d", n);
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_photo",
		                num, NULL);
		goto out;
	}
	path = photo_path(r, &a, n);
	if (redirected(r, path))
		goto out;
	title = arena_printf(r->a, "%s: %s", photo_n_of(r, n, l.n), a.title);
	site__model(r, title ? title : a.title, NULL, path, NULL);
	article_model(r, &a);
	photo_model(r, &a, &l, n);
	tv_set_cstr(r->model, "description", l.v[n - 1].caption);
	r->res->last_modified = a.updated_at;
	photos_modified(r, &l);
	rc = site__render(r, "photo");
out:
	return rc;
}

/* Opens DATA/media/name for reading: fd and size, or PR_NOTFOUND. */
static enum pr_err open_media(struct site_req *r, struct str name, int *fd,
                              struct stat *st)
{
	struct buf path;
	enum pr_err rc = PR_OK;

	*fd = -1;
	buf_init(&path, 8192);
	buf_adds(&path, site__data_dir(r->site));
	buf_adds(&path, "/media/");
	buf_addstr(&path, name);
	if (!path.err)
		*fd = open(buf_cstr(&path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd >= 0 && (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode))) {
		close(*fd);
		*fd = -1;
	}
	if (*fd < 0 && errno != ENOENT && errno != ENOTDIR)
		log_warn("%s: %s", buf_cstr(&path), strerror(errno));
	if (*fd < 0)
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_page",
		                NULL, NULL);
	buf_free(&path);
	return rc;
}

enum pr_err site__media(struct site_req *r)
{
	struct str name = r->http->path;
	const char *mime = NULL;
	struct stat st;
	enum pr_err rc;
	int fd;

	name.p += strlen(MEDIA_PREFIX);
	name.n -= strlen(MEDIA_PREFIX);
	if (!media_name_valid(name, &mime)) {
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_page",
		                NULL, NULL);
		goto out;
	}
	if ((rc = open_media(r, name, &fd, &st)) != PR_OK)
		goto out;
	r->res->status = 200;
	r->res->has_file = true;
	r->res->file_fd = fd;
	r->res->file_size = (uint64_t)st.st_size;
	r->res->content_type = mime;
	r->res->cache_control = "public, max-age=31536000, immutable";
	r->res->etag = arena_printf(
	    r->a, "\"%016llx\"",
	    (unsigned long long)hash64(name.p, name.n, (uint64_t)st.st_size));
	r->res->last_modified = st.st_mtime;
	r->res->cacheable = false;
out:
	return rc;
}

/* Size of DATA/media/<path after "/media/">; 0 when unknown. */
static int64_t file_bytes(struct site_req *r, const char *path)
{
	struct stat st;
	struct buf b;
	int64_t n = 0;

	buf_init(&b, 8192);
	buf_adds(&b, site__data_dir(r->site));
	buf_adds(&b, path);
	if (!b.err && stat(buf_cstr(&b), &st) == 0)
		n = st.st_size;
	buf_free(&b);
	return n;
}

size_t site__photos(struct site_req *r, int64_t id, struct site_photo *out,
                    size_t max)
{
	struct photo_list l;
	struct pr_error e = {0};
	size_t n = 0;

	if (store_photos_of(r->st, r->a, id, &l, &e) != PR_OK) {
		log_warn("%s", e.msg);
		return 0;
	}
	for (; n < l.n && n < max; n++) {
		const struct photo *p = &l.v[n];
		const char *path =
		    rendition_path(r->a, p, wide.src_width, MEDIA_FMT_JPEG);
		int w = media_width_at_most(p->width, wide.src_width);

		out[n].url = arena_printf(r->a, "%s%s", r->cfg->base_url, path);
		out[n].type = "image/jpeg";
		out[n].bytes = n == 0 ? file_bytes(r, path) : 0; /* enclosure */
		out[n].width = w;
		out[n].height =
		    (int)(((int64_t)p->height * w + p->width / 2) / p->width);
		out[n].alt = p->alt[0] ? p->alt : p->caption;
		out[n].caption = p->caption;
		if (!out[n].url)
			break;
	}
	return n;
}
