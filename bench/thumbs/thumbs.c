/*
 * bench/thumbs/thumbs.c: the media side of bench/thumbs.sh.
 *
 *   thumbs plan FILE...       prints "WIDTH<TAB>FILE" for every rendition
 *                             width media_widths gives each photo, so that
 *                             the other tools make exactly the same sizes
 *   thumbs run DATA FILE...   media_add of each file into the data folder
 *                             DATA: the whole upload (checks, hash, the
 *                             renditions, the original, the metadata), one
 *                             photo after another as an editor's uploads
 *                             arrive; prints photos, renditions, seconds
 *                             (with PR_THUMBS_VERBOSE set, also the time and
 *                             resident memory after each photo)
 */
#include "media/media.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool slurp(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	buf_reset(b);
	if (f == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return b->err == PR_OK;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Resident memory now, for PR_THUMBS_VERBOSE. */
static size_t rss_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0, rss = 0;

	if (f != NULL) {
		if (fscanf(f, "%lu %lu", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4096 / 1048576;
}

static int plan(int argc, char **argv)
{
	struct buf b;
	struct media_info info;
	struct pr_error e = {PR_OK, ""};
	int i, k, n, w[MEDIA_MAX_WIDTHS], rc = 0;

	buf_init(&b, (size_t)1 << 30);
	for (i = 0; i < argc; i++) {
		pr_error_clear(&e);
		if (!slurp(argv[i], &b) ||
		    media_probe(buf_str(&b), 0, &info, &e) != PR_OK) {
			fprintf(stderr, "%s: %s\n", argv[i], e.msg);
			rc = 1;
			continue;
		}
		n = media_widths(info.width, w);
		for (k = 0; k < n; k++)
			printf("%d\t%s\n", w[k], argv[i]);
	}
	buf_free(&b);
	return rc;
}

static int run(const char *data, int argc, char **argv)
{
	struct buf b;
	struct media_photo *ph = malloc(sizeof(*ph));
	struct pr_error e = {PR_OK, ""};
	int i, photos = 0, renditions = 0, rc = 0;
	double t0, busy = 0;

	buf_init(&b, (size_t)1 << 30);
	for (i = 0; i < argc && ph != NULL; i++) {
		pr_error_clear(&e);
		if (!slurp(argv[i], &b)) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			rc = 1;
			continue;
		}
		t0 = now();
		if (media_add(data, buf_str(&b), 0, ph, &e) != PR_OK) {
			fprintf(stderr, "%s: %s\n", argv[i], e.msg);
			rc = 1;
			continue;
		}
		busy += now() - t0;
		if (getenv("PR_THUMBS_VERBOSE") != NULL)
			fprintf(stderr, "%s: %.3f s, %zu MB\n", argv[i],
			        now() - t0, rss_mb());
		photos++;
		renditions += ph->renditions.n;
	}
	printf("photos %d renditions %d seconds %.3f\n", photos, renditions,
	       busy);
	buf_free(&b);
	free(ph);
	return rc;
}

int main(int argc, char **argv)
{
	struct pr_error e = {PR_OK, ""};
	int rc;

	if (argc < 3 || (strcmp(argv[1], "plan") != 0 &&
	                 (strcmp(argv[1], "run") != 0 || argc < 4))) {
		fprintf(stderr,
		        "usage: thumbs plan FILE... | run DATA FILE...\n");
		return 2;
	}
	log_set_level(LOG_ERROR);
	if (media_init(NULL, &e) != PR_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	if (strcmp(argv[1], "plan") == 0)
		rc = plan(argc - 2, argv + 2);
	else
		rc = run(argv[2], argc - 3, argv + 3);
	media_shutdown();
	return rc;
}
