/*
 * export_int.h: what the files of src/export share; not part of the
 * module's interface (that is export.h).
 */
#ifndef PR_EXPORT_INT_H
#define PR_EXPORT_INT_H

#include "export.h"

/* export/photos.c */

/*
 * The "file" of each photo of article id, in ar: with dir, each original
 * is copied from DATA/media/ (data_dir) to DIR/photos/<id>/<n>.<ext> (n its
 * position; the copy appears whole, by rename) and named
 * "photos/<id>/<n>.<ext>"; without, it is named where it lies under the
 * data folder, "media/orig/ab/cd/<sha>.<ext>". *names has l->n entries.
 */
enum pr_err export__photo_files(struct arena *ar, const char *data_dir,
                                const char *dir, int64_t id,
                                const struct photo_list *l, const char ***names,
                                struct pr_error *e);

#endif
