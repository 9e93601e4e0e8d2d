/*
 * site/feed.c: feeds of any list in RSS 2.0, Atom 1.0 and JSON Feed 1.1,
 * written through the XML and JSON writers of render (escaping at the
 * sink), with the paged archives of RFC 5005: the current feed holds the
 * newest items and links to the newest complete archive page; archive
 * pages are counted from the oldest item, so each keeps its items as new
 * ones are published, and together they reach back to the very first.
 * Entries are identified by the address made of the item's number alone
 * ({base}/en/news/42), which never changes even when the slug does.
 */
#include "site.h"

#include <string.h>

#define ITEM_ARENA_MAX ((size_t)64 << 20)
#define ARCHIVE_CACHE  "public, max-age=3600"

const char *const site_feed_files[3] = {"rss.xml", "atom.xml", "feed.json"};

static const char *const content_types[3] = {
    "application/rss+xml; charset=utf-8",
    "application/atom+xml; charset=utf-8",
    "application/feed+json; charset=utf-8",
};

/* The folder of each entity type in paths. */
static const char *const entity_dirs[ENTITY_TYPES] = {"tags", "persons",
                                                      "places"};

/* One feed while it is written. */
struct doc {
	struct site_req *r;
	const struct site_feed *f;
	struct buf *out;
	const char *title, *lang;
	const char *self, *current, *prev, *next, *home; /* absolute */
	int64_t updated;
	bool full; /* items carry their whole text */
	struct xmlw x;
	struct jsonw j;
};

/* One item while it is written; strings live in the item's arena. */
struct entry {
	const struct article *a;
	struct arena *ar;
	const char *id, *url, *author;
	size_t n_photos;
	struct site_photo photo;
};

static const char *feed_url(struct doc *d, int64_t page)
{
	const struct site_feed *f = d->f;
	const char *q = f->query && f->query[0] ? f->query : NULL;
	const char *file = site_feed_files[f->format];

	if (page == 0)
		return arena_printf(d->r->a, "%s%s/%s%s%s", d->r->cfg->base_url,
		                    f->base, file, q ? "?" : "", q ? q : "");
	return arena_printf(d->r->a, "%s%s/%s?%s%spage=%lld",
	                    d->r->cfg->base_url, f->base, file, q ? q : "",
	                    q ? "&" : "", (long long)page);
}

/* The links of RFC 5005 between the current feed and its archive. */
static void archive_links(struct doc *d)
{
	const struct site_feed *f = d->f;

	d->self = feed_url(d, f->archive);
	if (f->archive == 0) {
		d->prev = f->archives > 0 ? feed_url(d, f->archives) : NULL;
		return;
	}
	d->current = feed_url(d, 0);
	d->prev = f->archive > 1 ? feed_url(d, f->archive - 1) : NULL;
	d->next = f->archive < f->archives ? feed_url(d, f->archive + 1) : NULL;
}

static void time_text(int64_t t, bool rfc822, char out[PR_TIME_LEN])
{
	if (rfc822)
		pr_time_http(t, out);
	else
		pr_time_format(t, out);
}

/* RSS */

static void rss_link(struct doc *d, const char *rel, const char *href)
{
	if (href == NULL)
		return;
	xmlw_open(&d->x, "atom:link");
	xmlw_attr_c(&d->x, "rel", rel);
	if (strcmp(rel, "self") == 0)
		xmlw_attr_c(&d->x, "type", "application/rss+xml");
	xmlw_attr_c(&d->x, "href", href);
	xmlw_close(&d->x);
}

static void rss_head(struct doc *d)
{
	char t[PR_TIME_LEN];

	xmlw_begin(&d->x, d->out);
	xmlw_open(&d->x, "rss");
	xmlw_attr_c(&d->x, "version", "2.0");
	xmlw_attr_c(&d->x, "xmlns:atom", "http://www.w3.org/2005/Atom");
	xmlw_attr_c(&d->x, "xmlns:content",
	            "http://purl.org/rss/1.0/modules/content/");
	xmlw_attr_c(&d->x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xmlw_attr_c(&d->x, "xmlns:fh",
	            "http://purl.org/syndication/history/1.0");
	xmlw_open(&d->x, "channel");
	xmlw_leaf_c(&d->x, "title", d->title);
	xmlw_leaf_c(&d->x, "link", d->home);
	xmlw_leaf_c(&d->x, "description", d->title);
	xmlw_leaf_c(&d->x, "language", d->lang);
	time_text(d->updated, true, t);
	xmlw_leaf_c(&d->x, "lastBuildDate", t);
	xmlw_leaf_c(&d->x, "generator", "pressroom " PR_VERSION_STRING);
	rss_link(d, "self", d->self);
	rss_link(d, "current", d->current);
	rss_link(d, "prev-archive", d->prev);
	rss_link(d, "next-archive", d->next);
	if (d->f->archive > 0) {
		xmlw_open(&d->x, "fh:archive");
		xmlw_close(&d->x);
	}
}

/* s as HTML text, for the elements of RSS that readers take as HTML. */
static struct str html_text(struct entry *it, const char *s)
{
	struct buf b;
	struct str out;

	buf_init(&b, ITEM_ARENA_MAX);
	html_escape(&b, str_c(s));
	out = b.err ? STR_LIT("") : arena_str(it->ar, buf_str(&b));
	buf_free(&b);
	return out.p ? out : STR_LIT("");
}

static void rss_categories(struct doc *d, const struct entry *it)
{
	for (int t = 0; t < ENTITY_TYPES; t++) {
		const struct names *n = &it->a->entities[t];
		const char *domain =
		    arena_printf(it->ar, "%s/%s/%s/", d->r->cfg->base_url,
		                 d->lang, entity_dirs[t]);
		for (size_t i = 0; i < n->n; i++) {
			xmlw_open(&d->x, "category");
			xmlw_attr_c(&d->x, "domain", domain);
			xmlw_text(&d->x, str_c(n->name[i]));
			xmlw_close(&d->x);
		}
	}
}

static void rss_enclosure(struct doc *d, const struct entry *it)
{
	char n[24];

	if (it->n_photos == 0)
		return;
	snprintf(n, sizeof(n), "%lld", (long long)it->photo.bytes);
	xmlw_open(&d->x, "enclosure");
	xmlw_attr_c(&d->x, "url", it->photo.url);
	xmlw_attr_c(&d->x, "length", n);
	xmlw_attr_c(&d->x, "type", it->photo.type);
	xmlw_close(&d->x);
}

static void rss_item(struct doc *d, struct entry *it)
{
	const struct article *a = it->a;
	char t[PR_TIME_LEN];

	xmlw_open(&d->x, "item");
	xmlw_leaf_c(&d->x, "title", a->title);
	xmlw_leaf_c(&d->x, "link", it->url);
	xmlw_open(&d->x, "guid");
	xmlw_attr_c(&d->x, "isPermaLink", "true");
	xmlw_text(&d->x, str_c(it->id));
	xmlw_close(&d->x);
	time_text(a->published_at, true, t);
	xmlw_leaf_c(&d->x, "pubDate", t);
	xmlw_leaf_c(&d->x, "dc:creator", it->author);
	rss_categories(d, it);
	if (a->lead[0] != '\0')
		xmlw_leaf(&d->x, "description", html_text(it, a->lead));
	if (d->full)
		xmlw_leaf_c(&d->x, "content:encoded", a->body_html);
	rss_enclosure(d, it);
	xmlw_close(&d->x);
}

static enum pr_err rss_tail(struct doc *d)
{
	xmlw_close(&d->x);
	xmlw_close(&d->x);
	return xmlw_end(&d->x);
}

/* Atom */

static void atom_link(struct doc *d, const char *rel, const char *type,
                      const char *href)
{
	if (href == NULL)
		return;
	xmlw_open(&d->x, "link");
	xmlw_attr_c(&d->x, "rel", rel);
	if (type != NULL)
		xmlw_attr_c(&d->x, "type", type);
	xmlw_attr_c(&d->x, "href", href);
	xmlw_close(&d->x);
}

static void atom_author(struct doc *d, const char *name, const char *uri)
{
	xmlw_open(&d->x, "author");
	xmlw_leaf_c(&d->x, "name", name);
	if (uri != NULL)
		xmlw_leaf_c(&d->x, "uri", uri);
	xmlw_close(&d->x);
}

static void atom_head(struct doc *d)
{
	char t[PR_TIME_LEN];

	xmlw_begin(&d->x, d->out);
	xmlw_open(&d->x, "feed");
	xmlw_attr_c(&d->x, "xmlns", "http://www.w3.org/2005/Atom");
	xmlw_attr_c(&d->x, "xmlns:fh",
	            "http://purl.org/syndication/history/1.0");
	xmlw_attr_c(&d->x, "xml:lang", d->lang);
	xmlw_attr(&d->x, "xml:base",
	          str_c(arena_printf(d->r->a, "%s/", d->r->cfg->base_url)));
	xmlw_leaf_c(&d->x, "id", d->current ? d->current : d->self);
	xmlw_leaf_c(&d->x, "title", d->title);
	time_text(d->updated, false, t);
	xmlw_leaf_c(&d->x, "updated", t);
	atom_link(d, "self", "application/atom+xml", d->self);
	atom_link(d, "alternate", "text/html", d->home);
	atom_link(d, "current", "application/atom+xml", d->current);
	atom_link(d, "prev-archive", "application/atom+xml", d->prev);
	atom_link(d, "next-archive", "application/atom+xml", d->next);
	if (d->f->archive > 0) {
		xmlw_open(&d->x, "fh:archive");
		xmlw_close(&d->x);
	}
	atom_author(d, config_site_name(d->r->cfg, d->lang),
	            d->r->cfg->base_url);
	xmlw_open(&d->x, "generator");
	xmlw_attr_c(&d->x, "version", PR_VERSION_STRING);
	xmlw_text(&d->x, STR_LIT("pressroom"));
	xmlw_close(&d->x);
}

static void atom_categories(struct doc *d, const struct entry *it)
{
	for (int t = 0; t < ENTITY_TYPES; t++) {
		const struct names *n = &it->a->entities[t];
		const char *scheme =
		    arena_printf(it->ar, "%s/%s/%s/", d->r->cfg->base_url,
		                 d->lang, entity_dirs[t]);
		for (size_t i = 0; i < n->n; i++) {
			xmlw_open(&d->x, "category");
			xmlw_attr_c(&d->x, "term", n->slug[i]);
			xmlw_attr_c(&d->x, "scheme", scheme);
			xmlw_attr_c(&d->x, "label", n->name[i]);
			xmlw_close(&d->x);
		}
	}
}

static void atom_text(struct doc *d, const char *name, const char *type,
                      const char *text)
{
	xmlw_open(&d->x, name);
	xmlw_attr_c(&d->x, "type", type);
	xmlw_text(&d->x, str_c(text));
	xmlw_close(&d->x);
}

static void atom_enclosure(struct doc *d, const struct entry *it)
{
	char n[24];

	if (it->n_photos == 0)
		return;
	xmlw_open(&d->x, "link");
	xmlw_attr_c(&d->x, "rel", "enclosure");
	xmlw_attr_c(&d->x, "type", it->photo.type);
	xmlw_attr_c(&d->x, "href", it->photo.url);
	if (it->photo.bytes > 0) {
		snprintf(n, sizeof(n), "%lld", (long long)it->photo.bytes);
		xmlw_attr_c(&d->x, "length", n);
	}
	xmlw_close(&d->x);
}

static void atom_item(struct doc *d, struct entry *it)
{
	const struct article *a = it->a;
	char t[PR_TIME_LEN];

	xmlw_open(&d->x, "entry");
	xmlw_leaf_c(&d->x, "id", it->id);
	atom_text(d, "title", "text", a->title);
	atom_link(d, "alternate", "text/html", it->url);
	time_text(a->published_at, false, t);
	xmlw_leaf_c(&d->x, "published", t);
	time_text(a->updated_at, false, t);
	xmlw_leaf_c(&d->x, "updated", t);
	atom_author(d, it->author, NULL);
	atom_categories(d, it);
	if (a->lead[0] != '\0')
		atom_text(d, "summary", "text", a->lead);
	if (d->full)
		atom_text(d, "content", "html", a->body_html);
	atom_enclosure(d, it);
	xmlw_close(&d->x);
}

static enum pr_err atom_tail(struct doc *d)
{
	xmlw_close(&d->x);
	return xmlw_end(&d->x);
}

/* JSON Feed */

static void json_authors(struct doc *d, const char *name, const char *url)
{
	jsonw_key(&d->j, "authors");
	jsonw_arr(&d->j);
	jsonw_obj(&d->j);
	jsonw_kstr(&d->j, "name", name);
	if (url != NULL)
		jsonw_kstr(&d->j, "url", url);
	jsonw_end(&d->j);
	jsonw_end(&d->j);
}

static void json_head(struct doc *d)
{
	jsonw_begin(&d->j, d->out, false);
	jsonw_obj(&d->j);
	jsonw_kstr(&d->j, "version", "https://jsonfeed.org/version/1.1");
	jsonw_kstr(&d->j, "title", d->title);
	jsonw_kstr(&d->j, "home_page_url", d->home);
	jsonw_kstr(&d->j, "feed_url", d->self);
	jsonw_kstr(&d->j, "language", d->lang);
	/* JSON Feed pages go from newer to older: its next is our previous
	 * archive page. */
	if (d->prev != NULL)
		jsonw_kstr(&d->j, "next_url", d->prev);
	json_authors(d, config_site_name(d->r->cfg, d->lang),
	             d->r->cfg->base_url);
	jsonw_key(&d->j, "items");
	jsonw_arr(&d->j);
}

static void json_tags(struct doc *d, const struct entry *it)
{
	size_t n = 0;

	for (int t = 0; t < ENTITY_TYPES; t++)
		n += it->a->entities[t].n;
	if (n == 0)
		return;
	jsonw_key(&d->j, "tags");
	jsonw_arr(&d->j);
	for (int t = 0; t < ENTITY_TYPES; t++)
		for (size_t i = 0; i < it->a->entities[t].n; i++)
			jsonw_cstr(&d->j, it->a->entities[t].name[i]);
	jsonw_end(&d->j);
}

static void json_photo(struct doc *d, const struct entry *it)
{
	if (it->n_photos == 0)
		return;
	jsonw_kstr(&d->j, "image", it->photo.url);
	jsonw_key(&d->j, "attachments");
	jsonw_arr(&d->j);
	jsonw_obj(&d->j);
	jsonw_kstr(&d->j, "url", it->photo.url);
	jsonw_kstr(&d->j, "mime_type", it->photo.type);
	if (it->photo.bytes > 0) {
		jsonw_key(&d->j, "size_in_bytes");
		jsonw_int(&d->j, it->photo.bytes);
	}
	jsonw_end(&d->j);
	jsonw_end(&d->j);
}

static void json_item(struct doc *d, struct entry *it)
{
	const struct article *a = it->a;
	char t[PR_TIME_LEN];

	jsonw_obj(&d->j);
	jsonw_kstr(&d->j, "id", it->id);
	jsonw_kstr(&d->j, "url", it->url);
	jsonw_kstr(&d->j, "title", a->title);
	if (a->lead[0] != '\0')
		jsonw_kstr(&d->j, "summary", a->lead);
	if (d->full)
		jsonw_kstr(&d->j, "content_html", a->body_html);
	else
		jsonw_kstr(&d->j, "content_text",
		           a->lead[0] != '\0' ? a->lead : a->title);
	time_text(a->published_at, false, t);
	jsonw_kstr(&d->j, "date_published", t);
	time_text(a->updated_at, false, t);
	jsonw_kstr(&d->j, "date_modified", t);
	json_authors(d, it->author, NULL);
	json_tags(d, it);
	jsonw_kstr(&d->j, "language", a->lang);
	json_photo(d, it);
	jsonw_end(&d->j);
}

static enum pr_err json_tail(struct doc *d)
{
	jsonw_end(&d->j);
	jsonw_end(&d->j);
	if (d->j.err == PR_OK && d->out->err == PR_OK)
		buf_addc(d->out, '\n');
	return jsonw_finish(&d->j);
}

static const struct {
	void (*head)(struct doc *d);
	void (*item)(struct doc *d, struct entry *it);
	enum pr_err (*tail)(struct doc *d);
} writers[3] = {
    {rss_head, rss_item, rss_tail},
    {atom_head, atom_item, atom_tail},
    {json_head, json_item, json_tail},
};

/* Reads item i whole into ar and writes it; an item gone meanwhile is
 * left out. */
static enum pr_err write_item(struct doc *d, struct arena *ar,
                              const struct article_summary *s)
{
	struct site_req *r = d->r;
	struct article a;
	struct entry it = {.a = &a, .ar = ar};
	enum pr_err rc;

	arena_reset(ar);
	rc = store_article_get(r->st, ar, s->id, &a, &r->err);
	if (rc == PR_NOTFOUND) {
		pr_error_clear(&r->err);
		return PR_OK;
	}
	if (rc != PR_OK)
		return rc;
	it.id = arena_printf(ar, "%s/%s/news/%lld", r->cfg->base_url, a.lang,
	                     (long long)a.id);
	it.url =
	    arena_printf(ar, "%s%s", r->cfg->base_url,
	                 site__article_path(ar, a.id, a.lang, a.slug, false));
	it.author =
	    a.author[0] != '\0' ? a.author : config_site_name(r->cfg, a.lang);
	it.n_photos = site__photos(r, a.id, &it.photo, 1);
	if (it.id == NULL || it.url == NULL)
		return pr_fail(&r->err, PR_NOMEM, "out of memory");
	writers[d->f->format].item(d, &it);
	return PR_OK;
}

/* The newest change among the items, else the language's. */
static enum pr_err feed_updated(struct doc *d)
{
	const struct article_list *l = d->f->items;

	d->updated = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].updated_at > d->updated)
			d->updated = l->items[i].updated_at;
	if (l->n > 0)
		return PR_OK;
	return store_lang_changed(d->r->st, d->lang, d->r->now, &d->updated,
	                          &d->r->err);
}

static void doc_init(struct doc *d, struct site_req *r,
                     const struct site_feed *f)
{
	memset(d, 0, sizeof(*d));
	d->r = r;
	d->f = f;
	d->out = &r->res->body;
	d->lang = r->lang;
	d->full = r->cfg->feed_full_content;
	d->title = arena_printf(r->a, "%s: %s",
	                        config_site_name(r->cfg, r->lang), f->title);
	d->home = arena_printf(r->a, "%s%s", r->cfg->base_url, f->html_path);
	archive_links(d);
}

static void feed_response(struct site_req *r, const struct doc *d)
{
	struct http_response *res = r->res;

	res->status = 200;
	res->content_type = content_types[d->f->format];
	res->cacheable = true;
	res->lang = r->lang;
	res->last_modified = d->updated;
	if (d->f->archive > 0)
		res->cache_control = ARCHIVE_CACHE;
}

enum pr_err site__feed(struct site_req *r, const struct site_feed *f)
{
	struct arena *ar = arena_new(ITEM_ARENA_MAX);
	enum pr_err rc = PR_OK;
	struct doc d;

	doc_init(&d, r, f);
	if (ar == NULL || !d.title || !d.home || !d.self) {
		rc = pr_fail(&r->err, PR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = feed_updated(&d)) != PR_OK)
		goto out;
	buf_reset(d.out);
	writers[f->format].head(&d);
	for (size_t i = 0; i < f->items->n && rc == PR_OK; i++)
		rc = write_item(&d, ar, &f->items->items[i]);
	if (rc == PR_OK && (rc = writers[f->format].tail(&d)) != PR_OK)
		rc = pr_fail(&r->err, rc, "feed: %s", pr_strerror(rc));
	if (rc == PR_OK)
		feed_response(r, &d);
out:
	arena_free(ar);
	return rc;
}
