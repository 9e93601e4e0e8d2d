/*
 * media/meta.c: caption, credit and date from an image's own metadata.
 * libvips (with libexif, which guards against malformed and looping IFDs)
 * reads the header only; EXIF comes as the strings libvips makes of each
 * tag, IPTC and XMP as blobs (iptc.c, xmp.c). When sources disagree, IPTC
 * and XMP, which press tools write on purpose, win over EXIF, which
 * cameras fill in.
 */
#include "media_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XMP_MAX  (1 << 20)
#define IPTC_MAX (1 << 20)

bool media__when(int y, int mo, int d, int h, int mi, int s, bool has_off,
                 int off_min, int64_t *out)
{
	char text[40];
	int a = off_min < 0 ? -off_min : off_min;

	if (y < 1826 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > pr_days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || s < 0 || s > 60 || a > 18 * 60)
		return false;
	if (s == 60)
		s = 59;
	if (!has_off) {
		*out =
		    pr_time_local_midnight(y, mo, d) + h * 3600 + mi * 60 + s;
		return true;
	}
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	         y, mo, d, h, mi, s, off_min < 0 ? '-' : '+', a / 60, a % 60);
	return pr_time_parse(str_c(text), out);
}

/*
 * The value in a libvips EXIF string "RAW (HUMAN, FORMAT, N components, M
 * bytes)". For ASCII tags HUMAN repeats RAW (or extends it, as Copyright
 * does), so RAW ends at the last " (" whose following text starts with
 * what precedes it. libvips keeps 255 bytes, ending "..." when cut: then
 * the suffix is gone and *cut is set.
 */
static struct str exif_raw(const char *s, bool *cut)
{
	struct str all = str_c(s), pre;
	const char *tag = ", ASCII, ";
	const char *end = NULL, *q;
	size_t k;

	for (q = strstr(s, tag); q != NULL; q = strstr(q + 1, tag))
		end = q;
	*cut = end == NULL;
	if (*cut) {
		if (str_suffix(all, STR_LIT("...")))
			all.n -= 3;
		return all;
	}
	pre = (struct str){s, (size_t)(end - s)};
	for (k = pre.n; k-- > 0;) {
		if (k + 2 > pre.n || pre.p[k] != ' ' || pre.p[k + 1] != '(')
			continue;
		if (pre.n - k - 2 >= k && memcmp(pre.p + k + 2, pre.p, k) == 0)
			return (struct str){pre.p, k};
	}
	return (struct str){NULL, 0};
}

/* A text EXIF tag, cleaned, into out (cap bytes); "" when absent. A value
 * libvips cut is cut again at a word and ends in an ellipsis. */
static void exif_text(VipsImage *im, const char *tag, char *out, size_t cap)
{
	const char *s = NULL;
	struct str raw;
	bool cut;
	size_t n;

	out[0] = '\0';
	if (vips_image_get_typeof(im, tag) == 0 ||
	    vips_image_get_string(im, tag, &s) != 0 || s == NULL)
		return;
	raw = exif_raw(s, &cut);
	n = media__clean(raw.p, raw.n, out, cap);
	if (!cut || n == 0)
		return;
	while (n > 0 && out[n - 1] != ' ')
		n--;
	if (n > 0 && n + 4 < cap)
		memcpy(out + n, "\xe2\x80\xa6", 4);
	else
		out[0] = '\0';
}

/* What cameras write where a caption should be. */
static bool placeholder(const char *s)
{
	static const char *const junk[] = {
	    "OLYMPUS DIGITAL CAMERA",
	    "SONY DSC",
	    "DIGITAL CAMERA",
	    "KONICA MINOLTA DIGITAL CAMERA",
	    "MINOLTA DIGITAL CAMERA",
	    "SAMSUNG CAMERA PICTURES",
	    "SAMSUNG",
	    "Exif_JPEG_PICTURE",
	    "LEICA",
	    "DCIM",
	    "default",
	    "Untitled",
	    "image",
	    "Picture",
	    "Photo",
	};
	size_t i;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		if (strcasecmp(s, junk[i]) == 0)
			return true;
	return strspn(s, "?.-_0123456789 ") == strlen(s);
}

/* Two-digit and four-digit fields of "YYYY:MM:DD HH:MM:SS". */
static bool exif_date(const char *s, int64_t *out, const char *offset)
{
	int f[6], i, sign = 1, off = 0;
	bool has_off = false;
	static const int at[6] = {0, 5, 8, 11, 14, 17};
	static const int len[6] = {4, 2, 2, 2, 2, 2};
	int64_t v;

	if (strlen(s) < 19)
		return false;
	for (i = 0; i < 6; i++) {
		if (!str_to_i64((struct str){s + at[i], (size_t)len[i]}, 0,
		                9999, &v))
			return false;
		f[i] = (int)v;
	}
	if (strlen(offset) >= 6 && (offset[0] == '+' || offset[0] == '-') &&
	    offset[3] == ':' &&
	    str_to_i64((struct str){offset + 1, 2}, 0, 18, &v)) {
		off = (int)v * 60;
		if (str_to_i64((struct str){offset + 4, 2}, 0, 59, &v)) {
			sign = offset[0] == '-' ? -1 : 1;
			off = sign * (off + (int)v);
			has_off = true;
		}
	}
	return media__when(f[0], f[1], f[2], f[3], f[4], f[5], has_off, off,
	                   out);
}

static void from_exif(VipsImage *im, struct media_meta *m)
{
	char date[64], offset[16];

	exif_text(im, "exif-ifd0-ImageDescription", m->caption,
	          sizeof(m->caption));
	exif_text(im, "exif-ifd0-Artist", m->creator, sizeof(m->creator));
	exif_text(im, "exif-ifd0-Copyright", m->copyright,
	          sizeof(m->copyright));
	exif_text(im, "exif-ifd2-DateTimeOriginal", date, sizeof(date));
	exif_text(im, "exif-ifd2-OffsetTimeOriginal", offset, sizeof(offset));
	m->has_date = exif_date(date, &m->date, offset);
}

static void from_blobs(VipsImage *im, struct media_meta *iptc,
                       struct media_meta *xmp)
{
	const void *p;
	size_t n;

	if (vips_image_get_typeof(im, VIPS_META_IPTC_NAME) != 0 &&
	    vips_image_get_blob(im, VIPS_META_IPTC_NAME, &p, &n) == 0 &&
	    n <= IPTC_MAX)
		media__iptc(p, n, iptc);
	if (vips_image_get_typeof(im, VIPS_META_XMP_NAME) != 0 &&
	    vips_image_get_blob(im, VIPS_META_XMP_NAME, &p, &n) == 0 &&
	    n <= XMP_MAX)
		media__xmp(p, n, xmp);
}

/* The first non-empty of a, b, c into out. */
static void pick(char *out, size_t cap, const char *a, const char *b,
                 const char *c)
{
	const char *v = a[0] ? a : b[0] ? b : c;

	snprintf(out, cap, "%s", v);
}

static void merge(struct media_meta *m, struct media_meta *src[3])
{
	struct media_meta *iptc = src[0], *xmp = src[1], *exif = src[2];
	int i;

	if (placeholder(exif->caption))
		exif->caption[0] = '\0';
	pick(m->caption, sizeof(m->caption), iptc->caption, xmp->caption,
	     exif->caption);
	pick(m->creator, sizeof(m->creator), iptc->creator, xmp->creator,
	     exif->creator);
	pick(m->copyright, sizeof(m->copyright), iptc->copyright,
	     xmp->copyright, exif->copyright);
	pick(m->credit, sizeof(m->credit), iptc->credit, xmp->credit,
	     m->creator[0] ? m->creator : m->copyright);
	for (i = 2; i < 5 && !m->has_date; i++) {
		m->has_date = src[i % 3]->has_date;
		m->date = src[i % 3]->date;
	}
}

enum pr_err media_metadata(struct str bytes, struct media_meta *out,
                           struct pr_error *e)
{
	struct media_meta *src[3] = {NULL, NULL, NULL};
	struct media_info info;
	VipsImage *im = NULL;
	enum pr_err rc;
	int i;

	memset(out, 0, sizeof(*out));
	if ((rc = media__check(bytes, 0, &info, &im, e)) != PR_OK)
		goto out;
	for (i = 0; i < 3; i++)
		if ((src[i] = calloc(1, sizeof(*src[i]))) == NULL) {
			rc = pr_fail(e, PR_NOMEM, "out of memory");
			goto out;
		}
	from_blobs(im, src[0], src[1]);
	from_exif(im, src[2]);
	merge(out, src);
out:
	for (i = 0; i < 3; i++)
		free(src[i]);
	g_clear_object(&im);
	return rc;
}
