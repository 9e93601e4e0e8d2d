/*
 * mkimage.c: test images for the photo tests, made with libvips:
 *
 *   pr-mkimage KIND WIDTH HEIGHT OUT
 *
 * KIND: jpeg, png, png16 (16 bits a sample), png-alpha, grey (a one-band
 * JPEG), cmyk (a CMYK JPEG), webp, gif-anim and webp-anim (three frames
 * of HEIGHT each), tiff. The picture is a colour gradient with a little
 * noise, so files stay small and renditions can be compared by eye.
 * Metadata is the tests' business: they add EXIF and IPTC segments to the
 * JPEG themselves, byte by byte, the way cameras and editors write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

/* An 8-bit sRGB gradient, w x h, three bands. */
static VipsImage *picture(int w, int h)
{
	VipsImage *xy = NULL, *bands[3] = {NULL}, *noise = NULL, *rgb = NULL,
	          *sum = NULL, *out = NULL, *b[2] = {NULL};
	double k[3][2] = {
	    {255.0 / w, 0}, {0, 255.0 / h}, {-128.0 / w, 128.0 / h}};
	double off[3] = {0, 0, 128};

	vips_xyz(&xy, w, h, NULL);
	vips_extract_band(xy, &b[0], 0, NULL);
	vips_extract_band(xy, &b[1], 1, NULL);
	for (int i = 0; i < 3; i++) {
		VipsImage *x = NULL, *y = NULL, *t = NULL;
		vips_linear1(b[0], &x, k[i][0], off[i], NULL);
		vips_linear1(b[1], &y, k[i][1], 0, NULL);
		vips_add(x, y, &t, NULL);
		bands[i] = t;
		g_object_unref(x);
		g_object_unref(y);
	}
	vips_bandjoin(bands, &rgb, 3, NULL);
	vips_gaussnoise(&noise, w, h, "mean", 0.0, "sigma", 6.0, NULL);
	vips_add(rgb, noise, &sum, NULL);
	vips_cast(sum, &out, VIPS_FORMAT_UCHAR, NULL);
	vips_image_set_int(out, "interpretation", VIPS_INTERPRETATION_sRGB);
	for (int i = 0; i < 3; i++)
		g_object_unref(bands[i]);
	g_object_unref(b[0]);
	g_object_unref(b[1]);
	g_object_unref(xy);
	g_object_unref(noise);
	g_object_unref(rgb);
	g_object_unref(sum);
	return out;
}

static VipsImage *frames(int w, int h)
{
	VipsImage *f[3], *tall = NULL, *out = NULL;

	for (int i = 0; i < 3; i++)
		f[i] = picture(w, h);
	vips_arrayjoin(f, &tall, 3, "across", 1, NULL);
	vips_copy(tall, &out, NULL);
	vips_image_set_int(out, VIPS_META_PAGE_HEIGHT, h);
	for (int i = 0; i < 3; i++)
		g_object_unref(f[i]);
	g_object_unref(tall);
	return out;
}

static VipsImage *make(const char *kind, int w, int h, const char **suffix)
{
	VipsImage *im = picture(w, h), *out = NULL, *a = NULL;

	*suffix = ".jpg[Q=88]";
	if (strcmp(kind, "jpeg") == 0) {
		out = im;
		im = NULL;
	} else if (strcmp(kind, "png") == 0 || strcmp(kind, "webp") == 0 ||
	           strcmp(kind, "tiff") == 0) {
		*suffix = kind[0] == 'p'   ? ".png"
		          : kind[0] == 'w' ? ".webp"
		                           : ".tif";
		out = im;
		im = NULL;
	} else if (strcmp(kind, "png16") == 0) {
		*suffix = ".png";
		vips_colourspace(im, &out, VIPS_INTERPRETATION_RGB16, NULL);
	} else if (strcmp(kind, "png-alpha") == 0) {
		*suffix = ".png";
		vips_black(&a, w, h, NULL);
		vips_bandjoin2(im, a, &out, NULL);
	} else if (strcmp(kind, "grey") == 0) {
		vips_colourspace(im, &out, VIPS_INTERPRETATION_B_W, NULL);
	} else if (strcmp(kind, "cmyk") == 0) {
		vips_colourspace(im, &out, VIPS_INTERPRETATION_CMYK, NULL);
	} else if (strcmp(kind, "gif-anim") == 0 ||
	           strcmp(kind, "webp-anim") == 0) {
		*suffix = kind[0] == 'g' ? ".gif" : ".webp";
		out = frames(w, h);
	}
	if (im)
		g_object_unref(im);
	if (a)
		g_object_unref(a);
	return out;
}

int main(int argc, char **argv)
{
	const char *suffix = NULL;
	VipsImage *im;
	void *p = NULL;
	size_t n = 0;
	FILE *f;
	int w, h;

	if (argc != 5 || (w = (int)strtol(argv[2], NULL, 10)) < 1 ||
	    (h = (int)strtol(argv[3], NULL, 10)) < 1 || w > 30000 ||
	    h > 30000) {
		fprintf(stderr, "usage: pr-mkimage KIND WIDTH HEIGHT OUT\n");
		return 2;
	}
	if (VIPS_INIT(argv[0]) != 0)
		return 1;
	if (!(im = make(argv[1], w, h, &suffix))) {
		fprintf(stderr, "pr-mkimage: unknown kind %s\n", argv[1]);
		return 2;
	}
	if (vips_image_write_to_buffer(im, suffix, &p, &n, NULL) != 0 ||
	    !(f = fopen(argv[4], "wb")) || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0) {
		fprintf(stderr, "pr-mkimage: %s: %s\n", argv[4],
		        vips_error_buffer());
		return 1;
	}
	g_free(p);
	g_object_unref(im);
	vips_shutdown();
	return 0;
}
