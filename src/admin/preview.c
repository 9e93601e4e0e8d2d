/*
 * admin/preview.c: previews that are the public page itself (the site
 * renders them with its own templates), of the stored item or of the text
 * in the form before it is saved; embargo preview links, revocable
 * tokens that show one unpublished item to whoever holds the link.
 */
#include "admin_int.h"

#include <string.h>

/* The public page of a, made by the site. */
static enum pr_err public_page(struct areq *r, const struct article *a)
{
	struct admin_hooks *h = &r->ad->hooks;
	enum pr_err rc;

	if (h->article_page == NULL)
		return admin__fail(r, PR_INTERNAL, 500, "no preview available");
	buf_reset(&r->res->body);
	rc = h->article_page(h->ctx, r->st, r->http, r->res, a, &r->err);
	r->res->cacheable = false;
	r->res->cache_control = "no-store";
	return rc;
}

/* What the preview shows of an item that is not out yet: today's date. */
static void as_published(struct areq *r, struct article *a)
{
	if (a->status != ARTICLE_PUBLISHED) {
		a->published_at = r->now;
		a->updated_at = r->now;
	}
	if (a->slug == NULL || a->slug[0] == '\0')
		a->slug = "preview";
}

enum pr_err admin__preview(struct areq *r)
{
	struct workflow wf;
	enum item_state st;
	struct article a;
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_VIEW, &a, &wf, &st)) != PR_OK)
		return rc;
	as_published(r, &a);
	return public_page(r, &a);
}

enum pr_err admin__preview_form(struct areq *r)
{
	struct workflow wf = {0};
	struct article cur, a;
	enum item_state st;
	struct fields f;
	enum pr_err rc;

	if (r->id &&
	    (rc = admin__load_item(r, ACT_VIEW, &cur, &wf, &st)) != PR_OK)
		return rc;
	admin__fields_of_form(r, &r->form, &f);
	rc = admin__article_of(r, &f, r->id ? &cur : NULL, &a);
	if (rc == PR_INVALID && r->status == 400) {
		char msg[sizeof(r->err.msg)];
		snprintf(msg, sizeof(msg), "%s", r->err.msg);
		pr_error_clear(&r->err);
		r->status = 0;
		return admin__editor_page(r, r->id ? &cur : NULL, &wf, &f, msg,
		                          400);
	}
	if (rc != PR_OK)
		return rc;
	if (a.slug == NULL || a.slug[0] == '\0') {
		struct buf b;
		buf_init(&b, SLUG_MAX + 1);
		slug_make(&b, str_c(a.title), SLUG_MAX);
		a.slug = arena_strndup(r->a, buf_cstr(&b), b.err ? 0 : b.n);
		buf_free(&b);
	}
	as_published(r, &a);
	return public_page(r, &a);
}

/* Embargo preview links */

static enum pr_err link_made(struct areq *r, const struct article *a,
                             const char *token)
{
	admin__model(r, "Preview link", "items");
	tv_set_int(r->model, "id", a->id);
	tv_set_cstr(r->model, "title", a->title);
	tv_set_cstr(
	    r->model, "url",
	    arena_printf(r->a, "%s/preview/%s", r->ad->cfg.base_url, token));
	tv_set(r->model, "expires",
	       admin__time(r, r->now + r->ad->cfg.preview_days * 86400));
	tv_set_cstr(r->model, "edit_url",
	            arena_printf(r->a, "/admin/items/%lld", (long long)a->id));
	return admin__render(r, "admin_link", 200);
}

static enum pr_err make_link(struct areq *r, const struct article *a)
{
	char token[ADMIN_TOKEN_HEX + 1], id[ADMIN_TOKEN_HEX + 1];
	struct preview_token t = {0};
	enum pr_err rc;

	admin__token_new(token);
	admin__token_hash(str_c(token), id);
	t.id = id;
	t.article_id = a->id;
	t.user_id = r->user.id;
	t.created_at = r->now;
	t.expires_at = r->now + r->ad->cfg.preview_days * 86400;
	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = store_preview_add(r->st, &t, &r->err);
	if (rc == PR_OK)
		rc = admin__audit(r, "preview-link", a->id, "until %lld",
		                  (long long)t.expires_at);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	return rc == PR_OK ? link_made(r, a, token) : rc;
}

static enum pr_err revoke(struct areq *r, const struct article *a)
{
	int64_t n = 0;
	enum pr_err rc;

	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = store_preview_revoke(r->st, a->id, r->now, &n, &r->err);
	if (rc == PR_OK)
		rc = admin__audit(r, "preview-revoke", a->id, "%lld links",
		                  (long long)n);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	if (rc == PR_OK)
		admin__redirect(
		    r, arena_printf(r->a, "/admin/items/%lld?done=revoked",
		                    (long long)a->id));
	return rc;
}

enum pr_err admin__links(struct areq *r)
{
	struct str action = admin__field(&r->form, "action");
	struct workflow wf;
	enum item_state st;
	struct article a;
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_LINKS, &a, &wf, &st)) != PR_OK)
		return rc;
	if (str_eq_c(action, "revoke"))
		return revoke(r, &a);
	if (!str_eq_c(action, "create"))
		return admin__fail(r, PR_INVALID, 400,
		                   "action: create or revoke");
	if (st == STATE_PUBLISHED)
		return admin__fail(r, PR_INVALID, 400,
		                   "The item is public already: share its "
		                   "address.");
	return make_link(r, &a);
}

enum pr_err admin__embargo(struct areq *r)
{
	char id[ADMIN_TOKEN_HEX + 1];
	struct article a;
	int64_t article = 0;
	enum pr_err rc = PR_NOTFOUND;

	if (admin__token_valid(r->token)) {
		admin__token_hash(r->token, id);
		rc = store_preview_find(r->st, id, r->now, &article, &r->err);
	}
	if (rc == PR_OK)
		rc = store_article_get(r->st, r->a, article, &a, &r->err);
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		return admin__fail(r, PR_NOTFOUND, 404,
		                   "This preview link is unknown, expired or "
		                   "revoked.");
	}
	if (rc != PR_OK)
		return rc;
	if (a.status == ARTICLE_PUBLISHED && a.published_at <= r->now) {
		r->res->status = 302;
		r->res->location = arena_printf(
		    r->a, "/%s/news/%lld-%s", a.lang, (long long)a.id, a.slug);
		return PR_OK;
	}
	as_published(r, &a);
	return public_page(r, &a);
}
