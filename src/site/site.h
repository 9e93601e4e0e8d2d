/*
 * site.h: the whole interface of src/site, the reader's side: routing of
 * the public URL map, page models and the handlers behind them. The CLI's
 * `serve` opens a site and hands its callbacks to http_start.
 */
#ifndef PR_SITE_H
#define PR_SITE_H

#include "../core/core.h"
#include "../http/http.h"

struct site;

/*
 * Opens the site over data_dir (its database is data_dir/pressroom.db) with
 * configuration cfg (copied): loads the theme (cfg->theme or the embedded
 * one) and checks that the database opens. Each serving thread opens its own
 * database connection on first use. Free with site_free.
 */
enum pr_err site_open(struct site **out, const struct config *cfg,
		      const char *data_dir, struct pr_error *e);
void site_free(struct site *s);

/* The callbacks for struct http_config; ctx is the struct site. */
void site_handle(void *ctx, const struct http_request *req,
		 struct http_response *res);
uint64_t site_generation(void *ctx);
void site_error_page(void *ctx, const struct http_request *req, int status,
		     const char *message, struct http_response *res);

#endif
