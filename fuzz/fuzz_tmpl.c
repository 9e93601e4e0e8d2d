/*
 * fuzz_tmpl.c: libFuzzer target for the template parser and renderer. The
 * input holds up to three templates separated by NUL bytes ("a.html",
 * "b.html", "c.html", so they can include each other); a set that loads is
 * rendered from "a" with a fixed model. Its strings hold a NUL, which no
 * template can (they must be UTF-8 without NUL) and escaping replaces: a
 * NUL in the output is a value that went out unescaped.
 */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tval *fuzz_model(struct arena *a)
{
	struct tval *m = tv_obj(a), *items = tv_list(a), *page = tv_obj(a);
	int i;

	for (i = 0; i < 2; i++) {
		struct tval *it = tv_obj(a);

		tv_set(it, "name", tv_str(a, (struct str){"<x\0>", 4}));
		tv_set_int(it, "n", i);
		tv_set(it, "items", tv_list(a));
		tv_push(items, it);
	}
	tv_set(m, "items", items);
	tv_set(page, "title", tv_str(a, (struct str){"<b>\0&\"'", 7}));
	tv_set(m, "page", page);
	tv_set_bool(m, "yes", true);
	tv_set(m, "body", tv_html(a, STR_LIT("<p>ok</p>")));
	i18n_model(a, m, "ru");
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"a.html", "b.html", "c.html"};
	struct tmpl_source f[3];
	struct pr_error e = {0};
	struct tmpl *t = NULL;
	struct arena *a;
	struct buf out;
	const char *p = size ? (const char *)data : "", *nul;
	size_t n, len, left = size;

	for (n = 0; n < 3;) {
		nul = left ? memchr(p, '\0', left) : NULL;
		len = nul ? (size_t)(nul - p) : left;
		f[n] = (struct tmpl_source){names[n], {p, len}};
		n++;
		if (nul == NULL)
			break;
		p = nul + 1;
		left -= len + 1;
	}
	if (tmpl_load_mem(&t, f, n, &e) != PR_OK)
		return 0;
	a = arena_new(1 << 20);
	buf_init(&out, 1 << 20);
	tmpl_render(t, "a", fuzz_model(a), &out, &e);
	if (out.n > 0 && memchr(out.p, '\0', out.n) != NULL)
		abort();
	buf_free(&out);
	arena_free(a);
	tmpl_free(t);
	return 0;
}
