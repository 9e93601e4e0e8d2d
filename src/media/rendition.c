/*
 * media/rendition.c: the renditions of an original. The image is decoded
 * once, shrinking on load, to the largest width needed (upright, 8-bit
 * sRGB, in memory); each smaller width is resized from the one above it;
 * then the calling thread and one more share the encodings, costliest
 * first, so both cores work. Metadata never reaches a rendition.
 */
#include "media_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <webp/mux.h>

#define NAME_CAP  256
#define JPEG_Q    82
#define WEBP_Q    80
#define WEBP_EFFT 4

static const int steps[] = {320, 640, 1280, 2048};

int media_widths(int w, int out[MEDIA_MAX_WIDTHS])
{
	int n = 0, i, top;

	if (w <= 0)
		return 0;
	for (i = 0; i < 4 && steps[i] < w; i++)
		out[n++] = steps[i];
	top = w < steps[3] ? w : steps[3];
	if (n == 0 || (top != out[n - 1] && top * 4 >= out[n - 1] * 5))
		out[n++] = top;
	return n;
}

/* One encoding: a format at the width of im[i]. */
struct job {
	enum media_format f;
	int i;
};

/* One photo's renditions in the making. */
struct plan {
	const char *data_dir;
	const char *sha;
	struct str bytes;
	struct media_info info;
	int n, widths[MEDIA_MAX_WIDTHS];
	VipsImage *im[MEDIA_MAX_WIDTHS]; /* in memory, upright sRGB */
	char names[2][MEDIA_MAX_WIDTHS][NAME_CAP];
	bool created[2][MEDIA_MAX_WIDTHS];
	size_t sizes[2][MEDIA_MAX_WIDTHS];
	int heights[MEDIA_MAX_WIDTHS];
	struct job jobs[2 * MEDIA_MAX_WIDTHS];
	int njobs;
	atomic_int next; /* the next job to take */
};

/* A thread taking jobs. */
struct worker {
	struct plan *plan;
	struct pr_error err;
	enum pr_err rc;
};

static void name_all(struct plan *p)
{
	struct buf b;
	int f, i;

	buf_init(&b, NAME_CAP - 1);
	for (f = 0; f < 2; f++)
		for (i = 0; i < p->n; i++) {
			buf_reset(&b);
			media_rendition_name(&b, p->sha, p->widths[i],
			                     (enum media_format)f);
			snprintf(p->names[f][i], NAME_CAP, "%s", buf_cstr(&b));
		}
	buf_free(&b);
}

/* true when every file is there already: sizes and heights from disk. */
static bool all_present(struct plan *p)
{
	struct buf path;
	struct stat st;
	VipsImage *im;
	bool ok = true;
	int f, i;

	buf_init(&path, 4096);
	for (i = 0; i < p->n && ok; i++)
		for (f = 1; f >= 0 && ok; f--) {
			buf_reset(&path);
			media__path(&path, p->data_dir, p->names[f][i]);
			ok = stat(buf_cstr(&path), &st) == 0 &&
			     S_ISREG(st.st_mode);
			p->sizes[f][i] = ok ? (size_t)st.st_size : 0;
			if (!ok || f != MEDIA_FMT_JPEG)
				continue;
			im = vips_image_new_from_file(buf_cstr(&path), NULL);
			ok = im != NULL;
			p->heights[i] = ok ? im->Ysize : 0;
			g_clear_object(&im);
		}
	buf_free(&path);
	return ok;
}

/* 8-bit sRGB whatever the thumbnail gave (CMYK without a profile, grey,
 * 16-bit), with or without alpha; NULL with the error buffer set when it
 * cannot be had. */
static VipsImage *to_srgb8(VipsImage *in)
{
	VipsImage *c = NULL, *u = NULL;

	if (vips_image_get_interpretation(in) == VIPS_INTERPRETATION_sRGB &&
	    in->BandFmt == VIPS_FORMAT_UCHAR) {
		g_object_ref(in);
		u = in;
	} else if (vips_colourspace(in, &c, VIPS_INTERPRETATION_sRGB, NULL) !=
	               0 ||
	           vips_cast(c, &u, VIPS_FORMAT_UCHAR, NULL) != 0) {
		u = NULL;
	}
	g_clear_object(&c);
	if (u != NULL && u->Bands != 3 && u->Bands != 4) {
		vips_error("pressroom", "%d channels after conversion to sRGB",
		           u->Bands);
		g_clear_object(&u);
	}
	return u;
}

/* The largest rendition, decoded from the original with shrink-on-load. */
static enum pr_err decode(struct plan *p, struct pr_error *e)
{
	VipsImage *t = NULL, *s = NULL;
	int w = p->widths[p->n - 1], r;
	char what[64];
	enum pr_err rc = PR_OK;

	if (p->info.icc)
		r = vips_thumbnail_buffer(
		    (void *)p->bytes.p, p->bytes.n, &t, w, "height",
		    VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, "option_string",
		    MEDIA__LOAD_OPTIONS, "export_profile", "srgb", NULL);
	else
		r = vips_thumbnail_buffer((void *)p->bytes.p, p->bytes.n, &t, w,
		                          "height", VIPS_MAX_COORD, "size",
		                          VIPS_SIZE_DOWN, "option_string",
		                          MEDIA__LOAD_OPTIONS, NULL);
	if (r != 0 || (s = to_srgb8(t)) == NULL ||
	    (p->im[p->n - 1] = vips_image_copy_memory(s)) == NULL) {
		snprintf(what, sizeof(what), "damaged or truncated %s",
		         media_type_name(p->info.type));
		rc = media__vips_fail(e, PR_INVALID, what);
	}
	g_clear_object(&t);
	g_clear_object(&s);
	return rc;
}

/* Each smaller width from the next larger one, in memory. */
static enum pr_err shrink_all(struct plan *p, struct pr_error *e)
{
	VipsImage *t;
	int i;

	for (i = p->n - 2; i >= 0; i--) {
		t = NULL;
		if (vips_thumbnail_image(p->im[i + 1], &t, p->widths[i],
		                         "height", VIPS_MAX_COORD, "size",
		                         VIPS_SIZE_DOWN, "no_rotate", TRUE,
		                         NULL) != 0 ||
		    (p->im[i] = vips_image_copy_memory(t)) == NULL) {
			g_clear_object(&t);
			return media__vips_fail(e, PR_INTERNAL, "resize");
		}
		g_clear_object(&t);
	}
	for (i = 0; i < p->n; i++)
		p->heights[i] = p->im[i]->Ysize;
	return PR_OK;
}

static int save_jpeg(VipsImage *im, void **buf, size_t *len)
{
	VipsImage *flat = NULL;
	VipsArrayDouble *white;
	int r;

	if (!vips_image_hasalpha(im))
		return vips_jpegsave_buffer(im, buf, len, "Q", JPEG_Q, "strip",
		                            TRUE, "optimize_coding", TRUE,
		                            "interlace", TRUE, NULL);
	white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
	r = vips_flatten(im, &flat, "background", white, NULL);
	vips_area_unref(VIPS_AREA(white));
	if (r == 0)
		r = vips_jpegsave_buffer(flat, buf, len, "Q", JPEG_Q, "strip",
		                         TRUE, "optimize_coding", TRUE,
		                         "interlace", TRUE, NULL);
	g_clear_object(&flat);
	return r;
}

/*
 * libvips 8.14's webpsave writes an EXIF chunk rebuilt from the image's
 * resolution (and XMP and ICC when the image has them) even with strip
 * set; libwebpmux takes them out again. *buf stays a g_malloc block.
 */
static int webp_bare(void **buf, size_t *len)
{
	WebPData in = {*buf, *len}, out = {NULL, 0};
	WebPMux *mux = WebPMuxCreate(&in, 0);
	int r = -1;

	if (mux == NULL)
		goto out;
	WebPMuxDeleteChunk(mux, "EXIF");
	WebPMuxDeleteChunk(mux, "XMP ");
	WebPMuxDeleteChunk(mux, "ICCP");
	if (WebPMuxAssemble(mux, &out) != WEBP_MUX_OK)
		goto out;
	g_free(*buf);
	*buf = g_memdup2(out.bytes, out.size);
	*len = out.size;
	r = 0;
out:
	if (r != 0)
		vips_error("pressroom", "%s", "cannot strip WebP metadata");
	WebPDataClear(&out);
	WebPMuxDelete(mux);
	return r;
}

static int save(VipsImage *im, enum media_format f, void **buf, size_t *len)
{
	if (f == MEDIA_FMT_JPEG)
		return save_jpeg(im, buf, len);
	if (vips_webpsave_buffer(im, buf, len, "Q", WEBP_Q, "strip", TRUE,
	                         "effort", WEBP_EFFT, NULL) != 0)
		return -1;
	return webp_bare(buf, len);
}

static enum pr_err encode_one(struct worker *w, struct job j)
{
	struct plan *p = w->plan;
	void *buf = NULL;
	size_t len = 0;
	enum pr_err rc;

	if (save(p->im[j.i], j.f, &buf, &len) != 0)
		return media__vips_fail(&w->err, PR_INTERNAL, "encode");
	p->sizes[j.f][j.i] = len;
	rc = media__write(p->data_dir, p->names[j.f][j.i], buf, len, true,
	                  &p->created[j.f][j.i], &w->err);
	g_free(buf);
	return rc;
}

/* Takes jobs until none is left or one fails (which stops the others). */
static void *work(void *arg)
{
	struct worker *w = arg;
	struct plan *p = w->plan;
	int k;

	w->rc = PR_OK;
	while ((k = atomic_fetch_add(&p->next, 1)) < p->njobs) {
		if ((w->rc = encode_one(w, p->jobs[k])) != PR_OK) {
			atomic_store(&p->next, p->njobs);
			break;
		}
	}
	return NULL;
}

/* The second thread frees what libvips keeps for it before it ends. */
static void *work_thread(void *arg)
{
	work(arg);
	vips_thread_shutdown();
	return NULL;
}

/* A WebP costs about three JPEGs of the same size to encode. */
static long cost(const struct plan *p, struct job j)
{
	long px = (long)p->im[j.i]->Xsize * p->im[j.i]->Ysize;

	return j.f == MEDIA_FMT_WEBP ? 3 * px : px;
}

/* Every encoding, the costliest first, so that two workers taking the
 * next job in turn finish at about the same time. */
static void queue_jobs(struct plan *p)
{
	struct job j;
	int i, f, k;

	p->njobs = 0;
	atomic_init(&p->next, 0);
	for (i = 0; i < p->n; i++)
		for (f = 0; f < 2; f++) {
			j = (struct job){(enum media_format)f, i};
			for (k = p->njobs;
			     k > 0 && cost(p, p->jobs[k - 1]) < cost(p, j); k--)
				p->jobs[k] = p->jobs[k - 1];
			p->jobs[k] = j;
			p->njobs++;
		}
}

/* Two workers, this thread and one more, share the encodings. */
static enum pr_err encode_all(struct plan *p, struct pr_error *e)
{
	struct worker a = {p, {PR_OK, ""}, PR_OK};
	struct worker b = {p, {PR_OK, ""}, PR_OK};
	pthread_t th;
	bool threaded;

	queue_jobs(p);
	threaded = pthread_create(&th, NULL, work_thread, &b) == 0;
	work(&a);
	if (threaded)
		pthread_join(th, NULL);
	if (a.rc != PR_OK)
		return pr_fail(e, a.rc, "%s", a.err.msg);
	if (b.rc != PR_OK)
		return pr_fail(e, b.rc, "%s", b.err.msg);
	return PR_OK;
}

/* Takes back every file this call created. */
static void undo(struct plan *p)
{
	struct buf path;
	int f, i;

	buf_init(&path, 4096);
	for (f = 0; f < 2; f++)
		for (i = 0; i < p->n; i++) {
			if (!p->created[f][i])
				continue;
			buf_reset(&path);
			media__path(&path, p->data_dir, p->names[f][i]);
			unlink(buf_cstr(&path));
			p->created[f][i] = false;
		}
	buf_free(&path);
}

static void report(const struct plan *p, struct media_renditions *out,
                   bool *wrote)
{
	int f, i, k = 0;

	*wrote = false;
	for (i = 0; i < p->n; i++)
		for (f = 0; f < 2; f++) {
			*wrote = *wrote || p->created[f][i];
			if (out == NULL)
				continue;
			out->r[k].width = p->widths[i];
			out->r[k].height = p->heights[i];
			out->r[k].format = (enum media_format)f;
			out->r[k].bytes = p->sizes[f][i];
			out->n = ++k;
		}
}

static enum pr_err make(struct plan *p, struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = decode(p, e)) != PR_OK || (rc = shrink_all(p, e)) != PR_OK ||
	    (rc = encode_all(p, e)) != PR_OK)
		undo(p);
	return rc;
}

enum pr_err media__renditions(const char *data_dir, struct str bytes,
                              const char *sha_hex, struct media_renditions *out,
                              bool *wrote, struct pr_error *e)
{
	struct plan *p = calloc(1, sizeof(*p));
	enum pr_err rc;
	int i;

	*wrote = false;
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (p == NULL)
		return pr_fail(e, PR_NOMEM, "out of memory");
	if (!media_sha_valid(str_c(sha_hex))) {
		rc = pr_fail(e, PR_INVALID, "not a SHA-256: %.80s", sha_hex);
		goto out;
	}
	*p =
	    (struct plan){.data_dir = data_dir, .sha = sha_hex, .bytes = bytes};
	if ((rc = media__check(bytes, 0, &p->info, NULL, e)) != PR_OK)
		goto out;
	p->n = media_widths(p->info.width, p->widths);
	name_all(p);
	if (all_present(p) || (rc = make(p, e)) == PR_OK)
		report(p, out, wrote);
out:
	for (i = 0; i < MEDIA_MAX_WIDTHS; i++)
		g_clear_object(&p->im[i]);
	free(p);
	return rc;
}

enum pr_err media_renditions(const char *data_dir, struct str bytes,
                             const char *sha_hex, struct media_renditions *out,
                             struct pr_error *e)
{
	bool wrote;

	return media__renditions(data_dir, bytes, sha_hex, out, &wrote, e);
}
