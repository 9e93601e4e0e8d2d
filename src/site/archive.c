/*
 * site/archive.c: the archive by year, month and day with counts of
 * visible items, and the items of one day, in the site's time zone.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

/* More items than any one day of a press office has; more are cut. */
#define DAY_LIMIT 500

/* The archive path of the route's date, down to depth parts (0..3). */
static const char *archive_path(struct site_req *r, const char *lang, int depth)
{
	const struct site_route *rt = r->route;

	switch (depth) {
	case 0: return arena_printf(r->a, "/%s/archive", lang);
	case 1: return arena_printf(r->a, "/%s/archive/%04d", lang, rt->year);
	case 2:
		return arena_printf(r->a, "/%s/archive/%04d/%02d", lang,
		                    rt->year, rt->month);
	default:
		return arena_printf(r->a, "/%s/archive/%04d/%02d/%02d", lang,
		                    rt->year, rt->month, rt->day);
	}
}

static int depth_of(enum site_page page)
{
	switch (page) {
	case SITE_ARCHIVE_YEAR: return 1;
	case SITE_ARCHIVE_MONTH: return 2;
	case SITE_ARCHIVE_DAY: return 3;
	default: return 0;
	}
}

/* "18 November 2021" */
static const char *day_text(struct site_req *r, int y, int m, int day)
{
	struct pr_date d = {.year = y, .month = m, .day = day};
	const char *out;
	struct buf b;

	buf_init(&b, 256);
	i18n_date(&b, r->lang, &d);
	out = arena_strndup(r->a, buf_cstr(&b), b.err ? 0 : b.n);
	buf_free(&b);
	return out;
}

/* "November 2021" */
static const char *month_text(struct site_req *r, int y, int m)
{
	const char *out;
	struct buf b;

	buf_init(&b, 256);
	i18n_month_year(&b, r->lang, y, m);
	out = arena_strndup(r->a, buf_cstr(&b), b.err ? 0 : b.n);
	buf_free(&b);
	return out;
}

/* "Archive", "2021", "November 2021" or "18 November 2021". */
static const char *date_title(struct site_req *r, int depth)
{
	const struct site_route *rt = r->route;

	if (depth == 0)
		return i18n(r->lang, "archive");
	if (depth == 1)
		return arena_printf(r->a, "%04d", rt->year);
	if (depth == 2)
		return month_text(r, rt->year, rt->month);
	return day_text(r, rt->year, rt->month, rt->day);
}

/* Links to the levels above this one: Archive > 2021 > November 2021. */
static void crumbs_model(struct site_req *r, int depth)
{
	struct tval *list = tv_list(r->a);

	for (int i = 0; i < depth; i++) {
		struct tval *v = tv_obj(r->a);
		tv_set(v, "url", tv_cstr(r->a, archive_path(r, r->lang, i)));
		tv_set(v, "label", tv_cstr(r->a, date_title(r, i)));
		tv_push(list, v);
	}
	tv_set(r->model, "crumbs", list);
	tv_set(r->model, "has_crumbs", tv_bool(r->a, depth > 0));
}

static const char *switch_path(struct site_req *r, int depth)
{
	for (int i = 0; i < r->cfg->n_languages; i++)
		if (strcmp(r->cfg->languages[i], r->lang) != 0)
			return archive_path(r, r->cfg->languages[i], depth);
	return NULL;
}

/* What one count links to and says, at the level below depth. */
static struct tval *count_value(struct site_req *r, int depth,
                                const struct archive_count *c)
{
	struct tval *v = tv_obj(r->a);
	const char *base = archive_path(r, r->lang, depth);
	const char *label;

	if (depth == 0)
		label = arena_printf(r->a, "%04d", c->key);
	else if (depth == 1)
		label = i18n_month(r->lang, c->key);
	else
		label = day_text(r, r->route->year, r->route->month, c->key);
	tv_set(v, "label", tv_cstr(r->a, label));
	tv_set(
	    v, "url",
	    tv_cstr(r->a, arena_printf(r->a, depth == 0 ? "%s/%04d" : "%s/%02d",
	                               base, c->key)));
	tv_set(v, "count", tv_int(r->a, c->count));
	tv_set(v, "count_text", tv_cstr(r->a, site__count_text(r, c->count)));
	return v;
}

static enum pr_err counts(struct site_req *r, int depth)
{
	const struct site_route *rt = r->route;
	struct tval *list = tv_list(r->a);
	struct archive ar = {0};
	enum pr_err rc;
	int64_t total = 0;

	if (depth == 0)
		rc = store_archive_years(r->st, r->a, r->lang, r->now, &ar,
		                         &r->err);
	else if (depth == 1)
		rc = store_archive_months(r->st, r->a, r->lang, r->now,
		                          rt->year, &ar, &r->err);
	else
		rc = store_archive_days(r->st, r->a, r->lang, r->now, rt->year,
		                        rt->month, &ar, &r->err);
	for (size_t i = 0; rc == PR_OK && i < ar.n; i++) {
		tv_push(list, count_value(r, depth, &ar.v[i]));
		total += ar.v[i].count;
	}
	tv_set(r->model, "counts", list);
	tv_set(r->model, "has_counts", tv_bool(r->a, ar.n > 0));
	tv_set(r->model, "total", tv_int(r->a, total));
	tv_set(r->model, "total_text",
	       tv_cstr(r->a, site__count_text(r, total)));
	return rc;
}

static enum pr_err day_items(struct site_req *r)
{
	const struct site_route *rt = r->route;
	int64_t from = pr_time_local_midnight(rt->year, rt->month, rt->day);
	int64_t to = pr_time_local_midnight(rt->year, rt->month, rt->day + 1);
	struct article_list l;
	enum pr_err rc;

	rc = store_items_between(r->st, r->a, r->lang, r->now, from, to,
	                         DAY_LIMIT, &l, &r->err);
	if (rc == PR_OK) {
		site__items(r, &l);
		tv_set(r->model, "cut", tv_bool(r->a, l.has_more));
	}
	return rc;
}

static const char *const templates[] = {"archive", "archive_year",
                                        "archive_month", "archive_day"};

enum pr_err site__archive(struct site_req *r)
{
	int depth = depth_of(r->route->page);
	const char *path = archive_path(r, r->lang, depth);
	enum pr_err rc;

	site__model(r, date_title(r, depth), "archive", path,
	            switch_path(r, depth));
	crumbs_model(r, depth);
	if (depth < 3)
		rc = counts(r, depth);
	else
		rc = day_items(r);
	/* Counts change with any item of the language: its last change is
	 * when the page last did. */
	if (rc == PR_OK && depth < 3)
		rc = store_lang_changed(r->st, r->lang, r->now,
		                        &r->res->last_modified, &r->err);
	if (rc == PR_OK)
		rc = site__render(r, templates[depth]);
	return rc;
}
