/* core/err.c: error codes and the message that travels with them. */
#include "core.h"

#include <string.h>

const char *pr_strerror(enum pr_err code)
{
	switch (code) {
	case PR_OK: return "success";
	case PR_NOMEM: return "out of memory";
	case PR_TOOBIG: return "too big";
	case PR_NOTFOUND: return "not found";
	case PR_INVALID: return "invalid input";
	case PR_IO: return "input/output error";
	case PR_CONFLICT: return "conflict";
	case PR_BUSY: return "busy";
	case PR_READONLY: return "read-only";
	case PR_CORRUPT: return "corrupt data";
	case PR_VERSION: return "made by a newer version";
	case PR_INTERNAL: return "internal error";
	}
	return "unknown error";
}

enum pr_err pr_fail(struct pr_error *e, enum pr_err code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL || e->code != PR_OK || code == PR_OK)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void pr_error_clear(struct pr_error *e)
{
	if (e == NULL)
		return;
	e->code = PR_OK;
	e->msg[0] = '\0';
}
