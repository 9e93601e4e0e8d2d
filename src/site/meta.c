/*
 * site/meta.c: what the head of a page says to other software: the
 * addresses of the page in each language (hreflang, with x-default), its
 * feeds for autodiscovery, Open Graph and Twitter card tags, and on
 * articles the schema.org NewsArticle as JSON-LD; and the hook through
 * which the photos of an article reach feeds, sitemaps and these tags.
 */
#include "site.h"

#include <string.h>

#define JSONLD_MAX ((size_t)1 << 20)

static const char *const feed_types[3] = {
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
};
static const char *const feed_labels[3] = {"feed_rss", "feed_atom",
                                           "feed_json"};

static const char *abs_url(struct site_req *r, const char *path)
{
	return arena_printf(r->a, "%s%s", r->cfg->base_url, path);
}

static struct tval *alternate(struct site_req *r, const char *hreflang,
                              const char *url)
{
	struct tval *v = tv_obj(r->a);

	tv_set_cstr(v, "hreflang", hreflang);
	tv_set_cstr(v, "url", url);
	return v;
}

/* The language a path of this site names in its first segment, or NULL
 * when it names none of the configured ones. */
static const char *path_lang(struct site_req *r, const char *path)
{
	const char *l = site_path_lang(r->cfg, str_c(path));

	if (path[0] != '/' || strncmp(path + 1, l, 2) != 0)
		return NULL;
	return l;
}

/*
 * The page in its own language and in the other one (switch_path, when it
 * is this page in that language), and x-default: the version in the
 * site's default language, else this page.
 */
static void alternates_model(struct site_req *r, const char *canonical,
                             const char *switch_path)
{
	const char *self, *other_lang = NULL, *other = NULL, *def;
	struct tval *list = tv_list(r->a);

	if (canonical == NULL)
		return;
	self = abs_url(r, canonical);
	if (switch_path != NULL && (other_lang = path_lang(r, switch_path)) &&
	    strcmp(other_lang, r->lang) != 0)
		other = abs_url(r, switch_path);
	tv_push(list, alternate(r, r->lang, self));
	if (other != NULL)
		tv_push(list, alternate(r, other_lang, other));
	def = other != NULL && strcmp(other_lang, r->cfg->default_language) == 0
	          ? other
	          : self;
	tv_push(list, alternate(r, "x-default", def));
	tv_set(r->model, "alternates", list);
}

static void push_feeds(struct site_req *r, struct tval *list, const char *base,
                       const char *query, const char *title)
{
	const char *site_name = config_site_name(r->cfg, r->lang);

	for (int i = 0; i < 3; i++) {
		struct tval *v = tv_obj(r->a);
		tv_set_cstr(v, "type", feed_types[i]);
		tv_set_cstr(v, "title",
		            arena_printf(r->a, "%s: %s (%s)", site_name, title,
		                         i18n(r->lang, feed_labels[i])));
		tv_set_cstr(v, "url",
		            arena_printf(r->a, "%s/%s%s%s", base,
		                         site_feed_files[i], query ? "?" : "",
		                         query ? query : ""));
		tv_push(list, v);
	}
}

void site__feed_links(struct site_req *r, const char *base, const char *query,
                      const char *title)
{
	struct tval *list = tv_list(r->a);

	if (base != NULL)
		push_feeds(r, list, base, query, title);
	push_feeds(r, list, arena_printf(r->a, "/%s", r->lang), NULL,
	           i18n(r->lang, "news"));
	tv_set(r->model, "feeds", list);
}

/* "en_US", "ru_RU": the language and its main country, as og:locale
 * wants them. */
static const char *og_locale(const char *lang)
{
	return strcmp(lang, "ru") == 0 ? "ru_RU" : "en_US";
}

/* A new "og" of the page: Open Graph type and locale, Twitter card. */
static struct tval *og_model(struct site_req *r, const char *type)
{
	struct tval *og = tv_obj(r->a);

	tv_set_cstr(og, "type", type);
	tv_set_cstr(og, "locale", og_locale(r->lang));
	tv_set_cstr(og, "card", "summary");
	tv_set(r->model, "og", og);
	return og;
}

void site__head_meta(struct site_req *r, const char *canonical,
                     const char *switch_path)
{
	alternates_model(r, canonical, switch_path);
	site__feed_links(r, NULL, NULL, NULL);
	og_model(r, "website");
}

static void jsonld_org(struct jsonw *w, struct site_req *r)
{
	jsonw_obj(w);
	jsonw_kstr(w, "@type", "Organization");
	jsonw_kstr(w, "name", config_site_name(r->cfg, r->lang));
	jsonw_kstr(w, "url", r->cfg->base_url);
	jsonw_end(w);
}

static void jsonld_author(struct jsonw *w, struct site_req *r,
                          const struct article *a)
{
	if (a->author[0] == '\0') {
		jsonld_org(w, r);
		return;
	}
	jsonw_obj(w);
	jsonw_kstr(w, "@type", "Person");
	jsonw_kstr(w, "name", a->author);
	jsonw_end(w);
}

static void jsonld_dates(struct jsonw *w, const struct article *a)
{
	char t[PR_TIME_LEN];

	pr_time_format(a->published_at, t);
	jsonw_kstr(w, "datePublished", t);
	pr_time_format(a->updated_at > a->published_at ? a->updated_at
	                                               : a->published_at,
	               t);
	jsonw_kstr(w, "dateModified", t);
}

static void jsonld_keywords(struct jsonw *w, const struct article *a)
{
	const struct names *tags = &a->entities[ENTITY_TAG];

	if (tags->n == 0)
		return;
	jsonw_key(w, "keywords");
	jsonw_arr(w);
	for (size_t i = 0; i < tags->n; i++)
		jsonw_cstr(w, tags->name[i]);
	jsonw_end(w);
}

/* The schema.org NewsArticle of a, as JSON safe inside <script>. */
static void jsonld(struct site_req *r, const struct article *a, const char *url,
                   const struct site_photo *photo)
{
	struct jsonw w;
	struct buf b;

	buf_init(&b, JSONLD_MAX);
	jsonw_begin(&w, &b, true);
	jsonw_obj(&w);
	jsonw_kstr(&w, "@context", "https://schema.org");
	jsonw_kstr(&w, "@type", "NewsArticle");
	jsonw_kstr(&w, "headline", a->title);
	if (a->lead[0] != '\0')
		jsonw_kstr(&w, "description", a->lead);
	jsonw_kstr(&w, "inLanguage", a->lang);
	jsonw_kstr(&w, "url", url);
	jsonw_kstr(&w, "mainEntityOfPage", url);
	jsonld_dates(&w, a);
	if (photo != NULL)
		jsonw_kstr(&w, "image", photo->url);
	jsonw_key(&w, "author");
	jsonld_author(&w, r, a);
	jsonw_key(&w, "publisher");
	jsonld_org(&w, r);
	jsonld_keywords(&w, a);
	jsonw_end(&w);
	if (jsonw_finish(&w) == PR_OK)
		tv_set(r->model, "jsonld", tv_html(r->a, buf_str(&b)));
	buf_free(&b);
}

static void og_article(struct site_req *r, const struct article *a,
                       const struct site_photo *photo)
{
	const struct names *tags = &a->entities[ENTITY_TAG];
	struct tval *og = og_model(r, "article"), *list = tv_list(r->a);
	char t[PR_TIME_LEN];

	pr_time_format(a->published_at, t);
	tv_set_cstr(og, "published", t);
	pr_time_format(a->updated_at, t);
	tv_set_cstr(og, "modified", t);
	for (size_t i = 0; i < tags->n; i++)
		tv_push(list, tv_cstr(r->a, tags->name[i]));
	tv_set(og, "tags", list);
	if (photo == NULL)
		return;
	tv_set_cstr(og, "image", photo->url);
	tv_set_cstr(og, "image_alt", photo->alt);
	tv_set_cstr(og, "card", "summary_large_image");
}

void site__article_meta(struct site_req *r, const struct article *a,
                        const char *path)
{
	struct site_photo photo;
	bool has_photo = site__photos(r, a->id, &photo, 1) > 0;

	og_article(r, a, has_photo ? &photo : NULL);
	jsonld(r, a, abs_url(r, path), has_photo ? &photo : NULL);
}
