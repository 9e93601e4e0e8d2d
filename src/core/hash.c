/* core/hash.c: SHA-256 (libsodium) and a fast hash for cache keys. */
#include "core.h"

#include <sodium.h>

void hash_sha256(const void *p, size_t n, uint8_t out[32])
{
	crypto_hash_sha256(out, p, n);
}

void hash_hex(const uint8_t *h, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[2 * n] = '\0';
}

uint64_t hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}
