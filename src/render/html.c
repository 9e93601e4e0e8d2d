/*
 * render/html.c: escaping at the sink. Text and attribute values for HTML,
 * percent-encoding for URL parts, and the check that decides which URLs
 * from untrusted text may become a link.
 */
#include "render.h"

#include <string.h>

/* Bytes html_escape must look at: 1 escapes, 2 is a C0 control or DEL
 * (forbidden in HTML), 3 may start a C1 control (U+0080..U+009F). */
static const unsigned char esc_class[256] = {
    [0x00] = 2, [0x01] = 2, [0x02] = 2, [0x03] = 2, [0x04] = 2, [0x05] = 2,
    [0x06] = 2, [0x07] = 2, [0x08] = 2, [0x0b] = 2, [0x0e] = 2, [0x0f] = 2,
    [0x10] = 2, [0x11] = 2, [0x12] = 2, [0x13] = 2, [0x14] = 2, [0x15] = 2,
    [0x16] = 2, [0x17] = 2, [0x18] = 2, [0x19] = 2, [0x1a] = 2, [0x1b] = 2,
    [0x1c] = 2, [0x1d] = 2, [0x1e] = 2, [0x1f] = 2, [0x7f] = 2, ['&'] = 1,
    ['<'] = 1,  ['>'] = 1,  ['"'] = 1,  ['\''] = 1, [0xc2] = 3,
};

#define REPLACEMENT_CHAR "\xef\xbf\xbd"

static const char *esc_entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	default: return "&#39;";
	}
}

/*
 * Control characters other than white space are parse errors in HTML, so
 * they become U+FFFD; the rest of s goes out in runs as it is.
 */
void html_escape(struct buf *out, struct str s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, run = 0;
	unsigned char c;

	while (i < s.n) {
		c = esc_class[p[i]];
		if (c == 0 || (c == 3 && (i + 1 >= s.n || p[i + 1] > 0x9f))) {
			i++;
			continue;
		}
		buf_add(out, p + run, i - run);
		if (c == 1)
			buf_adds(out, esc_entity((char)p[i]));
		else
			buf_add(out, REPLACEMENT_CHAR, 3);
		i += c == 3 ? 2 : 1;
		run = i;
	}
	buf_add(out, p + run, i - run);
}

static const char hex_digits[] = "0123456789ABCDEF";

static void pct_byte(struct buf *out, unsigned char c)
{
	char s[3] = {'%', hex_digits[c >> 4], hex_digits[c & 15]};

	buf_add(out, s, 3);
}

static bool url_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void url_escape(struct buf *out, struct str s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i, run = 0;

	for (i = 0; i < s.n; i++) {
		if (url_unreserved(p[i]))
			continue;
		buf_add(out, p + run, i - run);
		pct_byte(out, p[i]);
		run = i + 1;
	}
	buf_add(out, p + run, i - run);
}

/* What browsers drop before a URL: C0 controls and space. */
static struct str url_skip_lead(struct str url)
{
	while (url.n > 0 && (unsigned char)url.p[0] <= 0x20) {
		url.p++;
		url.n--;
	}
	return url;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Reads the would-be scheme of url (everything before a ':' that comes
 * before any '/', '?' or '#'), without tabs and newlines and lower-cased,
 * into s; false when there is no ':' there. Longer schemes than s holds
 * keep only their start, which matches none of the allowed ones.
 */
static bool url_scheme(struct str url, char *s, size_t max)
{
	size_t i, k = 0;
	char c;

	for (i = 0; i < url.n; i++) {
		c = url.p[i];
		if (c == ':') {
			s[k] = '\0';
			return true;
		}
		if (c == '/' || c == '?' || c == '#')
			return false;
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (k + 1 < max)
			s[k++] = ascii_lower(c);
	}
	return false;
}

enum html_url_kind html_url_kind(struct str url)
{
	char scheme[16];

	url = url_skip_lead(url);
	if (!url_scheme(url, scheme, sizeof(scheme))) {
		if (url.n >= 2 && (url.p[0] == '/' || url.p[0] == '\\') &&
		    (url.p[1] == '/' || url.p[1] == '\\'))
			return HTML_URL_ABSOLUTE;
		return HTML_URL_RELATIVE;
	}
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0)
		return HTML_URL_ABSOLUTE;
	if (strcmp(scheme, "mailto") == 0)
		return HTML_URL_MAILTO;
	return HTML_URL_UNSAFE;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Characters kept as they are in a URL (as CommonMark renderers do). */
static bool url_keep(struct str u, size_t i)
{
	unsigned char c = (unsigned char)u.p[i];

	if (url_unreserved(c))
		return true;
	if (c == '%')
		return i + 2 < u.n && is_hex(u.p[i + 1]) && is_hex(u.p[i + 2]);
	return c != 0 && strchr(";/?:@=+$,!*()#", c) != NULL;
}

void html_url(struct buf *out, struct str url)
{
	size_t i;
	char c;

	if (html_url_kind(url) == HTML_URL_UNSAFE) {
		buf_addc(out, '#');
		return;
	}
	url = url_skip_lead(url);
	for (i = 0; i < url.n; i++) {
		c = url.p[i];
		if (c == '&')
			buf_adds(out, "&amp;");
		else if (c == '\'')
			buf_adds(out, "&#39;");
		else if (url_keep(url, i))
			buf_addc(out, c);
		else
			pct_byte(out, (unsigned char)c);
	}
}
