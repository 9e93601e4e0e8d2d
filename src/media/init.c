/*
 * media/init.c: starting libvips once for the process with the settings an
 * upload server needs (no operation cache, only the four accepted
 * loaders, warnings into pressroom's log), the limits on uploads, and the
 * translation of libvips' error buffer into a struct pr_error.
 */
#include "media_int.h"

#include <libxml/parser.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static struct media_limits limits;
static bool started;

/* The loaders left reachable; every other VipsForeignLoad is blocked. */
static const char *const loaders[] = {
    "VipsForeignLoadJpeg",
    "VipsForeignLoadPng",
    "VipsForeignLoadWebp",
    "VipsForeignLoadNsgif",
};

void media_limits_default(struct media_limits *lim)
{
	lim->max_bytes = (size_t)50 << 20;
	lim->max_pixels = 100000000;
	lim->max_side = 20000;
	lim->threads = 0;
}

const struct media_limits *media__limits(void)
{
	return &limits;
}

void media_limits_get(struct media_limits *lim)
{
	*lim = limits;
}

/* Untrusted files make libvips warn all the time; that is debug noise for
 * an operator, and the text may come from the file, so log_msg cleans it. */
static void log_vips(const gchar *domain, GLogLevelFlags level,
                     const gchar *message, gpointer data)
{
	log_debug("libvips: %s", message ? message : "");
}

static void block_loaders(void)
{
	size_t i;

	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++)
		vips_operation_block_set(loaders[i], FALSE);
}

/*
 * Decoders and encoders allocate from many threads, and glibc gives each
 * thread its own arena, up to eight a core, keeping what is freed in each:
 * a server that has made thumbnails for an hour holds hundreds of MB it
 * does not use. Two arenas keep the peak near what one photo needs (bench/
 * thumbs.sh: 490 MB before, 200 MB after, same speed). MALLOC_ARENA_MAX in
 * the environment still wins.
 */
static void limit_arenas(void)
{
	if (getenv("MALLOC_ARENA_MAX") == NULL)
		mallopt(M_ARENA_MAX, 2);
}

static enum pr_err start(struct pr_error *e)
{
	if (VIPS_INIT("pressroom") != 0)
		return media__vips_fail(e, PR_INTERNAL, "cannot start libvips");
	limit_arenas();
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	block_loaders();
	g_log_set_handler("VIPS",
	                  G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
	                      G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
	                  log_vips, NULL);
	xmlInitParser();
	started = true;
	return PR_OK;
}

enum pr_err media_init(const struct media_limits *lim, struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	if (!started && (rc = start(e)) != PR_OK)
		goto out;
	if (lim != NULL)
		limits = *lim;
	else
		media_limits_default(&limits);
	if (limits.threads > 0)
		vips_concurrency_set(limits.threads);
out:
	return rc;
}

void media_shutdown(void)
{
	if (!started)
		return;
	vips_shutdown();
	started = false;
}

/* The reason in the last libvips error line (earlier ones are often
 * warnings that led up to it): "VipsJpeg: Premature end of input file"
 * gives "Premature end of input file". */
static struct str vips_reason(const char *text)
{
	struct str s = str_c(text), line = STR_NULL, next;
	long colon;

	while (s.n > 0) {
		next = str_trim(str_cut(&s, '\n'));
		if (next.n > 0)
			line = next;
	}
	colon = str_index(line, ':');
	if (colon > 0 &&
	    str_index((struct str){line.p, (size_t)colon}, ' ') < 0)
		line = str_trim((struct str){line.p + colon + 1,
		                             line.n - (size_t)colon - 1});
	return line;
}

enum pr_err media__vips_fail(struct pr_error *e, enum pr_err code,
                             const char *what)
{
	char *text = vips_error_buffer_copy();
	char clean[300];
	struct str reason = vips_reason(text);

	media__clean(reason.p, reason.n, clean, sizeof(clean));
	if (clean[0] != '\0')
		pr_fail(e, code, "%s: %s", what, clean);
	else
		pr_fail(e, code, "%s", what);
	g_free(text);
	return code;
}
