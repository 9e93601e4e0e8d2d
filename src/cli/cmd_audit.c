/*
 * cli/cmd_audit.c: `pressroom audit`: the audit log on standard output,
 * newest first, one line an entry: time, who, what, item, detail, from.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#define AUDIT_DEFAULT 100

struct audit_opts {
	int64_t limit, item;
	const char *user;
};

static int parse_options(int argc, char **argv, struct audit_opts *o)
{
	static const struct option opts[] = {
	    {"limit", required_argument, NULL, 'l'},
	    {"user", required_argument, NULL, 'u'},
	    {"item", required_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const struct cli_command *cmd = &cli_cmd_audit;
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (!str_to_i64(str_c(optarg), 1, STORE_AUDIT_PAGE_MAX,
			                &o->limit))
				return cli_usage_error(cmd,
				                       "--limit: 1 to %d lines",
				                       STORE_AUDIT_PAGE_MAX);
			break;
		case 'u': o->user = optarg; break;
		case 'i':
			if (!str_to_i64(str_c(optarg), 1, INT64_MAX, &o->item))
				return cli_usage_error(
				    cmd, "--item: an item number");
			break;
		case 'h': return cli_help(cmd);
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument %s",
		                       argv[optind]);
	return -1;
}

/* Prints text with control characters as '?', so that no stored text
 * can forge lines. */
static void put(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void print_entry(const struct audit_entry *a)
{
	char at[PR_TIME_LEN];

	pr_time_format(a->at, at);
	printf("%s  ", at);
	put(a->login);
	printf("  %s  ", a->action);
	if (a->article_id)
		printf("item %lld  ", (long long)a->article_id);
	put(a->detail);
	if (a->address[0]) {
		printf("  from ");
		put(a->address);
	}
	putchar('\n');
}

static int run(struct cli *c, int argc, char **argv)
{
	struct audit_opts o = {AUDIT_DEFAULT, 0, NULL};
	struct arena *ar = NULL;
	struct pr_error e = {0};
	struct store *s = NULL;
	struct audit_entry *v;
	size_t n;
	int rc;

	if ((rc = parse_options(argc, argv, &o)) >= 0)
		return rc;
	if (cli_store(c, STORE_READONLY, &s, &e) != PR_OK)
		return cli_fail(&e);
	if ((ar = arena_new((size_t)64 << 20)) == NULL)
		rc = cli_failf("out of memory");
	else if (store_audit_list(s, ar, 0, (int)o.limit, o.item, o.user, &v,
	                          &n, &e) != PR_OK)
		rc = cli_fail(&e);
	else
		rc = CLI_OK;
	for (size_t i = 0; rc == CLI_OK && i < n; i++)
		print_entry(&v[i]);
	arena_free(ar);
	store_close(s);
	return rc;
}

const struct cli_command cli_cmd_audit = {
    .name = "audit",
    .synopsis = "[--limit N] [--user LOGIN] [--item ID]",
    .summary = "show the audit log, newest first",
    .help = "Prints who did what and when on the editors' side: logins, "
            "saves,\npublications, corrections, user changes.\n\n"
            "options:\n"
            "  --limit N       at most N lines (default 100, at most 500)\n"
            "  --user LOGIN    only what LOGIN did\n"
            "  --item ID       only what concerns item ID\n",
    .run = run,
};
