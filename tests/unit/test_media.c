/*
 * Unit tests of src/media. Test images are made at run time with libvips
 * (and by hand where an image must be malformed); Debian's gdk-pixbuf test
 * images are used when scripts/fetch-test-images.sh has unpacked them into
 * .cache/, and skipped with a message otherwise.
 */
#include "media/media_int.h"
#include "test.h"

#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <webp/mux.h>

/* ---- helpers ---- */

struct bytes {
	void *p;
	size_t n;
};

static struct str S(struct bytes b) {
	return (struct str){b.p, b.n};
}

static void
bytes_free(struct bytes *b)
{
	g_free(b->p);
	b->p = NULL;
	b->n = 0;
}

static struct bytes bytes_copy(const void *p, size_t n)
{
	struct bytes b = {g_malloc(n ? n : 1), n};

	memcpy(b.p, p, n);
	return b;
}

/* An 8-bit sRGB picture of noise over a gradient, w x h. */
static VipsImage *picture(int w, int h, int bands)
{
	VipsImage *noise[4] = {NULL}, *joined = NULL, *u = NULL, *out = NULL;
	int i;

	for (i = 0; i < bands; i++)
		vips_gaussnoise(&noise[i], w, h, "mean", 60.0 + 40 * i, "sigma",
		                25.0, NULL);
	vips_bandjoin(noise, &joined, bands, NULL);
	vips_cast(joined, &u, VIPS_FORMAT_UCHAR, NULL);
	vips_copy(u, &out, "interpretation",
	          bands >= 3 ? VIPS_INTERPRETATION_sRGB
	                     : VIPS_INTERPRETATION_B_W,
	          NULL);
	for (i = 0; i < bands; i++)
		g_object_unref(noise[i]);
	g_object_unref(joined);
	g_object_unref(u);
	return out;
}

static struct bytes encode(VipsImage *im, const char *suffix)
{
	struct bytes b = {NULL, 0};

	if (vips_image_write_to_buffer(im, suffix, &b.p, &b.n, NULL) != 0) {
		fprintf(stderr, "encode %s: %s\n", suffix, vips_error_buffer());
		vips_error_clear();
	}
	return b;
}

static struct bytes jpeg_of(int w, int h)
{
	VipsImage *im = picture(w, h, 3);
	struct bytes b = encode(im, ".jpg[Q=90]");

	g_object_unref(im);
	return b;
}

static char tmp_root[256];

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh, empty data folder (the previous one is removed). */
static const char *data_dir(void)
{
	if (tmp_root[0] != '\0')
		rm_rf(tmp_root);
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/pr-media-XXXXXX");
	if (mkdtemp(tmp_root) == NULL)
		abort();
	return tmp_root;
}

static int count_cb_n;

static int count_cb(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	if (flag == FTW_F)
		count_cb_n++;
	return 0;
}

/* Regular files below dir/sub (0 when it does not exist). */
static int count_files(const char *dir, const char *sub)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	count_cb_n = 0;
	nftw(path, count_cb, 16, FTW_PHYS);
	return count_cb_n;
}

static bool has_bytes(struct bytes b, const char *needle)
{
	return memmem(b.p, b.n, needle, strlen(needle)) != NULL;
}

static struct bytes read_file(const char *path)
{
	gchar *p = NULL;
	gsize n = 0;
	struct bytes b = {NULL, 0};

	if (g_file_get_contents(path, &p, &n, NULL)) {
		b.p = p;
		b.n = n;
	}
	return b;
}

/* The stored file of a name below DATA/media/. */
static struct bytes read_media(const char *dir, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/media/%s", dir, name);
	return read_file(path);
}

static bool contains(const char *hay, const char *needle)
{
	bool ok = strstr(hay, needle) != NULL;

	if (!ok)
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n", hay, needle);
	return ok;
}

/* Checks a refusal: code and a part of the message. */
static void refused(struct bytes b, enum pr_err code, const char *part)
{
	struct media_info info;
	struct pr_error e = {PR_OK, ""};

	CHECK_INT(media_probe(S(b), 0, &info, &e), code);
	CHECK_INT(e.code, code);
	CHECK(contains(e.msg, part));
	CHECK_INT(info.type, MEDIA_UNKNOWN);
}

/* A JPEG with segments beyond JFIF before its scan: APP1..APP15 (EXIF,
 * XMP, ICC, IPTC) or a comment. */
static bool jpeg_extra(struct bytes b)
{
	const unsigned char *p = b.p;
	size_t at = 2;

	if (b.n < 4 || p[0] != 0xff || p[1] != 0xd8)
		return false;
	while (at + 4 <= b.n && p[at] == 0xff && p[at + 1] != 0xda) {
		if ((p[at + 1] >= 0xe1 && p[at + 1] <= 0xef) ||
		    p[at + 1] == 0xfe) {
			fprintf(stderr, "  JPEG segment 0x%02x left\n",
			        p[at + 1]);
			return true;
		}
		at += 2 + ((size_t)p[at + 2] << 8 | p[at + 3]);
	}
	return false;
}

/* A WebP with EXIF, XMP or ICC chunks. */
static bool webp_extra(struct bytes b)
{
	WebPData d = {b.p, b.n};
	WebPMux *mux;
	WebPData chunk;
	bool extra = false;

	if (media_sniff(S(b)) != MEDIA_WEBP)
		return false;
	if ((mux = WebPMuxCreate(&d, 0)) == NULL)
		return true;
	extra = WebPMuxGetChunk(mux, "EXIF", &chunk) == WEBP_MUX_OK ||
	        WebPMuxGetChunk(mux, "XMP ", &chunk) == WEBP_MUX_OK ||
	        WebPMuxGetChunk(mux, "ICCP", &chunk) == WEBP_MUX_OK;
	WebPMuxDelete(mux);
	if (extra)
		fprintf(stderr, "  WebP metadata chunk left\n");
	return extra;
}

/* No metadata of any kind in an encoded image. */
static bool bare(struct bytes b)
{
	VipsImage *im = vips_image_new_from_buffer(b.p, b.n, "", NULL);
	gchar **f;
	bool ok = im != NULL;
	int i;

	if (im == NULL)
		return false;
	f = vips_image_get_fields(im);
	for (i = 0; f[i] != NULL; i++)
		if (g_str_has_prefix(f[i], "exif-") ||
		    strcmp(f[i], VIPS_META_XMP_NAME) == 0 ||
		    strcmp(f[i], VIPS_META_IPTC_NAME) == 0 ||
		    strcmp(f[i], VIPS_META_ICC_NAME) == 0 ||
		    strcmp(f[i], "orientation") == 0) {
			fprintf(stderr, "  metadata left: %s\n", f[i]);
			ok = false;
		}
	g_strfreev(f);
	g_object_unref(im);
	return ok && !jpeg_extra(b) && !webp_extra(b);
}

/* Decodes an encoded image into *im (caller unrefs). */
static VipsImage *decoded(struct bytes b)
{
	VipsImage *im = vips_image_new_from_buffer(b.p, b.n, "", NULL);

	if (im == NULL)
		vips_error_clear();
	return im;
}

/* ---- tests ---- */

static void test_widths(void)
{
	int w[MEDIA_MAX_WIDTHS], n;

	n = media_widths(5000, w);
	CHECK_INT(n, 4);
	CHECK(w[0] == 320 && w[1] == 640 && w[2] == 1280 && w[3] == 2048);
	n = media_widths(2048, w);
	CHECK(n == 4 && w[3] == 2048);
	n = media_widths(1600, w);
	CHECK(n == 4 && w[2] == 1280 && w[3] == 1600);
	n = media_widths(1300, w);
	CHECK(n == 3 && w[2] == 1280);
	n = media_widths(640, w);
	CHECK(n == 2 && w[0] == 320 && w[1] == 640);
	n = media_widths(330, w);
	CHECK(n == 1 && w[0] == 320);
	n = media_widths(200, w);
	CHECK(n == 1 && w[0] == 200);
	CHECK_INT(media_widths(0, w), 0);
}

/* srcset and the fallback width follow media_widths. */
#define SRCSET_SHA                                                             \
	"ab12000000000000000000000000000000000000000000000000000000000000"

static void test_srcset(void)
{
	struct buf b;

	CHECK_INT(strlen(SRCSET_SHA), 64);
	buf_init(&b, 4096);
	media_srcset(&b, "/media/", SRCSET_SHA, 1600, MEDIA_FMT_WEBP);
	CHECK_STR(buf_cstr(&b),
	          "/media/r/ab/12/" SRCSET_SHA "-320.webp 320w, "
	          "/media/r/ab/12/" SRCSET_SHA "-640.webp 640w, "
	          "/media/r/ab/12/" SRCSET_SHA "-1280.webp 1280w, "
	          "/media/r/ab/12/" SRCSET_SHA "-1600.webp 1600w");
	buf_reset(&b);
	media_srcset(&b, "", SRCSET_SHA, 200, MEDIA_FMT_JPEG);
	CHECK_STR(buf_cstr(&b), "r/ab/12/" SRCSET_SHA "-200.jpg 200w");
	buf_reset(&b);
	media_srcset(&b, "/media/", SRCSET_SHA, 0, MEDIA_FMT_JPEG);
	CHECK_INT(b.n, 0);
	buf_free(&b);
	CHECK_INT(media_width_at_most(5000, 1280), 1280);
	CHECK_INT(media_width_at_most(1600, 1280), 1280);
	CHECK_INT(media_width_at_most(1600, 2000), 1600);
	CHECK_INT(media_width_at_most(1000, 640), 640);
	CHECK_INT(media_width_at_most(5000, 100), 320);
	CHECK_INT(media_width_at_most(200, 640), 200);
	CHECK_INT(media_width_at_most(0, 640), 0);
}

static void test_names(void)
{
	const char *sha = "ab12cdef0123456789abcdef0123456789abcdef0123456789"
	                  "abcdef01234567";
	struct buf b;
	const char *mime = NULL;

	CHECK(media_sha_valid(str_c(sha)));
	CHECK(!media_sha_valid(STR_LIT("AB12")));
	buf_init(&b, 256);
	media_original_name(&b, sha, MEDIA_PNG);
	CHECK_STR(buf_cstr(&b), "orig/ab/12/ab12cdef0123456789abcdef0123456789"
	                        "abcdef0123456789abcdef01234567.png");
	CHECK(media_name_valid(buf_str(&b), &mime));
	CHECK_STR(mime, "image/png");
	buf_reset(&b);
	media_rendition_name(&b, sha, 640, MEDIA_FMT_WEBP);
	CHECK_STR(buf_cstr(&b), "r/ab/12/ab12cdef0123456789abcdef0123456789"
	                        "abcdef0123456789abcdef01234567-640.webp");
	CHECK(media_name_valid(buf_str(&b), &mime));
	CHECK_STR(mime, "image/webp");
	buf_free(&b);
	CHECK(!media_name_valid(STR_LIT("orig/../../etc/passwd"), NULL));
	CHECK(!media_name_valid(
	    STR_LIT("r/ab/13/ab12cdef0123456789abcdef0123456789abcdef01234567"
	            "89abcdef01234567-640.webp"),
	    NULL));
	CHECK(!media_name_valid(
	    STR_LIT("r/ab/12/ab12cdef0123456789abcdef0123456789abcdef01234567"
	            "89abcdef01234567-0640.webp"),
	    NULL));
	CHECK(!media_name_valid(
	    STR_LIT("orig/ab/12/ab12cdef0123456789abcdef0123456789abcdef0123"
	            "456789abcdef01234567.svg"),
	    NULL));
	CHECK(!media_name_valid(STR_LIT(""), NULL));
}

static void test_not_images(void)
{
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
	static const char text[] = "Minister's statement, 18 November 2021.\n"
	                           "The ministry announced today...\n";
	static const char html[] = "\n<!DOCTYPE html><html><body>x</body>";
	static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns="
	                          "\"http://www.w3.org/2000/svg\"/>";
	static const char zip[] = "PK\x03\x04\x14\0\0\0\x08\0";
	static const unsigned char junk[] = {0x00, 0x13, 0x99, 0xfe, 0x01,
	                                     0x02, 0x7f, 0x80, 0x00, 0x00};
	struct bytes b;

	b = bytes_copy(pdf, sizeof(pdf) - 1);
	refused(b, PR_INVALID,
	        "not an image: the first bytes are those of a PDF document");
	bytes_free(&b);
	b = bytes_copy(text, sizeof(text) - 1);
	refused(b, PR_INVALID, "not an image: it is a text file");
	bytes_free(&b);
	b = bytes_copy(html, sizeof(html) - 1);
	refused(b, PR_INVALID, "HTML page");
	bytes_free(&b);
	b = bytes_copy(svg, sizeof(svg) - 1);
	refused(b, PR_INVALID, "unsupported image format: SVG");
	bytes_free(&b);
	b = bytes_copy(zip, sizeof(zip) - 1);
	refused(b, PR_INVALID, "ZIP archive");
	bytes_free(&b);
	b = bytes_copy(junk, sizeof(junk));
	refused(b, PR_INVALID, "no known image format");
	bytes_free(&b);
	b = bytes_copy("", 0);
	refused(b, PR_INVALID, "empty file");
	bytes_free(&b);
}

static void test_unsupported_images(void)
{
	VipsImage *im = picture(64, 48, 3);
	struct bytes b = encode(im, ".tif");

	refused(b, PR_INVALID, "unsupported image format: TIFF");
	bytes_free(&b);
	b = bytes_copy("BM\x36\0\0\0\0\0\0\0\x36\0\0\0", 14);
	refused(b, PR_INVALID, "unsupported image format: BMP");
	bytes_free(&b);
	b = bytes_copy("\0\0\0\x1c"
	               "ftypheic\0\0\0\0mif1heic",
	               24);
	refused(b, PR_INVALID, "unsupported image format: HEIF");
	bytes_free(&b);
	b = bytes_copy("P6\n2 2\n255\n", 11);
	refused(b, PR_INVALID, "Netpbm");
	bytes_free(&b);
	g_object_unref(im);
}

static void test_probe_jpeg(void)
{
	struct bytes b = jpeg_of(400, 300);
	struct media_info info;
	struct pr_error e = {PR_OK, ""};

	CHECK_INT(media_probe(S(b), 0, &info, &e), PR_OK);
	CHECK_INT(info.type, MEDIA_JPEG);
	CHECK_INT(info.width, 400);
	CHECK_INT(info.height, 300);
	CHECK_INT(info.orientation, 1);
	CHECK_INT(info.frames, 1);
	CHECK_INT(info.bits, 8);
	CHECK(!info.alpha && !info.cmyk && !info.grey);
	CHECK_STR(media_type_mime(info.type), "image/jpeg");
	CHECK_INT(media_sniff(S(b)), MEDIA_JPEG);
	bytes_free(&b);
}

static void test_size_limit(void)
{
	struct bytes b = jpeg_of(400, 300);
	struct media_info info;
	struct pr_error e = {PR_OK, ""};

	CHECK_INT(media_probe(S(b), 1000, &info, &e), PR_TOOBIG);
	CHECK(contains(e.msg, "over the limit of 1000 bytes"));
	bytes_free(&b);
}

/* A JPEG cut short: the header reads, the pixels do not. */
static void test_truncated(void)
{
	struct bytes b = jpeg_of(800, 600), cut;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();

	cut = bytes_copy(b.p, b.n / 2);
	refused(cut, PR_INVALID, "truncated JPEG");
	CHECK_INT(media_add(dir, S(cut), 0, ph, &e), PR_INVALID);
	CHECK(contains(e.msg, "truncated JPEG"));
	CHECK_INT(count_files(dir, "media"), 0);
	bytes_free(&cut);
	cut = bytes_copy(b.p, 300);
	refused(cut, PR_INVALID, "JPEG");
	bytes_free(&cut);
	bytes_free(&b);
	free(ph);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A PNG whose header claims w x h, with a few bytes of IDAT. */
static struct bytes png_claiming(uint32_t w, uint32_t h)
{
	unsigned char p[8 + 25 + 12 + 11 + 12], *c;

	memcpy(p, "\x89PNG\r\n\x1a\n", 8);
	c = p + 8;
	put32(c, 13);
	memcpy(c + 4, "IHDR", 4);
	put32(c + 8, w);
	put32(c + 12, h);
	memcpy(c + 16, "\x01\x00\x00\x00\x00", 5); /* 1-bit grey */
	put32(c + 21, crc32_of(c + 4, 17));
	c += 25;
	put32(c, 11);
	memcpy(c + 4, "IDAT\x78\x01\x00\x01\x00\xfe\xff\x00\x00\x00\x01", 15);
	put32(c + 19, crc32_of(c + 4, 15));
	c += 23;
	put32(c, 0);
	memcpy(c + 4, "IEND", 4);
	put32(c + 8, crc32_of(c + 4, 4));
	return bytes_copy(p, sizeof(p));
}

static void test_bombs(void)
{
	struct bytes b = png_claiming(50000, 50000);
	VipsImage *black = NULL, *u = NULL;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();

	refused(b, PR_TOOBIG, "50000 x 50000 pixels");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_TOOBIG);
	CHECK(contains(e.msg, "a side may be at most 20000 pixels"));
	bytes_free(&b);
	b = png_claiming(15000, 15000);
	refused(b, PR_TOOBIG,
	        "image is 15000 x 15000 pixels, over the limit of 100 "
	        "megapixels");
	bytes_free(&b);
	/* A real one: 18000 x 18000 one-bit pixels in a small file. */
	vips_black(&black, 18000, 18000, NULL);
	vips_cast(black, &u, VIPS_FORMAT_UCHAR, NULL);
	b = encode(u, ".png[bitdepth=1,compression=9]");
	CHECK(b.n > 0 && b.n < 1000000);
	refused(b, PR_TOOBIG, "over the limit of 100 megapixels");
	CHECK_INT(count_files(dir, "media"), 0);
	bytes_free(&b);
	g_object_unref(black);
	g_object_unref(u);
	free(ph);
}

static void test_configured_limits(void)
{
	struct media_limits lim, saved;
	struct bytes ok = jpeg_of(1000, 1000), big = jpeg_of(1001, 1000);
	struct media_info info;
	struct pr_error e = {PR_OK, ""};

	media_limits_get(&saved);
	lim = saved;
	lim.max_pixels = 1000000;
	lim.max_side = 1000;
	media_init(&lim, NULL);
	CHECK_INT(media_probe(S(ok), 0, &info, &e), PR_OK);
	refused(big, PR_TOOBIG, "a side may be at most 1000 pixels");
	media_init(&saved, NULL);
	CHECK_INT(media_probe(S(big), 0, &info, &e), PR_OK);
	bytes_free(&ok);
	bytes_free(&big);
}

/* Checks each rendition file: present, decodable, width, bare. */
static void check_renditions(const char *dir, const char *sha,
                             const struct media_renditions *r, int orig_w)
{
	int widths[MEDIA_MAX_WIDTHS], n = media_widths(orig_w, widths), i;
	struct buf name;
	struct bytes b;
	VipsImage *im;

	CHECK_INT(r->n, 2 * n);
	buf_init(&name, 256);
	for (i = 0; i < r->n; i++) {
		buf_reset(&name);
		media_rendition_name(&name, sha, r->r[i].width, r->r[i].format);
		b = read_media(dir, buf_cstr(&name));
		CHECK(b.n > 0 && b.n == r->r[i].bytes);
		CHECK_INT(r->r[i].width, widths[i / 2]);
		CHECK_INT(r->r[i].format,
		          i % 2 ? MEDIA_FMT_JPEG : MEDIA_FMT_WEBP);
		CHECK_INT(media_sniff(S(b)), i % 2 ? MEDIA_JPEG : MEDIA_WEBP);
		im = decoded(b);
		CHECK(im != NULL);
		if (im != NULL) {
			CHECK_INT(im->Xsize, r->r[i].width);
			CHECK_INT(im->Ysize, r->r[i].height);
			CHECK(vips_image_get_interpretation(im) ==
			      VIPS_INTERPRETATION_sRGB);
			CHECK_INT(im->BandFmt, VIPS_FORMAT_UCHAR);
			g_object_unref(im);
		}
		CHECK(bare(b));
		bytes_free(&b);
	}
	buf_free(&name);
}

static void test_renditions(void)
{
	struct bytes b = jpeg_of(1600, 1000), orig;
	struct media_photo *ph = calloc(1, sizeof(*ph)), *again;
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	struct buf name;

	again = calloc(1, sizeof(*again));
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK(ph->created);
	CHECK_INT(ph->info.width, 1600);
	check_renditions(dir, ph->sha, &ph->renditions, 1600);
	CHECK_INT(ph->renditions.r[0].height, 200);
	CHECK_INT(ph->renditions.r[7].height, 1000);
	buf_init(&name, 256);
	media_original_name(&name, ph->sha, MEDIA_JPEG);
	orig = read_media(dir, buf_cstr(&name));
	CHECK(orig.n == b.n && memcmp(orig.p, b.p, b.n) == 0);
	/* The same file again: stored once, nothing rewritten. */
	CHECK_INT(media_add(dir, S(b), 0, again, &e), PR_OK);
	CHECK(!again->created);
	CHECK_STR(again->sha, ph->sha);
	CHECK_INT(again->renditions.n, ph->renditions.n);
	CHECK_INT(again->renditions.r[5].height, ph->renditions.r[5].height);
	CHECK_INT(count_files(dir, "media/orig"), 1);
	CHECK_INT(count_files(dir, "media/r"), 8);
	CHECK_INT(count_files(dir, "media/tmp"), 0);
	CHECK_INT(media_remove(dir, ph->sha, &e), PR_OK);
	CHECK_INT(count_files(dir, "media/orig") + count_files(dir, "media/r"),
	          0);
	buf_free(&name);
	bytes_free(&orig);
	bytes_free(&b);
	free(ph);
	free(again);
}

/* A small original gets one rendition, never upscaled. */
static void test_small(void)
{
	struct bytes b = jpeg_of(150, 100);
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();

	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_INT(ph->renditions.n, 2);
	CHECK_INT(ph->renditions.r[0].width, 150);
	CHECK_INT(ph->renditions.r[0].height, 100);
	check_renditions(dir, ph->sha, &ph->renditions, 150);
	bytes_free(&b);
	free(ph);
}

static void test_orientation(void)
{
	VipsImage *im = picture(800, 400, 3), *c = NULL;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();

	vips_copy(im, &c, NULL);
	vips_image_set_int(c, VIPS_META_ORIENTATION, 6);
	b = encode(c, ".jpg");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_INT(ph->info.orientation, 6);
	CHECK_INT(ph->info.width, 400);
	CHECK_INT(ph->info.height, 800);
	CHECK_INT(ph->renditions.n, 4);
	CHECK_INT(ph->renditions.r[0].width, 320);
	CHECK_INT(ph->renditions.r[0].height, 640);
	CHECK_INT(ph->renditions.r[2].width, 400);
	CHECK_INT(ph->renditions.r[2].height, 800);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	bytes_free(&b);
	g_object_unref(im);
	g_object_unref(c);
	free(ph);
}

/* Average of band 0 of the first rendition of format f. */
static double rendition_avg(const char *dir, struct media_photo *ph,
                            enum media_format f, int *bands)
{
	struct buf name;
	struct bytes b;
	VipsImage *im, *band = NULL;
	double avg = -1;

	buf_init(&name, 256);
	media_rendition_name(&name, ph->sha, ph->renditions.r[f].width, f);
	b = read_media(dir, buf_cstr(&name));
	if ((im = decoded(b)) != NULL) {
		*bands = im->Bands;
		vips_extract_band(im, &band, 0, NULL);
		vips_avg(band, &avg, NULL);
		g_object_unref(band);
		g_object_unref(im);
	}
	bytes_free(&b);
	buf_free(&name);
	return avg;
}

static void test_cmyk(void)
{
	VipsImage *im = picture(500, 400, 3), *cmyk = NULL;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int bands = 0;

	CHECK(vips_colourspace(im, &cmyk, VIPS_INTERPRETATION_CMYK, NULL) == 0);
	b = encode(cmyk, ".jpg");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK(ph->info.cmyk);
	check_renditions(dir, ph->sha, &ph->renditions, 500);
	rendition_avg(dir, ph, MEDIA_FMT_JPEG, &bands);
	CHECK_INT(bands, 3);
	bytes_free(&b);
	g_object_unref(im);
	g_object_unref(cmyk);
	free(ph);
}

/* A JPEG with an embedded profile other than sRGB (CMYK with a profile). */
static void test_icc(void)
{
	VipsImage *im = picture(500, 400, 3), *cmyk = NULL;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int bands = 0;

	CHECK(vips_icc_transform(im, &cmyk, "cmyk", "input_profile", "srgb",
	                         "embedded", FALSE, NULL) == 0);
	b = encode(cmyk, ".jpg");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK(ph->info.icc && ph->info.cmyk);
	check_renditions(dir, ph->sha, &ph->renditions, 500);
	rendition_avg(dir, ph, MEDIA_FMT_WEBP, &bands);
	CHECK_INT(bands, 3);
	bytes_free(&b);
	g_object_unref(im);
	g_object_unref(cmyk);
	free(ph);
}

static void test_16bit(void)
{
	VipsImage *im = picture(400, 300, 3), *wide = NULL, *c = NULL;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	double in_avg = 0, out_avg;
	int bands = 0;

	vips_colourspace(im, &wide, VIPS_INTERPRETATION_RGB16, NULL);
	CHECK(wide != NULL && wide->BandFmt == VIPS_FORMAT_USHORT);
	b = encode(wide, ".png");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_INT(ph->info.bits, 16);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	vips_extract_band(im, &c, 0, NULL);
	vips_avg(c, &in_avg, NULL);
	out_avg = rendition_avg(dir, ph, MEDIA_FMT_JPEG, &bands);
	CHECK(out_avg > in_avg - 6 && out_avg < in_avg + 6);
	bytes_free(&b);
	g_object_unref(im);
	g_object_unref(wide);
	g_object_unref(c);
	free(ph);
}

static void test_alpha(void)
{
	VipsImage *im = picture(400, 300, 3), *alpha = NULL, *a = NULL;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int bands = 0;
	double avg;

	vips_black(&a, 400, 300, NULL); /* fully transparent */
	vips_bandjoin2(im, a, &alpha, NULL);
	b = encode(alpha, ".png");
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK(ph->info.alpha);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	avg = rendition_avg(dir, ph, MEDIA_FMT_JPEG, &bands);
	CHECK_INT(bands, 3);
	CHECK(avg > 250); /* flattened onto white */
	rendition_avg(dir, ph, MEDIA_FMT_WEBP, &bands);
	CHECK_INT(bands, 4);
	bytes_free(&b);
	g_object_unref(im);
	g_object_unref(a);
	g_object_unref(alpha);
	free(ph);
}

/* Three frames stacked, 300 x 200 each: renditions show the first. */
static void test_animated(void)
{
	VipsImage *frames[3], *tall = NULL, *c = NULL;
	struct bytes gif, webp;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int i;

	for (i = 0; i < 3; i++)
		frames[i] = picture(300, 200, 3);
	vips_arrayjoin(frames, &tall, 3, "across", 1, NULL);
	vips_copy(tall, &c, NULL);
	vips_image_set_int(c, VIPS_META_PAGE_HEIGHT, 200);
	gif = encode(c, ".gif");
	webp = encode(c, ".webp");
	CHECK_INT(media_add(dir, S(gif), 0, ph, &e), PR_OK);
	CHECK_INT(ph->info.type, MEDIA_GIF);
	CHECK_INT(ph->info.frames, 3);
	CHECK_INT(ph->info.height, 200);
	check_renditions(dir, ph->sha, &ph->renditions, 300);
	CHECK_INT(ph->renditions.r[0].height, 200);
	CHECK_INT(media_add(dir, S(webp), 0, ph, &e), PR_OK);
	CHECK_INT(ph->info.type, MEDIA_WEBP);
	CHECK_INT(ph->info.frames, 3);
	check_renditions(dir, ph->sha, &ph->renditions, 300);
	CHECK_INT(ph->renditions.r[0].height, 200);
	for (i = 0; i < 3; i++)
		g_object_unref(frames[i]);
	g_object_unref(tall);
	g_object_unref(c);
	bytes_free(&gif);
	bytes_free(&webp);
	free(ph);
}

/* A photo as a camera writes it: EXIF text fields and a GPS position. */
static struct bytes exif_jpeg(const char *desc)
{
	VipsImage *im = picture(700, 500, 3), *c = NULL;
	struct bytes b;

	vips_copy(im, &c, NULL);
	vips_image_set_string(c, "exif-ifd0-ImageDescription", desc);
	vips_image_set_string(c, "exif-ifd0-Artist", "Igor Krasnov");
	vips_image_set_string(c, "exif-ifd0-Copyright", "Press Office");
	vips_image_set_string(c, "exif-ifd2-DateTimeOriginal",
	                      "2021:11:18 09:30:00");
	vips_image_set_string(c, "exif-ifd2-OffsetTimeOriginal", "+06:00");
	vips_image_set_string(c, "exif-ifd3-GPSLatitudeRef", "N");
	vips_image_set_string(c, "exif-ifd3-GPSLatitude", "51/1 10/1 0/1");
	vips_image_set_string(c, "exif-ifd3-GPSLongitudeRef", "E");
	vips_image_set_string(c, "exif-ifd3-GPSLongitude", "71/1 26/1 0/1");
	b = encode(c, ".jpg");
	g_object_unref(im);
	g_object_unref(c);
	return b;
}

static void test_exif(void)
{
	struct bytes b = exif_jpeg("Minister at the summit in Nur-Sultan");
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int64_t when;

	CHECK(has_bytes(b, "GPS") || has_bytes(b, "Exif"));
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_STR(ph->meta.caption, "Minister at the summit in Nur-Sultan");
	CHECK_STR(ph->meta.creator, "Igor Krasnov");
	CHECK_STR(ph->meta.credit, "Igor Krasnov");
	CHECK_STR(ph->meta.copyright, "Press Office");
	CHECK(ph->meta.has_date);
	CHECK(pr_time_parse(STR_LIT("2021-11-18T03:30:00Z"), &when));
	CHECK_INT(ph->meta.date, when);
	check_renditions(dir, ph->sha, &ph->renditions, 700);
	bytes_free(&b);
	b = exif_jpeg("OLYMPUS DIGITAL CAMERA");
	CHECK_INT(media_metadata(S(b), &ph->meta, &e), PR_OK);
	CHECK_STR(ph->meta.caption, "");
	bytes_free(&b);
	free(ph);
}

/* A description longer than libvips keeps: cut at a word, marked. */
static void test_exif_long(void)
{
	char desc[700];
	struct bytes b;
	struct media_meta *m = calloc(1, sizeof(*m));
	struct pr_error e = {PR_OK, ""};
	size_t n;
	int i;

	desc[0] = '\0';
	for (i = 0; i < 60; i++)
		g_strlcat(desc, "word word ", sizeof(desc));
	b = exif_jpeg(desc);
	CHECK_INT(media_metadata(S(b), m, &e), PR_OK);
	n = strlen(m->caption);
	CHECK(n > 100 && n < 300);
	CHECK(g_str_has_prefix(m->caption, "word word"));
	CHECK(g_str_has_suffix(m->caption, "\xe2\x80\xa6"));
	bytes_free(&b);
	free(m);
}

/* IIM datasets in a Photoshop resource block, as APP13 carries them. */
static void iim(GByteArray *a, int rec, int set, const char *v)
{
	guint8 h[5] = {0x1c, (guint8)rec, (guint8)set, (guint8)(strlen(v) >> 8),
	               (guint8)strlen(v)};

	g_byte_array_append(a, h, 5);
	g_byte_array_append(a, (const guint8 *)v, strlen(v));
}

static GByteArray *photoshop_block(GByteArray *iimdata)
{
	GByteArray *a = g_byte_array_new();
	guint8 size[4];

	g_byte_array_append(a, (const guint8 *)"Photoshop 3.0\0", 14);
	g_byte_array_append(a, (const guint8 *)"8BIM\x04\x0c\0\0\0\0\0\0", 12);
	g_byte_array_append(a, (const guint8 *)"8BIM\x04\x04\0\0", 8);
	put32(size, iimdata->len);
	g_byte_array_append(a, size, 4);
	g_byte_array_append(a, iimdata->data, iimdata->len);
	if (iimdata->len & 1)
		g_byte_array_append(a, (const guint8 *)"", 1);
	return a;
}

static struct bytes with_blob(const char *field, const void *p, size_t n)
{
	VipsImage *im = picture(400, 300, 3), *c = NULL;
	struct bytes b;

	vips_copy(im, &c, NULL);
	vips_image_set_blob_copy(c, field, p, n);
	b = encode(c, ".jpg");
	g_object_unref(im);
	g_object_unref(c);
	return b;
}

static void test_iptc(void)
{
	GByteArray *data = g_byte_array_new(), *ps;
	struct bytes b;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int64_t when;

	iim(data, 1, 90, "\x1b%G");
	iim(data, 2, 120, "Igor Krasnov opens the\r\nforum\x01 in Astana");
	iim(data, 2, 80, "Anna Petrova");
	iim(data, 2, 80, "Oleg Sidorov");
	iim(data, 2, 80, "Anna Petrova");
	iim(data, 2, 80, "Anna");
	iim(data, 2, 110, "Ministry press service");
	iim(data, 2, 55, "20211118");
	iim(data, 2, 60, "093000+0300");
	ps = photoshop_block(data);
	b = with_blob(VIPS_META_IPTC_NAME, ps->data, ps->len);
	CHECK(has_bytes(b, "Photoshop 3.0"));
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_STR(ph->meta.caption, "Igor Krasnov opens the forum in Astana");
	CHECK_STR(ph->meta.creator, "Anna Petrova, Oleg Sidorov, Anna");
	CHECK_STR(ph->meta.credit, "Ministry press service");
	CHECK(pr_time_parse(STR_LIT("2021-11-18T06:30:00Z"), &when));
	CHECK(ph->meta.has_date && ph->meta.date == when);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	bytes_free(&b);
	g_byte_array_free(data, TRUE);
	g_byte_array_free(ps, TRUE);
	/* Latin-1, as old IPTC writers leave it. */
	data = g_byte_array_new();
	iim(data, 2, 120, "Caf\xe9 in M\xfcnchen");
	memset(&ph->meta, 0, sizeof(ph->meta));
	media__iptc(data->data, data->len, &ph->meta);
	CHECK_STR(ph->meta.caption, "Caf\xc3\xa9 in M\xc3\xbc"
	                            "nchen");
	g_byte_array_free(data, TRUE);
	free(ph);
}

/* Malformed IIM: lengths past the end, extended lengths, huge resource
 * sizes, random bytes. Nothing may read out of bounds (ASan). */
static void test_iptc_malformed(void)
{
	static const unsigned char cases[][24] = {
	    {0x1c, 2, 120, 0xff, 0xff, 'a'},
	    {0x1c, 2, 120, 0x80, 0x04, 0xff, 0xff, 0xff, 0xff, 'a'},
	    {0x1c, 2, 120, 0x80, 0x00},
	    {0x1c, 2, 120, 0x80, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	    {'8', 'B', 'I', 'M', 4, 4, 0xff, 0, 0, 0, 0, 0},
	    {'8', 'B', 'I', 'M', 4, 4, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0x1c},
	    {0x1c, 2, 55, 0, 8, '2', '0', '2', '1', '1', '3', '4', '0'},
	};
	struct media_meta *m = calloc(1, sizeof(*m));
	unsigned char noise[512];
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (k = 0; k <= sizeof(cases[0]); k++) {
			unsigned char *copy = malloc(k ? k : 1);

			memcpy(copy, cases[i], k);
			memset(m, 0, sizeof(*m));
			media__iptc(copy, k, m);
			free(copy);
		}
	CHECK(!m->has_date);
	srand(7);
	for (i = 0; i < 2000; i++) {
		for (k = 0; k < sizeof(noise); k++)
			noise[k] = (unsigned char)(k % 7 == 0 ? 0x1c : rand());
		media__iptc(noise, (size_t)rand() % sizeof(noise), m);
	}
	free(m);
}

static void test_xmp(void)
{
	static const char xmp[] =
	    "<?xpacket begin='\xef\xbb\xbf' id='W5M0MpCehiHzreSzNTczkc9d'?>"
	    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf="
	    "'http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
	    "<rdf:Description rdf:about='' "
	    "xmlns:dc='http://purl.org/dc/elements/1.1/' "
	    "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
	    "photoshop:Credit='Press service of the Ministry' "
	    "photoshop:DateCreated='2021-11-18T09:30:00+03:00'>"
	    "<dc:description><rdf:Alt><rdf:li xml:lang='ru'>\xd0\x9c\xd0\xb8"
	    "\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82\xd1\x80</rdf:li>"
	    "<rdf:li xml:lang='x-default'>The minister &amp; guests</rdf:li>"
	    "</rdf:Alt></dc:description>"
	    "<dc:creator><rdf:Seq><rdf:li>Anna Petrova</rdf:li>"
	    "<rdf:li>Oleg Sidorov</rdf:li></rdf:Seq></dc:creator>"
	    "</rdf:Description></rdf:RDF></x:xmpmeta>"
	    "<?xpacket end='w'?>";
	struct bytes b = with_blob(VIPS_META_XMP_NAME, xmp, sizeof(xmp) - 1);
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	int64_t when;

	CHECK(has_bytes(b, "http://ns.adobe.com/xap/1.0/"));
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_OK);
	CHECK_STR(ph->meta.caption, "The minister & guests");
	CHECK_STR(ph->meta.creator, "Anna Petrova, Oleg Sidorov");
	CHECK_STR(ph->meta.credit, "Press service of the Ministry");
	CHECK(pr_time_parse(STR_LIT("2021-11-18T06:30:00Z"), &when));
	CHECK(ph->meta.has_date && ph->meta.date == when);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	bytes_free(&b);
	free(ph);
}

/* Entities are never expanded: a packet with a DTD is ignored. */
static void test_xmp_hostile(void)
{
	static const char laughs[] =
	    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
	    "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
	    "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
	    "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>"
	    "<!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>"
	    "<!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>"
	    "<!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>]>"
	    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
	    "xmlns:dc='http://purl.org/dc/elements/1.1/'><rdf:Description>"
	    "<dc:description>&g;&g;&g;&g;</dc:description>"
	    "</rdf:Description></rdf:RDF>";
	static const char broken[] = "<rdf:RDF xmlns:rdf='x'><a><b><c>";
	struct media_meta *m = calloc(1, sizeof(*m));
	GString *deep = g_string_new("");
	int i;

	media__xmp(laughs, sizeof(laughs) - 1, m);
	CHECK_STR(m->caption, "");
	media__xmp(broken, sizeof(broken) - 1, m);
	CHECK_STR(m->caption, "");
	for (i = 0; i < 5000; i++)
		g_string_append(deep, "<a>");
	media__xmp(deep->str, deep->len, m);
	CHECK_STR(m->caption, "");
	g_string_free(deep, TRUE);
	free(m);
}

/* An APP1 EXIF segment whose IFD0 points at itself as the next IFD, with
 * an entry count far past the end: spliced in after SOI. */
static void test_exif_loop(void)
{
	static const unsigned char app1[] = {
	    0xff, 0xe1, 0x00, 0x2a, 'E',  'x',  'i',  'f',  0,    0,    'I',
	    'I',  0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0e, 0x01,
	    0x02, 0x00, 0xff, 0xff, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08,
	    0x00, 0x00, 0x00, 0xff, 0xff, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct bytes b = jpeg_of(400, 300), spliced;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	GByteArray *a = g_byte_array_new();

	g_byte_array_append(a, b.p, 2);
	g_byte_array_append(a, app1, sizeof(app1));
	g_byte_array_append(a, (guint8 *)b.p + 2, b.n - 2);
	spliced = bytes_copy(a->data, a->len);
	CHECK_INT(media_add(dir, S(spliced), 0, ph, &e), PR_OK);
	CHECK_INT(ph->info.width, 400);
	check_renditions(dir, ph->sha, &ph->renditions, 400);
	g_byte_array_free(a, TRUE);
	bytes_free(&b);
	bytes_free(&spliced);
	free(ph);
}

/* A rendition that cannot be written: everything this upload wrote goes,
 * nothing stays in tmp/. */
static void test_write_failure(void)
{
	struct bytes b = jpeg_of(900, 600);
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	const char *dir = data_dir();
	uint8_t h[32];
	char sha[MEDIA_SHA_HEX], path[1024];
	struct buf name;

	hash_sha256(b.p, b.n, h);
	hash_hex(h, 32, sha);
	buf_init(&name, 256);
	media_rendition_name(&name, sha, 640, MEDIA_FMT_JPEG);
	snprintf(path, sizeof(path), "%s/media/%s/x", dir, buf_cstr(&name));
	CHECK(g_mkdir_with_parents(path, 0755) == 0);
	CHECK_INT(media_add(dir, S(b), 0, ph, &e), PR_IO);
	CHECK(contains(e.msg, buf_cstr(&name)));
	CHECK_INT(count_files(dir, "media/tmp"), 0);
	CHECK_INT(count_files(dir, "media/orig"), 0);
	CHECK_INT(count_files(dir, "media/r"), 0); /* x is a folder */
	buf_free(&name);
	bytes_free(&b);
	free(ph);
}

struct worker {
	struct bytes b;
	enum pr_err rc;
	char sha[MEDIA_SHA_HEX];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct media_photo *ph = calloc(1, sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	int i;

	for (i = 0; i < 3 &&
	            (w->rc = media_add(tmp_root, S(w->b), 0, ph, &e)) == PR_OK;
	     i++)
		memcpy(w->sha, ph->sha, sizeof(w->sha));
	free(ph);
	vips_thread_shutdown();
	return NULL;
}

static void test_threads(void)
{
	struct worker w[3];
	pthread_t th[3];
	int i;

	data_dir();
	for (i = 0; i < 3; i++) {
		w[i].b = jpeg_of(900 + 100 * i, 700);
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(w[i].rc, PR_OK);
		bytes_free(&w[i].b);
	}
	CHECK_INT(count_files(tmp_root, "media/orig"), 3);
	CHECK_INT(count_files(tmp_root, "media/tmp"), 0);
}

/* ---- Debian's gdk-pixbuf test images ---- */

static const char *pixbuf_dir(void)
{
	static char dir[1024];
	const char *src = getenv("PR_SOURCE_DIR");

	snprintf(dir, sizeof(dir),
	         "%s/.cache/gdk-pixbuf-tests/usr/libexec/installed-tests/"
	         "gdk-pixbuf",
	         src ? src : ".");
	return access(dir, R_OK) == 0 ? dir : NULL;
}

static int fixtures_ok, fixtures_refused, fixtures_bad;

static bool image_name(const char *path)
{
	static const char *const skip[] = {".ref.png", ".pixdata"};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (g_str_has_suffix(path, skip[i]))
			return false;
	return strchr(strrchr(path, '/'), '.') != NULL;
}

static int fixture(const char *path, const struct stat *st, int flag,
                   struct FTW *ftw)
{
	struct bytes b;
	struct media_photo *ph;
	struct pr_error e = {PR_OK, ""};
	enum pr_err rc;

	if (flag != FTW_F || !image_name(path) || st->st_size > 20 << 20)
		return 0;
	b = read_file(path);
	ph = calloc(1, sizeof(*ph));
	rc = media_add(tmp_root, S(b), 0, ph, &e);
	if (rc == PR_OK) {
		fixtures_ok++;
	} else if ((rc == PR_INVALID || rc == PR_TOOBIG) && e.msg[0]) {
		fixtures_refused++;
		if (getenv("PR_MEDIA_VERBOSE"))
			printf("  %s: %s\n", strstr(path, "gdk-pixbuf/") + 11,
			       e.msg);
	} else {
		fixtures_bad++;
		fprintf(stderr, "  %s: %d %s\n", path, rc, e.msg);
	}
	free(ph);
	bytes_free(&b);
	return 0;
}

static void expect_refused(const char *dir, const char *file, enum pr_err code,
                           const char *part)
{
	char path[1200];
	struct bytes b;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	b = read_file(path);
	CHECK(b.n > 0);
	refused(b, code, part);
	bytes_free(&b);
}

static void test_pixbuf_images(void)
{
	const char *dir = pixbuf_dir();

	if (dir == NULL) {
		printf("skipped test_pixbuf_images: run "
		       "scripts/fetch-test-images.sh for Debian's gdk-pixbuf "
		       "test images\n");
		return;
	}
	data_dir();
	nftw(dir, fixture, 16, FTW_PHYS);
	printf("gdk-pixbuf images: %d handled, %d refused with a reason\n",
	       fixtures_ok, fixtures_refused);
	CHECK_INT(fixtures_bad, 0);
	CHECK(fixtures_ok > 10 && fixtures_refused > 40);
	CHECK_INT(count_files(tmp_root, "media/tmp"), 0);
	expect_refused(dir, "issue205.jpg", PR_TOOBIG, "64250 x 64250 pixels");
	expect_refused(dir, "large.png", PR_TOOBIG, "25200 x 33300 pixels");
	expect_refused(dir, "large.jpg", PR_TOOBIG, "22500 x 33300 pixels");
	expect_refused(dir, "test-images/randomly-modified/bug775697.jpg",
	               PR_INVALID, "Quantization table 0x00 was not defined");
	expect_refused(dir, "test-images/fail/bug780269.tif", PR_INVALID,
	               "TIFF");
	expect_refused(dir, "test-images/fail/invalid.1.png", PR_INVALID,
	               "PNG");
}

int main(void)
{
	struct pr_error e = {PR_OK, ""};

	if (media_init(NULL, &e) != PR_OK) {
		fprintf(stderr, "media_init: %s\n", e.msg);
		return 1;
	}
	TEST_RUN(test_widths);
	TEST_RUN(test_srcset);
	TEST_RUN(test_names);
	TEST_RUN(test_not_images);
	TEST_RUN(test_unsupported_images);
	TEST_RUN(test_probe_jpeg);
	TEST_RUN(test_size_limit);
	TEST_RUN(test_truncated);
	TEST_RUN(test_bombs);
	TEST_RUN(test_configured_limits);
	TEST_RUN(test_renditions);
	TEST_RUN(test_small);
	TEST_RUN(test_orientation);
	TEST_RUN(test_cmyk);
	TEST_RUN(test_icc);
	TEST_RUN(test_16bit);
	TEST_RUN(test_alpha);
	TEST_RUN(test_animated);
	TEST_RUN(test_exif);
	TEST_RUN(test_exif_long);
	TEST_RUN(test_iptc);
	TEST_RUN(test_iptc_malformed);
	TEST_RUN(test_xmp);
	TEST_RUN(test_xmp_hostile);
	TEST_RUN(test_exif_loop);
	TEST_RUN(test_write_failure);
	TEST_RUN(test_threads);
	TEST_RUN(test_pixbuf_images);
	printf("libvips memory high-water: %zu MB\n",
	       vips_tracked_get_mem_highwater() >> 20);
	if (tmp_root[0] != '\0')
		rm_rf(tmp_root);
	media_shutdown();
	TEST_DONE();
}
