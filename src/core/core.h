/*
 * core.h: the whole interface of src/core, the module every other module
 * builds on. Strings that carry their length, bounded buffers with a sticky
 * error, per-request arenas, errors as values, logging, time, UTF-8, slugs,
 * hashing and the configuration table. Nothing here depends on another
 * module of pressroom.
 */
#ifndef PR_CORE_H
#define PR_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PR_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* core/err.c */

/* Every function that can fail returns one of these. */
enum pr_err {
	PR_OK = 0,
	PR_NOMEM,    /* an allocation failed */
	PR_TOOBIG,   /* input over a configured limit */
	PR_NOTFOUND, /* no such item */
	PR_INVALID,  /* malformed input */
	PR_IO,       /* a file or socket operation failed */
	PR_CONFLICT, /* duplicate id, concurrent change */
	PR_BUSY,     /* database locked */
	PR_READONLY, /* database or folder not writable */
	PR_CORRUPT,  /* database damaged */
	PR_VERSION,  /* database made by a newer pressroom */
	PR_INTERNAL, /* a broken invariant: a bug */
};

/* A short English description of the code; never NULL. */
const char *pr_strerror(enum pr_err code);

/*
 * The message for the user travels beside the code: what was wrong and
 * where (file, line, field). The first failure recorded wins, so callers
 * may add context only when nothing more precise was said.
 */
struct pr_error {
	enum pr_err code;
	char msg[1024];
};

/*
 * Records code and the formatted message in e (which may be NULL) unless e
 * already holds an error. Returns code so that callers can write
 * `return pr_fail(e, PR_INVALID, "...")`.
 */
enum pr_err pr_fail(struct pr_error *e, enum pr_err code, const char *fmt, ...)
    PR_PRINTF(3, 4);

/* Forgets any recorded error. */
void pr_error_clear(struct pr_error *e);

/* core/str.c */

/* A string that carries its length; p need not end in NUL. */
struct str {
	const char *p;
	size_t n;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL   ((struct str){NULL, 0})
#define STR_FMT(s) (int)(s).n, (s).p /* for printf("%.*s") */

struct str str_c(const char *s); /* NULL gives STR_NULL */
bool str_eq(struct str a, struct str b);
bool str_eq_c(struct str a, const char *c);
bool str_prefix(struct str s, struct str prefix);
bool str_suffix(struct str s, struct str suffix);
struct str str_trim(struct str s); /* ASCII white space at both ends */
/* Splits *s at the first sep: returns the part before, leaves the rest in
 * *s (empty when sep is absent). */
struct str str_cut(struct str *s, char sep);
/* Whole-string decimal parse with range check; false on anything else. */
bool str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);
/* Index of c in s, or -1. */
long str_index(struct str s, char c);

/* core/buf.c */

/*
 * A growable byte buffer with a maximum size (like curl's dynbuf). Once an
 * append fails (over max, or out of memory) err is set and every later
 * append does nothing, so writers check once at the end.
 */
struct buf {
	char *p;
	size_t n, cap, max;
	enum pr_err err;
};

void buf_init(struct buf *b, size_t max);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_addstr(struct buf *b, struct str s);
void buf_addf(struct buf *b, const char *fmt, ...) PR_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Ensures the contents end in NUL (not counted in n); returns "" when the
 * buffer is in error. The pointer lives until the next append or free. */
const char *buf_cstr(struct buf *b);
struct str buf_str(const struct buf *b);
void buf_reset(struct buf *b); /* empties it and clears err; keeps memory */
void buf_free(struct buf *b);
/* Hands the contents (NUL-terminated) to the caller, who frees them with
 * free(); the buffer is left empty. NULL when the buffer is in error. */
char *buf_detach(struct buf *b, size_t *n);

/* core/arena.c */

/*
 * An arena: many allocations, one free. Each request owns one; so does each
 * command. Allocations past max fail with NULL, so no input can make memory
 * grow without bound.
 */
struct arena;

struct arena *arena_new(size_t max); /* NULL when out of memory */
void arena_free(struct arena *a);    /* frees everything; NULL is fine */
void arena_reset(struct arena *a);   /* frees everything but the arena */
void *arena_alloc(struct arena *a, size_t n);  /* aligned, NULL on failure */
void *arena_zalloc(struct arena *a, size_t n); /* zeroed */
char *arena_strndup(struct arena *a, const char *p, size_t n);
char *arena_strdup(struct arena *a, const char *s); /* NULL s gives NULL */
char *arena_printf(struct arena *a, const char *fmt, ...) PR_PRINTF(2, 3);
struct str arena_str(struct arena *a, struct str s); /* copy, NUL-ended */
size_t arena_used(const struct arena *a);

/* core/log.c */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_set_stream(FILE *f); /* default stderr */
/* One line, prefixed with time and level. Control characters in the
 * formatted text become '?' so that untrusted text cannot forge lines. */
void log_msg(enum log_level level, const char *fmt, ...) PR_PRINTF(2, 3);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* core/time.c */

/* Unix seconds. PRESSROOM_NOW (RFC 3339) overrides the clock for tests. */
int64_t pr_now(void);

#define PR_TIME_LEN 32

/* RFC 3339 ("2021-11-18T09:30:00Z", "2021-11-18T12:30:00+03:00",
 * fractions allowed and dropped). false on anything else, including
 * impossible dates such as February 30th. */
bool pr_time_parse(struct str s, int64_t *out);
/* "2021-11-18T09:30:00Z" */
void pr_time_format(int64_t t, char out[PR_TIME_LEN]);
/* IMF-fixdate for HTTP: "Thu, 18 Nov 2021 09:30:00 GMT" */
void pr_time_http(int64_t t, char out[PR_TIME_LEN]);
bool pr_time_parse_http(struct str s, int64_t *out);

/* Civil time in the site's zone (see pr_time_set_zone). */
struct pr_date {
	int year, month, day; /* month 1..12, day 1..31 */
	int hour, min, sec;
	int wday;    /* 0 = Sunday */
	long utcoff; /* seconds east of UTC */
};

/* Sets the site's time zone ("UTC", "Europe/Moscow"); false when unknown. */
bool pr_time_set_zone(const char *name);
void pr_time_local(int64_t t, struct pr_date *d);
/* The instant of local midnight starting y-m-d (m, d may be 13 or 32:
 * normalised, so the end of a month is the start of month + 1). */
int64_t pr_time_local_midnight(int y, int m, int d);
/* Days in a month of the proleptic Gregorian calendar. */
int pr_days_in_month(int y, int m);

/* core/utf8.c */

/* true when p[0..n) is well-formed UTF-8 without NUL; otherwise the byte
 * offset of the first bad sequence goes to *bad_at (may be NULL). */
bool utf8_valid(const char *p, size_t n, size_t *bad_at);
/* Decodes one code point; returns its length, or 0 when malformed. */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp);
/* Appends the UTF-8 form of cp. */
void utf8_encode(struct buf *b, uint32_t cp);
/* The longest prefix of s that is at most max bytes and ends on a
 * character boundary. */
struct str utf8_prefix(struct str s, size_t max);
/* Number of code points (malformed bytes count one each). */
size_t utf8_len(struct str s);

/* core/slug.c */

#define SLUG_MAX 80

/* Appends a URL slug for text: lower-case ASCII letters, digits and single
 * hyphens, Cyrillic transliterated (ГОСТ 7.79 system B as used in URLs),
 * other letters reduced to their base Latin letter where one exists, at most
 * max bytes, cut at a word boundary. Never empty: "item" when nothing is
 * left. */
void slug_make(struct buf *out, struct str text, size_t max);
/* true when s is a non-empty slug as slug_make writes them. */
bool slug_valid(struct str s);

/* core/hash.c */

void hash_sha256(const void *p, size_t n, uint8_t out[32]);
/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-ended). */
void hash_hex(const uint8_t *h, size_t n, char *out);
/* A fast 64-bit hash (FNV-1a) for cache keys and ETags. */
uint64_t hash64(const void *p, size_t n, uint64_t seed);

/* core/config.c */

#define PR_MAX_LANGS 2

/* The site's configuration, filled from the table in config.c. */
struct config {
	char site_name_en[128];
	char site_name_ru[128];
	char languages[PR_MAX_LANGS][3]; /* "en", "ru" */
	int n_languages;
	char default_language[3];
	char base_url[256]; /* absolute, without trailing slash */
	char listen[64];    /* host:port */
	long threads;
	char timezone[64];
	char theme[512]; /* a theme folder, "" for the embedded one */
	long cache_mb;   /* rendered-page cache */
	bool access_log;
	long page_size;            /* items a list page */
	long max_import_line;      /* bytes in one JSON Lines record */
	long session_hours;        /* editors' sessions end after this */
	long password_opslimit;    /* Argon2id passes for new hashes */
	long password_memlimit_kb; /* Argon2id memory for new hashes */
	long login_attempts;    /* failed logins of an account before a pause */
	long preview_days;      /* embargo preview links last this long */
	bool feed_full_content; /* feeds carry the whole text */

	/* photos: the largest file (MiB) and image (millions of pixels) */
	long upload_max_mb;
	long image_max_megapixels;
};

void config_defaults(struct config *c);
/* Reads "key = value" lines ('#' starts a comment) over the defaults.
 * An unknown key or bad value fails with "FILE:LINE: key: why". */
enum pr_err config_load(struct config *c, const char *path, struct pr_error *e);
/* Writes the documented example configuration (every key, its default and
 * what it means), as `pressroom init` installs it. */
void config_write_example(FILE *f);
/* The name of the site in the given language. */
const char *config_site_name(const struct config *c, const char *lang);
bool config_has_language(const struct config *c, struct str lang);

#endif
