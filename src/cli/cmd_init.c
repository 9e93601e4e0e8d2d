/*
 * cli/cmd_init.c: `pressroom init`: the data folder, its database and a
 * documented pressroom.conf. Running it again changes nothing that is
 * there: an existing configuration is never overwritten.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Creates path and its missing parents (like mkdir -p). */
static enum pr_err make_dirs(const char *path, struct pr_error *e)
{
	char p[4096];
	size_t n = strlen(path);
	struct stat st;

	if (n >= sizeof p)
		return pr_fail(e, PR_TOOBIG, "%s: the path is too long", path);
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0750) != 0 && errno != EEXIST)
			return pr_fail(e, PR_IO, "%s: cannot create: %s", p,
			               strerror(errno));
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return pr_fail(e, PR_IO, "%s: not a folder", path);
	return PR_OK;
}

/* Writes the example configuration under a temporary name and links it
 * into place, which fails rather than overwrite a file made meanwhile. */
static enum pr_err write_config(const struct cli *c, struct pr_error *e)
{
	char tmp[4200];
	enum pr_err rc = PR_OK;
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.new", c->conf);
	if (!(f = fopen(tmp, "w")))
		return pr_fail(e, PR_IO, "%s: cannot create: %s", tmp,
		               strerror(errno));
	config_write_example(f);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		rc = pr_fail(e, PR_IO, "%s: cannot write: %s", tmp,
		             strerror(errno));
	if (fclose(f) != 0 && rc == PR_OK)
		rc = pr_fail(e, PR_IO, "%s: cannot write: %s", tmp,
		             strerror(errno));
	if (rc == PR_OK && link(tmp, c->conf) != 0)
		rc = pr_fail(e, PR_IO, "%s: cannot create: %s", c->conf,
		             strerror(errno));
	unlink(tmp);
	return rc;
}

static int init(struct cli *c)
{
	struct pr_error e = {0};
	struct store *s = NULL;
	bool had_db = cli_exists(c->db);

	if (make_dirs(c->data, &e) != PR_OK)
		return cli_fail(&e);
	if (cli_exists(c->conf)) {
		printf("%s exists: left as it is\n", c->conf);
	} else {
		if (write_config(c, &e) != PR_OK)
			return cli_fail(&e);
		printf("wrote %s\n", c->conf);
	}
	if (cli_store(c, STORE_CREATE, &s, &e) != PR_OK)
		return cli_fail(&e);
	store_close(s);
	printf("%s %s (schema version %d)\n", had_db ? "opened" : "created",
	       c->db, store_schema_version());
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	int rc;

	if ((rc = cli_help_only(&cli_cmd_init, argc, argv)) >= 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(&cli_cmd_init, "unexpected argument %s",
		                       argv[optind]);
	return init(c);
}

const struct cli_command cli_cmd_init = {
    .name = "init",
    .synopsis = "",
    .summary = "create the data folder, its database and pressroom.conf",
    .help = "Creates DIR (with its parents), DIR/pressroom.db and a "
            "documented\nDIR/pressroom.conf. An existing configuration is "
            "left as it is and an\nexisting database is brought up to "
            "date, so running it again is safe.\n",
    .run = run,
};
