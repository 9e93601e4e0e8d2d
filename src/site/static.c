/*
 * site/static.c: the theme's static files under /static/ (cached for a
 * year when asked for with their current version) and /robots.txt, which
 * points crawlers to the sitemap index.
 */
#include "site.h"

#include <stdio.h>

enum pr_err site__static(struct site_req *r)
{
	const struct site_route *rt = r->route;
	enum pr_err rc = PR_OK;
	const char *type = NULL;
	struct str data;
	char v[24];

	if (!tmpl_asset(r->tmpl, rt->file, &data, &type)) {
		rc = site__fail(&r->err, PR_NOTFOUND, r->lang, "error_no_page",
		                NULL, NULL);
		goto out;
	}
	snprintf(v, sizeof(v), "%016llx",
	         (unsigned long long)hash64(data.p, data.n, 0));
	buf_addstr(&r->res->body, data);
	r->res->status = 200;
	r->res->content_type = type ? type : "application/octet-stream";
	r->res->cacheable = true;
	r->res->cache_control = str_eq_c(rt->version, v)
	                            ? "public, max-age=31536000, immutable"
	                            : "public, max-age=3600";
out:
	return rc;
}

enum pr_err site__robots(struct site_req *r)
{
	buf_adds(&r->res->body, "User-agent: *\nDisallow: /admin/\n\n");
	buf_addf(&r->res->body, "Sitemap: %s/sitemap.xml\n", r->cfg->base_url);
	r->res->status = 200;
	r->res->content_type = "text/plain; charset=utf-8";
	r->res->cacheable = true;
	return PR_OK;
}
