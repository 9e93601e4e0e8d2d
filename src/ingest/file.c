/*
 * ingest/file.c: one import file from open to commit: which format it is,
 * the transaction around it, and the quoting of values in messages.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest_int.h"

const char *ingest__quote(char out[INGEST__QUOTED], struct str s)
{
	static const char hex[] = "0123456789abcdef";
	struct str cut = utf8_prefix(s, 60);
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < cut.n && o < INGEST__QUOTED - 10; i++) {
		unsigned char c = (unsigned char)cut.p[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (cut.n < s.n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

enum ingest_format ingest_guess_format(const char *path, struct str head)
{
	struct str name = str_c(path);

	if (str_suffix(name, STR_LIT(".jsonl")) ||
	    str_suffix(name, STR_LIT(".json")))
		return INGEST_JSONL;
	if (str_suffix(name, STR_LIT(".txt")))
		return INGEST_TEXT;
	if (str_prefix(head, STR_LIT("\xef\xbb\xbf"))) {
		head.p += 3;
		head.n -= 3;
	}
	head = str_trim(head);
	return head.n > 0 && head.p[0] == '{' ? INGEST_JSONL : INGEST_TEXT;
}

/* Opens path for reading; a folder or an unreadable file is an error that
 * names it. */
static enum pr_err open_input(const char *path, FILE **out, struct pr_error *e)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f)
		return pr_fail(e, PR_IO, "%s: cannot open: %s", path,
		               strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return pr_fail(e, PR_IO, "%s: is a folder, not a file", path);
	}
	*out = f;
	return PR_OK;
}

/* The format of f: as asked, else guessed from the name and the first
 * bytes (after which f is back at its start). */
static enum pr_err pick_format(FILE *f, const char *path,
                               enum ingest_format asked,
                               enum ingest_format *out, struct pr_error *e)
{
	char head[64];
	size_t n;

	if (asked != INGEST_AUTO) {
		*out = asked;
		return PR_OK;
	}
	*out = ingest_guess_format(path, STR_NULL);
	if (*out == INGEST_JSONL || str_suffix(str_c(path), STR_LIT(".txt")))
		return PR_OK;
	n = fread(head, 1, sizeof head, f);
	if (ferror(f))
		return pr_fail(e, PR_IO, "%s: cannot read: %s", path,
		               strerror(errno));
	*out = ingest_guess_format(path, (struct str){head, n});
	if (fseek(f, 0, SEEK_SET) != 0)
		return pr_fail(e, PR_IO,
		               "%s: cannot tell the format of a stream: "
		               "name it .jsonl or .txt",
		               path);
	return PR_OK;
}

static enum pr_err import_open_file(struct store *s, const struct config *cfg,
                                    FILE *f, const char *path,
                                    const struct ingest_opts *o,
                                    struct ingest_result *r, struct pr_error *e)
{
	struct ingest_media media;
	enum pr_err rc;

	if ((rc = pick_format(f, path, o->format, &r->format, e)) != PR_OK)
		return rc;
	if ((rc = store_begin(s, e)) != PR_OK)
		return rc;
	ingest_media_init(&media, o->data_dir);
	if (r->format == INGEST_JSONL)
		rc = ingest__jsonl(s, cfg, f, path, o->data_dir ? &media : NULL,
		                   r, e);
	else
		rc = ingest__text(s, cfg, f, path, o, r, e);
	if (rc == PR_OK)
		rc = store_commit(s, e);
	if (rc != PR_OK) {
		store_rollback(s);
		ingest_media_undo(&media, s);
	}
	r->photos = rc == PR_OK ? media.added : 0;
	ingest_media_free(&media);
	return rc;
}

enum pr_err ingest_file(struct store *s, const struct config *cfg,
                        const char *path, const struct ingest_opts *o,
                        struct ingest_result *r, struct pr_error *e)
{
	static const struct ingest_opts none = {0};
	struct ingest_result local;
	FILE *f = NULL;
	enum pr_err rc;

	if (!r)
		r = &local;
	memset(r, 0, sizeof *r);
	r->photo_count = -1;
	if ((rc = open_input(path, &f, e)) != PR_OK)
		goto out;
	rc = import_open_file(s, cfg, f, path, o ? o : &none, r, e);
out:
	if (f)
		fclose(f);
	return rc;
}
