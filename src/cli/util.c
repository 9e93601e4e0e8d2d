/*
 * cli/util.c: what every command needs: usage and error messages, the
 * getopt_long state, the data folder's files, the configuration and the
 * database.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "../media/media.h"
#include "cli.h"

int cli_help(const struct cli_command *cmd)
{
	printf("usage: pressroom [--data DIR] %s%s%s\n\n%s\n", cmd->name,
	       cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->summary);
	if (cmd->help && cmd->help[0])
		printf("\n%s", cmd->help);
	printf("\n  -h, --help            show this help\n");
	return CLI_OK;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pressroom %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr,
	        "\nusage: pressroom [--data DIR] %s%s%s\n"
	        "(pressroom %s --help for more)\n",
	        cmd->name, cmd->synopsis[0] ? " " : "", cmd->synopsis,
	        cmd->name);
	return CLI_USAGE;
}

int cli_bad_option(const struct cli_command *cmd, int ch, char **argv)
{
	const char *opt = argv[optind - 1];

	if (ch == ':')
		return cli_usage_error(cmd, "%s needs a value", opt);
	if (optopt && !str_prefix(str_c(opt), STR_LIT("--")))
		return cli_usage_error(cmd, "unknown option -%c", optopt);
	return cli_usage_error(cmd, "unknown option %s", opt);
}

int cli_help_only(const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(cmd);
		return cli_bad_option(cmd, ch, argv);
	}
	return -1;
}

int cli_fail(const struct pr_error *e)
{
	fprintf(stderr, "pressroom: %s\n",
	        e->msg[0] ? e->msg : pr_strerror(e->code));
	return CLI_FAILED;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;

	fputs("pressroom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAILED;
}

void cli_getopt_reset(void)
{
	optind = 0; /* glibc: start over, as for a new argv */
	opterr = 0; /* the messages are ours */
}

enum pr_err cli_paths(struct cli *c, const char *data, struct pr_error *e)
{
	int n1, n2;

	c->data = data;
	n1 = snprintf(c->conf, sizeof c->conf, "%s/pressroom.conf", data);
	n2 = snprintf(c->db, sizeof c->db, "%s/pressroom.db", data);
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof c->conf ||
	    (size_t)n2 >= sizeof c->db)
		return pr_fail(e, PR_TOOBIG, "%s: the path is too long", data);
	return PR_OK;
}

bool cli_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

enum pr_err cli_config(const struct cli *c, struct config *cfg,
                       struct pr_error *e)
{
	config_defaults(cfg);
	if (!cli_exists(c->conf) && errno == ENOENT)
		return PR_OK;
	return config_load(cfg, c->conf, e);
}

enum pr_err cli_store(const struct cli *c, unsigned flags, struct store **out,
                      struct pr_error *e)
{
	*out = NULL;
	if (!(flags & STORE_CREATE) && !cli_exists(c->db) && errno == ENOENT)
		return pr_fail(e, PR_NOTFOUND,
		               "%s: no database here (run `pressroom --data "
		               "%s init` first)",
		               c->db, c->data);
	return store_open(out, c->db, flags, e);
}

enum pr_err cli_media(const struct config *cfg, struct pr_error *e)
{
	struct media_limits lim;

	media_limits_default(&lim);
	lim.max_bytes = (size_t)cfg->upload_max_mb << 20;
	lim.max_pixels = (uint64_t)cfg->image_max_megapixels * 1000000;
	return media_init(&lim, e);
}
