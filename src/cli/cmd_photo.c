/*
 * cli/cmd_photo.c: `pressroom photo add ARTICLE FILE...` adds image files
 * to an article's photos, all of them or none (one transaction; the files
 * written for a refused set are removed again); `pressroom photo list
 * ARTICLE` shows them in order.
 */
#include <getopt.h>
#include <string.h>

#include "../ingest/ingest.h"
#include "cli.h"

struct photo_args {
	struct ingest_photo ph;
	const char *taken;
};

static int parse_options(int argc, char **argv, struct photo_args *a)
{
	static const struct option opts[] = {
	    {"caption", required_argument, NULL, 'c'},
	    {"credit", required_argument, NULL, 'r'},
	    {"alt", required_argument, NULL, 'a'},
	    {"licence", required_argument, NULL, 'l'},
	    {"taken", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': a->ph.caption = optarg; break;
		case 'r': a->ph.credit = optarg; break;
		case 'a': a->ph.alt = optarg; break;
		case 'l': a->ph.licence = optarg; break;
		case 't': a->taken = optarg; break;
		case 'h': return cli_help(&cli_cmd_photo);
		default: return cli_bad_option(&cli_cmd_photo, ch, argv);
		}
	}
	return -1;
}

/* ARTICLE and the --taken date; -1 to go on, else the exit status. */
static int check_values(int argc, char **argv, struct photo_args *a,
                        int64_t *id)
{
	const struct cli_command *cmd = &cli_cmd_photo;

	if (optind + 1 >= argc)
		return cli_usage_error(cmd, "which article?");
	if (!str_to_i64(str_c(argv[optind + 1]), 1, INT64_MAX, id))
		return cli_usage_error(cmd, "not an article id: \"%s\"",
		                       argv[optind + 1]);
	if (a->taken && !pr_time_parse(str_c(a->taken), &a->ph.taken_at))
		return cli_usage_error(
		    cmd, "--taken: not an RFC 3339 date: \"%s\"", a->taken);
	a->ph.taken_given = a->ph.has_taken = a->taken != NULL;
	return -1;
}

/* Adds every file in one transaction; prints what happened to each. */
static enum pr_err add_all(struct store *s, struct ingest_media *m, int64_t id,
                           struct ingest_photo ph, int n, char **files,
                           struct pr_error *e)
{
	enum pr_err rc = store_begin(s, e);
	bool added;

	for (int i = 0; i < n && rc == PR_OK; i++) {
		ph.file = files[i];
		rc = ingest_photo_add(s, m, id, &ph, &added, e);
		if (rc == PR_OK)
			printf("%s: %s\n", files[i],
			       added ? "added" : "already a photo of it");
	}
	if (rc == PR_OK)
		rc = store_commit(s, e);
	if (rc != PR_OK) {
		store_rollback(s);
		ingest_media_undo(m, s);
	}
	return rc;
}

static int add(struct cli *c, const struct config *cfg, struct photo_args *a,
               int64_t id, int n, char **files)
{
	struct pr_error e = {0};
	struct ingest_media m;
	struct store *s = NULL;
	struct arena *ar = NULL;
	struct article art;
	int rc = CLI_OK;

	if (n == 0)
		return cli_usage_error(&cli_cmd_photo, "which files?");
	if (cli_store(c, 0, &s, &e) != PR_OK)
		return cli_fail(&e);
	ingest_media_init(&m, c->data);
	if (!(ar = arena_new(1 << 20)) ||
	    store_article_get(s, ar, id, &art, &e) != PR_OK ||
	    cli_media(cfg, &e) != PR_OK) {
		rc = ar ? cli_fail(&e) : cli_failf("out of memory");
		goto out;
	}
	if (add_all(s, &m, id, a->ph, n, files, &e) != PR_OK) {
		rc = cli_fail(&e);
		fprintf(stderr, "pressroom: no photo was added\n");
	}
	media_shutdown();
out:
	ingest_media_free(&m);
	arena_free(ar);
	store_close(s);
	return rc;
}

static int list(struct cli *c, int64_t id)
{
	struct arena *ar = arena_new(16 << 20);
	struct pr_error e = {0};
	struct store *s = NULL;
	struct photo_list l;
	int rc = CLI_OK;

	if (!ar)
		return cli_failf("out of memory");
	if (cli_store(c, STORE_READONLY, &s, &e) != PR_OK ||
	    store_photos_of(s, ar, id, &l, &e) != PR_OK) {
		rc = cli_fail(&e);
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct photo *p = &l.v[i];
		printf("%d\t%s.%s\t%dx%d\t%s\t%s\n", p->position, p->sha256,
		       p->type, p->width, p->height, p->caption, p->credit);
	}
out:
	store_close(s);
	arena_free(ar);
	return rc;
}

static int run(struct cli *c, int argc, char **argv)
{
	struct photo_args a = {0};
	struct pr_error e = {0};
	struct config cfg;
	int64_t id = 0;
	int rc;

	if ((rc = parse_options(argc, argv, &a)) >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(&cli_cmd_photo, "add or list?");
	if ((rc = check_values(argc, argv, &a, &id)) >= 0)
		return rc;
	if (strcmp(argv[optind], "list") == 0)
		return optind + 2 == argc
		           ? list(c, id)
		           : cli_usage_error(&cli_cmd_photo,
		                             "unexpected argument %s",
		                             argv[optind + 2]);
	if (strcmp(argv[optind], "add") != 0)
		return cli_usage_error(&cli_cmd_photo,
		                       "unknown action \"%s\" (add or list)",
		                       argv[optind]);
	if (cli_config(c, &cfg, &e) != PR_OK)
		return cli_fail(&e);
	if (!pr_time_set_zone(cfg.timezone))
		return cli_failf("%s: timezone: unknown time zone \"%s\"",
		                 c->conf, cfg.timezone);
	return add(c, &cfg, &a, id, argc - optind - 2, argv + optind + 2);
}

const struct cli_command cli_cmd_photo = {
    .name = "photo",
    .synopsis = "add ARTICLE FILE... | list ARTICLE",
    .summary = "add image files to an article's photos, or list them",
    .help = "add: checks each FILE by its content (JPEG, PNG, WebP or GIF, "
            "within\nupload_max_mb and image_max_megapixels), stores the "
            "original under its\nSHA-256 in DIR/media/ with its renditions "
            "and appends it to the article's\nphotos. All files or none: a "
            "file that is refused stops the command with\nits name and "
            "the reason, and nothing is added. A file the article has\n"
            "already changes nothing. Caption, credit and date come from "
            "the image's\nEXIF, IPTC or XMP unless given here.\n"
            "list: position, file, size, caption and credit of each "
            "photo.\n\n"
            "options of add (for every FILE):\n"
            "  --caption TEXT        the caption\n"
            "  --credit TEXT         who took it or owns it\n"
            "  --alt TEXT            what it shows, for those who cannot "
            "see it\n"
            "  --licence TEXT        its licence\n"
            "  --taken RFC3339       when it was taken\n",
    .run = run,
};
