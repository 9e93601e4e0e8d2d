/*
 * cli/cmd_check.c: `pressroom check`: validates the configuration, the
 * theme and the database without changing anything, like `httpd -n`.
 */
#include <errno.h>
#include <getopt.h>

#include "../render/render.h"
#include "cli.h"

/* Each check prints "ok ..." or the problem, and says whether it passed. */

static bool check_config(const struct cli *c, struct config *cfg)
{
	struct pr_error e = {0};

	if (!cli_exists(c->conf) && errno == ENOENT) {
		config_defaults(cfg);
		printf("ok   %s: none, the defaults apply\n", c->conf);
		return true;
	}
	if (cli_config(c, cfg, &e) != PR_OK) {
		cli_fail(&e);
		return false;
	}
	if (!pr_time_set_zone(cfg->timezone)) {
		cli_failf("%s: timezone: unknown time zone \"%s\"", c->conf,
		          cfg->timezone);
		return false;
	}
	printf("ok   %s\n", c->conf);
	return true;
}

static bool check_theme(const struct config *cfg)
{
	struct pr_error e = {0};
	struct tmpl *t = NULL;
	bool ok = tmpl_load(&t, cfg->theme, &e) == PR_OK;

	if (!ok)
		cli_fail(&e);
	else if (cfg->theme[0])
		printf("ok   theme %s\n", cfg->theme);
	else
		printf("ok   theme (built in)\n");
	tmpl_free(t);
	return ok;
}

static bool check_store(const struct cli *c)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	int64_t n = 0;
	bool ok = cli_store(c, STORE_READONLY, &s, &e) == PR_OK &&
	          store_check(s, &e) == PR_OK &&
	          store_article_count(s, &n, &e) == PR_OK;

	if (ok)
		printf("ok   %s: %lld article%s\n", c->db, (long long)n,
		       n == 1 ? "" : "s");
	else
		cli_fail(&e);
	store_close(s);
	return ok;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct config cfg;
	bool ok;
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(&cli_cmd_check);
		return cli_bad_option(&cli_cmd_check, ch, argv);
	}
	if (optind < argc)
		return cli_usage_error(&cli_cmd_check, "unexpected argument %s",
		                       argv[optind]);
	ok = check_config(c, &cfg);
	if (ok)
		ok = check_theme(&cfg);
	ok = check_store(c) && ok;
	if (ok)
		ok = cli_check_media(c);
	return ok ? CLI_OK : CLI_FAILED;
}

const struct cli_command cli_cmd_check = {
    .name = "check",
    .synopsis = "",
    .summary = "check the configuration, the theme and the database",
    .help = "Reads DIR/pressroom.conf (a problem is reported as "
            "FILE:LINE: key: why),\nloads the theme and checks the "
            "integrity of DIR/pressroom.db, changing\nnothing. Prints an "
            "\"ok\" line for each part that is fine; exits 1 when any\n"
            "is not. Every photo's original and renditions must be in "
            "DIR/media/.\n",
    .run = run,
};
