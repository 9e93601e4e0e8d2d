/*
 * render/tmpl.c: the page model (tv_*) and the template engine. A model is
 * a tree of values in the caller's arena. A template set is loaded once:
 * the embedded theme and a folder over it, each template parsed into a
 * flat array of nodes (a section knows where its body ends), the other
 * files kept as assets. Rendering walks the nodes with a scope stack and
 * escapes every value except tv_html ones.
 */
#include "render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- values ---- */

enum tv_type { TV_OBJ, TV_LIST, TV_STR, TV_INT, TV_BOOL, TV_HTML };

struct tv_entry {
	const char *key;
	uint32_t len, hash;
	struct tval *v;
};

/* Objects up to TV_LINEAR_MAX keys are searched in order; bigger ones
 * ({{t.*}} has a hundred) get an open-addressing index of entry numbers
 * + 1, at most half full. */
#define TV_LINEAR_MAX 8
#define TV_MAX_ITEMS  (1u << 26)

struct tv_obj {
	struct arena *a;
	struct tv_entry *e;
	uint32_t *slot;
	uint32_t n, cap, nslot;
};

struct tv_list {
	struct arena *a;
	struct tval **v;
	uint32_t n, cap;
};

struct tval {
	enum tv_type type;
	union {
		struct tv_obj obj;
		struct tv_list list;
		struct str s;
		int64_t i;
		bool b;
	} u;
};

static uint32_t tv_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

static struct tval *tv_new(struct arena *a, enum tv_type type)
{
	struct tval *v = arena_zalloc(a, sizeof(*v));

	if (v != NULL)
		v->type = type;
	return v;
}

struct tval *tv_obj(struct arena *a)
{
	struct tval *v = tv_new(a, TV_OBJ);

	if (v != NULL)
		v->u.obj.a = a;
	return v;
}

struct tval *tv_list(struct arena *a)
{
	struct tval *v = tv_new(a, TV_LIST);

	if (v != NULL)
		v->u.list.a = a;
	return v;
}

static struct tval *tv_text(struct arena *a, enum tv_type type, struct str s)
{
	struct tval *v = tv_new(a, type);

	if (v == NULL)
		return NULL;
	v->u.s = arena_str(a, s);
	return v->u.s.p != NULL || s.n == 0 ? v : NULL;
}

struct tval *tv_str(struct arena *a, struct str s)
{
	return tv_text(a, TV_STR, s);
}

struct tval *tv_cstr(struct arena *a, const char *s)
{
	return tv_text(a, TV_STR, str_c(s));
}

struct tval *tv_lit(struct arena *a, const char *s)
{
	struct tval *v = tv_new(a, TV_STR);

	if (v != NULL)
		v->u.s = s ? str_c(s) : STR_LIT("");
	return v;
}

struct tval *tv_html(struct arena *a, struct str trusted_html)
{
	return tv_text(a, TV_HTML, trusted_html);
}

struct tval *tv_int(struct arena *a, int64_t i)
{
	struct tval *v = tv_new(a, TV_INT);

	if (v != NULL)
		v->u.i = i;
	return v;
}

struct tval *tv_bool(struct arena *a, bool b)
{
	struct tval *v = tv_new(a, TV_BOOL);

	if (v != NULL)
		v->u.b = b;
	return v;
}

static bool tv_entry_is(const struct tv_entry *en, const char *k, size_t n,
                        uint32_t h)
{
	return en->hash == h && en->len == n && memcmp(en->key, k, n) == 0;
}

/* The entry for key k in object o, or NULL. */
static struct tv_entry *tv_find(const struct tval *o, const char *k, size_t n,
                                uint32_t h)
{
	const struct tv_obj *d = &o->u.obj;
	uint32_t i, s, mask;

	if (d->nslot == 0) {
		for (i = 0; i < d->n; i++)
			if (tv_entry_is(&d->e[i], k, n, h))
				return &d->e[i];
		return NULL;
	}
	mask = d->nslot - 1;
	for (i = h & mask; (s = d->slot[i]) != 0; i = (i + 1) & mask)
		if (tv_entry_is(&d->e[s - 1], k, n, h))
			return &d->e[s - 1];
	return NULL;
}

static void tv_slot_add(struct tv_obj *d, uint32_t idx)
{
	uint32_t mask = d->nslot - 1, i = d->e[idx].hash & mask;

	while (d->slot[i] != 0)
		i = (i + 1) & mask;
	d->slot[i] = idx + 1;
}

/* Makes room for one more entry; false when out of memory. */
static bool tv_obj_grow(struct tv_obj *d)
{
	struct tv_entry *e;
	uint32_t cap, i, *slot = NULL;

	if (d->n < d->cap)
		return true;
	cap = d->cap ? d->cap * 2 : 4;
	if (cap > TV_MAX_ITEMS)
		return false;
	e = arena_alloc(d->a, cap * sizeof(*e));
	if (cap > TV_LINEAR_MAX)
		slot = arena_zalloc(d->a, 2 * cap * sizeof(*slot));
	if (e == NULL || (cap > TV_LINEAR_MAX && slot == NULL))
		return false;
	if (d->n > 0)
		memcpy(e, d->e, d->n * sizeof(*e));
	d->e = e;
	d->cap = cap;
	d->slot = slot;
	d->nslot = slot ? 2 * cap : 0;
	for (i = 0; slot != NULL && i < d->n; i++)
		tv_slot_add(d, i);
	return true;
}

struct tval *tv_set(struct tval *obj, const char *key, struct tval *v)
{
	struct tv_obj *d;
	struct tv_entry *en;
	size_t n;
	uint32_t h;
	char *k;

	if (obj == NULL || obj->type != TV_OBJ || key == NULL)
		return obj;
	d = &obj->u.obj;
	n = strlen(key);
	h = tv_hash(key, n);
	en = tv_find(obj, key, n, h);
	if (en != NULL) {
		en->v = v;
		return obj;
	}
	if (n > UINT32_MAX || !tv_obj_grow(d))
		return obj;
	k = arena_strndup(d->a, key, n);
	if (k == NULL)
		return obj;
	d->e[d->n] = (struct tv_entry){k, (uint32_t)n, h, v};
	if (d->nslot > 0)
		tv_slot_add(d, d->n);
	d->n++;
	return obj;
}

static struct arena *tv_arena(struct tval *obj)
{
	return obj != NULL && obj->type == TV_OBJ ? obj->u.obj.a : NULL;
}

struct tval *tv_set_cstr(struct tval *obj, const char *key, const char *s)
{
	return tv_set(obj, key, tv_cstr(tv_arena(obj), s));
}

struct tval *tv_set_str(struct tval *obj, const char *key, struct str s)
{
	return tv_set(obj, key, tv_str(tv_arena(obj), s));
}

struct tval *tv_set_int(struct tval *obj, const char *key, int64_t i)
{
	return tv_set(obj, key, tv_int(tv_arena(obj), i));
}

struct tval *tv_set_bool(struct tval *obj, const char *key, bool b)
{
	return tv_set(obj, key, tv_bool(tv_arena(obj), b));
}

struct tval *tv_push(struct tval *list, struct tval *v)
{
	struct tv_list *d;
	struct tval **nv;
	uint32_t cap;

	if (list == NULL || list->type != TV_LIST || v == NULL)
		return list;
	d = &list->u.list;
	if (d->n == d->cap) {
		cap = d->cap ? d->cap * 2 : 8;
		nv = cap <= TV_MAX_ITEMS ? arena_alloc(d->a, cap * sizeof(*nv))
		                         : NULL;
		if (nv == NULL)
			return list;
		if (d->n > 0)
			memcpy(nv, d->v, d->n * sizeof(*nv));
		d->v = nv;
		d->cap = cap;
	}
	d->v[d->n++] = v;
	return list;
}

size_t tv_count(const struct tval *v)
{
	if (v == NULL)
		return 0;
	if (v->type == TV_LIST)
		return v->u.list.n;
	return v->type == TV_OBJ ? v->u.obj.n : 0;
}

/* The value of key p[0..n) in v; NULL when v is no object or lacks it. */
static const struct tval *tv_child(const struct tval *v, const char *p,
                                   size_t n)
{
	const struct tv_entry *en;

	if (v == NULL || v->type != TV_OBJ)
		return NULL;
	en = tv_find(v, p, n, tv_hash(p, n));
	return en ? en->v : NULL;
}

const struct tval *tv_get(const struct tval *obj, const char *path)
{
	struct str rest = str_c(path), part;

	if (path == NULL || strcmp(path, ".") == 0)
		return path ? obj : NULL;
	while (obj != NULL && rest.n > 0) {
		part = str_cut(&rest, '.');
		obj = tv_child(obj, part.p, part.n);
	}
	return obj;
}

bool tv_get_str(const struct tval *obj, const char *path, struct str *out)
{
	const struct tval *v = tv_get(obj, path);

	if (v == NULL || (v->type != TV_STR && v->type != TV_HTML))
		return false;
	*out = v->u.s;
	return true;
}

/* ---- templates: the parsed form ---- */

enum tn_type { TN_TEXT, TN_VAR, TN_SECTION, TN_INVERTED, TN_PARTIAL };

struct tseg {
	const char *p;
	uint32_t n, hash;
};

struct tnode {
	enum tn_type type;
	uint32_t line;
	uint32_t end;     /* sections: the index after their last node */
	uint32_t nseg;    /* parts of a name; 0 for "." */
	uint32_t partial; /* partials: index of the template */
	struct tseg *seg;
	struct str text; /* text, or the name as written */
};

struct tpl {
	const char *name; /* "article" */
	const char *file; /* where it came from, for messages */
	struct tnode *node;
	uint32_t n;
};

struct asset {
	struct str name, data;
	const char *type;
};

struct tmpl {
	struct arena *a;
	struct tpl *tpl;     /* sorted by name */
	struct asset *asset; /* sorted by name */
	size_t ntpl, nasset;
};

/* A file of the theme before parsing. */
struct tfile {
	const char *name; /* "article.html" */
	const char *path; /* for messages */
	struct str data;
};

struct tfiles {
	struct tfile *f;
	size_t n;
};

#define TMPL_ARENA_MAX  ((size_t)512 << 20)
#define TMPL_FILE_MAX   ((size_t)32 << 20)
#define TMPL_MAX_FILES  1024
#define TMPL_MAX_SCOPES (TMPL_MAX_NEST * (TMPL_MAX_PARTIALS + 1) + 1)

/* ---- templates: parsing ---- */

struct parser {
	struct arena *a;
	const char *file;
	const char *p;
	size_t n, pos;
	uint32_t line; /* of p[pos] */
	struct tnode *node;
	uint32_t nnode, cap;
	uint32_t open[TMPL_MAX_NEST];
	unsigned depth;
	struct pr_error *e;
};

/* A tag as read from the source: {{ sigil body }}. */
struct tag {
	char sigil; /* '#', '^', '/', '>', '!', '=', '{', '&' or 0 */
	struct str body;
	size_t at, end; /* of "{{" and after "}}" */
	uint32_t line;
};

static uint32_t count_nl(const char *p, size_t n)
{
	uint32_t k = 0;
	const char *q;

	while ((q = memchr(p, '\n', n)) != NULL) {
		k++;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return k;
}

static void parse_advance(struct parser *ps, size_t to)
{
	ps->line += count_nl(ps->p + ps->pos, to - ps->pos);
	ps->pos = to;
}

static struct str short_name(struct str s)
{
	return utf8_prefix(s, 60);
}

static struct tnode *parse_node(struct parser *ps, enum tn_type type,
                                uint32_t line)
{
	struct tnode *nn;
	uint32_t cap;

	if (ps->nnode == ps->cap) {
		cap = ps->cap ? ps->cap * 2 : 32;
		nn = cap <= TV_MAX_ITEMS ? arena_alloc(ps->a, cap * sizeof(*nn))
		                         : NULL;
		if (nn == NULL)
			return NULL;
		if (ps->nnode > 0)
			memcpy(nn, ps->node, ps->nnode * sizeof(*nn));
		ps->node = nn;
		ps->cap = cap;
	}
	nn = &ps->node[ps->nnode++];
	memset(nn, 0, sizeof(*nn));
	nn->type = type;
	nn->line = line;
	return nn;
}

static enum pr_err parse_nomem(struct parser *ps)
{
	return pr_fail(ps->e, PR_NOMEM, "%s: out of memory", ps->file);
}

static enum pr_err parse_text(struct parser *ps, size_t from, size_t to)
{
	struct tnode *nd;

	if (to <= from)
		return PR_OK;
	nd = parse_node(ps, TN_TEXT, ps->line);
	if (nd == NULL)
		return parse_nomem(ps);
	nd->text = (struct str){ps->p + from, to - from};
	return PR_OK;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "a.b.c", "." or one of the @ names; parts are non-empty. */
static bool name_valid(struct str s)
{
	size_t i;

	if (s.n == 1 && s.p[0] == '.')
		return true;
	if (s.n > 0 && s.p[0] == '@')
		return str_eq_c(s, "@index") || str_eq_c(s, "@number") ||
		       str_eq_c(s, "@first") || str_eq_c(s, "@last");
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			if (i == 0 || i + 1 == s.n || s.p[i + 1] == '.')
				return false;
		} else if (!name_char(s.p[i])) {
			return false;
		}
	}
	return s.n > 0;
}

static enum pr_err parse_name(struct parser *ps, struct tnode *nd,
                              const struct tag *tg)
{
	struct str rest = tg->body, part;
	uint32_t k = 0;
	size_t i;

	nd->text = tg->body;
	if (!name_valid(tg->body))
		return pr_fail(ps->e, PR_INVALID, "%s:%u: bad name '%.*s'",
		               ps->file, tg->line,
		               STR_FMT(short_name(tg->body)));
	if (str_eq_c(tg->body, "."))
		return PR_OK;
	nd->nseg = 1;
	for (i = 0; i < rest.n; i++)
		nd->nseg += rest.p[i] == '.';
	nd->seg = arena_alloc(ps->a, nd->nseg * sizeof(*nd->seg));
	if (nd->seg == NULL)
		return parse_nomem(ps);
	while (rest.n > 0) {
		part = str_cut(&rest, '.');
		nd->seg[k++] = (struct tseg){part.p, (uint32_t)part.n,
		                             tv_hash(part.p, part.n)};
	}
	return PR_OK;
}

static enum pr_err parse_var(struct parser *ps, const struct tag *tg)
{
	struct tnode *nd = parse_node(ps, TN_VAR, tg->line);

	return nd ? parse_name(ps, nd, tg) : parse_nomem(ps);
}

static enum pr_err parse_open(struct parser *ps, const struct tag *tg)
{
	struct tnode *nd;

	if (ps->depth == TMPL_MAX_NEST)
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: sections nested deeper than %d",
		               ps->file, tg->line, TMPL_MAX_NEST);
	nd = parse_node(ps, tg->sigil == '#' ? TN_SECTION : TN_INVERTED,
	                tg->line);
	if (nd == NULL)
		return parse_nomem(ps);
	ps->open[ps->depth++] = ps->nnode - 1;
	return parse_name(ps, nd, tg);
}

static enum pr_err parse_close(struct parser *ps, const struct tag *tg)
{
	struct tnode *nd;

	if (ps->depth == 0)
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: '{{/%.*s}}' closes no open section",
		               ps->file, tg->line,
		               STR_FMT(short_name(tg->body)));
	nd = &ps->node[ps->open[ps->depth - 1]];
	if (!str_eq(nd->text, tg->body))
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: '{{/%.*s}}' closes section '%.*s' "
		               "opened on line %u",
		               ps->file, tg->line,
		               STR_FMT(short_name(tg->body)),
		               STR_FMT(short_name(nd->text)), nd->line);
	nd->end = ps->nnode;
	ps->depth--;
	return PR_OK;
}

static bool partial_valid(struct str s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (!name_char(s.p[i]) && s.p[i] != '.')
			return false;
	return s.n > 0;
}

static enum pr_err parse_partial(struct parser *ps, const struct tag *tg)
{
	struct tnode *nd;

	if (!partial_valid(tg->body))
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: bad partial name '%.*s'", ps->file,
		               tg->line, STR_FMT(short_name(tg->body)));
	nd = parse_node(ps, TN_PARTIAL, tg->line);
	if (nd == NULL)
		return parse_nomem(ps);
	nd->text = tg->body;
	return PR_OK;
}

static enum pr_err parse_tag(struct parser *ps, const struct tag *tg)
{
	switch (tg->sigil) {
	case '#':
	case '^': return parse_open(ps, tg);
	case '/': return parse_close(ps, tg);
	case '>': return parse_partial(ps, tg);
	case '!': return PR_OK;
	case '=':
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: changing delimiters is not supported",
		               ps->file, tg->line);
	case '{':
	case '&':
		return pr_fail(ps->e, PR_INVALID,
		               "%s:%u: unescaped output ('{{%c') is not "
		               "supported: give the model a tv_html value",
		               ps->file, tg->line, tg->sigil);
	default:
		if (tg->body.n == 0)
			return pr_fail(ps->e, PR_INVALID, "%s:%u: empty tag",
			               ps->file, tg->line);
		return parse_var(ps, tg);
	}
}

/*
 * Reads the tag whose "{{" is at `at` into tg; false when it has no "}}".
 * A comment may span lines and ends at the first "}}".
 */
static bool tag_read(const struct parser *ps, size_t at, struct tag *tg)
{
	const char *body = ps->p + at + 2, *close;
	size_t left = ps->n - at - 2;

	close = memmem(body, left, "}}", 2);
	if (close == NULL)
		return false;
	tg->at = at;
	tg->end = (size_t)(close - ps->p) + 2;
	tg->line = ps->line + count_nl(ps->p + ps->pos, at - ps->pos);
	tg->body = str_trim((struct str){body, (size_t)(close - body)});
	tg->sigil = 0;
	if (tg->body.n > 0 && strchr("#^/>!={&", tg->body.p[0]) != NULL) {
		tg->sigil = tg->body.p[0];
		tg->body.p++;
		tg->body.n--;
		tg->body = str_trim(tg->body);
	}
	return true;
}

/*
 * A section, partial or comment tag alone on its line (only blanks around
 * it) takes the whole line: *line_at gets where the line starts, *next
 * where the following one does.
 */
static bool tag_standalone(const struct parser *ps, const struct tag *tg,
                           size_t *line_at, size_t *next)
{
	size_t i = tg->at, j = tg->end;

	if (tg->sigil == 0 || strchr("#^/>!", tg->sigil) == NULL)
		return false;
	while (i > ps->pos && (ps->p[i - 1] == ' ' || ps->p[i - 1] == '\t'))
		i--;
	if (i > 0 && ps->p[i - 1] != '\n')
		return false;
	while (j < ps->n && (ps->p[j] == ' ' || ps->p[j] == '\t'))
		j++;
	if (j + 1 < ps->n && ps->p[j] == '\r' && ps->p[j + 1] == '\n')
		j++;
	if (j < ps->n && ps->p[j] != '\n')
		return false;
	*line_at = i;
	*next = j < ps->n ? j + 1 : ps->n;
	return true;
}

/* Reads the text up to the next tag and the tag. */
static enum pr_err parse_step(struct parser *ps)
{
	const char *open = memmem(ps->p + ps->pos, ps->n - ps->pos, "{{", 2);
	struct tag tg;
	size_t text_end, next;
	enum pr_err rc;

	if (open == NULL) {
		rc = parse_text(ps, ps->pos, ps->n);
		parse_advance(ps, ps->n);
		return rc;
	}
	if (!tag_read(ps, (size_t)(open - ps->p), &tg))
		return pr_fail(
		    ps->e, PR_INVALID, "%s:%u: unclosed tag '{{'", ps->file,
		    ps->line + count_nl(ps->p + ps->pos,
		                        (size_t)(open - ps->p) - ps->pos));
	if (!tag_standalone(ps, &tg, &text_end, &next)) {
		text_end = tg.at;
		next = tg.end;
	}
	rc = parse_text(ps, ps->pos, text_end);
	if (rc == PR_OK)
		rc = parse_tag(ps, &tg);
	parse_advance(ps, next);
	return rc;
}

static enum pr_err parse_utf8(struct parser *ps)
{
	size_t bad;

	if (utf8_valid(ps->p, ps->n, &bad))
		return PR_OK;
	return pr_fail(ps->e, PR_INVALID, "%s:%u: invalid UTF-8", ps->file,
	               1 + count_nl(ps->p, bad));
}

static enum pr_err parse_template(struct arena *a, const struct tfile *f,
                                  struct tpl *out, struct pr_error *e)
{
	struct parser ps = {.a = a,
	                    .file = f->path,
	                    .p = f->data.p,
	                    .n = f->data.n,
	                    .line = 1,
	                    .e = e};
	struct tnode *nd;
	enum pr_err rc = parse_utf8(&ps);

	while (rc == PR_OK && ps.pos < ps.n)
		rc = parse_step(&ps);
	if (rc == PR_OK && ps.depth > 0) {
		nd = &ps.node[ps.open[ps.depth - 1]];
		rc = pr_fail(e, PR_INVALID, "%s:%u: unclosed section '%.*s'",
		             f->path, nd->line, STR_FMT(short_name(nd->text)));
	}
	out->file = f->path;
	out->node = ps.node;
	out->n = ps.nnode;
	return rc;
}

/* ---- templates: loading ---- */

static const struct {
	const char *ext, *type;
} content_types[] = {
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "application/xml"},
    {"xsl", "text/xsl; charset=utf-8"},
    {"pdf", "application/pdf"},
};

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(content_types) / sizeof(*content_types);
	     i++)
		if (strcasecmp(dot + 1, content_types[i].ext) == 0)
			return content_types[i].type;
	return "application/octet-stream";
}

/* Adds f to fs, replacing a file of the same name. */
static enum pr_err files_add(struct tfiles *fs, const struct tfile *f,
                             struct pr_error *e)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->f[i].name, f->name) == 0) {
			fs->f[i] = *f;
			return PR_OK;
		}
	}
	if (fs->n == TMPL_MAX_FILES)
		return pr_fail(e, PR_TOOBIG, "%s: a theme has at most %d files",
		               f->path, TMPL_MAX_FILES);
	fs->f[fs->n++] = *f;
	return PR_OK;
}

struct theme_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};
extern const struct theme_file theme_files[];

static enum pr_err files_embedded(struct arena *a, struct tfiles *fs,
                                  struct pr_error *e)
{
	const struct theme_file *tf;
	struct tfile f;
	enum pr_err rc = PR_OK;

	for (tf = theme_files; rc == PR_OK && tf->name != NULL; tf++) {
		f.name = tf->name;
		f.path = arena_printf(a, "theme/default/%s", tf->name);
		f.data = (struct str){(const char *)tf->data, tf->len};
		if (f.path == NULL)
			return pr_fail(e, PR_NOMEM, "theme: out of memory");
		rc = files_add(fs, &f, e);
	}
	return rc;
}

/* Reads the regular file at path into the arena; PR_NOTFOUND (and no
 * message) for anything else, so that the caller can skip it. */
static enum pr_err file_read(struct arena *a, const char *path, struct str *out,
                             struct pr_error *e)
{
	struct stat sb;
	char *p = NULL;
	size_t got = 0;
	ssize_t r = 1;
	enum pr_err rc = PR_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0) {
		rc = pr_fail(e, PR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = PR_NOTFOUND;
		goto out;
	}
	if ((size_t)sb.st_size > TMPL_FILE_MAX) {
		rc = pr_fail(e, PR_TOOBIG, "%s: over %zu bytes", path,
		             TMPL_FILE_MAX);
		goto out;
	}
	p = arena_alloc(a, (size_t)sb.st_size + 1);
	if (p == NULL) {
		rc = pr_fail(e, PR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	while (got < (size_t)sb.st_size &&
	       ((r = read(fd, p + got, (size_t)sb.st_size - got)) > 0 ||
	        (r < 0 && errno == EINTR)))
		got += r > 0 ? (size_t)r : 0;
	if (r < 0)
		rc = pr_fail(e, PR_IO, "%s: %s", path, strerror(errno));
	*out = (struct str){p, got};
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Editor backups and hidden files are not part of a theme. */
static bool theme_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && name[0] != '.' && name[n - 1] != '~';
}

static enum pr_err files_dir_one(struct arena *a, struct tfiles *fs,
                                 const char *dir, const char *name,
                                 struct pr_error *e)
{
	struct tfile f;
	enum pr_err rc;

	f.name = arena_strdup(a, name);
	f.path = arena_printf(a, "%s/%s", dir, name);
	if (f.name == NULL || f.path == NULL)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", dir);
	rc = file_read(a, f.path, &f.data, e);
	if (rc == PR_NOTFOUND) {
		log_warn("theme: %s skipped: not a regular file", f.path);
		return PR_OK;
	}
	return rc == PR_OK ? files_add(fs, &f, e) : rc;
}

static enum pr_err files_dir(struct arena *a, struct tfiles *fs,
                             const char *dir, struct pr_error *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	enum pr_err rc = PR_OK;

	if (d == NULL) {
		rc = pr_fail(e, errno == ENOENT ? PR_NOTFOUND : PR_IO,
		             "theme folder %s: %s", dir, strerror(errno));
		goto out;
	}
	while (rc == PR_OK && (errno = 0, de = readdir(d)) != NULL)
		if (theme_name_ok(de->d_name))
			rc = files_dir_one(a, fs, dir, de->d_name, e);
	if (rc == PR_OK && errno != 0)
		rc = pr_fail(e, PR_IO, "theme folder %s: %s", dir,
		             strerror(errno));
out:
	if (d != NULL)
		closedir(d);
	return rc;
}

static int tfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tfile *)a)->name,
	              ((const struct tfile *)b)->name);
}

static int tpl_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tpl *)elem)->name);
}

static int tpl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tpl *)a)->name,
	              ((const struct tpl *)b)->name);
}

static const struct tpl *tpl_find(const struct tmpl *t, const char *name)
{
	if (t == NULL || name == NULL || t->ntpl == 0)
		return NULL;
	return bsearch(name, t->tpl, t->ntpl, sizeof(*t->tpl), tpl_key_cmp);
}

/* Points every partial at its template. */
static enum pr_err tmpl_link(struct tmpl *t, struct pr_error *e)
{
	struct tpl *tp;
	struct tnode *nd;
	const struct tpl *to;
	char *name;
	uint32_t i;

	for (tp = t->tpl; tp < t->tpl + t->ntpl; tp++) {
		for (i = 0; i < tp->n; i++) {
			nd = &tp->node[i];
			if (nd->type != TN_PARTIAL)
				continue;
			name = arena_strndup(t->a, nd->text.p, nd->text.n);
			to = name ? tpl_find(t, name) : NULL;
			if (to == NULL)
				return pr_fail(e, PR_INVALID,
				               "%s:%u: unknown partial '%.*s'",
				               tp->file, nd->line,
				               STR_FMT(short_name(nd->text)));
			nd->partial = (uint32_t)(to - t->tpl);
		}
	}
	return PR_OK;
}

/* Parses the templates among fs and keeps the rest as assets. */
static enum pr_err tmpl_build(struct tmpl *t, struct tfiles *fs,
                              struct pr_error *e)
{
	struct tfile *f;
	struct tpl *tp;
	enum pr_err rc = PR_OK;
	size_t nlen;

	qsort(fs->f, fs->n, sizeof(*fs->f), tfile_cmp);
	t->tpl = arena_zalloc(t->a, (fs->n + 1) * sizeof(*t->tpl));
	t->asset = arena_zalloc(t->a, (fs->n + 1) * sizeof(*t->asset));
	if (t->tpl == NULL || t->asset == NULL)
		return pr_fail(e, PR_NOMEM, "theme: out of memory");
	for (f = fs->f; rc == PR_OK && f < fs->f + fs->n; f++) {
		nlen = strlen(f->name);
		if (!str_suffix(str_c(f->name), STR_LIT(".html"))) {
			t->asset[t->nasset++] = (struct asset){
			    str_c(f->name), f->data, content_type(f->name)};
			continue;
		}
		tp = &t->tpl[t->ntpl++];
		tp->name = arena_strndup(t->a, f->name, nlen - 5);
		rc = tp->name ? parse_template(t->a, f, tp, e)
		              : pr_fail(e, PR_NOMEM, "theme: out of memory");
	}
	/* "a.html" sorts after "a-b.html" but "a" before "a-b": re-sort. */
	if (rc == PR_OK)
		qsort(t->tpl, t->ntpl, sizeof(*t->tpl), tpl_cmp);
	return rc == PR_OK ? tmpl_link(t, e) : rc;
}

static struct tmpl *tmpl_new(struct tfiles *fs, struct pr_error *e)
{
	struct arena *a = arena_new(TMPL_ARENA_MAX);
	struct tmpl *t = a ? arena_zalloc(a, sizeof(*t)) : NULL;

	fs->n = 0;
	fs->f = t ? arena_alloc(a, TMPL_MAX_FILES * sizeof(*fs->f)) : NULL;
	if (fs->f == NULL) {
		arena_free(a);
		pr_fail(e, PR_NOMEM, "theme: out of memory");
		return NULL;
	}
	t->a = a;
	return t;
}

enum pr_err tmpl_load(struct tmpl **out, const char *theme_dir,
                      struct pr_error *e)
{
	struct tfiles fs;
	struct tmpl *t = tmpl_new(&fs, e);
	enum pr_err rc = PR_NOMEM;

	if (t == NULL)
		goto out;
	rc = files_embedded(t->a, &fs, e);
	if (rc == PR_OK && theme_dir != NULL && theme_dir[0] != '\0')
		rc = files_dir(t->a, &fs, theme_dir, e);
	if (rc == PR_OK)
		rc = tmpl_build(t, &fs, e);
out:
	if (rc != PR_OK) {
		tmpl_free(t);
		t = NULL;
	}
	*out = t;
	return rc;
}

enum pr_err tmpl_load_mem(struct tmpl **out, const struct tmpl_source *files,
                          size_t n, struct pr_error *e)
{
	struct tfiles fs;
	struct tmpl *t = tmpl_new(&fs, e);
	struct tfile f;
	enum pr_err rc = t ? PR_OK : PR_NOMEM;
	size_t i;

	for (i = 0; rc == PR_OK && i < n; i++) {
		f.name = arena_strdup(t->a, files[i].name);
		f.path = f.name;
		f.data = arena_str(t->a, files[i].text);
		if (f.name == NULL || (f.data.p == NULL && files[i].text.n))
			rc = pr_fail(e, PR_NOMEM, "theme: out of memory");
		else if (theme_name_ok(f.name))
			rc = files_add(&fs, &f, e);
	}
	if (rc == PR_OK)
		rc = tmpl_build(t, &fs, e);
	if (rc != PR_OK) {
		tmpl_free(t);
		t = NULL;
	}
	*out = t;
	return rc;
}

void tmpl_free(struct tmpl *t)
{
	if (t != NULL)
		arena_free(t->a);
}

bool tmpl_has(const struct tmpl *t, const char *name)
{
	return tpl_find(t, name) != NULL;
}

/* ---- templates: rendering ---- */

/* A scope: the value, and for list items their place in the list. */
struct frame {
	const struct tval *v;
	uint32_t idx, count; /* count 0: not a list item */
};

struct rstate {
	const struct tmpl *t;
	struct buf *out;
	struct pr_error *e;
	enum pr_err rc;
	unsigned nscope, partials;
	long steps; /* left of TMPL_MAX_STEPS */
	struct frame scope[TMPL_MAX_SCOPES];
};

static const struct tval *tv_child_seg(const struct tval *v,
                                       const struct tseg *sg, bool *found)
{
	const struct tv_entry *en;

	if (v == NULL || v->type != TV_OBJ)
		return NULL;
	en = tv_find(v, sg->p, sg->n, sg->hash);
	*found = en != NULL;
	return en ? en->v : NULL;
}

/* @index, @number, @first, @last of the innermost list item. */
static const struct tval *lookup_at(const struct rstate *st,
                                    const struct tseg *sg, struct tval *tmp)
{
	const struct frame *fr = NULL;
	unsigned s;

	for (s = st->nscope; s-- > 0 && fr == NULL;)
		if (st->scope[s].count > 0)
			fr = &st->scope[s];
	if (fr == NULL)
		return NULL;
	tmp->type = sg->p[1] == 'i' || sg->p[1] == 'n' ? TV_INT : TV_BOOL;
	if (sg->p[1] == 'i' || sg->p[1] == 'n')
		tmp->u.i = (int64_t)fr->idx + (sg->p[1] == 'n');
	else if (sg->p[1] == 'f')
		tmp->u.b = fr->idx == 0;
	else
		tmp->u.b = fr->idx + 1 == fr->count;
	return tmp;
}

/* The first part of a name from the innermost scope outward, the rest
 * from there on. tmp holds @ values. */
static const struct tval *lookup(const struct rstate *st,
                                 const struct tnode *nd, struct tval *tmp)
{
	const struct tval *v = NULL;
	bool found = false;
	unsigned s;
	uint32_t k;

	if (nd->nseg == 0)
		return st->nscope > 0 ? st->scope[st->nscope - 1].v : NULL;
	if (nd->seg[0].p[0] == '@')
		return lookup_at(st, &nd->seg[0], tmp);
	for (s = st->nscope; s-- > 0 && !found;)
		v = tv_child_seg(st->scope[s].v, &nd->seg[0], &found);
	for (k = 1; v != NULL && k < nd->nseg; k++)
		v = tv_child_seg(v, &nd->seg[k], &found);
	return v;
}

static bool truthy(const struct tval *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case TV_OBJ: return true;
	case TV_LIST: return v->u.list.n > 0;
	case TV_STR:
	case TV_HTML: return v->u.s.n > 0;
	case TV_INT: return v->u.i != 0;
	default: return v->u.b;
	}
}

static void add_int(struct buf *out, int64_t i)
{
	char s[24];
	size_t k = sizeof(s);
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;

	do {
		s[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (i < 0)
		s[--k] = '-';
	buf_add(out, s + k, sizeof(s) - k);
}

static void render_value(struct buf *out, const struct tval *v)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case TV_STR: html_escape(out, v->u.s); break;
	case TV_HTML: buf_addstr(out, v->u.s); break;
	case TV_INT: add_int(out, v->u.i); break;
	case TV_BOOL: buf_adds(out, v->u.b ? "true" : "false"); break;
	default: break;
	}
}

static void render_range(struct rstate *st, const struct tpl *tp, uint32_t i,
                         uint32_t end);

/* Renders the body of section node i once with v (item idx of count)
 * as the innermost scope. */
static void render_body(struct rstate *st, const struct tpl *tp, uint32_t i,
                        const struct frame *fr)
{
	if (st->nscope == TMPL_MAX_SCOPES) {
		st->rc = pr_fail(st->e, PR_INTERNAL, "%s:%u: scopes overflow",
		                 tp->file, tp->node[i].line);
		return;
	}
	st->scope[st->nscope++] = *fr;
	render_range(st, tp, i + 1, tp->node[i].end);
	st->nscope--;
}

static void render_section(struct rstate *st, const struct tpl *tp, uint32_t i)
{
	struct tval tmp;
	const struct tval *v = lookup(st, &tp->node[i], &tmp);
	const struct tv_list *l;
	struct frame fr = {v, 0, 0};

	if (v != NULL && v->type == TV_LIST) {
		l = &v->u.list;
		for (fr.count = l->n; fr.idx < l->n && st->rc == PR_OK;
		     fr.idx++) {
			fr.v = l->v[fr.idx];
			render_body(st, tp, i, &fr);
		}
	} else if (truthy(v)) {
		render_body(st, tp, i, &fr);
	}
}

static void render_partial(struct rstate *st, const struct tpl *tp,
                           const struct tnode *nd)
{
	const struct tpl *to = &st->t->tpl[nd->partial];

	if (st->partials == TMPL_MAX_PARTIALS) {
		st->rc =
		    pr_fail(st->e, PR_INVALID,
		            "%s:%u: partials nested deeper than %d "
		            "('%s' includes itself?)",
		            tp->file, nd->line, TMPL_MAX_PARTIALS, to->name);
		return;
	}
	st->partials++;
	render_range(st, to, 0, to->n);
	st->partials--;
}

static void render_range(struct rstate *st, const struct tpl *tp, uint32_t i,
                         uint32_t end)
{
	const struct tnode *nd;
	struct tval tmp;

	while (i < end && st->rc == PR_OK && st->out->err == PR_OK) {
		nd = &tp->node[i];
		if (--st->steps < 0) {
			st->rc = pr_fail(st->e, PR_TOOBIG,
			                 "%s:%u: rendering takes over %ld "
			                 "steps",
			                 tp->file, nd->line, TMPL_MAX_STEPS);
			break;
		}
		switch (nd->type) {
		case TN_TEXT: buf_addstr(st->out, nd->text); break;
		case TN_VAR: render_value(st->out, lookup(st, nd, &tmp)); break;
		case TN_SECTION: render_section(st, tp, i); break;
		case TN_INVERTED:
			if (!truthy(lookup(st, nd, &tmp)))
				render_range(st, tp, i + 1, nd->end);
			break;
		case TN_PARTIAL: render_partial(st, tp, nd); break;
		}
		if (nd->type == TN_SECTION || nd->type == TN_INVERTED)
			i = nd->end;
		else
			i++;
	}
}

enum pr_err tmpl_render(const struct tmpl *t, const char *name,
                        const struct tval *model, struct buf *out,
                        struct pr_error *e)
{
	const struct tpl *tp = tpl_find(t, name);
	struct rstate st;
	size_t start = out->n;
	enum pr_err rc;

	if (tp == NULL) {
		rc = pr_fail(e, PR_NOTFOUND, "no template '%s'",
		             name ? name : "(null)");
		goto out;
	}
	st.t = t;
	st.out = out;
	st.e = e;
	st.rc = PR_OK;
	st.partials = 0;
	st.steps = TMPL_MAX_STEPS;
	st.nscope = model != NULL;
	st.scope[0] = (struct frame){model, 0, 0};
	render_range(&st, tp, 0, tp->n);
	rc = st.rc;
	if (rc == PR_OK && out->err != PR_OK)
		rc = pr_fail(e, out->err, "template %s: output: %s", name,
		             pr_strerror(out->err));
	if (rc != PR_OK && out->err == PR_OK)
		out->n = start;
out:
	return rc;
}

static int asset_cmp(const void *key, const void *elem)
{
	const struct str *k = key, *n = &((const struct asset *)elem)->name;
	int c = memcmp(k->p, n->p, k->n < n->n ? k->n : n->n);

	if (c != 0)
		return c;
	return k->n < n->n ? -1 : k->n > n->n;
}

bool tmpl_asset(const struct tmpl *t, struct str name, struct str *out,
                const char **content_type_out)
{
	const struct asset *as = NULL;

	if (t != NULL && t->nasset > 0 && name.n > 0)
		as = bsearch(&name, t->asset, t->nasset, sizeof(*t->asset),
		             asset_cmp);
	if (as == NULL)
		return false;
	*out = as->data;
	if (content_type_out != NULL)
		*content_type_out = as->type;
	return true;
}

enum pr_err tmpl_assets_each(const struct tmpl *t, tmpl_asset_fn fn, void *arg)
{
	enum pr_err rc = PR_OK;
	size_t i;

	for (i = 0; t != NULL && rc == PR_OK && i < t->nasset; i++)
		rc = fn(arg, t->asset[i].name, t->asset[i].data,
		        t->asset[i].type);
	return rc;
}
