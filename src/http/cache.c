/*
 * http/cache.c: the rendered-page cache. A hash table of pages keyed by
 * the raw request-target, each valid for the generation it was made
 * under, bounded in bytes with CLOCK eviction. Lookups take the read side
 * of a rwlock and only set an atomic "referenced" bit, so hits on several
 * threads do not serialise; stores and evictions take the write side.
 */
#include "http_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MIN_BUCKETS 256
#define ENTRY_OVERHEAD    512 /* MHD's response objects and headers */

struct entry {
	struct entry *chain;       /* next in the bucket */
	struct entry *prev, *next; /* the CLOCK ring */
	uint64_t hash, gen;
	size_t cost;
	atomic_bool referenced;
	struct http__page page;
	size_t key_n;
	char key[];
};

struct http__cache {
	pthread_rwlock_t lock;
	struct entry **buckets;
	size_t n_buckets, count, bytes, max;
	struct entry *hand; /* the ring's next candidate for eviction */
};

struct http__cache *http__cache_new(size_t max)
{
	struct http__cache *c = calloc(1, sizeof(*c));
	pthread_rwlockattr_t attr;

	if (c == NULL)
		return NULL;
	c->max = max;
	c->n_buckets = CACHE_MIN_BUCKETS;
	c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		free(c);
		return NULL;
	}
	/* Writers must not starve behind a steady stream of hits. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(
	    &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&c->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return c;
}

static void entry_free(struct entry *e)
{
	http__page_clear(&e->page);
	free(e);
}

void http__cache_free(struct http__cache *c)
{
	struct entry *e, *next;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_buckets; i++)
		for (e = c->buckets[i]; e != NULL; e = next) {
			next = e->chain;
			entry_free(e);
		}
	pthread_rwlock_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

static uint64_t key_hash(struct str key)
{
	return hash64(key.p, key.n, 0x70726573);
}

static struct entry **find(struct http__cache *c, struct str key, uint64_t hash)
{
	struct entry **pp = &c->buckets[hash & (c->n_buckets - 1)];

	for (; *pp != NULL; pp = &(*pp)->chain)
		if ((*pp)->hash == hash && (*pp)->key_n == key.n &&
		    memcmp((*pp)->key, key.p, key.n) == 0)
			break;
	return pp;
}

bool http__cache_answer(struct http__cache *c, struct str key, uint64_t gen,
                        struct http__req *q, struct MHD_Connection *conn,
                        enum MHD_Result *ret)
{
	uint64_t hash = key_hash(key);
	struct entry *e;
	bool hit = false;

	pthread_rwlock_rdlock(&c->lock);
	e = *find(c, key, hash);
	if (e != NULL && e->gen == gen) {
		/* Only the first hit after a sweep writes the shared line. */
		if (!atomic_load_explicit(&e->referenced, memory_order_relaxed))
			atomic_store_explicit(&e->referenced, true,
			                      memory_order_relaxed);
		*ret = http__page_answer(q, conn, &e->page);
		hit = true;
	}
	pthread_rwlock_unlock(&c->lock);
	return hit;
}

/* Takes e out of the table and the ring and frees it. */
static void unlink_entry(struct http__cache *c, struct entry **pp)
{
	struct entry *e = *pp;

	*pp = e->chain;
	if (e->next == e) {
		c->hand = NULL;
	} else {
		e->prev->next = e->next;
		e->next->prev = e->prev;
		if (c->hand == e)
			c->hand = e->next;
	}
	c->count--;
	c->bytes -= e->cost;
	entry_free(e);
}

/* Puts e into the ring just behind the hand: the last to be swept. */
static void ring_insert(struct http__cache *c, struct entry *e)
{
	if (c->hand == NULL) {
		e->prev = e->next = e;
		c->hand = e;
		return;
	}
	e->next = c->hand;
	e->prev = c->hand->prev;
	e->prev->next = e;
	c->hand->prev = e;
}

/* Evicts until the cache fits: stale generations first, then CLOCK. */
static void evict(struct http__cache *c, uint64_t gen, struct entry *keep)
{
	struct entry *e;

	while (c->bytes > c->max && c->hand != NULL) {
		e = c->hand;
		if (e == keep && e->next == e)
			break;
		c->hand = e->next;
		if (e == keep)
			continue;
		if (e->gen == gen &&
		    atomic_exchange_explicit(&e->referenced, false,
		                             memory_order_relaxed))
			continue;
		unlink_entry(c,
		             find(c, (struct str){e->key, e->key_n}, e->hash));
	}
}

/* Doubles the table when chains grow longer than one on average. */
static void grow(struct http__cache *c)
{
	size_t n = c->n_buckets * 2, i;
	struct entry **b, *e, *next;

	if (c->count <= c->n_buckets || (b = calloc(n, sizeof(*b))) == NULL)
		return;
	for (i = 0; i < c->n_buckets; i++)
		for (e = c->buckets[i]; e != NULL; e = next) {
			next = e->chain;
			e->chain = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	free(c->buckets);
	c->buckets = b;
	c->n_buckets = n;
}

static struct entry *entry_new(struct str key, uint64_t gen,
                               struct http__page *pg)
{
	struct entry *e = malloc(sizeof(*e) + key.n);

	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key.p, key.n);
	e->key_n = key.n;
	e->hash = key_hash(key);
	e->gen = gen;
	e->page = *pg;
	e->cost =
	    sizeof(*e) + key.n + pg->size[0] + pg->size[1] + 4 * ENTRY_OVERHEAD;
	atomic_init(&e->referenced, false);
	return e;
}

void http__cache_put(struct http__cache *c, struct str key, uint64_t gen,
                     struct http__page *pg)
{
	struct entry *e = entry_new(key, gen, pg), **pp;

	if (e == NULL || e->cost > c->max / 2) {
		if (e != NULL)
			free(e);
		http__page_clear(pg);
		return;
	}
	memset(pg, 0, sizeof(*pg));
	pthread_rwlock_wrlock(&c->lock);
	pp = find(c, key, e->hash);
	if (*pp != NULL)
		unlink_entry(c, pp);
	pp = &c->buckets[e->hash & (c->n_buckets - 1)];
	e->chain = *pp;
	*pp = e;
	ring_insert(c, e);
	c->count++;
	c->bytes += e->cost;
	evict(c, gen, e);
	grow(c);
	pthread_rwlock_unlock(&c->lock);
}

size_t http__cache_bytes(struct http__cache *c)
{
	size_t n;

	pthread_rwlock_rdlock(&c->lock);
	n = c->bytes;
	pthread_rwlock_unlock(&c->lock);
	return n;
}
