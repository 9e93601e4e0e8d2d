/*
 * media/probe.c: deciding whether an upload is an image pressroom accepts,
 * by its content alone: magic numbers first (naming what a refused file
 * is), then the header through the one libvips loader of that format with
 * the pixel limits checked before decoding, then one decode at a reduced
 * size that finds truncation and damage.
 */
#include "media_int.h"

#include <string.h>

const char *media_type_mime(enum media_type t)
{
	switch (t) {
	case MEDIA_JPEG: return "image/jpeg";
	case MEDIA_PNG: return "image/png";
	case MEDIA_WEBP: return "image/webp";
	case MEDIA_GIF: return "image/gif";
	case MEDIA_UNKNOWN: break;
	}
	return "application/octet-stream";
}

const char *media_type_ext(enum media_type t)
{
	switch (t) {
	case MEDIA_JPEG: return "jpg";
	case MEDIA_PNG: return "png";
	case MEDIA_WEBP: return "webp";
	case MEDIA_GIF: return "gif";
	case MEDIA_UNKNOWN: break;
	}
	return "";
}

const char *media_type_name(enum media_type t)
{
	switch (t) {
	case MEDIA_JPEG: return "JPEG";
	case MEDIA_PNG: return "PNG";
	case MEDIA_WEBP: return "WebP";
	case MEDIA_GIF: return "GIF";
	case MEDIA_UNKNOWN: break;
	}
	return "unknown";
}

static bool has(struct str b, size_t at, const char *magic, size_t n)
{
	return b.n >= at + n && memcmp(b.p + at, magic, n) == 0;
}

enum media_type media_sniff(struct str b)
{
	if (has(b, 0, "\xff\xd8\xff", 3))
		return MEDIA_JPEG;
	if (has(b, 0, "\x89PNG\r\n\x1a\n", 8))
		return MEDIA_PNG;
	if (has(b, 0, "RIFF", 4) && has(b, 8, "WEBP", 4))
		return MEDIA_WEBP;
	if (has(b, 0, "GIF87a", 6) || has(b, 0, "GIF89a", 6))
		return MEDIA_GIF;
	return MEDIA_UNKNOWN;
}

/* Magic numbers of what people upload by mistake or malice. */
struct magic {
	size_t at;
	const char *bytes;
	size_t n;
	bool image; /* an image format pressroom does not accept */
	const char *what;
};

#define M(at, s, image, what)                                                  \
	{                                                                      \
		at, s, sizeof(s) - 1, image, what                              \
	}
static const struct magic magics[] = {
    M(0, "%PDF-", false, "a PDF document"),
    M(0, "%!PS", false, "a PostScript document"),
    M(0, "PK\x03\x04", false, "a ZIP archive (or an office document)"),
    M(0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", false,
      "an old Microsoft Office document"),
    M(0, "{\\rtf", false, "an RTF document"),
    M(0, "\x1f\x8b", false, "a gzip archive"),
    M(0, "BZh", false, "a bzip2 archive"),
    M(0,
      "\xfd"
      "7zXZ",
      false, "an xz archive"),
    M(0, "7z\xbc\xaf\x27\x1c", false, "a 7-Zip archive"),
    M(0, "Rar!", false, "a RAR archive"),
    M(0,
      "\x7f"
      "ELF",
      false, "a program"),
    M(0, "MZ", false, "a Windows program"),
    M(4, "ftypisom", false, "an MP4 video"),
    M(4, "ftypmp4", false, "an MP4 video"),
    M(4, "ftypqt", false, "a QuickTime video"),
    M(0, "\x1a\x45\xdf\xa3", false, "a Matroska or WebM video"),
    M(0, "ID3", false, "an MP3 file"),
    M(0, "OggS", false, "an Ogg file"),
    M(0, "II*\0", true, "TIFF"),
    M(0, "MM\0*", true, "TIFF"),
    M(4, "ftypheic", true, "HEIF"),
    M(4, "ftypheix", true, "HEIF"),
    M(4, "ftypmif1", true, "HEIF"),
    M(4, "ftypmsf1", true, "HEIF"),
    M(4, "ftypavif", true, "AVIF"),
    M(0, "\xff\x0a", true, "JPEG XL"),
    M(0, "\0\0\0\x0cJXL \r\n\x87\n", true, "JPEG XL"),
    M(0, "\0\0\0\x0cjP  \r\n\x87\n", true, "JPEG 2000"),
    M(0, "\xff\x4f\xff\x51", true, "JPEG 2000"),
    M(0, "8BPS", true, "Photoshop (PSD)"),
    M(0, "BM", true, "BMP"),
    M(0, "\0\0\1\0", true, "ICO"),
    M(0, "icns", true, "ICNS"),
    M(0, "#?RADIANCE", true, "Radiance HDR"),
    M(0, "#?RGBE", true, "Radiance HDR"),
    M(0, "\x76\x2f\x31\x01", true, "OpenEXR"),
    M(0, "SIMPLE  =", true, "FITS"),
    M(0, "/* XPM */", true, "XPM"),
    M(0, "GIF8", true, "GIF of an unknown version"),
    M(0, "RIFF", false, "a RIFF file that is not WebP (audio or video)"),
    M(0, "\xff\xd8", true, "JPEG without a valid marker"),
};
#undef M

/* Skips a UTF-8 byte order mark and white space. */
static struct str text_start(struct str b)
{
	if (has(b, 0, "\xef\xbb\xbf", 3)) {
		b.p += 3;
		b.n -= 3;
	}
	while (b.n > 0 && (b.p[0] == ' ' || b.p[0] == '\t' || b.p[0] == '\r' ||
	                   b.p[0] == '\n')) {
		b.p++;
		b.n--;
	}
	return b;
}

static bool ci_prefix(struct str s, const char *p)
{
	size_t i, n = strlen(p);

	if (s.n < n)
		return false;
	for (i = 0; i < n; i++)
		if ((s.p[i] | 0x20) != (p[i] | 0x20))
			return false;
	return true;
}

/* Netpbm: "P1".."P7" then white space. */
static bool netpbm(struct str b)
{
	return b.n >= 3 && b.p[0] == 'P' && b.p[1] >= '1' && b.p[1] <= '7' &&
	       (b.p[2] == ' ' || b.p[2] == '\n' || b.p[2] == '\r' ||
	        b.p[2] == '\t');
}

/* Markup and plain text, judged on the first 4 KiB. */
static enum pr_err refuse_text(struct str b, struct pr_error *e)
{
	struct str t = text_start(b), head = utf8_prefix(b, 4096);
	size_t i;

	if (ci_prefix(t, "<svg") ||
	    (ci_prefix(t, "<?xml") &&
	     memmem(t.p, t.n < 4096 ? t.n : 4096, "<svg", 4) != NULL))
		return pr_fail(e, PR_INVALID,
		               "unsupported image format: SVG (a drawing that "
		               "can carry scripts; accepted: JPEG, PNG, WebP, "
		               "GIF)");
	if (ci_prefix(t, "<!doctype html") || ci_prefix(t, "<html"))
		return pr_fail(e, PR_INVALID,
		               "not an image: the first bytes are those of an "
		               "HTML page");
	if (ci_prefix(t, "<?xml"))
		return pr_fail(e, PR_INVALID,
		               "not an image: the first bytes are those of an "
		               "XML document");
	for (i = 0; i < head.n; i++)
		if ((unsigned char)head.p[i] < 0x20 &&
		    strchr("\t\r\n\f", head.p[i]) == NULL)
			return PR_OK;
	if (!utf8_valid(head.p, head.n, NULL))
		return PR_OK;
	return pr_fail(e, PR_INVALID, "not an image: it is a text file");
}

/* Names what b is when it is no accepted format. */
static enum pr_err refuse(struct str b, struct pr_error *e)
{
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];

		if (!has(b, m->at, m->bytes, m->n))
			continue;
		if (m->image)
			return pr_fail(
			    e, PR_INVALID,
			    "unsupported image format: %s (accepted: "
			    "JPEG, PNG, WebP, GIF)",
			    m->what);
		return pr_fail(e, PR_INVALID,
		               "not an image: the first bytes are those of %s",
		               m->what);
	}
	if (netpbm(b))
		return pr_fail(e, PR_INVALID,
		               "unsupported image format: Netpbm (accepted: "
		               "JPEG, PNG, WebP, GIF)");
	if (refuse_text(b, e) != PR_OK)
		return e != NULL ? e->code : PR_INVALID;
	return pr_fail(e, PR_INVALID,
	               "not an image: the content is that of no known image "
	               "format");
}

VipsImage *media__open(struct str b, enum media_type type)
{
	VipsImage *im = NULL;
	void *p = (void *)b.p;
	VipsAccess seq = VIPS_ACCESS_SEQUENTIAL;
	VipsFailOn fail = VIPS_FAIL_ON_TRUNCATED;

	switch (type) {
	case MEDIA_JPEG:
		vips_jpegload_buffer(p, b.n, &im, "access", seq, "fail_on",
		                     fail, NULL);
		break;
	case MEDIA_PNG:
		vips_pngload_buffer(p, b.n, &im, "access", seq, "fail_on", fail,
		                    NULL);
		break;
	case MEDIA_WEBP:
		vips_webpload_buffer(p, b.n, &im, "access", seq, "fail_on",
		                     fail, "n", 1, NULL);
		break;
	case MEDIA_GIF:
		vips_gifload_buffer(p, b.n, &im, "access", seq, "fail_on", fail,
		                    "n", 1, NULL);
		break;
	case MEDIA_UNKNOWN:
		vips_error("pressroom", "%s", "unknown image format");
		break;
	}
	return im;
}

/* The side and pixel limits, on the header, before any decoding. */
static enum pr_err check_size(int w, int h, struct pr_error *e)
{
	const struct media_limits *lim = media__limits();

	if (w <= 0 || h <= 0)
		return pr_fail(e, PR_INVALID, "image has no pixels (%d x %d)",
		               w, h);
	if (w > lim->max_side || h > lim->max_side)
		return pr_fail(e, PR_TOOBIG,
		               "image is %d x %d pixels; a side may be at most "
		               "%d pixels",
		               w, h, lim->max_side);
	if ((uint64_t)w * (uint64_t)h > lim->max_pixels)
		return pr_fail(e, PR_TOOBIG,
		               "image is %d x %d pixels, over the limit of %g "
		               "megapixels",
		               w, h, (double)lim->max_pixels / 1e6);
	return PR_OK;
}

/* Channels and sample formats the renditions can be made from. */
static enum pr_err check_bands(VipsImage *im, struct pr_error *e)
{
	bool cmyk =
	    vips_image_get_interpretation(im) == VIPS_INTERPRETATION_CMYK;

	if (im->Bands < 1 || im->Bands > (cmyk ? 5 : 4))
		return pr_fail(e, PR_INVALID,
		               "image has %d colour channels; at most %d are "
		               "accepted",
		               im->Bands, cmyk ? 5 : 4);
	if (im->BandFmt != VIPS_FORMAT_UCHAR &&
	    im->BandFmt != VIPS_FORMAT_USHORT)
		return pr_fail(e, PR_INVALID,
		               "image has samples of an unsupported type");
	return PR_OK;
}

static void describe(VipsImage *im, enum media_type type,
                     struct media_info *info)
{
	int o = vips_image_get_orientation(im), pages = 1;
	VipsInterpretation in = vips_image_get_interpretation(im);

	if (vips_image_get_typeof(im, VIPS_META_N_PAGES) != 0 &&
	    vips_image_get_int(im, VIPS_META_N_PAGES, &pages) != 0)
		pages = 1;
	info->type = type;
	info->orientation = o >= 1 && o <= 8 ? o : 1;
	info->width = info->orientation >= 5 ? im->Ysize : im->Xsize;
	info->height = info->orientation >= 5 ? im->Xsize : im->Ysize;
	info->frames = pages > 1 ? pages : 1;
	info->bits = im->BandFmt == VIPS_FORMAT_USHORT ? 16 : 8;
	info->alpha = vips_image_hasalpha(im) != 0;
	info->cmyk = in == VIPS_INTERPRETATION_CMYK;
	info->grey = im->Bands <= 2;
	info->icc = vips_image_get_typeof(im, VIPS_META_ICC_NAME) != 0;
}

static enum pr_err check_bytes(struct str b, size_t max_bytes,
                               struct pr_error *e)
{
	if (max_bytes == 0)
		max_bytes = media__limits()->max_bytes;
	if (b.n == 0)
		return pr_fail(e, PR_INVALID, "empty file");
	if (b.n > max_bytes)
		return pr_fail(e, PR_TOOBIG,
		               "file is %zu bytes, over the limit of %zu bytes",
		               b.n, max_bytes);
	return PR_OK;
}

enum pr_err media__check(struct str b, size_t max_bytes,
                         struct media_info *info, VipsImage **out,
                         struct pr_error *e)
{
	enum pr_err rc;
	enum media_type type;
	VipsImage *im = NULL;
	char what[64];

	memset(info, 0, sizeof(*info));
	if ((rc = check_bytes(b, max_bytes, e)) != PR_OK)
		goto out;
	if ((type = media_sniff(b)) == MEDIA_UNKNOWN) {
		rc = refuse(b, e);
		goto out;
	}
	if ((im = media__open(b, type)) == NULL) {
		snprintf(what, sizeof(what), "damaged %s header",
		         media_type_name(type));
		rc = media__vips_fail(e, PR_INVALID, what);
		goto out;
	}
	if ((rc = check_size(im->Xsize, im->Ysize, e)) != PR_OK ||
	    (rc = check_bands(im, e)) != PR_OK)
		goto out;
	describe(im, type, info);
out:
	if (rc != PR_OK) {
		memset(info, 0, sizeof(*info));
		g_clear_object(&im);
	}
	if (out != NULL)
		*out = im;
	else if (im != NULL)
		g_object_unref(im);
	return rc;
}

/* Decodes every pixel, shrinking on load where the format allows, so that
 * a truncated or damaged file fails here. */
static enum pr_err decode_all(struct str b, enum media_type type,
                              struct pr_error *e)
{
	VipsImage *t = NULL;
	double avg;
	char what[64];
	enum pr_err rc = PR_OK;

	if (vips_thumbnail_buffer((void *)b.p, b.n, &t, 64, "height", 64,
	                          "size", VIPS_SIZE_DOWN, "no_rotate", TRUE,
	                          "option_string", MEDIA__LOAD_OPTIONS,
	                          NULL) != 0 ||
	    vips_avg(t, &avg, NULL) != 0) {
		snprintf(what, sizeof(what), "damaged or truncated %s",
		         media_type_name(type));
		rc = media__vips_fail(e, PR_INVALID, what);
	}
	g_clear_object(&t);
	return rc;
}

enum pr_err media_probe(struct str b, size_t max_bytes, struct media_info *out,
                        struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = media__check(b, max_bytes, out, NULL, e)) != PR_OK)
		goto out;
	if ((rc = decode_all(b, out->type, e)) != PR_OK)
		memset(out, 0, sizeof(*out));
out:
	return rc;
}
