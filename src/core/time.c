/* core/time.c: RFC 3339 and HTTP dates, civil time in the site's zone. */
#include "core.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int pr_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly n digits at s->p[*i]. */
static bool digits(struct str s, size_t *i, size_t n, int *out)
{
	int v = 0;
	size_t k;

	if (*i + n > s.n)
		return false;
	for (k = 0; k < n; k++) {
		unsigned c = (unsigned char)s.p[*i + k] - '0';
		if (c > 9)
			return false;
		v = v * 10 + (int)c;
	}
	*i += n;
	*out = v;
	return true;
}

static bool expect(struct str s, size_t *i, const char *set)
{
	if (*i >= s.n || s.p[*i] == '\0' || strchr(set, s.p[*i]) == NULL)
		return false;
	(*i)++;
	return true;
}

static bool parse_offset(struct str s, size_t *i, int *off)
{
	int sign, hh, mm;

	if (expect(s, i, "Zz")) {
		*off = 0;
		return true;
	}
	if (*i >= s.n || (s.p[*i] != '+' && s.p[*i] != '-'))
		return false;
	sign = s.p[(*i)++] == '-' ? -1 : 1;
	if (!digits(s, i, 2, &hh) || !expect(s, i, ":") ||
	    !digits(s, i, 2, &mm) || hh > 23 || mm > 59)
		return false;
	*off = sign * (hh * 3600 + mm * 60);
	return true;
}

bool pr_time_parse(struct str s, int64_t *out)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, off = 0;
	size_t i = 0;

	if (!digits(s, &i, 4, &y) || !expect(s, &i, "-") ||
	    !digits(s, &i, 2, &mo) || !expect(s, &i, "-") ||
	    !digits(s, &i, 2, &d) || !expect(s, &i, "Tt ") ||
	    !digits(s, &i, 2, &h) || !expect(s, &i, ":") ||
	    !digits(s, &i, 2, &mi) || !expect(s, &i, ":") ||
	    !digits(s, &i, 2, &se))
		return false;
	if (i < s.n && s.p[i] == '.') {
		size_t start = ++i;
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (!parse_offset(s, &i, &off) || i != s.n)
		return false;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 ||
	    d > pr_days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
		return false;
	if (se == 60)
		se = 59;
	*out =
	    days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return true;
}

static void split_utc(int64_t t, struct pr_date *d)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;

	civil_from_days(days, &d->year, &d->month, &d->day);
	d->hour = (int)(rem / 3600);
	d->min = (int)(rem % 3600 / 60);
	d->sec = (int)(rem % 60);
	d->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	d->utcoff = 0;
}

void pr_time_format(int64_t t, char out[PR_TIME_LEN])
{
	struct pr_date d;

	split_utc(t, &d);
	snprintf(out, PR_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	         d.year % 10000, d.month, d.day, d.hour, d.min, d.sec);
}

static const char wdays[][4] = {"Sun", "Mon", "Tue", "Wed",
                                "Thu", "Fri", "Sat"};
static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void pr_time_http(int64_t t, char out[PR_TIME_LEN])
{
	struct pr_date d;

	split_utc(t, &d);
	snprintf(out, PR_TIME_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	         wdays[d.wday], d.day, months[d.month - 1], d.year % 10000,
	         d.hour, d.min, d.sec);
}

bool pr_time_parse_http(struct str s, int64_t *out)
{
	int d = 0, y = 0, h = 0, mi = 0, se = 0, mo = 0;
	size_t i = 5, k;

	if (s.n != 29 || s.p[3] != ',' || s.p[4] != ' ')
		return false;
	if (!digits(s, &i, 2, &d) || !expect(s, &i, " "))
		return false;
	for (k = 0; k < 12; k++)
		if (memcmp(s.p + i, months[k], 3) == 0)
			mo = (int)k + 1;
	i += 3;
	if (mo == 0 || !expect(s, &i, " ") || !digits(s, &i, 4, &y) ||
	    !expect(s, &i, " ") || !digits(s, &i, 2, &h) ||
	    !expect(s, &i, ":") || !digits(s, &i, 2, &mi) ||
	    !expect(s, &i, ":") || !digits(s, &i, 2, &se) ||
	    memcmp(s.p + i, " GMT", 4) != 0)
		return false;
	if (d < 1 || d > pr_days_in_month(y, mo) || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return true;
}

int64_t pr_now(void)
{
	const char *fixed = getenv("PRESSROOM_NOW");
	int64_t t;

	if (fixed != NULL && pr_time_parse(str_c(fixed), &t))
		return t;
	return (int64_t)time(NULL);
}

bool pr_time_set_zone(const char *name)
{
	char path[600];

	if (name == NULL || name[0] == '\0' || strstr(name, "..") != NULL ||
	    name[0] == '/')
		return false;
	if (strcmp(name, "UTC") != 0) {
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
		if (access(path, R_OK) != 0)
			return false;
	}
	if (setenv("TZ", name, 1) != 0)
		return false;
	tzset();
	return true;
}

void pr_time_local(int64_t t, struct pr_date *d)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL) {
		split_utc(t, d);
		return;
	}
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
	d->hour = tm.tm_hour;
	d->min = tm.tm_min;
	d->sec = tm.tm_sec;
	d->wday = tm.tm_wday;
	d->utcoff = tm.tm_gmtoff;
}

int64_t pr_time_local_midnight(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}
