/*
 * cli.h: what the files of src/cli share: the command table, the data
 * folder and its files, option parsing and the exit statuses of
 * `pressroom`. Only the files of src/cli include it.
 */
#ifndef PR_CLI_H
#define PR_CLI_H

#include "../core/core.h"
#include "../store/store.h"

#ifndef PR_VERSION_STRING
#define PR_VERSION_STRING "0.1.0"
#endif

/* Exit statuses of DESIGN.md. */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1, /* the command could not do its work */
	CLI_USAGE = 2,  /* the command line was wrong */
};

/* Where the command works. */
struct cli {
	const char *data; /* the data folder */
	char conf[4096];  /* DATA/pressroom.conf */
	char db[4096];    /* DATA/pressroom.db */
};

struct cli_command {
	const char *name;
	const char *synopsis; /* the arguments, for usage lines */
	const char *summary;  /* one line for `pressroom --help` */
	const char *help;     /* the options, for `pressroom CMD --help` */
	int (*run)(struct cli *c, int argc, char **argv);
};

/* cli/main.c */

extern const struct cli_command cli_cmd_init, cli_cmd_import, cli_cmd_export,
    cli_cmd_serve, cli_cmd_check, cli_cmd_backup, cli_cmd_user, cli_cmd_audit,
    cli_cmd_photo, cli_cmd_reindex;

/* cli/util.c */

/* Prints the command's usage and options to stdout; returns CLI_OK. */
int cli_help(const struct cli_command *cmd);
/* Prints "pressroom CMD: what" and the usage line to stderr; returns
 * CLI_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
    PR_PRINTF(2, 3);
/* The usage error for what getopt_long returned as ch ('?' or ':'). */
int cli_bad_option(const struct cli_command *cmd, int ch, char **argv);
/* Parses the command line of a command whose only option is --help:
 * returns the exit status when that is all there is to do (help shown or
 * a usage error), else -1 with optind at the first argument. */
int cli_help_only(const struct cli_command *cmd, int argc, char **argv);
/* Prints "pressroom: MESSAGE" to stderr; returns CLI_FAILED. */
int cli_fail(const struct pr_error *e);
/* Like cli_fail for a message formatted here. */
int cli_failf(const char *fmt, ...) PR_PRINTF(1, 2);

/* Prepares the getopt_long state for a command's argv (argv[0] is the
 * command's name). */
void cli_getopt_reset(void);

/* Fills c for the data folder data. PR_TOOBIG for an absurd path. */
enum pr_err cli_paths(struct cli *c, const char *data, struct pr_error *e);
/* The defaults, with DATA/pressroom.conf over them when it exists. */
enum pr_err cli_config(const struct cli *c, struct config *cfg,
                       struct pr_error *e);
/* Opens DATA/pressroom.db (which must exist unless flags has
 * STORE_CREATE); the message says to run init when there is none. */
enum pr_err cli_store(const struct cli *c, unsigned flags, struct store **out,
                      struct pr_error *e);
/* true when path names something that exists. */
bool cli_exists(const char *path);
/* Starts src/media (libvips) with the limits of cfg (upload_max_mb,
 * image_max_megapixels); media_shutdown when the command ends. */
enum pr_err cli_media(const struct config *cfg, struct pr_error *e);

/* cli/check_media.c */

/* `check`: every photo's files are under DIR/media/; prints "ok ..." or
 * the problem. */
bool cli_check_media(const struct cli *c);

#endif
