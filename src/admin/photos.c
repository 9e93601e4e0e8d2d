/*
 * admin/photos.c: the photos of an item in the editor: uploads (each image
 * checked and stored by src/media, then described in the store in one
 * transaction with its audit line), caption, credit and alt text, order
 * and removal. A refused image comes back as a message above the form,
 * never as an error page.
 */
#include "admin_int.h"

#include "../media/media.h"

#include <string.h>

#define THUMB_WIDTH 320

/* The thumbnail of p for the editor: its JPEG rendition near 320 wide. */
static const char *thumb_url(struct areq *r, const struct photo *p)
{
	struct buf b;
	const char *url;

	buf_init(&b, 256);
	buf_adds(&b, "/media/");
	media_rendition_name(&b, p->sha256,
	                     media_width_at_most(p->width, THUMB_WIDTH),
	                     MEDIA_FMT_JPEG);
	url = arena_strndup(r->a, buf_cstr(&b), b.n);
	buf_free(&b);
	return url;
}

static struct tval *photo_value(struct areq *r, const struct photo *p, size_t n)
{
	struct tval *v = tv_obj(r->a);

	tv_set_int(v, "id", p->id);
	tv_set_int(v, "position", p->position);
	tv_set_cstr(v, "src", thumb_url(r, p));
	tv_set_cstr(v, "caption", p->caption);
	tv_set_cstr(v, "credit", p->credit);
	tv_set_cstr(v, "alt", p->alt);
	tv_set_int(v, "width", p->width);
	tv_set_int(v, "height", p->height);
	tv_set_bool(v, "first", p->position == 1);
	tv_set_bool(v, "last", (size_t)p->position == n);
	return v;
}

void admin__photos_model(struct areq *r, const struct article *a,
                         const struct workflow *wf)
{
	struct tval *list = tv_list(r->a);
	struct photo_list pl = {0};
	enum item_state st;

	if (a == NULL || r->ad->hooks.data_dir == NULL)
		return;
	st = admin__state(a->status, a->published_at, wf->submitted_at, r->now);
	if (store_photos_of(r->st, r->a, a->id, &pl, NULL) != PR_OK)
		pl.n = 0;
	for (size_t i = 0; i < pl.n; i++)
		tv_push(list, photo_value(r, &pl.v[i], pl.n));
	tv_set(r->model, "photos", list);
	tv_set_bool(r->model, "has_photos", pl.n > 0);
	tv_set_bool(r->model, "photos_editable",
	            admin__may(&r->user, ACT_EDIT, wf->owner_id, st));
	tv_set_cstr(
	    r->model, "photos_url",
	    arena_printf(r->a, "/admin/items/%lld/photos", (long long)a->id));
}

/* A field of the form as a photo text: "" when absent. */
static const char *text_of(struct areq *r, const char *key)
{
	return admin__field_c(r, key);
}

/* The row for an upload: texts from the form, else from the image. */
static void describe(struct areq *r, struct photo *p,
                     const struct media_photo *mp, size_t bytes)
{
	const char *caption = text_of(r, "caption"),
	           *credit = text_of(r, "credit");

	memset(p, 0, sizeof(*p));
	p->article_id = r->id;
	p->sha256 = mp->sha;
	p->type = media_type_ext(mp->info.type);
	p->width = mp->info.width;
	p->height = mp->info.height;
	p->bytes = (int64_t)bytes;
	p->caption = caption[0] ? caption : mp->meta.caption;
	p->credit = credit[0] ? credit : mp->meta.credit;
	p->alt = text_of(r, "alt");
	p->licence = "";
	p->has_taken = mp->meta.has_date;
	p->taken_at = mp->meta.date;
}

/* Describes the stored image in the item with its audit line, in one
 * transaction. */
static enum pr_err record(struct areq *r, struct photo *p, const char *file)
{
	enum pr_err rc;
	bool added = false;

	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = store_photo_add(r->st, p, &added, &r->err);
	if (rc == PR_OK && added)
		rc = admin__audit(r, "photo-add", r->id, "%s as photo %d", file,
		                  p->position);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	return rc;
}

/* Takes one uploaded file; PR_OK or a refusal in r->err naming it. */
static enum pr_err upload_one(struct areq *r, const struct http_part *f)
{
	const char *dir = r->ad->hooks.data_dir;
	const char *file = f->filename[0] ? f->filename : "the file";
	struct pr_error me = {0}, ignored = {0};
	struct media_photo *mp = arena_zalloc(r->a, sizeof(*mp));
	enum pr_err rc;
	bool used = true;
	struct photo p;

	if (mp == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	if ((rc = media_add(dir, f->data, 0, mp, &me)) != PR_OK)
		return pr_fail(&r->err, rc, "%s was refused: %s", file, me.msg);
	describe(r, &p, mp, f->data.n);
	if ((rc = record(r, &p, file)) == PR_OK)
		return PR_OK;
	if (mp->created &&
	    (store_photo_used(r->st, mp->sha, &used, &ignored) != PR_OK ||
	     !used))
		media_remove(dir, mp->sha, &ignored);
	snprintf(me.msg, sizeof(me.msg), "%s", r->err.msg);
	pr_error_clear(&r->err);
	return pr_fail(&r->err, rc, "%s was not added: %s", file, me.msg);
}

/* The editor again with message, the item as it is now. */
static enum pr_err back_to_form(struct areq *r, const char *message, int status)
{
	struct workflow wf;
	enum item_state st;
	struct article a;
	struct fields f;
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_VIEW, &a, &wf, &st)) != PR_OK)
		return rc;
	admin__fields_of_article(r, &a, &f);
	return admin__editor_page(r, &a, &wf, &f, message, status);
}

static void to_photos(struct areq *r, const char *done)
{
	admin__redirect(r,
	                arena_printf(r->a, "/admin/items/%lld?done=%s#photos",
	                             (long long)r->id, done));
}

enum pr_err admin__photo_upload(struct areq *r)
{
	struct workflow wf;
	enum item_state st;
	struct article a;
	enum pr_err rc;
	size_t added = 0;
	char msg[sizeof(r->err.msg)];

	if ((rc = admin__load_item(r, ACT_EDIT, &a, &wf, &st)) != PR_OK)
		return rc;
	if (r->ad->hooks.data_dir == NULL)
		return admin__fail(r, PR_INVALID, 400,
		                   "This server takes no photos.");
	for (size_t i = 0; i < r->n_files; i++) {
		if (strcmp(r->files[i].name, "photo") != 0 ||
		    r->files[i].data.n == 0)
			continue;
		if ((rc = upload_one(r, &r->files[i])) != PR_OK)
			goto refused;
		added++;
	}
	if (added == 0)
		return back_to_form(r, "Choose an image file to upload.", 400);
	to_photos(r, "photo");
	return PR_OK;
refused:
	if (rc != PR_INVALID && rc != PR_TOOBIG)
		return rc;
	snprintf(msg, sizeof(msg), "%s", r->err.msg);
	pr_error_clear(&r->err);
	return back_to_form(r, arena_strdup(r->a, msg),
	                    rc == PR_TOOBIG ? 413 : 400);
}

/* The photo the form names, from the item's photos in pl. */
static const struct photo *named(struct areq *r, const struct photo_list *pl)
{
	int64_t id = 0;

	if (!str_to_i64(admin__field(&r->form, "photo"), 1, INT64_MAX, &id))
		return NULL;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].id == id)
			return &pl->v[i];
	return NULL;
}

/* Applies action to photo p of the item; *what gets the audit action. */
static enum pr_err change(struct areq *r, struct str action,
                          const struct photo *p, size_t n, const char **what)
{
	struct photo u = *p;

	*what = NULL;
	if (str_eq_c(action, "save")) {
		*what = "photo-edit";
		u.caption = text_of(r, "caption");
		u.credit = text_of(r, "credit");
		u.alt = text_of(r, "alt");
		return store_photo_update(r->st, &u, &r->err);
	}
	if (str_eq_c(action, "up") && p->position > 1) {
		*what = "photo-move";
		return store_photo_move(r->st, r->id, p->id, p->position - 1,
		                        &r->err);
	}
	if (str_eq_c(action, "down") && (size_t)p->position < n) {
		*what = "photo-move";
		return store_photo_move(r->st, r->id, p->id, p->position + 1,
		                        &r->err);
	}
	if (str_eq_c(action, "delete")) {
		*what = "photo-delete";
		return store_photo_delete(r->st, r->id, p->id, &r->err);
	}
	if (str_eq_c(action, "up") || str_eq_c(action, "down"))
		return PR_OK;
	return admin__fail(r, PR_INVALID, 400, "Unknown action.");
}

enum pr_err admin__photo_change(struct areq *r)
{
	struct str action = admin__field(&r->form, "action");
	struct photo_list pl = {0};
	const struct photo *p;
	const char *what;
	struct workflow wf;
	enum item_state st;
	struct article a;
	enum pr_err rc;

	if ((rc = admin__load_item(r, ACT_EDIT, &a, &wf, &st)) != PR_OK)
		return rc;
	if ((rc = store_photos_of(r->st, r->a, r->id, &pl, &r->err)) != PR_OK)
		return rc;
	if ((p = named(r, &pl)) == NULL)
		return admin__fail(r, PR_NOTFOUND, 404,
		                   "This item has no such photo.");
	if ((rc = store_begin(r->st, &r->err)) != PR_OK)
		return rc;
	rc = change(r, action, p, pl.n, &what);
	if (rc == PR_OK && what != NULL)
		rc =
		    admin__audit(r, what, r->id, "photo %d (%s)", p->position,
		                 str_eq_c(action, "save") ? "texts" : action.p);
	if (rc == PR_OK)
		rc = store_commit(r->st, &r->err);
	else
		store_rollback(r->st);
	if (rc == PR_INVALID && r->status == 0) {
		char msg[sizeof(r->err.msg)];
		snprintf(msg, sizeof(msg), "%s", r->err.msg);
		pr_error_clear(&r->err);
		return back_to_form(r, arena_strdup(r->a, msg), 400);
	}
	if (rc == PR_OK)
		to_photos(r, "photo_changed");
	return rc;
}
