/*
 * media/iptc.c: the few IPTC IIM datasets a press office needs (caption,
 * by-line, credit, copyright, date created), read from the bytes libvips
 * hands over as "iptc-data". No library for IIM is among pressroom's
 * dependencies and libvips only passes the block through, so this is a
 * small reader: every length is checked against what is left, every loop
 * moves forward, and the first malformed byte ends the scan.
 */
#include "media_int.h"

#include <string.h>

#define IIM_MAX_SETS 4096
#define PS_HEADER    "Photoshop 3.0"

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The IIM inside a Photoshop image resource block (resource 0x0404), or
 * the block itself when it is bare IIM. *n 0 when there is none. */
static const unsigned char *find_iim(const unsigned char *p, size_t *n)
{
	size_t at = 0, end = *n, name, size;

	if (end > 0 && p[0] == 0x1c)
		return p;
	if (end >= sizeof(PS_HEADER) &&
	    memcmp(p, PS_HEADER, sizeof(PS_HEADER)) == 0)
		at = sizeof(PS_HEADER);
	while (at + 12 <= end && memcmp(p + at, "8BIM", 4) == 0) {
		name = 1 + (size_t)p[at + 6];
		name += name & 1;
		if (name > end - at - 6 || end - at - 6 - name < 4)
			break;
		size = be32(p + at + 6 + name);
		if (size > end - at - 10 - name)
			break;
		if (be16(p + at + 4) == 0x0404) {
			*n = size;
			return p + at + 10 + name;
		}
		at += 10 + name + size + (size & 1);
	}
	*n = 0;
	return NULL;
}

/* Adds a by-line to the list: several photographers may share one. */
static void add_name(char *out, size_t cap, const unsigned char *p, size_t n)
{
	char one[MEDIA_CREDIT_MAX];

	media__clean((const char *)p, n, one, sizeof(one));
	media__join(out, cap, one);
}

static bool num(const char *p, size_t n, int64_t *v)
{
	return str_to_i64((struct str){p, n}, 0, 9999, v);
}

/* "CCYYMMDD" of 2:55 and "HHMMSS±HHMM" of 2:60. */
static bool iim_date(const char *d, const char *t, int64_t *out)
{
	int64_t y, mo, dd, h = 0, mi = 0, s = 0, oh = 0, om = 0;
	size_t tn = strlen(t);
	bool zone;

	if (strlen(d) != 8 || !num(d, 4, &y) || !num(d + 4, 2, &mo) ||
	    !num(d + 6, 2, &dd))
		return false;
	if (tn >= 6 &&
	    !(num(t, 2, &h) && num(t + 2, 2, &mi) && num(t + 4, 2, &s)))
		h = mi = s = 0;
	zone = tn == 11 && (t[6] == '+' || t[6] == '-') && num(t + 7, 2, &oh) &&
	       num(t + 9, 2, &om);
	if (zone && t[6] == '-') {
		oh = -oh;
		om = -om;
	}
	return media__when((int)y, (int)mo, (int)dd, (int)h, (int)mi, (int)s,
	                   zone, (int)(oh * 60 + om), out);
}

struct iim {
	struct media_meta *m;
	char date[16], time[16];
};

static void dataset(struct iim *st, int rec, int set, const unsigned char *p,
                    size_t n)
{
	struct media_meta *m = st->m;

	if (rec != 2)
		return;
	switch (set) {
	case 120:
		media__clean((const char *)p, n, m->caption,
		             sizeof(m->caption));
		break;
	case 80: add_name(m->creator, sizeof(m->creator), p, n); break;
	case 110:
		media__clean((const char *)p, n, m->credit, sizeof(m->credit));
		break;
	case 116:
		media__clean((const char *)p, n, m->copyright,
		             sizeof(m->copyright));
		break;
	case 55:
		media__clean((const char *)p, n, st->date, sizeof(st->date));
		break;
	case 60:
		media__clean((const char *)p, n, st->time, sizeof(st->time));
		break;
	}
}

/* Length of one dataset at p[at]: standard (15 bits) or extended (up to
 * four bytes of length); false when it runs past end. */
static bool set_length(const unsigned char *p, size_t *at, size_t end,
                       size_t *len)
{
	size_t l = be16(p + *at + 3), i, k;

	*at += 5;
	if (l & 0x8000) {
		k = l & 0x7fff;
		if (k == 0 || k > 4 || k > end - *at)
			return false;
		for (l = 0, i = 0; i < k; i++)
			l = l << 8 | p[*at + i];
		*at += k;
	}
	*len = l;
	return l <= end - *at;
}

void media__iptc(const unsigned char *blob, size_t n, struct media_meta *m)
{
	struct iim st = {m, "", ""};
	const unsigned char *p = find_iim(blob, &n);
	size_t at = 0, len, count = 0;
	int rec, set;

	while (p != NULL && at + 5 <= n && p[at] == 0x1c &&
	       count++ < IIM_MAX_SETS) {
		rec = p[at + 1];
		set = p[at + 2];
		if (!set_length(p, &at, n, &len))
			break;
		dataset(&st, rec, set, p + at, len);
		at += len;
	}
	if (st.date[0] != '\0')
		m->has_date = iim_date(st.date, st.time, &m->date);
}
