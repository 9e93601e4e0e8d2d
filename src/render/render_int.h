/*
 * render/render_int.h: helpers shared by the files of src/render and by
 * nothing else.
 */
#ifndef PR_RENDER_INT_H
#define PR_RENDER_INT_H

#include "render.h"

/* render/entity.c */

/* The UTF-8 text of the HTML named character reference name[0..n) (without
 * '&' and ';'), or NULL when there is no such name. Static storage. */
const char *render__entity(const char *name, size_t n);

#endif
