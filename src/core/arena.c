/* core/arena.c: arenas, many allocations freed in one call. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t max, total;
};

struct arena *arena_new(size_t max)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (a != NULL)
		a->max = max;
	return a;
}

static void arena_release(struct arena *a)
{
	struct chunk *c = a->head, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_release(a);
	free(a);
}

void arena_reset(struct arena *a)
{
	struct chunk *keep;

	if (a == NULL || a->head == NULL)
		return;
	/* Keep the newest chunk when it is the ordinary size: a loop that
	 * resets per record then allocates nothing in the steady state. */
	keep = a->head;
	a->head = keep->next;
	arena_release(a);
	if (keep->size == ARENA_CHUNK) {
		keep->next = NULL;
		keep->used = 0;
		a->head = keep;
		a->total = keep->size;
	} else {
		free(keep);
	}
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c;
	size_t size;

	if (a == NULL)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	c = a->head;
	if (c != NULL && c->size - c->used >= n) {
		void *p = c->data + c->used;
		c->used += n;
		return p;
	}
	size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
	if (size > a->max || a->total > a->max - size)
		return NULL;
	c = malloc(sizeof(*c) + size);
	if (c == NULL)
		return NULL;
	c->size = size;
	c->used = n;
	a->total += size;
	if (size == ARENA_CHUNK || a->head == NULL) {
		c->next = a->head;
		a->head = c;
	} else {
		/* A large block goes behind the current chunk so that the
		 * free space there stays usable. */
		c->next = a->head->next;
		a->head->next = c;
	}
	return c->data;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *p, size_t n)
{
	char *s;

	if (n == SIZE_MAX)
		return NULL;
	s = arena_alloc(a, n + 1);
	if (s == NULL)
		return NULL;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int len;
	char *s;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = len < 0 ? NULL : arena_alloc(a, (size_t)len + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	return s;
}

struct str arena_str(struct arena *a, struct str s)
{
	char *p = arena_strndup(a, s.p, s.n);

	return p ? (struct str){p, s.n} : STR_NULL;
}

size_t arena_used(const struct arena *a)
{
	return a ? a->total : 0;
}
