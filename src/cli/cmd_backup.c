/*
 * cli/cmd_backup.c: `pressroom backup FILE`: an online copy of the
 * database, consistent even while `serve` or an import runs.
 */
#include <getopt.h>

#include "cli.h"

static int backup(struct cli *c, const char *dest)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	enum pr_err rc;

	if (cli_store(c, 0, &s, &e) != PR_OK)
		return cli_fail(&e);
	rc = store_backup(s, dest, &e);
	store_close(s);
	if (rc != PR_OK)
		return cli_fail(&e);
	printf("backed up %s to %s\n", c->db, dest);
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	int rc;

	if ((rc = cli_help_only(&cli_cmd_backup, argc, argv)) >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(&cli_cmd_backup, "which file?");
	if (optind + 1 < argc)
		return cli_usage_error(&cli_cmd_backup,
		                       "unexpected argument %s",
		                       argv[optind + 1]);
	if (!argv[optind][0])
		return cli_usage_error(&cli_cmd_backup,
		                       "the file name is empty");
	return backup(c, argv[optind]);
}

const struct cli_command cli_cmd_backup = {
    .name = "backup",
    .synopsis = "FILE",
    .summary = "copy the database to FILE, also while serving",
    .help = "Copies DIR/pressroom.db to FILE with SQLite's online backup: "
            "the copy is\nconsistent even while the site is served or an "
            "import runs. FILE is\nwritten under a temporary name and "
            "renamed when complete; an existing\nFILE is replaced.\n",
    .run = run,
};
