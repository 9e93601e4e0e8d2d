/*
 * media/xmp.c: caption, creator, credit, rights and date from an XMP packet,
 * parsed by libxml2. XMP has no use for a DTD, so a packet that carries one
 * is ignored whole: no entity can expand. libxml2 bounds the nesting
 * depth; the walk below bounds the number of nodes.
 */
#include "media_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

#define NS_DC   "http://purl.org/dc/elements/1.1/"
#define NS_PS   "http://ns.adobe.com/photoshop/1.0/"
#define NS_XAP  "http://ns.adobe.com/xap/1.0/"
#define NS_EXIF "http://ns.adobe.com/exif/1.0/"
#define NS_RDF  "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#define MAX_NODES 100000

/* Dates by preference: photoshop:DateCreated, exif:DateTimeOriginal,
 * xmp:CreateDate. */
struct xmp {
	struct media_meta *m;
	char date[3][64];
};

static bool is(const xmlNode *n, const char *ns, const char *name)
{
	return n->ns != NULL && n->ns->href != NULL &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static void text_of(const xmlNode *n, char *out, size_t cap)
{
	xmlChar *t = xmlNodeGetContent(n);

	if (t != NULL)
		media__clean((const char *)t, strlen((const char *)t), out,
		             cap);
	xmlFree(t);
}

/* The rdf:li elements below n (rdf:Alt, rdf:Seq, rdf:Bag), in order. */
static const xmlNode *next_li(const xmlNode *n, const xmlNode *prev)
{
	const xmlNode *c, *li;

	if (prev != NULL) {
		for (li = prev->next; li != NULL; li = li->next)
			if (li->type == XML_ELEMENT_NODE &&
			    is(li, NS_RDF, "li"))
				return li;
		return NULL;
	}
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (li = c->children; li != NULL; li = li->next)
			if (li->type == XML_ELEMENT_NODE &&
			    is(li, NS_RDF, "li"))
				return li;
	}
	return NULL;
}

/* A language alternative: the x-default item, else the first, else the
 * plain text of the property. */
static void lang_alt(const xmlNode *n, char *out, size_t cap)
{
	const xmlNode *li, *first = next_li(n, NULL);
	xmlChar *lang;
	bool dflt;

	for (li = first; li != NULL; li = next_li(n, li)) {
		lang = xmlNodeGetLang(li);
		dflt = lang != NULL &&
		       strcmp((const char *)lang, "x-default") == 0;
		xmlFree(lang);
		if (dflt) {
			text_of(li, out, cap);
			return;
		}
	}
	text_of(first != NULL ? first : n, out, cap);
}

/* An ordered list of names joined by ", ". */
static void seq(const xmlNode *n, char *out, size_t cap)
{
	const xmlNode *li = next_li(n, NULL);
	char one[MEDIA_CREDIT_MAX];

	if (li == NULL) {
		text_of(n, out, cap);
		return;
	}
	for (; li != NULL; li = next_li(n, li)) {
		text_of(li, one, sizeof(one));
		media__join(out, cap, one);
	}
}

/* A property, as an element or as an attribute of rdf:Description. */
static void property(struct xmp *x, const char *ns, const char *name,
                     const xmlNode *n, const char *value)
{
	struct media_meta *m = x->m;
	char *dst = NULL;
	size_t cap = 0;

	if (strcmp(ns, NS_PS) == 0 && strcmp(name, "Credit") == 0)
		dst = m->credit, cap = sizeof(m->credit);
	else if (strcmp(ns, NS_PS) == 0 && strcmp(name, "DateCreated") == 0)
		dst = x->date[0], cap = sizeof(x->date[0]);
	else if (strcmp(ns, NS_EXIF) == 0 &&
	         strcmp(name, "DateTimeOriginal") == 0)
		dst = x->date[1], cap = sizeof(x->date[1]);
	else if (strcmp(ns, NS_XAP) == 0 && strcmp(name, "CreateDate") == 0)
		dst = x->date[2], cap = sizeof(x->date[2]);
	if (dst == NULL || dst[0] != '\0')
		return;
	if (value != NULL)
		media__clean(value, strlen(value), dst, cap);
	else
		text_of(n, dst, cap);
}

static void attributes(struct xmp *x, const xmlNode *n)
{
	const xmlAttr *a;
	xmlChar *v;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns == NULL || a->ns->href == NULL)
			continue;
		v = xmlNodeListGetString(n->doc, a->children, 1);
		if (v != NULL)
			property(x, (const char *)a->ns->href,
			         (const char *)a->name, NULL, (const char *)v);
		xmlFree(v);
	}
}

static void element(struct xmp *x, const xmlNode *n)
{
	struct media_meta *m = x->m;

	if (is(n, NS_RDF, "Description"))
		attributes(x, n);
	else if (is(n, NS_DC, "description") && m->caption[0] == '\0')
		lang_alt(n, m->caption, sizeof(m->caption));
	else if (is(n, NS_DC, "rights") && m->copyright[0] == '\0')
		lang_alt(n, m->copyright, sizeof(m->copyright));
	else if (is(n, NS_DC, "creator") && m->creator[0] == '\0')
		seq(n, m->creator, sizeof(m->creator));
	else if (n->ns != NULL && n->ns->href != NULL)
		property(x, (const char *)n->ns->href, (const char *)n->name, n,
		         NULL);
}

/* Depth first without recursion, at most MAX_NODES elements. */
static void walk(struct xmp *x, const xmlNode *root)
{
	const xmlNode *n = root;
	size_t count = 0;

	while (n != NULL && count++ < MAX_NODES) {
		if (n->type == XML_ELEMENT_NODE)
			element(x, n);
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL)
			n = n->parent;
		n = n == NULL || n == root ? NULL : n->next;
	}
}

static bool digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/* "Thh:mm[:ss[.fff]]" of an ISO 8601 date; s past it. */
static bool iso_time(const char **s, int *h, int *mi, int *sec)
{
	if (**s != 'T')
		return true;
	(*s)++;
	if (!digits(s, 2, h) || *(*s)++ != ':' || !digits(s, 2, mi))
		return false;
	if (**s == ':' && (++*s, !digits(s, 2, sec)))
		return false;
	if (**s == '.')
		for (++*s; **s >= '0' && **s <= '9'; ++*s)
			;
	return true;
}

/* "Z", "+hh:mm", "-hh:mm" or nothing. */
static bool iso_zone(const char *s, bool *has, int *off)
{
	int h, m;

	*has = *s != '\0';
	*off = 0;
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return true;
	if ((s[0] != '+' && s[0] != '-') || (++s, !digits(&s, 2, &h)) ||
	    *s++ != ':' || !digits(&s, 2, &m) || *s != '\0')
		return false;
	*off = (s[-6] == '-' ? -1 : 1) * (h * 60 + m);
	return true;
}

/* XMP dates: "YYYY", "YYYY-MM", "YYYY-MM-DD", then time and zone. */
static bool iso_date(const char *s, int64_t *out)
{
	int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, off;
	bool has;

	if (!digits(&s, 4, &y))
		return false;
	if (*s == '-' && (++s, !digits(&s, 2, &mo)))
		return false;
	if (*s == '-' && (++s, !digits(&s, 2, &d)))
		return false;
	if (!iso_time(&s, &h, &mi, &sec) || !iso_zone(s, &has, &off))
		return false;
	return media__when(y, mo, d, h, mi, sec, has, off, out);
}

static xmlDoc *parse(const char *p, size_t n)
{
	static const char prefix[] = "http://ns.adobe.com/xap/1.0/";

	if (n >= sizeof(prefix) && memcmp(p, prefix, sizeof(prefix)) == 0) {
		p += sizeof(prefix);
		n -= sizeof(prefix);
	}
	while (n > 0 && p[n - 1] == '\0')
		n--;
	if (n == 0 || n > INT_MAX || memmem(p, n, "<!DOCTYPE", 9) != NULL ||
	    memmem(p, n, "<!ENTITY", 8) != NULL)
		return NULL;
	return xmlReadMemory(p, (int)n, "xmp", NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR |
	                         XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
}

void media__xmp(const char *p, size_t n, struct media_meta *m)
{
	struct xmp x = {.m = m};
	xmlDoc *doc = parse(p, n);
	int i;

	if (doc == NULL)
		return;
	walk(&x, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	for (i = 0; i < 3 && !m->has_date; i++)
		m->has_date =
		    x.date[i][0] != '\0' && iso_date(x.date[i], &m->date);
}
