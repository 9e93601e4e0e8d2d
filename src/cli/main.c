/*
 * cli/main.c: `pressroom [--data DIR] COMMAND [ARGS]`: the global options,
 * the data folder (--data, else $PRESSROOM_DATA, else ./data) and the
 * table of commands.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command *const commands[] = {
    &cli_cmd_init,  &cli_cmd_import,  &cli_cmd_export, &cli_cmd_serve,
    &cli_cmd_check, &cli_cmd_backup,  &cli_cmd_user,   &cli_cmd_audit,
    &cli_cmd_photo, &cli_cmd_reindex,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f, bool full)
{
	fprintf(f, "usage: pressroom [--data DIR] COMMAND [ARGS]\n");
	if (!full) {
		fprintf(f, "(pressroom --help for the commands)\n");
		return;
	}
	fprintf(f, "\npressroom publishes and archives news. DIR is the data "
	           "folder: --data DIR,\nelse $PRESSROOM_DATA, else ./data.\n\n"
	           "commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char left[64];
		snprintf(left, sizeof left, "%s %s", commands[i]->name,
		         commands[i]->synopsis);
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s %s\n", left, "",
			        commands[i]->summary);
		else
			fprintf(f, "  %-26s %s\n", left, commands[i]->summary);
	}
	fprintf(f,
	        "\noptions:\n"
	        "  --data DIR     the data folder\n"
	        "  -h, --help     show this help\n"
	        "  --version      show the version\n\n"
	        "pressroom COMMAND --help shows the options of a command.\n");
}

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void version(void)
{
	printf("pressroom %s (database schema %d)\n", PR_VERSION_STRING,
	       store_schema_version());
}

/* The data folder when --data did not say. */
static const char *default_data(void)
{
	const char *env = getenv("PRESSROOM_DATA");

	return env && env[0] ? env : "./data";
}

/* Parses the options before the command; *data gets --data. Returns -1 to
 * go on, else the exit status. */
static int global_options(int argc, char **argv, const char **data)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, "+:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': *data = optarg; break;
		case 'h': usage(stdout, true); return CLI_OK;
		case 'V': version(); return CLI_OK;
		case ':':
			fprintf(stderr, "pressroom: %s needs a value\n",
			        argv[optind - 1]);
			usage(stderr, false);
			return CLI_USAGE;
		default:
			fprintf(stderr, "pressroom: unknown option %s\n",
			        argv[optind - 1]);
			usage(stderr, false);
			return CLI_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *data = NULL;
	struct pr_error e = {0};
	struct cli c;
	int rc;

	if ((rc = global_options(argc, argv, &data)) >= 0)
		return rc;
	if (optind >= argc) {
		fprintf(stderr, "pressroom: which command?\n");
		usage(stderr, false);
		return CLI_USAGE;
	}
	if (!(cmd = find_command(argv[optind]))) {
		fprintf(stderr, "pressroom: unknown command \"%s\"\n",
		        argv[optind]);
		usage(stderr, false);
		return CLI_USAGE;
	}
	if (!data)
		data = default_data();
	if (!data[0])
		return cli_usage_error(cmd, "--data needs a folder");
	if (cli_paths(&c, data, &e) != PR_OK)
		return cli_fail(&e);
	return cmd->run(&c, argc - optind, argv + optind);
}
