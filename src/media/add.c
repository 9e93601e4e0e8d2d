/*
 * media/add.c: one upload from bytes to stored files, in the order that
 * leaves nothing behind on refusal: the cheap checks, then the renditions
 * (whose full decode is the final check), then the original.
 */
#include "media_int.h"

#include <string.h>

enum pr_err media_add(const char *data_dir, struct str bytes, size_t max_bytes,
                      struct media_photo *out, struct pr_error *e)
{
	struct pr_error ignored = {PR_OK, ""};
	enum pr_err rc;
	uint8_t h[32];
	bool wrote = false;

	memset(out, 0, sizeof(*out));
	if ((rc = media__check(bytes, max_bytes, &out->info, NULL, e)) != PR_OK)
		goto out;
	hash_sha256(bytes.p, bytes.n, h);
	hash_hex(h, sizeof(h), out->sha);
	rc = media__renditions(data_dir, bytes, out->sha, &out->renditions,
	                       &wrote, e);
	if (rc != PR_OK)
		goto out;
	rc = media_store_original(data_dir, bytes, out->sha, &out->created, e);
	if (rc != PR_OK && wrote)
		media_remove(data_dir, out->sha, &ignored);
	if (rc != PR_OK)
		goto out;
	media_metadata(bytes, &out->meta, &ignored);
out:
	if (rc != PR_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
