/*
 * cli/cmd_reindex.c: `pressroom reindex`: rebuilds what is derived from
 * the articles: the plain text of each body (from its Markdown, for the
 * search index and snippets), the search index itself and the positions
 * of the news lists. One transaction; the site keeps serving meanwhile.
 */
#include <getopt.h>
#include <time.h>

#include "../render/render.h"
#include "cli.h"

static enum pr_err plain_text(void *ctx, struct str md, struct buf *out,
                              struct pr_error *e)
{
	return render_markdown_text(out, md, e);
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int reindex(struct cli *c)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	int64_t changed = 0, n = 0;
	double t0 = seconds();
	enum pr_err rc;

	if (cli_store(c, 0, &s, &e) != PR_OK)
		return cli_fail(&e);
	if ((rc = store_begin(s, &e)) != PR_OK)
		goto out;
	if ((rc = store_search_rebuild(s, plain_text, NULL, &changed, &e)) ==
	        PR_OK &&
	    (rc = store_renumber(s, &e)) == PR_OK &&
	    (rc = store_article_count(s, &n, &e)) == PR_OK)
		rc = store_commit(s, &e);
	else
		store_rollback(s);
out:
	store_close(s);
	if (rc != PR_OK)
		return cli_fail(&e);
	printf("reindexed %lld articles (%lld plain texts updated) in %.1f s\n",
	       (long long)n, (long long)changed, seconds() - t0);
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	int rc;

	if ((rc = cli_help_only(&cli_cmd_reindex, argc, argv)) >= 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(&cli_cmd_reindex,
		                       "unexpected argument %s", argv[optind]);
	return reindex(c);
}

const struct cli_command cli_cmd_reindex = {
    .name = "reindex",
    .synopsis = "",
    .summary = "rebuild the search index and the news lists",
    .help = "Works out again the plain text of every article's body from "
            "its Markdown,\nrebuilds the search index from scratch and "
            "renumbers the news lists, in one\ntransaction: readers see "
            "the old index until it is done. Run it after an\nupgrade that "
            "says so, or when `pressroom check` finds the index out of "
            "step.\n",
    .run = run,
};
