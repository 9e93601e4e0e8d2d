/*
 * store/article.c: whole articles. Inserting one with its first revision,
 * its rendered text and its named entities while keeping the list
 * positions of its language right; reading them back one at a time or all
 * in id order; the names of statuses, kinds and entity types.
 */
#include "store_int.h"

#include <string.h>

#define TIME_MIN       (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define TIME_MAX       253402300799LL   /* 9999-12-31T23:59:59Z */
#define EACH_ARENA_MAX ((size_t)256 << 20)

const char *const store_kinds[] = {
    "news", "statement", "speech", "interview", "announcement", NULL,
};

static const char *const status_names[] = {
    "draft",
    "scheduled",
    "published",
    "withdrawn",
};

static const char *const entity_names[ENTITY_TYPES] = {
    "tag",
    "person",
    "place",
};

const char *store_status_name(enum article_status st)
{
	if ((unsigned)st >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown";
	return status_names[st];
}

bool store_status_parse(struct str s, enum article_status *out)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (str_eq_c(s, status_names[i])) {
			*out = (enum article_status)i;
			return true;
		}
	return false;
}

bool store_kind_valid(struct str s)
{
	size_t i;

	for (i = 0; store_kinds[i] != NULL; i++)
		if (str_eq_c(s, store_kinds[i]))
			return true;
	return false;
}

const char *store_entity_type_name(enum entity_type t)
{
	return (unsigned)t < ENTITY_TYPES ? entity_names[t] : "unknown";
}

static bool entity_type_parse(const char *s, enum entity_type *out)
{
	int t;

	for (t = 0; t < ENTITY_TYPES; t++)
		if (strcmp(s, entity_names[t]) == 0) {
			*out = (enum entity_type)t;
			return true;
		}
	return false;
}

/* Inserting */

/* An article as it is stored: the caller's fields with the defaults
 * filled in and what the database assigns. */
struct row {
	const struct article *a;
	int64_t id, group, updated_at, now;
	int64_t pos; /* -1: not published */
	const char *kind, *slug;
	bool renumber; /* the item does not go at the end of its list */
	char slug_buf[SLUG_MAX + 1];
	char hash[65];
};

/* A language code: "en", "ru", "pt-br". */
static bool lang_valid(const char *lang)
{
	size_t i, n = lang ? strlen(lang) : 0;

	if (n < 2 || n >= STORE_LANG_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!(lang[i] >= 'a' && lang[i] <= 'z') &&
		    !(lang[i] == '-' && i >= 2 && i + 1 < n))
			return false;
	return true;
}

static enum pr_err validate_names(const struct article *a, const char *who,
                                  struct pr_error *e)
{
	const struct names *nm;
	size_t t, i;

	for (t = 0; t < ENTITY_TYPES; t++) {
		nm = &a->entities[t];
		for (i = 0; i < nm->n; i++)
			if (nm->name == NULL || nm->name[i] == NULL ||
			    str_trim(str_c(nm->name[i])).n == 0)
				return pr_fail(e, PR_INVALID,
				               "%s: %s %zu has an empty name",
				               who, entity_names[t], i + 1);
	}
	return PR_OK;
}

static enum pr_err validate(const struct article *a, const char *who,
                            struct pr_error *e)
{
	if (a->id < 0 || a->translation_of < 0)
		return pr_fail(e, PR_INVALID, "%s: ids are positive numbers",
		               who);
	if (!lang_valid(a->lang))
		return pr_fail(e, PR_INVALID,
		               "%s: lang \"%s\" is not a language code such "
		               "as en",
		               who, a->lang ? a->lang : "");
	if (a->title == NULL || a->title[0] == '\0')
		return pr_fail(e, PR_INVALID, "%s: title is empty", who);
	if (a->body == NULL)
		return pr_fail(e, PR_INVALID, "%s: body is missing", who);
	if (a->kind != NULL && a->kind[0] != '\0' &&
	    !store_kind_valid(str_c(a->kind)))
		return pr_fail(e, PR_INVALID,
		               "%s: kind \"%s\" is not one of news, statement, "
		               "speech, interview, announcement",
		               who, a->kind);
	if ((unsigned)a->status > ARTICLE_WITHDRAWN)
		return pr_fail(e, PR_INVALID, "%s: status %d is unknown", who,
		               (int)a->status);
	if (a->published_at < TIME_MIN || a->published_at > TIME_MAX ||
	    (a->updated_at != 0 &&
	     (a->updated_at < TIME_MIN || a->updated_at > TIME_MAX)))
		return pr_fail(e, PR_INVALID,
		               "%s: date out of range (years 1 to 9999)", who);
	if (a->slug != NULL && a->slug[0] != '\0' &&
	    !slug_valid(str_c(a->slug)))
		return pr_fail(e, PR_INVALID,
		               "%s: slug \"%s\" is not a slug (lower-case "
		               "letters, digits and single hyphens)",
		               who, a->slug);
	return validate_names(a, who, e);
}

/* The slug made from the title, for an article given none. */
static enum pr_err default_slug(struct store *s, struct row *r,
                                struct pr_error *e)
{
	buf_reset(&s->scratch);
	slug_make(&s->scratch, str_c(r->a->title), SLUG_MAX);
	if (s->scratch.err != PR_OK || s->scratch.n > SLUG_MAX)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	memcpy(r->slug_buf, s->scratch.p, s->scratch.n);
	r->slug_buf[s->scratch.n] = '\0';
	r->slug = r->slug_buf;
	return PR_OK;
}

/* Fills in the defaults and the content hash; touches no table. */
static enum pr_err prepare_row(struct store *s, const struct article *a,
                               struct row *r, struct pr_error *e)
{
	enum pr_err rc;
	uint8_t h[32];

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->id = a->id;
	r->now = pr_now();
	r->updated_at = a->updated_at ? a->updated_at : a->published_at;
	r->kind = a->kind && a->kind[0] ? a->kind : "news";
	r->slug = a->slug;
	if ((r->slug == NULL || r->slug[0] == '\0') &&
	    (rc = default_slug(s, r, e)) != PR_OK)
		return rc;
	buf_reset(&s->scratch);
	buf_adds(&s->scratch, a->title);
	buf_addc(&s->scratch, '\0');
	buf_adds(&s->scratch, a->lead ? a->lead : "");
	buf_addc(&s->scratch, '\0');
	buf_adds(&s->scratch, a->body);
	if (s->scratch.err != PR_OK)
		return pr_fail(e, s->scratch.err, "%s: article too big to hash",
		               s->path);
	hash_sha256(s->scratch.p, s->scratch.n, h);
	hash_hex(h, sizeof(h), r->hash);
	return PR_OK;
}

static enum pr_err assign_id(struct store *s, struct row *r, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	if (r->id != 0)
		return PR_OK;
	st = store__stmt(s, STMT_ARTICLE_NEXT_ID);
	rc = store__row(s, st, &row, e, "choosing an article id");
	if (rc == PR_OK)
		r->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

static enum pr_err find_group(struct store *s, struct row *r,
                              struct pr_error *e)
{
	int64_t of = r->a->translation_of;
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	r->group = r->id;
	if (of == 0)
		return PR_OK;
	st = store__stmt(s, STMT_ARTICLE_GROUP);
	store__bind_int(s, st, 1, of);
	rc = store__row(s, st, &row, e, "finding a translation group");
	if (rc == PR_OK && row)
		r->group = sqlite3_column_int64(st, 0);
	else if (rc == PR_OK)
		rc = pr_fail(e, PR_NOTFOUND,
		             "article %lld: translation_of names article "
		             "%lld, which does not exist",
		             (long long)r->id, (long long)of);
	sqlite3_reset(st);
	return rc;
}

enum pr_err store__find_tail(struct store *s, struct lang_tail *t,
                             struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	if (t->known)
		return PR_OK;
	st = store__stmt(s, STMT_LAST_OF_LANG);
	store__bind_text(s, st, 1, t->lang);
	if ((rc = store__row(s, st, &row, e, "placing an article")) != PR_OK)
		return rc;
	t->known = true;
	t->last_id = row ? sqlite3_column_int64(st, 0) : 0;
	t->last_at = row ? sqlite3_column_int64(st, 1) : 0;
	t->last_pos = row ? sqlite3_column_int64(st, 2) : 0;
	sqlite3_reset(st);
	return PR_OK;
}

/*
 * The list position of a published item: one past the newest item of its
 * language when it sorts after all of them (the usual case, O(1)), else 0
 * with the language renumbered when the transaction ends.
 */
static enum pr_err place(struct store *s, struct row *r, struct pr_error *e)
{
	const struct article *a = r->a;
	struct lang_tail *t;
	enum pr_err rc;

	r->pos = -1;
	if (a->status != ARTICLE_PUBLISHED)
		return PR_OK;
	r->pos = 0;
	r->renumber = true;
	if ((t = store__lang(s, a->lang)) == NULL || t->dirty)
		return PR_OK;
	if ((rc = store__find_tail(s, t, e)) != PR_OK)
		return rc;
	if (t->last_pos == 0 || a->published_at > t->last_at ||
	    (a->published_at == t->last_at && r->id > t->last_id)) {
		r->pos = t->last_pos + 1;
		r->renumber = false;
	}
	return PR_OK;
}

/* After a successful insert: the language's new tail, or a renumbering. */
static void placed(struct store *s, const struct row *r)
{
	struct lang_tail *t;

	if (r->a->status != ARTICLE_PUBLISHED)
		return;
	store__touch(s);
	if (r->renumber || (t = store__lang(s, r->a->lang)) == NULL) {
		store__lang_dirty(s, r->a->lang);
		return;
	}
	t->last_at = r->a->published_at;
	t->last_id = r->id;
	t->last_pos = r->pos;
}

static enum pr_err insert_article(struct store *s, const struct row *r,
                                  struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ARTICLE_INSERT);
	const struct article *a = r->a;
	enum pr_err err = PR_OK;
	int rc;

	store__bind_int(s, st, 1, r->id);
	store__bind_text(s, st, 2, a->lang);
	if (r->pos >= 0)
		store__bind_int(s, st, 3, r->pos);
	else
		store__bind_null(s, st, 3);
	store__bind_int(s, st, 4, a->published_at);
	store__bind_text(s, st, 5, store_status_name(a->status));
	store__bind_text(s, st, 6, r->kind);
	store__bind_int(s, st, 7, r->group);
	store__bind_int(s, st, 8, 1);
	store__bind_int(s, st, 9, r->updated_at);
	store__bind_int(s, st, 10, r->now);
	store__bind_text(s, st, 11, r->slug);
	store__bind_text(s, st, 12, a->title);
	store__bind_text(s, st, 13, a->lead);
	store__bind_text(s, st, 14, a->author);
	rc = store__step(s, st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		err = pr_fail(e, PR_CONFLICT, "article id %lld already exists",
		              (long long)r->id);
	else if (rc != SQLITE_DONE)
		err = store__fail(s, e, rc, "inserting article %lld",
		                  (long long)r->id);
	sqlite3_reset(st);
	return err;
}

static enum pr_err insert_texts(struct store *s, const struct row *r,
                                struct pr_error *e)
{
	const struct article *a = r->a;
	sqlite3_stmt *st = store__stmt(s, STMT_HTML_INSERT);
	enum pr_err rc;

	store__bind_int(s, st, 1, r->id);
	store__bind_text(s, st, 2, a->body_html);
	if ((rc = store__exec(s, st, e, "inserting the text")) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_REVISION_INSERT);
	store__bind_int(s, st, 1, r->id);
	store__bind_int(s, st, 2, 1);
	store__bind_int(s, st, 3, r->now);
	store__bind_text(s, st, 4, a->author);
	store__bind_text(s, st, 5, r->hash);
	store__bind_text(s, st, 6, "");
	store__bind_text(s, st, 7, a->title);
	store__bind_text(s, st, 8, a->lead);
	store__bind_text(s, st, 9, a->body);
	if (a->body_text != NULL)
		store__bind_text(s, st, 10, a->body_text);
	else
		store__bind_null(s, st, 10);
	if ((rc = store__exec(s, st, e, "inserting the first revision")) !=
	    PR_OK)
		return rc;
	return store__search_pending(s, r->id, e);
}

/* Where the transaction remembers the entity named nm, or NULL when it
 * does not (outside an explicit transaction, or for a long name). */
static struct name_slot *name_slot(struct store *s, enum entity_type t,
                                   struct str nm)
{
	if (!s->in_tx || s->names == NULL || nm.n >= STORE_NAME_MAX)
		return NULL;
	return &s->names[hash64(nm.p, nm.n, (uint64_t)t) & (STORE_NAMES - 1)];
}

static bool slot_holds(const struct name_slot *sl, enum entity_type t,
                       struct str nm)
{
	return sl != NULL && sl->id != 0 && sl->type == t && sl->len == nm.n &&
	       memcmp(sl->name, nm.p, nm.n) == 0;
}

static void remember(struct store *s, struct name_slot *sl, enum entity_type t,
                     struct str nm, int64_t id)
{
	if (sl == NULL)
		return;
	sl->id = id;
	sl->type = (uint8_t)t;
	sl->len = (uint8_t)nm.n;
	memcpy(sl->name, nm.p, nm.n);
	s->names_used = true;
}

/* The id of the entity of type t with the slug of nm, inserted when new:
 * names that differ in case or accents are one entity. */
static enum pr_err find_entity(struct store *s, enum entity_type t,
                               struct str nm, int64_t *id, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool row;

	buf_reset(&s->scratch);
	slug_make(&s->scratch, nm, SLUG_MAX);
	if (s->scratch.err != PR_OK)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	st = store__stmt(s, STMT_ENTITY_FIND);
	store__bind_text(s, st, 1, entity_names[t]);
	store__bind_text(s, st, 2, buf_cstr(&s->scratch));
	if ((rc = store__row(s, st, &row, e, "finding an entity")) != PR_OK)
		return rc;
	*id = row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (row)
		return PR_OK;
	st = store__stmt(s, STMT_ENTITY_INSERT);
	store__bind_text(s, st, 1, entity_names[t]);
	store__bind_text(s, st, 2, buf_cstr(&s->scratch));
	store__bind_str(s, st, 3, nm);
	rc = store__exec(s, st, e, "inserting an entity");
	*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The entity id for name, remembered for the rest of a transaction (a
 * bulk import names the same few entities again and again). */
static enum pr_err entity_id(struct store *s, enum entity_type t,
                             const char *name, int64_t *id, struct pr_error *e)
{
	struct str nm = str_trim(str_c(name));
	struct name_slot *sl = name_slot(s, t, nm);
	enum pr_err rc;

	if (slot_holds(sl, t, nm)) {
		*id = sl->id;
		return PR_OK;
	}
	if ((rc = find_entity(s, t, nm, id, e)) == PR_OK)
		remember(s, sl, t, nm, *id);
	return rc;
}

static enum pr_err link_entities(struct store *s, const struct row *r,
                                 struct pr_error *e)
{
	const struct names *nm;
	sqlite3_stmt *st;
	enum pr_err rc = PR_OK;
	int64_t eid = 0, position = 0;
	size_t i;
	int t;

	for (t = 0; t < ENTITY_TYPES && rc == PR_OK; t++) {
		nm = &r->a->entities[t];
		for (i = 0; i < nm->n && rc == PR_OK; i++) {
			rc = entity_id(s, (enum entity_type)t, nm->name[i],
			               &eid, e);
			if (rc != PR_OK)
				break;
			st = store__stmt(s, STMT_LINK_INSERT);
			store__bind_int(s, st, 1, r->id);
			store__bind_int(s, st, 2, eid);
			store__bind_int(s, st, 3, position++);
			rc = store__exec(s, st, e, "linking an entity");
		}
	}
	return rc;
}

static enum pr_err insert_rows(struct store *s, struct row *r,
                               struct pr_error *e)
{
	enum pr_err rc;

	if ((rc = assign_id(s, r, e)) != PR_OK)
		goto out;
	if ((rc = find_group(s, r, e)) != PR_OK)
		goto out;
	if ((rc = place(s, r, e)) != PR_OK)
		goto out;
	if ((rc = insert_article(s, r, e)) != PR_OK)
		goto out;
	if ((rc = insert_texts(s, r, e)) != PR_OK)
		goto out;
	if ((rc = link_entities(s, r, e)) != PR_OK)
		goto out;
	placed(s, r);
out:
	return rc;
}

enum pr_err store__article_check(const struct article *a, const char *who,
                                 struct pr_error *e)
{
	return validate(a, who, e);
}

enum pr_err store__article_prepare(struct store *s, const struct article *a,
                                   char slug[SLUG_MAX + 1], char hash[65],
                                   struct pr_error *e)
{
	struct row r;
	enum pr_err rc = prepare_row(s, a, &r, e);

	if (rc == PR_OK) {
		snprintf(slug, SLUG_MAX + 1, "%s", r.slug);
		memcpy(hash, r.hash, sizeof(r.hash));
	}
	return rc;
}

enum pr_err store__article_link(struct store *s, int64_t id,
                                const struct article *a, struct pr_error *e)
{
	struct row r;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.id = id;
	return link_entities(s, &r, e);
}

enum pr_err store_article_insert(struct store *s, struct article *a,
                                 struct pr_error *e)
{
	char who[48];
	struct row r;
	enum pr_err rc;

	if (a->id > 0)
		snprintf(who, sizeof(who), "article %lld", (long long)a->id);
	else
		snprintf(who, sizeof(who), "new article");
	if ((rc = validate(a, who, e)) != PR_OK)
		return rc;
	if ((rc = prepare_row(s, a, &r, e)) != PR_OK)
		return rc;
	s->appending = true;
	rc = store__write_begin(s, e);
	s->appending = false;
	if (rc != PR_OK)
		return rc;
	rc = store__write_end(s, insert_rows(s, &r, e), e);
	if (rc == PR_OK) {
		a->id = r.id;
		a->translation_group = r.group;
		a->updated_at = r.updated_at;
		a->revision = 1;
	}
	return rc;
}

/* Reading */

/* One entity link while an article's names are collected. */
struct link {
	const char *name, *slug;
	struct link *next;
};

/* Builds the arrays of one type from its links, in order. */
static bool names_fill(struct arena *ar, struct names *nm, struct link *l)
{
	size_t i;

	if (nm->n == 0)
		return true;
	nm->name = arena_alloc(ar, nm->n * sizeof(*nm->name));
	nm->slug = arena_alloc(ar, nm->n * sizeof(*nm->slug));
	if (nm->name == NULL || nm->slug == NULL)
		return false;
	for (i = 0; l != NULL; l = l->next, i++) {
		nm->name[i] = l->name;
		nm->slug[i] = l->slug;
	}
	return true;
}

static enum pr_err read_entities(struct store *s, struct arena *ar,
                                 struct article *out, struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ARTICLE_ENTITIES);
	struct link *head[ENTITY_TYPES] = {0}, **tail[ENTITY_TYPES], *l;
	enum entity_type t;
	enum pr_err rc;
	bool row, oom = false;

	for (t = 0; t < ENTITY_TYPES; t++)
		tail[t] = &head[t];
	store__bind_int(s, st, 1, out->id);
	while ((rc = store__row(s, st, &row, e, "reading entities")) == PR_OK &&
	       row) {
		if (!entity_type_parse((const char *)sqlite3_column_text(st, 0),
		                       &t)) {
			rc = pr_fail(e, PR_CORRUPT,
			             "%s: article %lld links an entity of "
			             "unknown type",
			             s->path, (long long)out->id);
			break;
		}
		if ((l = arena_zalloc(ar, sizeof(*l))) == NULL) {
			oom = true;
			break;
		}
		l->name = store__col_text(ar, st, 1, &oom);
		l->slug = store__col_text(ar, st, 2, &oom);
		*tail[t] = l;
		tail[t] = &l->next;
		out->entities[t].n++;
	}
	sqlite3_reset(st);
	for (t = 0; t < ENTITY_TYPES && rc == PR_OK && !oom; t++)
		oom = !names_fill(ar, &out->entities[t], head[t]);
	if (rc == PR_OK && oom)
		rc = pr_fail(e, PR_NOMEM, "%s: article %lld: out of memory",
		             s->path, (long long)out->id);
	return rc;
}

/* Reads the row st stands on (columns of ARTICLE in sql.c). */
static enum pr_err read_article(struct store *s, struct arena *ar,
                                sqlite3_stmt *st, struct article *out,
                                struct pr_error *e)
{
	const char *status;
	bool oom = false;

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->slug = store__col_text(ar, st, 1, &oom);
	out->lang = store__col_text(ar, st, 2, &oom);
	out->kind = store__col_text(ar, st, 3, &oom);
	out->title = store__col_text(ar, st, 4, &oom);
	out->lead = store__col_text(ar, st, 5, &oom);
	out->body = store__col_text(ar, st, 6, &oom);
	out->body_html = store__col_text(ar, st, 7, &oom);
	out->author = store__col_text(ar, st, 8, &oom);
	status = (const char *)sqlite3_column_text(st, 9);
	out->translation_group = sqlite3_column_int64(st, 10);
	out->translation_of =
	    out->translation_group != out->id ? out->translation_group : 0;
	out->published_at = sqlite3_column_int64(st, 11);
	out->updated_at = sqlite3_column_int64(st, 12);
	out->revision = (int)sqlite3_column_int64(st, 13);
	if (oom)
		return pr_fail(e, PR_NOMEM, "%s: article %lld: out of memory",
		               s->path, (long long)out->id);
	if (!store_status_parse(str_c(status), &out->status))
		return pr_fail(e, PR_CORRUPT,
		               "%s: article %lld has an unknown status",
		               s->path, (long long)out->id);
	return PR_OK;
}

enum pr_err store_article_get(struct store *s, struct arena *ar, int64_t id,
                              struct article *out, struct pr_error *e)
{
	sqlite3_stmt *st;
	enum pr_err rc;
	bool opened, row;

	memset(out, 0, sizeof(*out));
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		return rc;
	st = store__stmt(s, STMT_ARTICLE_GET);
	store__bind_int(s, st, 1, id);
	if ((rc = store__row(s, st, &row, e, "reading an article")) != PR_OK)
		goto out;
	if (!row) {
		rc = pr_fail(e, PR_NOTFOUND, "article %lld does not exist",
		             (long long)id);
		goto out;
	}
	rc = read_article(s, ar, st, out, e);
	sqlite3_reset(st);
	if (rc == PR_OK)
		rc = read_entities(s, ar, out, e);
out:
	sqlite3_reset(st);
	store__read_end(s, opened);
	return rc;
}

enum pr_err store_article_each(struct store *s,
                               enum pr_err (*fn)(void *ctx,
                                                 const struct article *a),
                               void *ctx, struct pr_error *e)
{
	struct arena *ar = arena_new(EACH_ARENA_MAX);
	sqlite3_stmt *st = store__stmt(s, STMT_ARTICLE_EACH);
	struct article a;
	enum pr_err rc;
	bool opened = false, row;

	if (ar == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", s->path);
	if ((rc = store__read_begin(s, &opened, e)) != PR_OK)
		goto out;
	while ((rc = store__row(s, st, &row, e, "reading articles")) == PR_OK &&
	       row) {
		arena_reset(ar);
		if ((rc = read_article(s, ar, st, &a, e)) != PR_OK)
			break;
		if ((rc = read_entities(s, ar, &a, e)) != PR_OK)
			break;
		if ((rc = fn(ctx, &a)) != PR_OK) {
			pr_fail(e, rc, "stopped at article %lld",
			        (long long)a.id);
			break;
		}
	}
out:
	sqlite3_reset(st);
	store__read_end(s, opened);
	arena_free(ar);
	return rc;
}

enum pr_err store_article_count(struct store *s, int64_t *out,
                                struct pr_error *e)
{
	sqlite3_stmt *st = store__stmt(s, STMT_ARTICLE_COUNT);
	enum pr_err rc;
	bool row;

	*out = 0;
	rc = store__row(s, st, &row, e, "counting articles");
	if (rc == PR_OK && row)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}
