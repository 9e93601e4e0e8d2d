/*
 * core/config.c: the configuration table. Each option has a name, a type,
 * a default, a range and a description; the parser, the documented example
 * file that `pressroom init` writes and the README's list all come from it.
 */
#include "core.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

enum opt_type { OPT_STRING, OPT_LONG, OPT_BOOL, OPT_LANGS, OPT_LANG };

struct opt {
	const char *name;
	enum opt_type type;
	size_t offset, size; /* of the field in struct config */
	const char *def;
	long min, max; /* for OPT_LONG */
	const char *help;
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct opt opts[] = {
    {"site_name_en", OPT_STRING, FIELD(site_name_en), "Press Office", 0, 0,
     "The site's name on English pages."},
    {"site_name_ru", OPT_STRING, FIELD(site_name_ru), "Пресс-служба", 0, 0,
     "The site's name on Russian pages."},
    {"languages", OPT_LANGS, FIELD(languages), "en ru", 0, 0,
     "The languages of the site, separated by spaces: en, ru."},
    {"default_language", OPT_LANG, FIELD(default_language), "en", 0, 0,
     "Where / leads; one of languages."},
    {"base_url", OPT_STRING, FIELD(base_url), "http://127.0.0.1:8080", 0, 0,
     "The public address of the site, for permalinks and feeds."},
    {"listen", OPT_STRING, FIELD(listen), "127.0.0.1:8080", 0, 0,
     "Address and port that `serve` listens on."},
    {"threads", OPT_LONG, FIELD(threads), "4", 1, 256,
     "Threads that answer requests."},
    {"timezone", OPT_STRING, FIELD(timezone), "UTC", 0, 0,
     "The site's time zone (a name from /usr/share/zoneinfo): dates on "
     "pages and the archive's days follow it; times are stored in UTC."},
    {"theme", OPT_STRING, FIELD(theme), "", 0, 0,
     "A folder whose templates and files replace the embedded theme's; "
     "empty for the embedded theme alone."},
    {"cache_mb", OPT_LONG, FIELD(cache_mb), "64", 0, 65536,
     "Memory for rendered pages, in MiB; 0 turns the cache off."},
    {"access_log", OPT_BOOL, FIELD(access_log), "yes", 0, 0,
     "One log line per request on standard error: yes or no."},
    {"page_size", OPT_LONG, FIELD(page_size), "20", 1, 200,
     "Items on a page of the news list."},
    {"max_import_line", OPT_LONG, FIELD(max_import_line), "16777216", 1024,
     1073741824, "The longest JSON Lines record `import` accepts, in bytes."},
    {"session_hours", OPT_LONG, FIELD(session_hours), "12", 1, 720,
     "Hours an editor stays logged in."},
    {"password_opslimit", OPT_LONG, FIELD(password_opslimit), "2", 1, 10,
     "Argon2id passes for new password hashes."},
    {"password_memlimit_kb", OPT_LONG, FIELD(password_memlimit_kb), "19456", 8,
     4194304, "Argon2id memory for new password hashes, in KiB."},
    {"login_attempts", OPT_LONG, FIELD(login_attempts), "5", 1, 1000,
     "Failed logins of one account within 15 minutes before it must wait "
     "(a minute, doubling with each further failure)."},
    {"preview_days", OPT_LONG, FIELD(preview_days), "7", 1, 365,
     "Days an embargo preview link works unless revoked."},
    {"feed_full_content", OPT_BOOL, FIELD(feed_full_content), "yes", 0, 0,
     "Whether feeds carry each item's whole text (yes) or only its title "
     "and lead (no)."},
    {"upload_max_mb", OPT_LONG, FIELD(upload_max_mb), "50", 1, 1024,
     "The largest photo file accepted (upload, import, `photo add`), in "
     "MiB."},
    {"image_max_megapixels", OPT_LONG, FIELD(image_max_megapixels), "100", 1,
     1000,
     "The most pixels a photo may have, in millions (width x height, "
     "checked before it is decoded; a side may be at most 20,000)."},
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static bool lang_known(struct str s)
{
	return str_eq_c(s, "en") || str_eq_c(s, "ru");
}

static bool set_string(struct config *c, const struct opt *o, struct str v)
{
	char *field = (char *)c + o->offset;

	if (v.n >= o->size || !utf8_valid(v.p, v.n, NULL))
		return false;
	memcpy(field, v.p, v.n);
	field[v.n] = '\0';
	return true;
}

static bool set_langs(struct config *c, struct str v)
{
	struct str word;
	int n = 0;

	while (v.n > 0) {
		v = str_trim(v);
		word = str_trim(str_cut(&v, ' '));
		if (word.n == 0)
			continue;
		if (!lang_known(word) || n == PR_MAX_LANGS)
			return false;
		memcpy(c->languages[n], word.p, 2);
		c->languages[n++][2] = '\0';
	}
	c->n_languages = n;
	return n > 0;
}

static bool set_value(struct config *c, const struct opt *o, struct str v)
{
	int64_t n;

	switch (o->type) {
	case OPT_STRING: return set_string(c, o, v);
	case OPT_LANG: return lang_known(v) && set_string(c, o, v);
	case OPT_LANGS: return set_langs(c, v);
	case OPT_LONG:
		if (!str_to_i64(v, o->min, o->max, &n))
			return false;
		*(long *)((char *)c + o->offset) = (long)n;
		return true;
	case OPT_BOOL:
		if (str_eq_c(v, "yes") || str_eq_c(v, "true") ||
		    str_eq_c(v, "on"))
			*(bool *)((char *)c + o->offset) = true;
		else if (str_eq_c(v, "no") || str_eq_c(v, "false") ||
		         str_eq_c(v, "off"))
			*(bool *)((char *)c + o->offset) = false;
		else
			return false;
		return true;
	}
	return false;
}

void config_defaults(struct config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_OPTS; i++)
		set_value(c, &opts[i], str_c(opts[i].def));
}

static const char *expected(const struct opt *o, char *tmp, size_t n)
{
	switch (o->type) {
	case OPT_LONG:
		snprintf(tmp, n, "a whole number from %ld to %ld", o->min,
		         o->max);
		return tmp;
	case OPT_BOOL: return "yes or no";
	case OPT_LANG: return "en or ru";
	case OPT_LANGS: return "en, ru or both, separated by a space";
	case OPT_STRING:
		snprintf(tmp, n, "UTF-8 text of at most %zu bytes",
		         o->size - 1);
		return tmp;
	}
	return "?";
}

static const struct opt *find_opt(struct str name)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (str_eq_c(name, opts[i].name))
			return &opts[i];
	return NULL;
}

static bool zone_known(const char *name)
{
	char path[600];

	if (strcmp(name, "UTC") == 0)
		return true;
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	return access(path, R_OK) == 0;
}

/* Checks what no single option can: relations between options. */
static enum pr_err config_validate(struct config *c, const char *path,
                                   struct pr_error *e)
{
	int i;

	for (i = 0; i < c->n_languages; i++)
		if (strcmp(c->languages[i], c->default_language) == 0)
			break;
	if (i == c->n_languages)
		return pr_fail(e, PR_INVALID,
		               "%s: default_language: \"%s\" is not one of "
		               "languages",
		               path, c->default_language);
	if (strncmp(c->base_url, "http://", 7) != 0 &&
	    strncmp(c->base_url, "https://", 8) != 0)
		return pr_fail(e, PR_INVALID,
		               "%s: base_url: must start with http:// or "
		               "https://",
		               path);
	if (!zone_known(c->timezone))
		return pr_fail(e, PR_INVALID,
		               "%s: timezone: \"%s\" is not a time zone of "
		               "/usr/share/zoneinfo",
		               path, c->timezone);
	i = (int)strlen(c->base_url);
	while (i > 0 && c->base_url[i - 1] == '/')
		c->base_url[--i] = '\0';
	return PR_OK;
}

static enum pr_err parse_line(struct config *c, const char *path, int lineno,
                              struct str line, struct pr_error *e)
{
	const struct opt *o;
	struct str key, val;
	char tmp[80];
	long eq;

	line = str_trim(line);
	if (line.n == 0 || line.p[0] == '#')
		return PR_OK;
	eq = str_index(line, '=');
	if (eq < 0)
		return pr_fail(
		    e, PR_INVALID,
		    "%s:%d: expected \"key = value\", found \"%.*s\"", path,
		    lineno, STR_FMT(utf8_prefix(line, 60)));
	key = str_trim((struct str){line.p, (size_t)eq});
	val = str_trim((struct str){line.p + eq + 1, line.n - (size_t)eq - 1});
	if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"') {
		val.p++;
		val.n -= 2;
	}
	o = find_opt(key);
	if (o == NULL)
		return pr_fail(e, PR_INVALID, "%s:%d: unknown key \"%.*s\"",
		               path, lineno, STR_FMT(utf8_prefix(key, 60)));
	if (!set_value(c, o, val))
		return pr_fail(e, PR_INVALID, "%s:%d: %s: \"%.*s\" is not %s",
		               path, lineno, o->name,
		               STR_FMT(utf8_prefix(val, 60)),
		               expected(o, tmp, sizeof(tmp)));
	return PR_OK;
}

enum pr_err config_load(struct config *c, const char *path, struct pr_error *e)
{
	char line[4096];
	int lineno = 0;
	enum pr_err rc = PR_OK;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return pr_fail(e, errno == ENOENT ? PR_NOTFOUND : PR_IO,
		               "%s: cannot open: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n = strlen(line);
		lineno++;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			rc = pr_fail(e, PR_TOOBIG, "%s:%d: line too long", path,
			             lineno);
			goto out;
		}
		if ((rc = parse_line(c, path, lineno, (struct str){line, n},
		                     e)) != PR_OK)
			goto out;
	}
	if (ferror(f)) {
		rc = pr_fail(e, PR_IO, "%s: read error", path);
		goto out;
	}
	rc = config_validate(c, path, e);
out:
	fclose(f);
	return rc;
}

void config_write_example(FILE *f)
{
	size_t i;

	fputs("# pressroom configuration. Each line is \"key = value\"; '#' "
	      "starts a comment.\n# Every key is shown with its default; "
	      "`pressroom check` validates this file.\n",
	      f);
	for (i = 0; i < N_OPTS; i++)
		fprintf(f, "\n# %s\n%s = %s\n", opts[i].help, opts[i].name,
		        opts[i].def);
}

const char *config_site_name(const struct config *c, const char *lang)
{
	if (lang != NULL && strcmp(lang, "ru") == 0)
		return c->site_name_ru;
	return c->site_name_en;
}

bool config_has_language(const struct config *c, struct str lang)
{
	int i;

	for (i = 0; i < c->n_languages; i++)
		if (str_eq_c(lang, c->languages[i]))
			return true;
	return false;
}
