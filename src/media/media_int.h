/*
 * media/media_int.h: helpers shared by the files of src/media and by
 * nothing else. This and the .c files of src/media are the only places
 * that include vips/vips.h.
 */
#ifndef PR_MEDIA_INT_H
#define PR_MEDIA_INT_H

#include "media.h"

#include <vips/vips.h>

/*
 * Loader options for vips_thumbnail_buffer: libvips 8.14 does not pass the
 * operation's own fail_on argument to a buffer loader, but does pass its
 * option string, so truncation is only caught this way.
 */
#define MEDIA__LOAD_OPTIONS "fail_on=truncated"

/* media/init.c */

/* The limits set by media_init (read-only once threads run). */
const struct media_limits *media__limits(void);

/*
 * Records code in e with "what: REASON", REASON being the first line of
 * the libvips error buffer (its "Vips...:" prefix dropped, control
 * characters removed), which is cleared. Returns code.
 */
enum pr_err media__vips_fail(struct pr_error *e, enum pr_err code,
                             const char *what);

/* media/probe.c */

/*
 * Opens the header of bytes with the loader of type alone, sequential and
 * failing on truncation, first page only; nothing is decoded yet. The
 * image refers to bytes, which must outlive it. NULL with the libvips
 * error buffer set on failure.
 */
VipsImage *media__open(struct str bytes, enum media_type type);

/*
 * The checks of media_probe before decoding: size, magic number, header,
 * pixel limits; fills info. *im (may be NULL) gets the opened header,
 * which the caller unrefs.
 */
enum pr_err media__check(struct str bytes, size_t max_bytes,
                         struct media_info *info, VipsImage **im,
                         struct pr_error *e);

/* media/store.c */

/*
 * Writes n bytes at p to DATA/media/<name> through a temp file in
 * DATA/media/tmp, fsync and rename, creating folders as needed. With
 * keep set, an existing file is left alone and *created (may be NULL)
 * says false. The temp file never survives a failure.
 */
enum pr_err media__write(const char *data_dir, const char *name, const void *p,
                         size_t n, bool keep, bool *created,
                         struct pr_error *e);

/* Appends DATA/media/<name>. */
void media__path(struct buf *out, const char *data_dir, const char *name);

/* media/rendition.c */

/* media_renditions, also telling whether it wrote any file. */
enum pr_err media__renditions(const char *data_dir, struct str bytes,
                              const char *sha_hex, struct media_renditions *out,
                              bool *wrote, struct pr_error *e);

/* media/meta.c */

/*
 * The instant of a civil date and time: with off_min minutes east of UTC
 * when has_off, else in the site's zone. false when any field is out of
 * range (month 13, February 30th, a year before photography).
 */
bool media__when(int y, int mo, int d, int h, int mi, int s, bool has_off,
                 int off_min, int64_t *out);

/* media/iptc.c */

/* Fills caption, credit, creator, copyright and date of m from IPTC IIM
 * data, bare or inside a Photoshop "8BIM" resource block (as JPEG's APP13
 * holds it). Bounded by n; anything malformed ends the scan. */
void media__iptc(const unsigned char *p, size_t n, struct media_meta *m);

/* media/xmp.c */

/* Fills m from an XMP packet (libxml2, no network, no DTD: a packet that
 * declares entities is ignored whole). */
void media__xmp(const char *p, size_t n, struct media_meta *m);

/* media/text.c */

/*
 * Appends text p[0..n) cleaned for display: UTF-8 kept, anything else read
 * as Latin-1, control characters dropped, runs of white space made one
 * space, trimmed, at most max - 1 bytes cut at a character boundary, into
 * out (max bytes, NUL-ended). Returns the length written.
 */
size_t media__clean(const char *p, size_t n, char *out, size_t max);

/* Appends ", item" to the list in out (cap bytes), or item when out is
 * empty; nothing when it would not fit or is there already. */
void media__join(char *out, size_t cap, const char *item);

#endif
