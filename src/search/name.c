/*
 * search/name.c: name keys, the tokens that let a name written in one
 * alphabet find the same name in the other. A key is built from a word's
 * folded form in three steps, the same for both alphabets:
 *
 * 1. Latin letters: Cyrillic is transliterated letter by letter (the
 *    common English-language spelling: ж zh, х kh, ц ts, ч ch, ш sh, щ shch,
 *    й y, ы y, ю yu, я ya, ь and ъ nothing); a Latin word loses its
 *    apostrophes and a possessive 's.
 * 2. A skeleton that forgets the usual differences between spellings of the
 *    same name: kh -> h, ts/tz -> c, ck/c/q -> k, x -> ks, ph -> f, w -> v,
 *    ye/yo -> e (Yeltsin, Gorbachyov, Fyodor), y/j -> i, shch -> sch, and
 *    a doubled letter counts once (Dmitriy, Dmitrii, Dmitry -> dmitri).
 * 3. The Russian case ending is cut (-a, -u, -e, -i, -o, -om, -im, -ih,
 *    -oi, -ami, -imi, -ogo, -omu, -aia, ... as they look after step 2),
 *    keeping at least three letters, so that Краснов, Краснова, Красновым
 *    and Krasnov meet in "krasnov", and Нур-Султане in "sultan".
 *
 * Keys start with '~' so that they never meet an ordinary stem. Since both
 * sides of a comparison go through the same steps, a rule only has to map
 * the variants of one name together; it never has to be "right".
 */
#include "search_int.h"

#include <string.h>

/* Latin spelling of the Cyrillic letters U+0430..U+044F. */
static const char *const cyr_lat[32] = {
    "a",  "b",  "v",  "g",    "d", "e", "zh", "z", "i",  "y",  "k",
    "l",  "m",  "n",  "o",    "p", "r", "s",  "t", "u",  "f",  "kh",
    "ts", "ch", "sh", "shch", "",  "y", "",   "e", "yu", "ya",
};

/* Letters of other Cyrillic alphabets and Latin letters that NFKD leaves
 * alone. */
static const struct {
	uint32_t cp;
	const char *lat;
} extra[] = {
    {0x456, "i"},  {0x457, "i"},  {0x454, "ye"}, {0x491, "g"},  {0x45e, "u"},
    {0x493, "g"},  {0x49b, "k"},  {0x4a3, "n"},  {0x4af, "u"},  {0x4b1, "u"},
    {0x4bb, "h"},  {0x4d9, "a"},  {0x4e9, "o"},  {0x452, "dj"}, {0x458, "j"},
    {0x459, "lj"}, {0x45a, "nj"}, {0x45b, "c"},  {0x45f, "dz"}, {0x455, "dz"},
    {0xf8, "o"},   {0xe6, "ae"},  {0x153, "oe"}, {0x142, "l"},  {0x111, "d"},
    {0xfe, "th"},  {0x131, "i"},  {0xf0, "d"},
};

static const char *lat_of(uint32_t cp)
{
	size_t i;

	if (cp >= 'a' && cp <= 'z')
		return NULL; /* handled by the caller */
	if (cp >= 0x430 && cp <= 0x44f)
		return cyr_lat[cp - 0x430];
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i].cp == cp)
			return extra[i].lat;
	return NULL;
}

/* Step 1: the Latin letters of the word into out; 0 when some letter has
 * none. */
static size_t to_latin(const struct search__part *p, char *out, size_t max)
{
	size_t i = 0, k = 0, len, n = p->n, m;
	const char *lat;
	uint32_t cp;

	if (n >= 2 && p->fold[n - 2] == '\'' && p->fold[n - 1] == 's')
		n -= 2;
	while (i < n) {
		len = utf8_decode(p->fold + i, n - i, &cp);
		if (len == 0)
			return 0;
		i += len;
		if (cp == '\'')
			continue;
		if (cp >= 'a' && cp <= 'z') {
			if (k + 1 >= max)
				break;
			out[k++] = (char)cp;
			continue;
		}
		if ((lat = lat_of(cp)) == NULL)
			return 0;
		m = strlen(lat);
		if (k + m >= max)
			break;
		memcpy(out + k, lat, m);
		k += m;
	}
	return k;
}

/* Appends c unless it repeats the last letter. */
static void put(char *out, size_t *k, size_t max, char c)
{
	if (*k > 1 && out[*k - 1] == c)
		return;
	if (*k + 1 < max)
		out[(*k)++] = c;
}

static void puts2(char *out, size_t *k, size_t max, const char *s)
{
	while (*s)
		put(out, k, max, *s++);
}

/* Step 2 for the letters at s[i]; returns how many it read. */
static size_t skeleton_step(const char *s, size_t n, size_t i, char *out,
                            size_t *k, size_t max)
{
	char c = s[i], d = i + 1 < n ? s[i + 1] : 0;

	if (n - i >= 4 && memcmp(s + i, "shch", 4) == 0) {
		puts2(out, k, max, "sch");
		return 4;
	}
	if ((c == 'k' && d == 'h') || (c == 'p' && d == 'h')) {
		put(out, k, max, c == 'k' ? 'h' : 'f');
		return 2;
	}
	if ((c == 'c' || c == 's' || c == 'z') && d == 'h') {
		put(out, k, max, c);
		put(out, k, max, 'h');
		return 2;
	}
	if ((c == 't' && (d == 's' || d == 'z')) || (c == 'c' && d == 'k')) {
		put(out, k, max, c == 't' ? 'c' : 'k');
		return 2;
	}
	if (c == 'y' && (d == 'e' || d == 'o')) {
		put(out, k, max, 'e');
		return 2;
	}
	switch (c) {
	case 'x': puts2(out, k, max, "ks"); break;
	case 'q':
	case 'c': put(out, k, max, 'k'); break;
	case 'w': put(out, k, max, 'v'); break;
	case 'y':
	case 'j': put(out, k, max, 'i'); break;
	default: put(out, k, max, c); break;
	}
	return 1;
}

/* Case endings as they look after step 2, longest first. */
#define E(s)                                                                   \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}
static const struct {
	const char *s;
	size_t n;
} endings[] = {
    E("iami"), E("ami"), E("imi"), E("ogo"), E("ego"), E("omu"), E("emu"),
    E("aia"),  E("uiu"), E("oiu"), E("eiu"), E("iah"), E("iam"), E("ah"),
    E("am"),   E("ih"),  E("om"),  E("em"),  E("oi"),  E("im"),  E("ia"),
    E("iu"),   E("ie"),  E("a"),   E("e"),   E("i"),   E("o"),   E("u"),
};
#undef E

/* Step 3: the length of s without its case ending. */
static size_t cut_ending(const char *s, size_t n)
{
	size_t i, m;

	for (i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		m = endings[i].n;
		if (n >= m + 3 && memcmp(s + n - m, endings[i].s, m) == 0)
			return n - m;
	}
	return n;
}

size_t search__name_key(const struct search__part *p, bool prefix, char *out)
{
	char lat[SEARCH__TOKEN_MAX];
	size_t n, i = 0, k = 1;
	enum search__script sc = search__script(p);

	if ((sc != SEARCH__LATIN && sc != SEARCH__CYRILLIC) || p->digit)
		return 0;
	n = to_latin(p, lat, sizeof(lat));
	out[0] = '~';
	while (i < n)
		i += skeleton_step(lat, n, i, out, &k, SEARCH__TOKEN_MAX);
	if (!prefix)
		k = 1 + cut_ending(out + 1, k - 1);
	return k >= 3 ? k : 0;
}
