/*
 * media/url.c: the renditions of a photo as pages name them, derived from
 * its width alone (media_widths is deterministic), so that a page needs no
 * file system access to offer every size.
 */
#include "media_int.h"

void media_srcset(struct buf *out, const char *prefix, const char *sha_hex,
                  int width, enum media_format f)
{
	int w[MEDIA_MAX_WIDTHS], n = media_widths(width, w);

	for (int i = 0; i < n; i++) {
		buf_adds(out, i ? ", " : "");
		buf_adds(out, prefix);
		media_rendition_name(out, sha_hex, w[i], f);
		buf_addf(out, " %dw", w[i]);
	}
}

int media_width_at_most(int width, int want)
{
	int w[MEDIA_MAX_WIDTHS], n = media_widths(width, w), best = 0;

	for (int i = 0; i < n; i++) /* ascending */
		if (i == 0 || w[i] <= want)
			best = w[i];
	return best;
}
