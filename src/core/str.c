/* core/str.c: strings that carry their length. */
#include "core.h"

#include <string.h>

struct str str_c(const char *s)
{
	if (s == NULL)
		return STR_NULL;
	return (struct str){s, strlen(s)};
}

bool str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool str_eq_c(struct str a, const char *c)
{
	return c != NULL && str_eq(a, str_c(c));
}

bool str_prefix(struct str s, struct str prefix)
{
	return s.n >= prefix.n &&
	       (prefix.n == 0 || memcmp(s.p, prefix.p, prefix.n) == 0);
}

bool str_suffix(struct str s, struct str suffix)
{
	return s.n >= suffix.n &&
	       (suffix.n == 0 ||
	        memcmp(s.p + s.n - suffix.n, suffix.p, suffix.n) == 0);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

struct str str_trim(struct str s)
{
	while (s.n > 0 && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

struct str str_cut(struct str *s, char sep)
{
	struct str head = *s;
	long i = str_index(*s, sep);

	if (i < 0) {
		s->p += s->n;
		s->n = 0;
		return head;
	}
	head.n = (size_t)i;
	s->p += i + 1;
	s->n -= (size_t)i + 1;
	return head;
}

long str_index(struct str s, char c)
{
	const char *q;

	if (s.n == 0)
		return -1;
	q = memchr(s.p, c, s.n);
	return q ? (long)(q - s.p) : -1;
}

bool str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	uint64_t v = 0, limit;
	size_t i = 0;

	if (s.n == 0)
		return false;
	if (s.p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == s.n || s.n - i > 19)
		return false;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9 || v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (neg) {
		int64_t r =
		    v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		if (r < min || r > max)
			return false;
		*out = r;
		return true;
	}
	if ((int64_t)v < min || (int64_t)v > max)
		return false;
	*out = (int64_t)v;
	return true;
}
