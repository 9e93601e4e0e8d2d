/*
 * cli/cmd_user.c: `pressroom user add|passwd|role|disable|enable|list`:
 * the editors' accounts from the command line (the first admin is made
 * here). Passwords come from a prompt that does not echo, or for scripts
 * from --password-file FILE or the first line of standard input; they are
 * stored only as Argon2id hashes. Every change goes to the audit log.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../admin/admin.h"
#include "cli.h"

#define LINE_MAX_PW (ADMIN_PASSWORD_MAX + 2)

struct user_opts {
	const char *name, *role, *password_file;
};

/* Reads one line (without its end) from fd into out. */
static bool read_line(int fd, char *out, size_t n)
{
	size_t k = 0;
	char c;

	while (k + 1 < n) {
		ssize_t got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || c == '\n')
			break;
		out[k++] = c;
	}
	if (k > 0 && out[k - 1] == '\r')
		k--;
	out[k] = '\0';
	return k + 1 < n;
}

/* Asks on the terminal, without echo. */
static bool prompt(int tty, const char *question, char *out, size_t n)
{
	struct termios old, quiet;
	bool ok;

	if (tcgetattr(tty, &old) != 0)
		return false;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (write(tty, question, strlen(question)) < 0 ||
	    tcsetattr(tty, TCSAFLUSH, &quiet) != 0)
		return false;
	ok = read_line(tty, out, n);
	tcsetattr(tty, TCSAFLUSH, &old);
	return write(tty, "\n", 1) == 1 && ok;
}

static int from_tty(char *out, size_t n)
{
	char again[LINE_MAX_PW];
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	int rc = CLI_OK;

	if (tty < 0)
		return cli_failf("no terminal to ask for the password: use "
		                 "--password-file FILE or standard input");
	if (!prompt(tty, "New password: ", out, n) ||
	    !prompt(tty, "Again: ", again, sizeof(again)))
		rc = cli_failf("could not read the password");
	else if (strcmp(out, again) != 0)
		rc = cli_failf("the two passwords differ");
	memset(again, 0, sizeof(again));
	close(tty);
	return rc;
}

/* The new password from --password-file, a prompt or standard input. */
static int get_password(const struct user_opts *o, char *out, size_t n)
{
	int fd, rc = CLI_OK;

	if (o->password_file) {
		if ((fd = open(o->password_file, O_RDONLY | O_CLOEXEC)) < 0)
			return cli_failf("%s: %s", o->password_file,
			                 strerror(errno));
		if (!read_line(fd, out, n))
			rc = cli_failf("%s: the password is longer than %d "
			               "bytes",
			               o->password_file, ADMIN_PASSWORD_MAX);
		close(fd);
		return rc;
	}
	if (isatty(STDIN_FILENO))
		return from_tty(out, n);
	if (!read_line(STDIN_FILENO, out, n))
		return cli_failf("the password on standard input is longer "
		                 "than %d bytes",
		                 ADMIN_PASSWORD_MAX);
	return CLI_OK;
}

/* The hash of a new password, checked against the policy. */
static int new_hash(const struct config *cfg, const struct user_opts *o,
                    char hash[ADMIN_HASH_LEN])
{
	char pw[LINE_MAX_PW];
	struct pr_error e = {0};
	int rc;

	if ((rc = get_password(o, pw, sizeof(pw))) != CLI_OK)
		goto out;
	if (admin_password_check(str_c(pw), &e) != PR_OK ||
	    admin_password_hash(cfg, str_c(pw), hash, &e) != PR_OK)
		rc = cli_fail(&e);
out:
	memset(pw, 0, sizeof(pw));
	return rc;
}

static enum pr_err audit(struct store *s, const char *action,
                         const char *detail)
{
	struct audit_entry a = {0};

	a.login = "(command line)";
	a.action = action;
	a.detail = detail;
	a.address = "";
	return store_audit_add(s, &a, NULL);
}

/* The subcommands */

static int add(struct store *s, const struct config *cfg, const char *login,
               const struct user_opts *o)
{
	char hash[ADMIN_HASH_LEN], detail[256];
	struct user u = {0};
	struct pr_error e = {0};
	int rc;

	u.login = login;
	u.name = o->name ? o->name : login;
	if (!store_role_parse(str_c(o->role ? o->role : "author"), &u.role))
		return cli_usage_error(&cli_cmd_user,
		                       "--role: author, editor or admin");
	if (!store_login_valid(str_c(login)))
		return cli_failf(
		    "login \"%s\": use lower-case letters, digits, "
		    "'.', '_' or '-', at most %d",
		    login, STORE_LOGIN_MAX);
	if ((rc = new_hash(cfg, o, hash)) != CLI_OK)
		return rc;
	u.hash = hash;
	snprintf(detail, sizeof(detail), "%s as %s", login,
	         store_role_name(u.role));
	if (store_begin(s, &e) != PR_OK || store_user_add(s, &u, &e) != PR_OK ||
	    audit(s, "user-add", detail) != PR_OK ||
	    store_commit(s, &e) != PR_OK) {
		store_rollback(s);
		return cli_fail(&e);
	}
	printf("added %s (%s) as %s\n", u.login, u.name,
	       store_role_name(u.role));
	return CLI_OK;
}

/* The actions on an existing user and their audit names. */
static const struct {
	const char *what, *action;
} changes[] = {
    {"passwd", "user-password"},
    {"role", "user-role"},
    {"disable", "user-disable"},
    {"enable", "user-enable"},
};

/* What a change needs before it is written: a hash or a role. */
struct change {
	size_t kind; /* index in changes */
	char hash[ADMIN_HASH_LEN];
	enum user_role role;
};

static int prepare(const struct config *cfg, const struct user_opts *o,
                   struct change *ch)
{
	if (ch->kind == 0)
		return new_hash(cfg, o, ch->hash);
	if (ch->kind == 1 &&
	    !store_role_parse(str_c(o->role ? o->role : ""), &ch->role))
		return cli_usage_error(
		    &cli_cmd_user, "role: give --role author, editor or admin");
	return CLI_OK;
}

static enum pr_err apply(struct store *s, const struct user *u,
                         const struct change *ch, struct pr_error *e)
{
	char detail[256];
	enum pr_err rc;

	switch (ch->kind) {
	case 0: rc = store_user_set_hash(s, u->id, ch->hash, NULL, e); break;
	case 1: rc = store_user_set_role(s, u->id, ch->role, e); break;
	default: rc = store_user_set_disabled(s, u->id, ch->kind == 2, e);
	}
	snprintf(detail, sizeof(detail), "%s%s%s", u->login,
	         ch->kind == 1 ? " as " : "",
	         ch->kind == 1 ? store_role_name(ch->role) : "");
	if (rc == PR_OK)
		rc = audit(s, changes[ch->kind].action, detail);
	return rc;
}

/* One change of an existing user, in a transaction with its audit
 * line. */
static int change(struct store *s, const struct config *cfg, size_t kind,
                  const char *login, const struct user_opts *o)
{
	struct arena *ar = arena_new(1 << 20);
	struct change ch = {.kind = kind};
	struct pr_error e = {0};
	struct user u;
	int rc;

	if (ar == NULL)
		return cli_failf("out of memory");
	if (store_user_find(s, ar, str_c(login), &u, &e) != PR_OK) {
		rc = cli_fail(&e);
		goto out;
	}
	if ((rc = prepare(cfg, o, &ch)) != CLI_OK)
		goto out;
	if (store_begin(s, &e) != PR_OK || apply(s, &u, &ch, &e) != PR_OK ||
	    store_commit(s, &e) != PR_OK) {
		store_rollback(s);
		rc = cli_fail(&e);
		goto out;
	}
	printf("%s: %s done\n", u.login, changes[kind].what);
out:
	memset(ch.hash, 0, sizeof(ch.hash));
	arena_free(ar);
	return rc;
}

static int list(struct store *s)
{
	struct arena *ar = arena_new((size_t)16 << 20);
	struct pr_error e = {0};
	struct user *v;
	size_t n;
	char at[PR_TIME_LEN];

	if (ar == NULL || store_user_list(s, ar, &v, &n, &e) != PR_OK) {
		arena_free(ar);
		return ar ? cli_fail(&e) : cli_failf("out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		pr_time_format(v[i].created_at, at);
		printf("%-20s %-7s %-8s %s  %s\n", v[i].login,
		       store_role_name(v[i].role),
		       v[i].disabled ? "disabled" : "active", at, v[i].name);
	}
	arena_free(ar);
	return CLI_OK;
}

static int parse_options(int argc, char **argv, struct user_opts *o)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"role", required_argument, NULL, 'r'},
	    {"password-file", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		case 'p': o->password_file = optarg; break;
		case 'h': return cli_help(&cli_cmd_user);
		default: return cli_bad_option(&cli_cmd_user, ch, argv);
		}
	}
	return -1;
}

static int dispatch(struct store *s, const struct config *cfg, int argc,
                    char **argv, const struct user_opts *o)
{
	const char *what = argv[0];

	if (strcmp(what, "list") == 0)
		return argc == 1 ? list(s)
		                 : cli_usage_error(&cli_cmd_user,
		                                   "list takes no arguments");
	if (argc != 2)
		return cli_usage_error(&cli_cmd_user, "%s needs one LOGIN",
		                       what);
	if (strcmp(what, "add") == 0)
		return add(s, cfg, argv[1], o);
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (strcmp(what, changes[i].what) == 0)
			return change(s, cfg, i, argv[1], o);
	return cli_usage_error(&cli_cmd_user, "unknown action \"%s\"", what);
}

static int run(struct cli *c, int argc, char **argv)
{
	struct user_opts o = {0};
	struct pr_error e = {0};
	struct store *s = NULL;
	struct config cfg;
	int rc;

	if ((rc = parse_options(argc, argv, &o)) >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(&cli_cmd_user,
		                       "which action: add, passwd, role, "
		                       "disable, enable or list?");
	if (cli_config(c, &cfg, &e) != PR_OK ||
	    cli_store(c, 0, &s, &e) != PR_OK)
		return cli_fail(&e);
	rc = dispatch(s, &cfg, argc - optind, argv + optind, &o);
	store_close(s);
	return rc;
}

const struct cli_command cli_cmd_user = {
    .name = "user",
    .synopsis = "add|passwd|role|disable|enable|list [LOGIN] [OPTIONS]",
    .summary = "manage the editors' accounts",
    .help = "  user add LOGIN [--name NAME] [--role ROLE]   a new account\n"
            "  user passwd LOGIN                           a new password\n"
            "  user role LOGIN --role ROLE                 another role\n"
            "  user disable LOGIN | enable LOGIN           ends or allows "
            "logins\n"
            "  user list                                   every account\n\n"
            "ROLE is author (writes and submits), editor (publishes "
            "anyone's items)\nor admin (also manages users). The password "
            "is asked for without echo;\nscripts give it with "
            "--password-file FILE or on standard input.\n\n"
            "options:\n"
            "  --name NAME           the name shown as the author of "
            "items\n"
            "  --role ROLE           author, editor or admin\n"
            "  --password-file FILE  read the password from FILE's first "
            "line\n",
    .run = run,
};
