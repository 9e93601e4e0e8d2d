/*
 * ingest/jsonl.c: the JSON Lines importer as a pipeline. The calling thread
 * reads lines with a bounded reader (a line over cfg->max_import_line is
 * skipped to its end, never held) into batches of slots; worker threads
 * parse and validate the slots of one batch (ingest/record.c) while the
 * calling thread inserts the previous batch, in file order, into the
 * store. What needs the order or the database stays on the calling thread:
 * duplicate ids, translation_of (a record whose translation_of names a
 * later record waits until that one is in) and the inserts.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "ingest_int.h"

#define CHUNK       (64 * 1024)
#define SLOTS       64                  /* records a batch */
#define BATCH_BYTES ((size_t)4 << 20)   /* line bytes a batch */
#define KEEP_BYTES  ((size_t)256 << 10) /* a slot keeps between uses */
#define MAX_WORKERS 8

enum line_state { LINE_OK, LINE_EOF, LINE_LONG, LINE_IOERR };

/* A bounded line reader over f. */
struct lines {
	FILE *f;
	size_t pos, len, max;
	int64_t no;
	bool ioerr;
	char chunk[CHUNK];
};

/* One line on its way to the store. */
struct slot {
	struct buf line;
	int64_t no;
	uint64_t bytes; /* the line's real length */
	enum line_state state;
	struct ingest__parser p;
	struct ingest__rec r;
	struct pr_error err;
	enum pr_err rc;
};

struct batch {
	struct slot *slots;
	size_t n;
};

/* Worker threads that parse the slots of one batch at a time. */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch *job;
	size_t next, finished;
	bool quit;
	int n;
	pthread_t th[MAX_WORKERS];
};

/* Ids of the file: open addressing, id 0 marks a free slot. */
struct idslot {
	int64_t id;
	int64_t line;
	bool inserted;
};

struct idmap {
	struct idslot *v;
	size_t cap, n;
};

/* A record that waits for the record its translation_of names. */
struct pending {
	struct article a;
	int64_t line;
	bool has_id;
	struct ingest_photo *photo;
	size_t n_photos;
	struct pending *next;
};

struct jsonl {
	struct store *s;
	const struct config *cfg;
	const char *name;
	struct str dir; /* name up to its last '/': photos are relative to it */
	struct ingest_media *media; /* NULL: photos are refused */
	struct ingest_result *r;
	struct arena *scratch; /* look-ups in the store */
	struct arena *later;   /* pending records */
	struct idmap ids;
	struct pending *pending, **pending_tail;
	struct batch b[2];
	struct pool pool;
	struct lines in;
};

/* line reader */

static bool lines_fill(struct lines *l)
{
	l->pos = 0;
	l->len = fread(l->chunk, 1, sizeof l->chunk, l->f);
	if (l->len == 0 && ferror(l->f))
		l->ioerr = true;
	return l->len > 0;
}

static enum line_state lines_done(struct lines *l, struct slot *s)
{
	if (s->bytes > l->max)
		return LINE_LONG;
	if (s->line.n > 0 && s->line.p[s->line.n - 1] == '\r') {
		s->line.n--;
		s->bytes--;
	}
	return s->line.err ? LINE_IOERR : LINE_OK;
}

/* Reads the next line into s; LINE_LONG when it was over max (and was
 * skipped, not kept). */
static enum line_state lines_next(struct lines *l, struct slot *s)
{
	bool any = false;

	buf_reset(&s->line);
	s->bytes = 0;
	s->no = ++l->no;
	for (;;) {
		if (l->pos == l->len && !lines_fill(l))
			break;
		const char *p = l->chunk + l->pos;
		size_t avail = l->len - l->pos;
		const char *nl = memchr(p, '\n', avail);
		size_t seg = nl ? (size_t)(nl - p) : avail;

		any = true;
		if (s->bytes + seg <= l->max)
			buf_add(&s->line, p, seg);
		s->bytes += seg;
		l->pos += seg + (nl != NULL);
		if (nl)
			return lines_done(l, s);
	}
	if (l->ioerr)
		return LINE_IOERR;
	return any ? lines_done(l, s) : LINE_EOF;
}

/* Fills b with the next lines; false when the file has no more (after an
 * over-long line or a read error, which end the batch in their slot). */
static bool fill(struct jsonl *j, struct batch *b)
{
	size_t bytes = 0;

	for (b->n = 0; b->n < SLOTS && bytes < BATCH_BYTES;) {
		struct slot *s = &b->slots[b->n];
		s->state = lines_next(&j->in, s);
		if (s->state == LINE_EOF)
			return false;
		b->n++;
		bytes += s->line.n;
		if (s->state != LINE_OK)
			return false;
	}
	return true;
}

/* workers */

static void parse_slot(struct jsonl *j, struct slot *s)
{
	pr_error_clear(&s->err);
	if (s->state == LINE_LONG)
		s->rc = pr_fail(&s->err, PR_TOOBIG,
		                "%s:%lld: line is %llu bytes, over the limit "
		                "of %zu (max_import_line)",
		                j->name, (long long)s->no,
		                (unsigned long long)s->bytes, j->in.max);
	else if (s->state == LINE_IOERR)
		s->rc = pr_fail(&s->err, PR_IO, "%s:%lld: cannot read: %s",
		                j->name, (long long)s->no,
		                s->line.err ? pr_strerror(s->line.err)
		                            : "read error");
	else
		s->rc = ingest__parse_line(&s->p, buf_str(&s->line), s->no,
		                           &s->r, &s->err);
}

static void *worker(void *arg)
{
	struct jsonl *j = arg;
	struct pool *w = &j->pool;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->quit && (!w->job || w->next >= w->job->n))
			pthread_cond_wait(&w->work, &w->mu);
		if (w->quit)
			break;
		struct batch *b = w->job;
		size_t i = w->next++;
		pthread_mutex_unlock(&w->mu);
		parse_slot(j, &b->slots[i]);
		pthread_mutex_lock(&w->mu);
		if (++w->finished == b->n)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Hands b to the workers (without workers: nothing until pool_wait). */
static void pool_start(struct jsonl *j, struct batch *b)
{
	struct pool *w = &j->pool;

	if (!w->n)
		return;
	pthread_mutex_lock(&w->mu);
	w->job = b;
	w->next = w->finished = 0;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
}

/* Returns when every slot of b is parsed, parsing slots itself rather
 * than waiting while some are left. */
static void pool_wait(struct jsonl *j, struct batch *b)
{
	struct pool *w = &j->pool;

	if (!w->n) {
		for (size_t i = 0; i < b->n; i++)
			parse_slot(j, &b->slots[i]);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->job == b && w->finished < b->n) {
		if (w->next < b->n) {
			size_t i = w->next++;
			pthread_mutex_unlock(&w->mu);
			parse_slot(j, &b->slots[i]);
			pthread_mutex_lock(&w->mu);
			w->finished++;
		} else {
			pthread_cond_wait(&w->done, &w->mu);
		}
	}
	w->job = NULL;
	pthread_mutex_unlock(&w->mu);
}

/* Starts up to one worker a processor beside this thread; with fewer
 * (or none) the import is slower, not wrong. */
static void pool_open(struct jsonl *j)
{
	struct pool *w = &j->pool;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int want = cpus > 1 ? (int)(cpus - 1) : 0;

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (want > MAX_WORKERS)
		want = MAX_WORKERS;
	json_object_seed(0); /* before any thread makes an object */
	while (w->n < want &&
	       pthread_create(&w->th[w->n], NULL, worker, j) == 0)
		w->n++;
}

static void pool_close(struct jsonl *j)
{
	struct pool *w = &j->pool;

	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->n; i++)
		pthread_join(w->th[i], NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
}

/* id map */

static size_t idmap_slot(const struct idmap *m, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ull) >> 17);

	for (i &= m->cap - 1; m->v[i].id && m->v[i].id != id;
	     i = (i + 1) & (m->cap - 1))
		;
	return i;
}

static struct idslot *idmap_get(const struct idmap *m, int64_t id)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = idmap_slot(m, id);
	return m->v[i].id ? &m->v[i] : NULL;
}

static enum pr_err idmap_grow(struct idmap *m)
{
	struct idmap bigger = {NULL, m->cap ? m->cap * 2 : 1024, m->n};

	bigger.v = calloc(bigger.cap, sizeof *bigger.v);
	if (!bigger.v)
		return PR_NOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].id)
			bigger.v[idmap_slot(&bigger, m->v[i].id)] = m->v[i];
	free(m->v);
	*m = bigger;
	return PR_OK;
}

/* Adds id (absent from the map), first seen on line. */
static enum pr_err idmap_put(struct idmap *m, int64_t id, int64_t line,
                             bool inserted)
{
	if ((m->n + 1) * 2 > m->cap && idmap_grow(m) != PR_OK)
		return PR_NOMEM;
	m->v[idmap_slot(m, id)] = (struct idslot){id, line, inserted};
	m->n++;
	return PR_OK;
}

/* records, in file order */

static enum pr_err nomem(struct jsonl *j, struct pr_error *e)
{
	return pr_fail(e, PR_NOMEM, "%s: out of memory", j->name);
}

/* A given id must be new to the file. */
static enum pr_err claim_id(struct jsonl *j, const struct ingest__rec *r,
                            struct pr_error *e)
{
	struct idslot *seen = idmap_get(&j->ids, r->a.id);

	if (seen)
		return pr_fail(e, PR_CONFLICT,
		               "%s:%lld: id: %lld is also the id of line %lld",
		               j->name, (long long)r->line, (long long)r->a.id,
		               (long long)seen->line);
	if (idmap_put(&j->ids, r->a.id, r->line, false) != PR_OK)
		return nomem(j, e);
	return PR_OK;
}

/* The inserted article's id goes into the map; an assigned id that a
 * waiting record claims as its own is a conflict. */
static enum pr_err note_inserted(struct jsonl *j, const struct article *a,
                                 int64_t line, bool has_id, struct pr_error *e)
{
	struct idslot *seen = idmap_get(&j->ids, a->id);

	if (seen && !has_id)
		return pr_fail(e, PR_CONFLICT,
		               "%s:%lld: id: %lld is also the id given to line "
		               "%lld, which has no id",
		               j->name, (long long)seen->line, (long long)a->id,
		               (long long)line);
	if (seen)
		seen->inserted = true;
	else if (idmap_put(&j->ids, a->id, line, true) != PR_OK)
		return nomem(j, e);
	if (!j->r->items++)
		j->r->first_id = a->id;
	j->r->last_id = a->id;
	return PR_OK;
}

/* The photos of the record on line, inserted as article id, in order. */
static enum pr_err add_photos(struct jsonl *j, int64_t id,
                              const struct ingest_photo *ph, size_t n,
                              int64_t line, struct pr_error *e)
{
	struct pr_error pe = {0};
	enum pr_err rc = PR_OK;
	struct ingest_photo one;
	struct buf path;

	if (n > 0 && !j->media)
		return pr_fail(
		    e, PR_INVALID,
		    "%s:%lld: photos: no data folder to store them in", j->name,
		    (long long)line);
	buf_init(&path, 8192);
	for (size_t i = 0; i < n && rc == PR_OK; i++) {
		buf_reset(&path);
		buf_addstr(&path, j->dir);
		buf_adds(&path, ph[i].file);
		one = ph[i];
		one.file = buf_cstr(&path);
		rc = ingest_photo_add(j->s, j->media, id, &one, NULL, &pe);
		if (rc != PR_OK)
			pr_fail(e, rc, "%s:%lld: photos: item %zu: %s", j->name,
			        (long long)line, i + 1, pe.msg);
	}
	buf_free(&path);
	return rc;
}

static enum pr_err insert(struct jsonl *j, struct article *a, int64_t line,
                          bool has_id, const struct ingest_photo *ph,
                          size_t n_photos, struct pr_error *e)
{
	struct pr_error se = {0};
	enum pr_err rc = store_article_insert(j->s, a, &se);

	if (rc == PR_CONFLICT && has_id)
		return pr_fail(e, PR_INVALID,
		               "%s:%lld: id: %lld is already in the database",
		               j->name, (long long)line, (long long)a->id);
	if (rc == PR_NOTFOUND && a->translation_of)
		return pr_fail(
		    e, PR_INVALID,
		    "%s:%lld: translation_of: no article %lld in the "
		    "file or the database",
		    j->name, (long long)line, (long long)a->translation_of);
	if (rc != PR_OK)
		return pr_fail(e, rc, "%s:%lld: %s", j->name, (long long)line,
		               se.msg[0] ? se.msg : pr_strerror(rc));
	if ((rc = note_inserted(j, a, line, has_id, e)) != PR_OK)
		return rc;
	return add_photos(j, a->id, ph, n_photos, line, e);
}

/* Whether the article translation_of names is in already: in the file
 * (inserted, or waiting) or in the database. */
static enum pr_err target_ready(struct jsonl *j, const struct ingest__rec *r,
                                bool *ready, struct pr_error *e)
{
	struct idslot *t = idmap_get(&j->ids, r->a.translation_of);
	struct pr_error ge = {0};
	struct article tmp;
	enum pr_err rc;

	if (r->a.translation_of == r->a.id)
		return pr_fail(e, PR_INVALID,
		               "%s:%lld: translation_of: names the item itself",
		               j->name, (long long)r->line);
	if (t) {
		*ready = t->inserted;
		return PR_OK;
	}
	arena_reset(j->scratch);
	rc =
	    store_article_get(j->s, j->scratch, r->a.translation_of, &tmp, &ge);
	*ready = rc == PR_OK;
	if (rc == PR_OK || rc == PR_NOTFOUND)
		return PR_OK;
	return pr_fail(e, rc, "%s:%lld: translation_of: %s", j->name,
	               (long long)r->line, ge.msg);
}

static const char *keep_str(struct arena *a, const char *s, bool *fail)
{
	char *c = arena_strdup(a, s);

	if (!c)
		*fail = true;
	return c;
}

static void keep_names(struct arena *a, struct names *nm, bool *fail)
{
	const char **name = arena_alloc(a, (nm->n + 1) * sizeof *name);
	const char **slug = arena_alloc(a, (nm->n + 1) * sizeof *slug);

	if (!name || !slug) {
		*fail = true;
		return;
	}
	for (size_t i = 0; i < nm->n; i++) {
		name[i] = keep_str(a, nm->name[i], fail);
		slug[i] = keep_str(a, nm->slug[i], fail);
	}
	nm->name = name;
	nm->slug = slug;
}

static const char *keep_opt(struct arena *a, const char *s, bool *fail)
{
	return s ? keep_str(a, s, fail) : NULL;
}

static void keep_photos(struct arena *a, const struct ingest__rec *r,
                        struct pending *p, bool *fail)
{
	p->photo = arena_alloc(a, (r->n_photos + 1) * sizeof *p->photo);
	if (!p->photo) {
		*fail = true;
		return;
	}
	for (size_t i = 0; i < r->n_photos; i++) {
		struct ingest_photo *ph = &p->photo[i];
		*ph = r->photo[i];
		ph->file = keep_str(a, ph->file, fail);
		ph->caption = keep_opt(a, ph->caption, fail);
		ph->credit = keep_opt(a, ph->credit, fail);
		ph->alt = keep_opt(a, ph->alt, fail);
		ph->licence = keep_opt(a, ph->licence, fail);
	}
	p->n_photos = r->n_photos;
}

/* Copies the record (whose strings live in its slot) to wait for its
 * translation. */
static enum pr_err defer(struct jsonl *j, const struct ingest__rec *r,
                         struct pr_error *e)
{
	struct pending *p = arena_zalloc(j->later, sizeof *p);
	bool fail = !p;

	if (fail)
		return nomem(j, e);
	p->a = r->a;
	p->line = r->line;
	p->has_id = r->has_id;
	p->a.slug = keep_str(j->later, r->a.slug, &fail);
	p->a.lang = keep_str(j->later, r->a.lang, &fail);
	p->a.kind = keep_str(j->later, r->a.kind, &fail);
	p->a.title = keep_str(j->later, r->a.title, &fail);
	p->a.lead = keep_str(j->later, r->a.lead, &fail);
	p->a.body = keep_str(j->later, r->a.body, &fail);
	p->a.body_html = keep_str(j->later, r->a.body_html, &fail);
	p->a.body_text = keep_str(j->later, r->a.body_text, &fail);
	p->a.author = keep_str(j->later, r->a.author, &fail);
	for (int t = 0; t < ENTITY_TYPES; t++)
		keep_names(j->later, &p->a.entities[t], &fail);
	keep_photos(j->later, r, p, &fail);
	if (fail)
		return nomem(j, e);
	*j->pending_tail = p;
	j->pending_tail = &p->next;
	return PR_OK;
}

static enum pr_err commit_record(struct jsonl *j, struct ingest__rec *r,
                                 struct pr_error *e)
{
	bool ready = true;
	enum pr_err rc;

	if (r->has_id && (rc = claim_id(j, r, e)) != PR_OK)
		return rc;
	if (r->a.translation_of &&
	    (rc = target_ready(j, r, &ready, e)) != PR_OK)
		return rc;
	if (!ready)
		return defer(j, r, e);
	return insert(j, &r->a, r->line, r->has_id, r->photo, r->n_photos, e);
}

/* Gives back what an unusually long line made a slot keep. */
static void trim_slot(struct slot *s)
{
	if (s->line.cap > KEEP_BYTES) {
		size_t max = s->line.max;
		buf_free(&s->line);
		buf_init(&s->line, max);
	}
	if (s->p.html.cap > KEEP_BYTES) {
		size_t max = s->p.html.max;
		buf_free(&s->p.html);
		buf_init(&s->p.html, max);
	}
	if (s->p.text.cap > KEEP_BYTES) {
		size_t max = s->p.text.max;
		buf_free(&s->p.text);
		buf_init(&s->p.text, max);
	}
}

/* Inserts the parsed slots of b in order; stops at the first error. */
static enum pr_err commit_batch(struct jsonl *j, struct batch *b,
                                struct pr_error *e)
{
	enum pr_err rc = PR_OK;

	for (size_t i = 0; i < b->n && rc == PR_OK; i++) {
		struct slot *s = &b->slots[i];
		if (s->rc != PR_OK)
			rc = pr_fail(e, s->rc, "%s", s->err.msg);
		else if (!s->r.blank)
			rc = commit_record(j, &s->r, e);
		ingest__rec_free(&s->r);
		trim_slot(s);
	}
	return rc;
}

/* Inserts the waiting records whose translation is in, round after
 * round; what is left names nothing. */
static enum pr_err insert_pending(struct jsonl *j, struct pr_error *e)
{
	enum pr_err rc = PR_OK;
	bool progress = true;

	while (j->pending && progress && rc == PR_OK) {
		struct pending **pp = &j->pending;
		progress = false;
		while (*pp && rc == PR_OK) {
			struct pending *p = *pp;
			struct idslot *t =
			    idmap_get(&j->ids, p->a.translation_of);
			if (!t || !t->inserted) {
				pp = &p->next;
				continue;
			}
			rc = insert(j, &p->a, p->line, p->has_id, p->photo,
			            p->n_photos, e);
			*pp = p->next;
			progress = true;
		}
	}
	if (rc != PR_OK || !j->pending)
		return rc;
	if (idmap_get(&j->ids, j->pending->a.translation_of))
		return pr_fail(e, PR_INVALID,
		               "%s:%lld: translation_of: %lld and the items it "
		               "names form a cycle",
		               j->name, (long long)j->pending->line,
		               (long long)j->pending->a.translation_of);
	return pr_fail(e, PR_INVALID,
	               "%s:%lld: translation_of: no article %lld in the file "
	               "or the database",
	               j->name, (long long)j->pending->line,
	               (long long)j->pending->a.translation_of);
}

/* Reads batch after batch: while the workers parse one, this thread
 * commits the one before. */
static enum pr_err run(struct jsonl *j, struct pr_error *e)
{
	struct batch *a = &j->b[0], *b = &j->b[1], *t;
	enum pr_err rc = PR_OK;
	bool more = fill(j, a);

	pool_start(j, a);
	while (a->n > 0) {
		b->n = 0;
		if (more)
			more = fill(j, b);
		pool_wait(j, a);
		pool_start(j, b);
		if ((rc = commit_batch(j, a, e)) != PR_OK) {
			pool_wait(j, b);
			return rc;
		}
		t = a;
		a = b;
		b = t;
	}
	return insert_pending(j, e);
}

/* setting up */

static enum pr_err open_batches(struct jsonl *j)
{
	for (int k = 0; k < 2; k++) {
		j->b[k].slots = calloc(SLOTS, sizeof *j->b[k].slots);
		if (!j->b[k].slots)
			return PR_NOMEM;
		for (size_t i = 0; i < SLOTS; i++) {
			struct slot *s = &j->b[k].slots[i];
			buf_init(&s->line, j->in.max);
			if (ingest__parser_init(&s->p, j->name, j->cfg) !=
			    PR_OK)
				return PR_NOMEM;
		}
	}
	return PR_OK;
}

static void close_batches(struct jsonl *j)
{
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; j->b[k].slots && i < SLOTS; i++) {
			struct slot *s = &j->b[k].slots[i];
			ingest__rec_free(&s->r);
			ingest__parser_free(&s->p);
			buf_free(&s->line);
		}
		free(j->b[k].slots);
	}
}

static struct jsonl *jsonl_new(struct store *s, const struct config *cfg,
                               FILE *f, const char *name,
                               struct ingest_result *r)
{
	struct jsonl *j = calloc(1, sizeof *j);
	const char *slash = strrchr(name, '/');

	if (!j)
		return NULL;
	j->s = s;
	j->cfg = cfg;
	j->name = name;
	j->dir = (struct str){name, slash ? (size_t)(slash - name) + 1 : 0};
	j->r = r;
	j->pending_tail = &j->pending;
	j->in.f = f;
	j->in.max =
	    cfg->max_import_line > 0 ? (size_t)cfg->max_import_line : 1u << 20;
	j->scratch = arena_new(SIZE_MAX / 4);
	j->later = arena_new(SIZE_MAX / 4);
	return j;
}

static void jsonl_free(struct jsonl *j)
{
	close_batches(j);
	arena_free(j->scratch);
	arena_free(j->later);
	free(j->ids.v);
	free(j);
}

enum pr_err ingest__jsonl(struct store *s, const struct config *cfg, FILE *f,
                          const char *name, struct ingest_media *media,
                          struct ingest_result *r, struct pr_error *e)
{
	struct ingest_result local = {.photo_count = -1};
	struct jsonl *j = jsonl_new(s, cfg, f, name, r ? r : &local);
	enum pr_err rc;

	if (!j)
		return pr_fail(e, PR_NOMEM, "%s: out of memory", name);
	j->media = media;
	if (!j->scratch || !j->later || open_batches(j) != PR_OK) {
		rc = nomem(j, e);
		goto out;
	}
	pool_open(j);
	rc = run(j, e);
	pool_close(j);
out:
	jsonl_free(j);
	return rc;
}

enum pr_err ingest_jsonl(struct store *s, const struct config *cfg, FILE *f,
                         const char *name, struct ingest_result *r,
                         struct pr_error *e)
{
	return ingest__jsonl(s, cfg, f, name, NULL, r, e);
}
