/*
 * admin/password.c: passwords as Argon2id strings (libsodium's
 * crypto_pwhash_str), with the cost taken from the configuration so that
 * an operator can raise it and tests can keep it low; a hash records its
 * own cost, so older hashes keep working.
 */
#include "admin_int.h"

#include <sodium.h>
#include <string.h>

enum pr_err admin_password_check(struct str password, struct pr_error *e)
{
	if (utf8_len(password) < ADMIN_PASSWORD_MIN)
		return pr_fail(e, PR_INVALID,
		               "the password is too short: at least %d "
		               "characters",
		               ADMIN_PASSWORD_MIN);
	if (password.n > ADMIN_PASSWORD_MAX)
		return pr_fail(e, PR_INVALID,
		               "the password is too long: at most %d bytes",
		               ADMIN_PASSWORD_MAX);
	if (!utf8_valid(password.p, password.n, NULL))
		return pr_fail(e, PR_INVALID, "the password is not UTF-8 text");
	return PR_OK;
}

enum pr_err admin_password_hash(const struct config *cfg, struct str password,
                                char out[ADMIN_HASH_LEN], struct pr_error *e)
{
	unsigned long long ops = (unsigned long long)cfg->password_opslimit;
	size_t mem = (size_t)cfg->password_memlimit_kb * 1024;
	char h[crypto_pwhash_STRBYTES];

	_Static_assert(crypto_pwhash_STRBYTES <= ADMIN_HASH_LEN,
	               "ADMIN_HASH_LEN too small");
	if (sodium_init() < 0)
		return pr_fail(e, PR_INTERNAL, "libsodium failed to start");
	if (ops < crypto_pwhash_OPSLIMIT_MIN)
		ops = crypto_pwhash_OPSLIMIT_MIN;
	if (mem < crypto_pwhash_MEMLIMIT_MIN)
		mem = crypto_pwhash_MEMLIMIT_MIN;
	if (crypto_pwhash_str(h, password.p, password.n, ops, mem) != 0)
		return pr_fail(e, PR_NOMEM,
		               "hashing the password failed (out of memory "
		               "for %zu KiB?)",
		               mem / 1024);
	memcpy(out, h, sizeof(h));
	return PR_OK;
}

bool admin_password_verify(const char *hash, struct str password)
{
	if (hash == NULL || sodium_init() < 0 ||
	    password.n > ADMIN_PASSWORD_MAX)
		return false;
	return crypto_pwhash_str_verify(hash, password.p, password.n) == 0;
}
