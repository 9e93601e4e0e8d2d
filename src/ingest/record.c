/*
 * ingest/record.c: one record of a JSON Lines file, from its line of text
 * to the article it describes. The fields of the interchange format are a
 * table, each with its validator, so a wrong record gets a message naming
 * the file, line and field. Runs on the importer's worker threads: it
 * touches nothing but the parser and the record it is given.
 */
#include <string.h>

#include "../render/render.h"
#include "ingest_int.h"

#define REC_ARENA_MAX ((size_t)64 << 20)
#define MAX_NAMES     256 /* tags, persons or places of one article */

/* What a field parser gets. */
typedef enum pr_err (*field_fn)(struct ingest__parser *p, struct ingest__rec *r,
                                const char *field, json_t *v,
                                struct pr_error *e);

struct field {
	const char *name;
	bool required;
	field_fn parse;
};

/* Fails with "NAME:LINE: FIELD: what". */
PR_PRINTF(5, 6)
static enum pr_err bad(struct ingest__parser *p, int64_t line,
                       const char *field, struct pr_error *e, const char *fmt,
                       ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (field)
		return pr_fail(e, PR_INVALID, "%s:%lld: %s: %s", p->name,
		               (long long)line, field, what);
	return pr_fail(e, PR_INVALID, "%s:%lld: %s", p->name, (long long)line,
	               what);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

static struct str jstr(const json_t *v)
{
	return (struct str){json_string_value(v), json_string_length(v)};
}

/* field parsers */

static enum pr_err get_string(struct ingest__parser *p, struct ingest__rec *r,
                              const char *field, json_t *v, const char **out,
                              struct pr_error *e)
{
	if (!json_is_string(v))
		return bad(p, r->line, field, e, "must be a string, not %s",
		           type_name(v));
	*out = json_string_value(v);
	return PR_OK;
}

static enum pr_err get_id(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, int64_t *out,
                          struct pr_error *e)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return bad(p, r->line, field, e,
		           "must be a positive integer, not %s",
		           json_is_integer(v) ? "zero or less" : type_name(v));
	*out = (int64_t)json_integer_value(v);
	return PR_OK;
}

static enum pr_err f_id(struct ingest__parser *p, struct ingest__rec *r,
                        const char *field, json_t *v, struct pr_error *e)
{
	r->has_id = true;
	return get_id(p, r, field, v, &r->a.id, e);
}

static enum pr_err f_lang(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	char q[INGEST__QUOTED];
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &r->a.lang, e)) != PR_OK)
		return rc;
	if (!config_has_language(p->cfg, jstr(v)))
		return bad(p, r->line, field, e,
		           "unknown language %s (this site has %s%s%s)",
		           ingest__quote(q, jstr(v)), p->cfg->languages[0],
		           p->cfg->n_languages > 1 ? ", " : "",
		           p->cfg->n_languages > 1 ? p->cfg->languages[1] : "");
	return PR_OK;
}

static enum pr_err f_kind(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	char q[INGEST__QUOTED];
	struct buf kinds;
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &r->a.kind, e)) != PR_OK)
		return rc;
	if (store_kind_valid(jstr(v)))
		return PR_OK;
	buf_init(&kinds, 512);
	for (size_t i = 0; store_kinds[i]; i++)
		buf_addf(&kinds, "%s%s", i ? ", " : "", store_kinds[i]);
	rc = bad(p, r->line, field, e, "unknown kind %s (one of %s)",
	         ingest__quote(q, jstr(v)), buf_cstr(&kinds));
	buf_free(&kinds);
	return rc;
}

static enum pr_err f_status(struct ingest__parser *p, struct ingest__rec *r,
                            const char *field, json_t *v, struct pr_error *e)
{
	char q[INGEST__QUOTED];
	const char *s;
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &s, e)) != PR_OK)
		return rc;
	if (!store_status_parse(jstr(v), &r->a.status))
		return bad(p, r->line, field, e,
		           "unknown status %s (one of draft, scheduled, "
		           "published, withdrawn)",
		           ingest__quote(q, jstr(v)));
	return PR_OK;
}

static enum pr_err f_title(struct ingest__parser *p, struct ingest__rec *r,
                           const char *field, json_t *v, struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &r->a.title, e)) != PR_OK)
		return rc;
	if (str_trim(jstr(v)).n == 0)
		return bad(p, r->line, field, e, "is empty");
	return PR_OK;
}

static enum pr_err get_time(struct ingest__parser *p, struct ingest__rec *r,
                            const char *field, json_t *v, int64_t *out,
                            struct pr_error *e)
{
	char q[INGEST__QUOTED];
	const char *s;
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &s, e)) != PR_OK)
		return rc;
	if (!pr_time_parse(jstr(v), out))
		return bad(p, r->line, field, e, "not an RFC 3339 date: %s",
		           ingest__quote(q, jstr(v)));
	return PR_OK;
}

static enum pr_err f_published(struct ingest__parser *p, struct ingest__rec *r,
                               const char *field, json_t *v, struct pr_error *e)
{
	return get_time(p, r, field, v, &r->a.published_at, e);
}

static enum pr_err f_updated(struct ingest__parser *p, struct ingest__rec *r,
                             const char *field, json_t *v, struct pr_error *e)
{
	r->has_updated = true;
	return get_time(p, r, field, v, &r->a.updated_at, e);
}

static enum pr_err f_slug(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	char q[INGEST__QUOTED];
	enum pr_err rc;

	if ((rc = get_string(p, r, field, v, &r->a.slug, e)) != PR_OK)
		return rc;
	if (!slug_valid(jstr(v)))
		return bad(p, r->line, field, e,
		           "not a slug: %s (lower-case letters, digits and "
		           "single hyphens)",
		           ingest__quote(q, jstr(v)));
	return PR_OK;
}

static enum pr_err f_lead(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	return get_string(p, r, field, v, &r->a.lead, e);
}

static enum pr_err f_body(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	return get_string(p, r, field, v, &r->a.body, e);
}

static enum pr_err f_author(struct ingest__parser *p, struct ingest__rec *r,
                            const char *field, json_t *v, struct pr_error *e)
{
	return get_string(p, r, field, v, &r->a.author, e);
}

static enum pr_err f_translation(struct ingest__parser *p,
                                 struct ingest__rec *r, const char *field,
                                 json_t *v, struct pr_error *e)
{
	return get_id(p, r, field, v, &r->a.translation_of, e);
}

/* The slug of text, in the record's arena; NULL when out of memory. */
static const char *make_slug(struct ingest__parser *p, const char *text)
{
	buf_reset(&p->slug);
	slug_make(&p->slug, str_c(text), SLUG_MAX);
	if (p->slug.err)
		return NULL;
	return arena_strndup(p->arena, p->slug.p ? p->slug.p : "", p->slug.n);
}

/* Fills the slugs of names; two names with one slug are the same name. */
static enum pr_err name_slugs(struct ingest__parser *p, struct ingest__rec *r,
                              const char *field, struct names *nm,
                              struct pr_error *e)
{
	char q1[INGEST__QUOTED], q2[INGEST__QUOTED];

	for (size_t i = 0; i < nm->n; i++) {
		if (!(nm->slug[i] = make_slug(p, nm->name[i])))
			return pr_fail(e, PR_NOMEM, "%s: out of memory",
			               p->name);
		for (size_t k = 0; k < i; k++)
			if (strcmp(nm->slug[k], nm->slug[i]) == 0)
				return bad(
				    p, r->line, field, e,
				    "%s and %s are the same name",
				    ingest__quote(q1, str_c(nm->name[k])),
				    ingest__quote(q2, str_c(nm->name[i])));
	}
	return PR_OK;
}

static enum pr_err get_names(struct ingest__parser *p, struct ingest__rec *r,
                             const char *field, json_t *v, struct names *nm,
                             struct pr_error *e)
{
	size_t n = json_array_size(v);

	if (!json_is_array(v))
		return bad(p, r->line, field, e,
		           "must be an array of strings, not %s", type_name(v));
	if (n > MAX_NAMES)
		return bad(p, r->line, field, e,
		           "%zu names, more than the %d an article may have", n,
		           MAX_NAMES);
	nm->name = arena_alloc(p->arena, (n + 1) * sizeof *nm->name);
	nm->slug = arena_alloc(p->arena, (n + 1) * sizeof *nm->slug);
	if (!nm->name || !nm->slug)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", p->name);
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);
		if (!json_is_string(s))
			return bad(p, r->line, field, e,
			           "item %zu must be a string, not %s", i + 1,
			           type_name(s));
		if (str_trim(jstr(s)).n == 0)
			return bad(p, r->line, field, e, "item %zu is empty",
			           i + 1);
		nm->name[i] = json_string_value(s);
	}
	nm->n = n;
	return name_slugs(p, r, field, nm, e);
}

static enum pr_err f_tags(struct ingest__parser *p, struct ingest__rec *r,
                          const char *field, json_t *v, struct pr_error *e)
{
	return get_names(p, r, field, v, &r->a.entities[ENTITY_TAG], e);
}

static enum pr_err f_persons(struct ingest__parser *p, struct ingest__rec *r,
                             const char *field, json_t *v, struct pr_error *e)
{
	return get_names(p, r, field, v, &r->a.entities[ENTITY_PERSON], e);
}

static enum pr_err f_places(struct ingest__parser *p, struct ingest__rec *r,
                            const char *field, json_t *v, struct pr_error *e)
{
	return get_names(p, r, field, v, &r->a.entities[ENTITY_PLACE], e);
}

/* A photo's file: a relative path inside the folder of the JSON Lines
 * file, without ".." (export writes "photos/ID/N.jpg"). */
static enum pr_err photo_file(struct ingest__parser *p, struct ingest__rec *r,
                              size_t i, json_t *v, const char **out,
                              struct pr_error *e)
{
	struct str f = jstr(v), rest = f, seg;
	char q[INGEST__QUOTED];

	if (str_trim(f).n == 0)
		return bad(p, r->line, "photos", e,
		           "item %zu: file is missing or empty", i);
	if (f.p[0] == '/' || memchr(f.p, '\0', f.n) || f.n >= 4096)
		return bad(p, r->line, "photos", e,
		           "item %zu: file %s must be a path relative to the "
		           "folder of this file",
		           i, ingest__quote(q, f));
	while (rest.n > 0) {
		seg = str_cut(&rest, '/');
		if (str_eq_c(seg, ".."))
			return bad(
			    p, r->line, "photos", e,
			    "item %zu: file %s leaves the folder of this "
			    "file",
			    i, ingest__quote(q, f));
	}
	*out = f.p;
	return PR_OK;
}

/* taken_at: an RFC 3339 date, or null for "unknown" (then the image's own
 * date is not used either). */
static enum pr_err photo_taken(struct ingest__parser *p, struct ingest__rec *r,
                               size_t i, json_t *v, struct ingest_photo *ph,
                               struct pr_error *e)
{
	char q[INGEST__QUOTED];

	ph->taken_given = true;
	if (json_is_null(v))
		return PR_OK;
	if (!json_is_string(v) || !pr_time_parse(jstr(v), &ph->taken_at))
		return bad(p, r->line, "photos", e,
		           "item %zu: taken_at must be an RFC 3339 date or "
		           "null, not %s",
		           i,
		           json_is_string(v) ? ingest__quote(q, jstr(v))
		                             : type_name(v));
	ph->has_taken = true;
	return PR_OK;
}

/* The text fields of a photo entry; NULL in ph when absent. */
static const char *const photo_keys[] = {"file", "caption", "credit",
                                         "alt",  "licence", "taken_at"};
#define N_PHOTO_KEYS (sizeof photo_keys / sizeof photo_keys[0])

static enum pr_err photo_field(struct ingest__parser *p, struct ingest__rec *r,
                               size_t i, size_t k, json_t *v,
                               struct ingest_photo *ph, struct pr_error *e)
{
	const char **texts[] = {&ph->file, &ph->caption, &ph->credit, &ph->alt,
	                        &ph->licence};

	if (k == 5)
		return photo_taken(p, r, i, v, ph, e);
	if (!json_is_string(v))
		return bad(p, r->line, "photos", e,
		           "item %zu: %s must be a string, not %s", i,
		           photo_keys[k], type_name(v));
	if (k == 0)
		return photo_file(p, r, i, v, &ph->file, e);
	*texts[k] = json_string_value(v);
	return PR_OK;
}

/* One photo entry: an object with a "file" and optional caption, credit,
 * alt, licence and taken_at. */
static enum pr_err get_photo(struct ingest__parser *p, struct ingest__rec *r,
                             size_t i, json_t *obj, struct ingest_photo *ph,
                             struct pr_error *e)
{
	char q[INGEST__QUOTED];
	enum pr_err rc = PR_OK;
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return bad(p, r->line, "photos", e,
		           "item %zu must be an object, not %s", i,
		           type_name(obj));
	json_object_foreach(obj, key, v)
	{
		size_t k = 0;
		while (k < N_PHOTO_KEYS && strcmp(photo_keys[k], key) != 0)
			k++;
		if (k == N_PHOTO_KEYS)
			return bad(p, r->line, "photos", e,
			           "item %zu: unknown field %s (the fields are "
			           "file, caption, credit, alt, licence, "
			           "taken_at)",
			           i, ingest__quote(q, str_c(key)));
		if ((rc = photo_field(p, r, i, k, v, ph, e)) != PR_OK)
			return rc;
	}
	if (!ph->file)
		return bad(p, r->line, "photos", e,
		           "item %zu: file is missing or empty", i);
	return PR_OK;
}

static enum pr_err f_photos(struct ingest__parser *p, struct ingest__rec *r,
                            const char *field, json_t *v, struct pr_error *e)
{
	size_t n = json_array_size(v);
	enum pr_err rc = PR_OK;

	if (!json_is_array(v))
		return bad(p, r->line, field, e,
		           "must be an array of objects, not %s", type_name(v));
	if (n > STORE_PHOTOS_MAX)
		return bad(p, r->line, field, e,
		           "%zu photos, more than the %d an article may have",
		           n, STORE_PHOTOS_MAX);
	r->photo = arena_zalloc(p->arena, (n + 1) * sizeof *r->photo);
	if (!r->photo)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", p->name);
	for (size_t i = 0; i < n && rc == PR_OK; i++)
		rc = get_photo(p, r, i + 1, json_array_get(v, i), &r->photo[i],
		               e);
	if (rc == PR_OK)
		r->n_photos = n;
	return rc;
}

/* The interchange format, in the order export writes it. */
static const struct field fields[] = {
    {"id", false, f_id},
    {"lang", true, f_lang},
    {"kind", false, f_kind},
    {"status", false, f_status},
    {"published_at", true, f_published},
    {"updated_at", false, f_updated},
    {"title", true, f_title},
    {"slug", false, f_slug},
    {"lead", false, f_lead},
    {"body", true, f_body},
    {"translation_of", false, f_translation},
    {"author", false, f_author},
    {"tags", false, f_tags},
    {"persons", false, f_persons},
    {"places", false, f_places},
    {"photos", false, f_photos},
};
static const size_t n_fields = sizeof fields / sizeof fields[0];

#define SEEN(r, i) (((r)->seen >> (i)) & 1u)

/* records */

/* A field name as a message shows it: quoted unless it is a plain word. */
static const char *field_name(char out[INGEST__QUOTED], const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > 60 ||
	    strspn(key, "abcdefghijklmnopqrstuvwxyz"
	                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
		return ingest__quote(out, str_c(key));
	memcpy(out, key, n + 1);
	return out;
}

static enum pr_err unknown_field(struct ingest__parser *p,
                                 struct ingest__rec *r, const char *key,
                                 struct pr_error *e)
{
	char q[INGEST__QUOTED];
	struct buf names;
	enum pr_err rc;

	buf_init(&names, 512);
	for (size_t i = 0; i < n_fields; i++)
		buf_addf(&names, "%s%s", i ? ", " : "", fields[i].name);
	rc = bad(p, r->line, field_name(q, key), e,
	         "unknown field (the fields are %s)", buf_cstr(&names));
	buf_free(&names);
	return rc;
}

static enum pr_err read_fields(struct ingest__parser *p, struct ingest__rec *r,
                               json_t *root, struct pr_error *e)
{
	const char *key;
	json_t *v;
	enum pr_err rc;

	json_object_foreach(root, key, v)
	{
		size_t i = 0;
		while (i < n_fields && strcmp(fields[i].name, key) != 0)
			i++;
		if (i == n_fields)
			return unknown_field(p, r, key, e);
		r->seen |= 1u << i;
		if (json_is_null(v) && !fields[i].required)
			continue;
		if ((rc = fields[i].parse(p, r, fields[i].name, v, e)) != PR_OK)
			return rc;
	}
	for (size_t i = 0; i < n_fields; i++)
		if (fields[i].required && !SEEN(r, i))
			return bad(p, r->line, fields[i].name, e, "missing");
	return PR_OK;
}

/* The defaults of DESIGN.md for what the record leaves out. */
static enum pr_err fill_defaults(struct ingest__parser *p,
                                 struct ingest__rec *r, struct pr_error *e)
{
	if (!r->has_updated)
		r->a.updated_at = r->a.published_at;
	/* The editors' side keeps a scheduled item as published with a
	 * future published_at: the site shows it at that time, no sooner. */
	if (r->a.status == ARTICLE_SCHEDULED)
		r->a.status = ARTICLE_PUBLISHED;
	if (!r->a.slug && !(r->a.slug = make_slug(p, r->a.title)))
		return pr_fail(e, PR_NOMEM, "%s: out of memory", p->name);
	return PR_OK;
}

static enum pr_err render_body(struct ingest__parser *p, struct ingest__rec *r,
                               struct pr_error *e)
{
	struct pr_error re = {0};
	enum pr_err rc;

	buf_reset(&p->html);
	rc = render_markdown(&p->html, str_c(r->a.body), &re);
	if (rc == PR_OK && p->html.err)
		rc = p->html.err;
	if (rc == PR_TOOBIG)
		return bad(p, r->line, "body", e,
		           "renders to more than %zu bytes of HTML",
		           p->html.max);
	if (rc != PR_OK)
		return bad(p, r->line, "body", e, "%s",
		           re.msg[0] ? re.msg : pr_strerror(rc));
	r->a.body_html = buf_cstr(&p->html);
	buf_reset(&p->text);
	if (render_markdown_text(&p->text, str_c(r->a.body), &re) != PR_OK ||
	    p->text.err)
		return bad(p, r->line, "body", e, "%s",
		           re.msg[0] ? re.msg : pr_strerror(p->text.err));
	r->a.body_text = buf_cstr(&p->text);
	return PR_OK;
}

static bool blank(struct str s)
{
	return str_trim(s).n == 0;
}

static void rec_init(struct ingest__rec *r, int64_t line)
{
	memset(r, 0, sizeof *r);
	r->line = line;
	r->a.kind = "news";
	r->a.status = ARTICLE_PUBLISHED;
	r->a.lead = "";
	r->a.author = "";
	r->a.revision = 1;
}

static enum pr_err parse_object(struct ingest__parser *p, struct ingest__rec *r,
                                struct pr_error *e)
{
	enum pr_err rc;

	if (!json_is_object(r->root))
		return bad(p, r->line, NULL, e,
		           "a record must be a JSON object, not %s",
		           type_name(r->root));
	if ((rc = read_fields(p, r, r->root, e)) != PR_OK ||
	    (rc = fill_defaults(p, r, e)) != PR_OK)
		return rc;
	return render_body(p, r, e);
}

/* The message for a line that jansson refused: invalid UTF-8 is told by
 * its byte, anything else by jansson's column. */
static enum pr_err malformed(struct ingest__parser *p, struct str line,
                             int64_t no, const json_error_t *jerr,
                             struct pr_error *e)
{
	size_t bad_at;

	if (!utf8_valid(line.p, line.n, &bad_at))
		return bad(p, no, NULL, e, "invalid UTF-8 at byte column %zu",
		           bad_at + 1);
	return bad(p, no, NULL, e, "column %d: malformed JSON: %s",
	           jerr->column, jerr->text);
}

enum pr_err ingest__parse_line(struct ingest__parser *p, struct str line,
                               int64_t no, struct ingest__rec *r,
                               struct pr_error *e)
{
	json_error_t jerr;

	ingest__rec_free(r);
	rec_init(r, no);
	if (no == 1 && str_prefix(line, STR_LIT("\xef\xbb\xbf"))) {
		line.p += 3;
		line.n -= 3;
	}
	if (blank(line)) {
		r->blank = true;
		return PR_OK;
	}
	arena_reset(p->arena);
	r->root = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->root)
		return malformed(p, line, no, &jerr, e);
	return parse_object(p, r, e);
}

void ingest__rec_free(struct ingest__rec *r)
{
	json_decref(r->root);
	r->root = NULL;
}

enum pr_err ingest__parser_init(struct ingest__parser *p, const char *name,
                                const struct config *cfg)
{
	size_t max =
	    cfg->max_import_line > 0 ? (size_t)cfg->max_import_line : 1u << 20;

	memset(p, 0, sizeof *p);
	p->name = name;
	p->cfg = cfg;
	buf_init(&p->html, 8 * max + 65536);
	buf_init(&p->text, 2 * max + 65536);
	buf_init(&p->slug, 4 * SLUG_MAX);
	if (!(p->arena = arena_new(REC_ARENA_MAX)))
		return PR_NOMEM;
	return PR_OK;
}

void ingest__parser_free(struct ingest__parser *p)
{
	arena_free(p->arena);
	p->arena = NULL;
	buf_free(&p->html);
	buf_free(&p->text);
	buf_free(&p->slug);
}
