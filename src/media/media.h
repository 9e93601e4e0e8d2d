/*
 * media.h: the whole interface of src/media: uploaded images checked by
 * their content, the content-addressed store of originals and renditions
 * under the data folder, and the caption, credit and date an image carries
 * in its own metadata (EXIF, IPTC, XMP). Only this module includes
 * vips/vips.h; the rest of pressroom sees bytes, paths and plain records.
 *
 * Accepted formats: JPEG, PNG, WebP and GIF (an animation gives its first
 * frame). Everything else, TIFF and HEIF included, is refused by name: each
 * accepted decoder is one more attack surface, and these four are what
 * cameras, phones and editors' tools hand a press office.
 *
 * Layout under DATA/media/ (served as /media/..., names never change):
 *   orig/ab/cd/<sha256>.<jpg|png|webp|gif>   the upload, byte for byte
 *   r/ab/cd/<sha256>-<width>.<webp|jpg>      renditions
 *   tmp/                                     files being written
 * Every file appears by rename(2) after fsync, so a reader or a crash never
 * sees half of one.
 *
 * All functions are safe to call from several threads at once once
 * media_init has returned.
 */
#ifndef PR_MEDIA_H
#define PR_MEDIA_H

#include "core/core.h"

/* media/init.c */

/* Limits on what an upload may be; media_limits_default fills them. */
struct media_limits {
	size_t max_bytes;    /* size of the file (50 MiB) */
	uint64_t max_pixels; /* width * height of the image (100 megapixels) */
	int max_side;        /* each of width and height (20,000) */
	int threads;         /* libvips worker threads; 0: one a core */
};

void media_limits_default(struct media_limits *lim);

/*
 * Starts libvips once for the process: no operation cache (uploads are
 * never worth keeping and the cache keys on buffer addresses), untrusted
 * and unwanted loaders blocked so that only the four accepted formats can
 * ever be decoded, libvips warnings sent to log_debug, glibc's malloc
 * arenas capped at two (see init.c). lim may be NULL for
 * the defaults. Call from the main thread before any other media_
 * function; later calls only update the limits. PR_INTERNAL when libvips
 * cannot start.
 */
enum pr_err media_init(const struct media_limits *lim, struct pr_error *e);
/* Stops libvips; nothing of media may be used afterwards. */
void media_shutdown(void);
/* The limits in force (a copy). */
void media_limits_get(struct media_limits *lim);

/* media/probe.c */

enum media_type {
	MEDIA_UNKNOWN = 0,
	MEDIA_JPEG,
	MEDIA_PNG,
	MEDIA_WEBP,
	MEDIA_GIF,
};

/* "image/jpeg" ...; "application/octet-stream" for MEDIA_UNKNOWN. */
const char *media_type_mime(enum media_type t);
/* "jpg", "png", "webp", "gif"; "" for MEDIA_UNKNOWN. */
const char *media_type_ext(enum media_type t);
/* "JPEG", "PNG", "WebP", "GIF"; "unknown". */
const char *media_type_name(enum media_type t);
/* The accepted format that the first bytes announce (by magic number,
 * never by name); MEDIA_UNKNOWN for anything else. */
enum media_type media_sniff(struct str bytes);

struct media_info {
	enum media_type type;
	int width, height; /* as displayed: after the EXIF orientation */
	int orientation;   /* EXIF 1..8; 1 when absent */
	int frames;        /* more than 1 for an animation */
	int bits;          /* per sample: 8 or 16 */
	bool alpha;        /* has a transparency channel */
	bool cmyk;         /* stored as CMYK (renditions are sRGB) */
	bool grey;         /* one or two bands */
	bool icc;          /* carries a colour profile */
};

/*
 * Checks that bytes are an image pressroom accepts and fills out: the
 * format by its magic number, the size from the header, checked against
 * the limits BEFORE any pixel is decoded, then one full decode at a
 * reduced size so that a truncated or damaged file is found now rather
 * than when a reader asks for it. max_bytes 0 means the configured limit.
 * Fails with PR_TOOBIG (over a limit) or PR_INVALID (not an image, an
 * unsupported format, damaged), the message naming the reason ("not an
 * image: the first bytes are those of a PDF document", "image is 50000 x
 * 50000 pixels, over the limit of 100 megapixels"). out is zeroed on
 * failure.
 */
enum pr_err media_probe(struct str bytes, size_t max_bytes,
                        struct media_info *out, struct pr_error *e);

/* media/store.c */

#define MEDIA_SHA_HEX 65 /* 64 hex digits and a NUL */

/* true when s is 64 lower-case hex digits. */
bool media_sha_valid(struct str s);

/* Appends the path of the original below DATA/media/:
 * "orig/ab/cd/<sha>.<ext>". */
void media_original_name(struct buf *out, const char *sha_hex,
                         enum media_type type);

enum media_format { MEDIA_FMT_WEBP, MEDIA_FMT_JPEG };

/* "webp", "jpg" and "image/webp", "image/jpeg". */
const char *media_format_ext(enum media_format f);
const char *media_format_mime(enum media_format f);

/* Appends the path of a rendition below DATA/media/:
 * "r/ab/cd/<sha>-<width>.<webp|jpg>". */
void media_rendition_name(struct buf *out, const char *sha_hex, int width,
                          enum media_format f);

/*
 * For a request under /media/: true when name (the part after "/media/")
 * has exactly one of the two shapes above, so that no other file can be
 * reached; *mime gets its Content-Type.
 */
bool media_name_valid(struct str name, const char **mime);

/*
 * Stores bytes, which media_probe accepted, as DATA/media/orig/..., named
 * by their SHA-256 (written to sha_hex) and the extension of their real
 * format. A file already there is left alone, so the same upload twice is
 * stored once; *created (may be NULL) tells which happened. The file
 * appears whole or not at all: temp file, fsync, rename. PR_INVALID when
 * bytes are not an accepted format, PR_IO with the path and the system's
 * reason otherwise.
 */
enum pr_err media_store_original(const char *data_dir, struct str bytes,
                                 char sha_hex[MEDIA_SHA_HEX], bool *created,
                                 struct pr_error *e);

/* Removes the original and every rendition of sha_hex (for an upload that
 * failed half-way, or an operator's purge); missing files are fine. */
enum pr_err media_remove(const char *data_dir, const char *sha_hex,
                         struct pr_error *e);

/* media/rendition.c */

#define MEDIA_MAX_WIDTHS 4

/*
 * The widths made for an original orig_width pixels wide (upright): each of
 * 320, 640, 1280 and 2048 below orig_width, then the original width itself
 * (at most 2048) when it is a quarter or more wider than the last of those,
 * or when the image is narrower than 320. Never larger than the original.
 * Deterministic, so the site builds srcset from the photo's width alone.
 * Returns how many went to out (1 to MEDIA_MAX_WIDTHS); 0 when orig_width
 * is not positive.
 */
int media_widths(int orig_width, int out[MEDIA_MAX_WIDTHS]);

struct media_rendition {
	int width, height;
	enum media_format format;
	size_t bytes; /* file size */
};

struct media_renditions {
	int n;
	struct media_rendition r[2 * MEDIA_MAX_WIDTHS];
};

/*
 * Makes every rendition of the original bytes (named sha_hex, as
 * media_store_original gave it): for each of media_widths(), a WebP and a
 * JPEG, upright, converted to sRGB from any embedded profile (CMYK and
 * 16-bit included), transparency flattened onto white for JPEG, every
 * piece of metadata stripped (EXIF with its GPS position, XMP, IPTC, ICC).
 * The image is decoded with shrink-on-load at most once for all widths,
 * with the limits of media_init enforced before decoding; libvips uses its
 * worker threads. Files already present are kept (renditions of a hash are
 * always the same), so a second call is cheap. out (may be NULL) lists
 * them, WebP then JPEG for each width. On failure nothing this call wrote
 * is left behind; the error is PR_INVALID/PR_TOOBIG for the image, PR_IO
 * for the disk.
 */
enum pr_err media_renditions(const char *data_dir, struct str bytes,
                             const char *sha_hex, struct media_renditions *out,
                             struct pr_error *e);

/* media/url.c: what pages say about renditions */

/* Appends the srcset of the renditions in format f of an original width
 * pixels wide (upright): "PREFIXr/ab/cd/<sha>-320.webp 320w, ...", prefix
 * (e.g. "/media/") before each name. Nothing for a width below 1. */
void media_srcset(struct buf *out, const char *prefix, const char *sha_hex,
                  int width, enum media_format f);

/* Of the rendition widths of an original width pixels wide, the largest
 * that is at most want, else the smallest; 0 for a width below 1. */
int media_width_at_most(int width, int want);

/* media/meta.c */

#define MEDIA_CAPTION_MAX 2048
#define MEDIA_CREDIT_MAX  512

/*
 * What an image says about itself. Strings are UTF-8 (Latin-1 in old IPTC
 * and EXIF is converted), control characters removed, white space
 * collapsed, cut at a character boundary; "" when absent. Camera makers'
 * placeholder descriptions ("OLYMPUS DIGITAL CAMERA") count as absent.
 */
struct media_meta {
	char caption[MEDIA_CAPTION_MAX];  /* IPTC 2:120, XMP dc:description,
	                                     EXIF ImageDescription */
	char credit[MEDIA_CREDIT_MAX];    /* IPTC 2:110, XMP photoshop:Credit,
	                                     else creator, else copyright */
	char creator[MEDIA_CREDIT_MAX];   /* IPTC 2:80, XMP dc:creator, EXIF
	                                     Artist */
	char copyright[MEDIA_CREDIT_MAX]; /* IPTC 2:116, XMP dc:rights, EXIF
	                                     Copyright */
	bool has_date;
	int64_t date; /* taken: EXIF DateTimeOriginal, IPTC 2:55/2:60, XMP
	                 photoshop:DateCreated; Unix seconds. Without a zone
	                 in the file, the site's zone is assumed. */
};

/*
 * Reads caption, credit and date from the metadata of bytes (which need
 * not have been probed: only the header is read, never the pixels). Every
 * parser is bounded: malformed, looping or oversized EXIF, IPTC or XMP
 * yields empty fields, never a hang or a crash. Fails (PR_INVALID) only
 * when bytes are not an accepted image; out is then all empty.
 */
enum pr_err media_metadata(struct str bytes, struct media_meta *out,
                           struct pr_error *e);

/* media/add.c */

/* Everything an accepted upload gives the store. */
struct media_photo {
	char sha[MEDIA_SHA_HEX];
	struct media_info info;
	struct media_renditions renditions;
	struct media_meta meta;
	bool created; /* the original was not stored before */
};

/*
 * The whole upload: media_probe, media_store_original, media_renditions,
 * media_metadata. When a step after the original was stored fails, the
 * original (if this call created it) and the renditions are removed
 * again, so a refused upload leaves nothing. max_bytes as media_probe.
 */
enum pr_err media_add(const char *data_dir, struct str bytes, size_t max_bytes,
                      struct media_photo *out, struct pr_error *e);

#endif
