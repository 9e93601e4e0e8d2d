/*
 * admin.h: the whole interface of src/admin, the editors' side under
 * /admin: accounts and sessions, the dashboard, the item list, the editor
 * with preview, the workflow (draft, submitted, scheduled, published,
 * withdrawn), revisions with their differences, embargo preview links,
 * users and the audit log. Pages are rendered on the server from the
 * theme's admin_*.html templates and work without JavaScript. The site
 * hands requests for /admin/... and /preview/... here, with the serving
 * thread's database connection.
 */
#ifndef PR_ADMIN_H
#define PR_ADMIN_H

#include "../core/core.h"
#include "../http/http.h"
#include "../render/render.h"
#include "../store/store.h"

struct admin;

/* admin/admin.c */

/*
 * Renders the public page of article a exactly as readers would get it
 * (the site's own templates and model) into res; the site provides it, so
 * that a preview is the public page. PR_OK when res was filled.
 */
typedef enum pr_err (*admin_article_page_fn)(void *ctx, struct store *st,
                                             const struct http_request *req,
                                             struct http_response *res,
                                             const struct article *a,
                                             struct pr_error *e);

struct admin_hooks {
	admin_article_page_fn article_page;
	/* Called after every request that may have written: readers' caches
	 * must look at the generation again. */
	void (*written)(void *ctx);
	void *ctx;
	const char *data_dir; /* DATA: uploads go to DATA/media/; NULL: the
	                         editor takes no photos */
};

/*
 * Opens the editors' side with configuration cfg (copied) and the theme
 * tmpl (which must outlive it). Free with admin_free.
 */
enum pr_err admin_open(struct admin **out, const struct config *cfg,
                       const struct tmpl *tmpl, const struct admin_hooks *hooks,
                       struct pr_error *e);
void admin_free(struct admin *a); /* NULL is fine */

/* true for the paths admin_handle answers: /admin, /admin/..., and
 * /preview/... (embargo preview links). */
bool admin_owns(struct str path);

/*
 * Answers one request (any method) with st, the calling thread's
 * connection. Every page is private: never cached, never stored by
 * browsers.
 */
void admin_handle(struct admin *a, struct store *st,
                  const struct http_request *req, struct http_response *res);

/* admin/password.c: also for `pressroom user` */

#define ADMIN_PASSWORD_MIN 8
#define ADMIN_PASSWORD_MAX 1024
#define ADMIN_HASH_LEN     128 /* crypto_pwhash_STRBYTES */

/* PR_INVALID with a message when a new password is too short or long or
 * not text. */
enum pr_err admin_password_check(struct str password, struct pr_error *e);
/* The Argon2id string of password with cfg's limits, into out. */
enum pr_err admin_password_hash(const struct config *cfg, struct str password,
                                char out[ADMIN_HASH_LEN], struct pr_error *e);
/* true when password matches hash (constant time in the password). */
bool admin_password_verify(const char *hash, struct str password);

#endif
