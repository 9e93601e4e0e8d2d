/*
 * admin/audit.c: the audit log's page: who did what and when, newest
 * first, a page at a time, for one user or one item when asked.
 */
#include "admin_int.h"

#include <string.h>

#define AUDIT_PAGE 100

static struct tval *entry_value(struct areq *r, const struct audit_entry *e)
{
	struct tval *v = tv_obj(r->a);

	tv_set_int(v, "id", e->id);
	tv_set(v, "at", admin__time(r, e->at));
	tv_set_cstr(v, "login", e->login);
	tv_set_cstr(v, "action", e->action);
	tv_set_cstr(v, "detail", e->detail);
	tv_set_cstr(v, "address", e->address);
	if (e->article_id) {
		tv_set_int(v, "item", e->article_id);
		tv_set_cstr(v, "item_url",
		            arena_printf(r->a, "/admin/items/%lld",
		                         (long long)e->article_id));
	}
	return v;
}

enum pr_err admin__audit_page(struct areq *r)
{
	struct str login = http_query(r->http, "user");
	struct tval *list = tv_list(r->a);
	int64_t before = 0, item = 0;
	struct audit_entry *v;
	const char *who = "";
	enum pr_err rc;
	size_t n;

	str_to_i64(http_query(r->http, "before"), 1, INT64_MAX, &before);
	str_to_i64(http_query(r->http, "item"), 1, INT64_MAX, &item);
	if (store_login_valid(login))
		who = arena_strndup(r->a, login.p, login.n);
	rc = store_audit_list(r->st, r->a, before, AUDIT_PAGE, item, who, &v,
	                      &n, &r->err);
	if (rc != PR_OK)
		return rc;
	admin__model(r, "Audit log", "audit");
	for (size_t i = 0; i < n; i++)
		tv_push(list, entry_value(r, &v[i]));
	tv_set(r->model, "entries", list);
	tv_set_cstr(r->model, "who", who);
	if (item)
		tv_set_int(r->model, "item", item);
	if (n == AUDIT_PAGE)
		tv_set_cstr(r->model, "older",
		            arena_printf(r->a,
		                         "/admin/audit?user=%s&item=%lld"
		                         "&before=%lld",
		                         who, (long long)item,
		                         (long long)v[n - 1].id));
	return admin__render(r, "admin_audit", 200);
}
