/*
 * fuzz_image.c: libFuzzer target for what media does with an upload
 * before anything is stored: media_probe (magic numbers, the header through
 * libvips, the pixel limits, one full decode at a reduced size) and
 * media_metadata (EXIF strings, IPTC, XMP). Besides crashes and sanitizer
 * reports it checks media's promises: a refusal always carries a message,
 * an accepted image has a size within the limits, and metadata strings are
 * valid UTF-8 within their bounds. Limits are lowered so that each input
 * stays fast.
 */
#include "media/media.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void setup(void)
{
	struct media_limits lim;
	struct pr_error e = {PR_OK, ""};

	media_limits_default(&lim);
	lim.max_bytes = 1 << 20;
	lim.max_pixels = 4000000;
	lim.max_side = 4000;
	lim.threads = 1;
	log_set_level(LOG_ERROR);
	if (media_init(&lim, &e) != PR_OK)
		abort();
}

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n >= cap || !utf8_valid(s, n, NULL))
		abort();
}

static void check_meta(const struct media_meta *m)
{
	check_text(m->caption, sizeof(m->caption));
	check_text(m->credit, sizeof(m->credit));
	check_text(m->creator, sizeof(m->creator));
	check_text(m->copyright, sizeof(m->copyright));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct str bytes = {(const char *)data, size};
	struct media_info info;
	struct media_meta *meta = malloc(sizeof(*meta));
	struct pr_error e = {PR_OK, ""};

	if (!ready) {
		setup();
		ready = true;
	}
	if (media_probe(bytes, 0, &info, &e) != PR_OK) {
		if (e.msg[0] == '\0' || info.type != MEDIA_UNKNOWN)
			abort();
	} else if (info.width <= 0 || info.height <= 0 || info.width > 4000 ||
	           info.height > 4000) {
		abort();
	}
	pr_error_clear(&e);
	if (meta != NULL && media_metadata(bytes, meta, &e) == PR_OK)
		check_meta(meta);
	free(meta);
	return 0;
}
