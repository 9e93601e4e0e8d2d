/*
 * cli/cmd_import.c: `pressroom import [options] FILE...`: each file in its
 * own transaction, in the order given, stopping at the first that fails.
 */
#include <getopt.h>
#include <string.h>

#include "../ingest/ingest.h"
#include "../media/media.h"
#include "cli.h"

struct import_args {
	struct ingest_opts o;
	const char *date, *translation;
};

static int parse_options(int argc, char **argv, struct import_args *a)
{
	static const struct option opts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"date", required_argument, NULL, 'd'},
	    {"kind", required_argument, NULL, 'k'},
	    {"translation-of", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': a->o.lang = optarg; break;
		case 'd': a->date = optarg; break;
		case 'k': a->o.kind = optarg; break;
		case 't': a->translation = optarg; break;
		case 'h': return cli_help(&cli_cmd_import);
		default: return cli_bad_option(&cli_cmd_import, ch, argv);
		}
	}
	return -1;
}

/* The option values that the configuration does not decide. */
static int check_values(struct import_args *a, const struct config *cfg)
{
	const struct cli_command *cmd = &cli_cmd_import;

	if (a->date && !pr_time_parse(str_c(a->date), &a->o.date))
		return cli_usage_error(cmd,
		                       "--date: not an RFC 3339 date: "
		                       "\"%s\" (like 2021-11-18T09:30:00Z)",
		                       a->date);
	a->o.has_date = a->date != NULL;
	if (a->translation && !str_to_i64(str_c(a->translation), 1, INT64_MAX,
	                                  &a->o.translation_of))
		return cli_usage_error(cmd,
		                       "--translation-of: not an article "
		                       "id: \"%s\"",
		                       a->translation);
	if (a->o.lang && !config_has_language(cfg, str_c(a->o.lang)))
		return cli_usage_error(cmd,
		                       "--lang: \"%s\" is not a language "
		                       "of this site",
		                       a->o.lang);
	if (a->o.kind && !store_kind_valid(str_c(a->o.kind)))
		return cli_usage_error(cmd, "--kind: unknown kind \"%s\"",
		                       a->o.kind);
	return -1;
}

static void report(const char *path, const struct ingest_result *r)
{
	printf("%s: %lld item%s imported", path, (long long)r->items,
	       r->items == 1 ? "" : "s");
	if (r->items == 1)
		printf(" (id %lld)", (long long)r->first_id);
	else if (r->items > 1)
		printf(" (ids %lld to %lld)", (long long)r->first_id,
		       (long long)r->last_id);
	if (r->photos > 0)
		printf(", %lld photo%s", (long long)r->photos,
		       r->photos == 1 ? "" : "s");
	if (r->photo_count >= 0)
		printf("; it lists %ld photo%s (add them with `pressroom "
		       "photo add`)",
		       r->photo_count, r->photo_count == 1 ? "" : "s");
	printf("\n");
}

/* After file i failed: which files were imported and which not tried. */
static void report_failure(int i, int n, char **files)
{
	if (i == 0) {
		fprintf(stderr, "pressroom: nothing was imported\n");
	} else {
		fprintf(stderr, "pressroom: imported before the error:");
		for (int k = 0; k < i; k++)
			fprintf(stderr, " %s", files[k]);
		fputc('\n', stderr);
	}
	if (i + 1 < n) {
		fprintf(stderr, "pressroom: not imported:");
		for (int k = i; k < n; k++)
			fprintf(stderr, " %s", files[k]);
		fputc('\n', stderr);
	}
}

static int import_files(struct cli *c, const struct config *cfg,
                        const struct ingest_opts *o, int n, char **files)
{
	struct pr_error e = {0};
	struct ingest_result r;
	struct store *s = NULL;
	int rc = CLI_OK;

	if (cli_store(c, 0, &s, &e) != PR_OK)
		return cli_fail(&e);
	for (int i = 0; i < n && rc == CLI_OK; i++) {
		if (ingest_file(s, cfg, files[i], o, &r, &e) != PR_OK) {
			rc = cli_fail(&e);
			report_failure(i, n, files);
		} else {
			report(files[i], &r);
		}
	}
	store_close(s);
	return rc;
}

static int run(struct cli *c, int argc, char **argv)
{
	struct import_args a = {0};
	struct pr_error e = {0};
	struct config cfg;
	int rc;

	if ((rc = parse_options(argc, argv, &a)) >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(&cli_cmd_import, "which files?");
	if (cli_config(c, &cfg, &e) != PR_OK)
		return cli_fail(&e);
	if ((rc = check_values(&a, &cfg)) >= 0)
		return rc;
	if (cli_media(&cfg, &e) != PR_OK)
		return cli_fail(&e);
	a.o.data_dir = c->data;
	rc = import_files(c, &cfg, &a.o, argc - optind, argv + optind);
	media_shutdown();
	return rc;
}

const struct cli_command cli_cmd_import = {
    .name = "import",
    .synopsis = "[options] FILE...",
    .summary = "import JSON Lines files and plain-text releases",
    .help = "A FILE ending in .jsonl or .json holds articles in the "
            "interchange format\n(one JSON object a line; the files of its "
            "photos are named relative to\nit); one ending in .txt is a "
            "plain-text release (title, optional\n\"9 Photo\" line, "
            "paragraphs). Other files are told apart by their first\n"
            "character ('{' for JSON Lines). Each file is imported whole "
            "or not at all,\nphotos included; the first file that fails "
            "stops the import.\n\n"
            "options for plain-text releases:\n"
            "  --date RFC3339        when it was published (required), like\n"
            "                        2021-11-18T09:30:00Z\n"
            "  --lang LANG           its language (default: "
            "default_language)\n"
            "  --kind KIND           news, statement, speech, interview or\n"
            "                        announcement (default: news)\n"
            "  --translation-of ID   it translates article ID\n",
    .run = run,
};
