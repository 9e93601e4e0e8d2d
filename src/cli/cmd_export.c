/*
 * cli/cmd_export.c: `pressroom export [--out DIR]`: every article as JSON
 * Lines, to stdout or to DIR/articles.jsonl.
 */
#include <getopt.h>

#include "../export/export.h"
#include "cli.h"

static int export(struct cli *c, const char *out)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	int64_t n = 0;
	enum pr_err rc;

	if (cli_store(c, STORE_READONLY, &s, &e) != PR_OK)
		return cli_fail(&e);
	if (out)
		rc = export_dir_photos(s, c->data, out, &n, &e);
	else
		rc = export_jsonl(s, stdout, &e);
	store_close(s);
	if (rc != PR_OK)
		return cli_failf("export%s%s: %s", out ? " to " : "",
		                 out ? out : "", e.msg);
	if (out)
		printf("%s/articles.jsonl: %lld article%s\n", out, (long long)n,
		       n == 1 ? "" : "s");
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"out", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == 'o')
			out = optarg;
		else if (ch == 'h')
			return cli_help(&cli_cmd_export);
		else
			return cli_bad_option(&cli_cmd_export, ch, argv);
	}
	if (optind < argc)
		return cli_usage_error(&cli_cmd_export,
		                       "unexpected argument %s", argv[optind]);
	if (out && !out[0])
		return cli_usage_error(&cli_cmd_export, "--out needs a folder");
	return export(c, out);
}

const struct cli_command cli_cmd_export = {
    .name = "export",
    .synopsis = "[--out DIR]",
    .summary = "write every article as JSON Lines (stdout or DIR)",
    .help = "Writes every article, in id order, in the interchange "
            "format that import\nreads. Works while the site is served.\n\n"
            "options:\n"
            "  --out DIR             write DIR/articles.jsonl (created "
            "whole, then\n"
            "                        renamed into place) instead of "
            "standard output\n",
    .run = run,
};
