// bench/xapian_bench.cc: Xapian (Debian's libxapian) beside pressroom in
// bench/search.sh, the comparison a user would make; not part of pressroom.
//
//   xapian_bench build JSONL DBDIR
//       indexes title (wdf x10), lead (x4) and body of each record with the
//       English or Russian stemmer by the record's language, keeping title
//       and body as the document's data for snippets; Xapian flushes every
//       10,000 documents (its default) and commits at the end.
//   xapian_bench query DBDIR QUERIES
//       each query (first field of each line of QUERIES) through
//       QueryParser (AND by default, phrases, -words, OR; the stemmer of the
//       query's script), top 10 by BM25, with MSet::snippet of each hit.
//
// Prints the same one-line summary as search_bench (PR_BENCH_ROUNDS rounds,
// each query's best).
#include <xapian.h>

#include <jansson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static double now_ms()
{
	using namespace std::chrono;
	return duration<double, std::milli>(
	           steady_clock::now().time_since_epoch())
	    .count();
}

static std::string field(json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));
	return v ? v : "";
}

static int build(const char *jsonl, const char *dir)
{
	Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
	Xapian::TermGenerator tg;
	Xapian::Stem en("english"), ru("russian");
	std::ifstream in(jsonl);
	std::string line;

	while (std::getline(in, line)) {
		json_t *j = json_loadb(line.data(), line.size(), 0, nullptr);
		if (!j)
			continue;
		Xapian::Document doc;
		std::string lang = field(j, "lang"), title = field(j, "title");
		std::string body = field(j, "body");
		tg.set_stemmer(lang == "ru" ? ru : en);
		tg.set_document(doc);
		tg.index_text(title, 10);
		tg.increase_termpos();
		tg.index_text(field(j, "lead"), 4);
		tg.increase_termpos();
		tg.index_text(body, 1);
		doc.set_data(title + "\n" + body);
		db.add_document(doc);
		json_decref(j);
	}
	db.commit();
	return 0;
}

static bool cyrillic(const std::string &s)
{
	for (size_t i = 0; i + 1 < s.size(); i++)
		if ((unsigned char)s[i] == 0xd0 || (unsigned char)s[i] == 0xd1)
			return true;
	return false;
}

static size_t one(Xapian::Database &db, const std::string &q, bool verbose)
{
	Xapian::Stem stem(cyrillic(q) ? "russian" : "english");
	Xapian::QueryParser qp;
	qp.set_database(db);
	qp.set_stemmer(stem);
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	Xapian::Query query = qp.parse_query(
	    q, Xapian::QueryParser::FLAG_PHRASE |
	           Xapian::QueryParser::FLAG_LOVEHATE |
	           Xapian::QueryParser::FLAG_BOOLEAN);
	Xapian::Enquire enq(db);
	enq.set_query(query);
	Xapian::MSet m = enq.get_mset(0, 10);
	size_t n = 0, bytes = 0;
	if (verbose)
		std::cout << q << "\t" << m.get_matches_estimated() << "\t";
	for (auto it = m.begin(); it != m.end(); ++it, n++) {
		std::string s = m.snippet(it.get_document().get_data(), 240,
		                          stem);
		bytes += s.size();
		if (verbose)
			std::cout << *it << " ";
	}
	if (verbose)
		std::cout << "\n";
	return bytes ? n : n;
}

static int query(const char *dir, const char *file)
{
	Xapian::Database db(dir);
	std::ifstream in(file);
	std::vector<std::string> qs;
	std::string line;
	bool verbose = std::getenv("PR_BENCH_VERBOSE") != nullptr;

	while (std::getline(in, line))
		qs.push_back(line.substr(0, line.find('\t')));
	if (qs.empty())
		return 1;
	for (auto &q : qs)
		one(db, q, false);
	const char *r = std::getenv("PR_BENCH_ROUNDS");
	int rounds = r ? std::max(1, std::min(100, std::atoi(r))) : 1;
	std::vector<double> t(qs.size(), 0.0);
	double hits = 0, sum = 0;
	for (int k = 0; k < rounds; k++)
		for (size_t i = 0; i < qs.size(); i++) {
			double a = now_ms();
			size_t got = one(db, qs[i], verbose && k == 0);
			double ms = now_ms() - a;
			t[i] = k == 0 || ms < t[i] ? ms : t[i];
			hits += k == 0 ? (double)got : 0;
		}
	for (double x : t)
		sum += x;
	std::sort(t.begin(), t.end());
	size_t n = t.size();
	std::printf("xapian queries=%zu p50=%.3f p90=%.3f p99=%.3f max=%.3f "
	            "mean=%.3f qps=%.0f hits=%.2f\n",
	            n, t[n / 2], t[n * 90 / 100], t[n * 99 / 100], t[n - 1],
	            sum / (double)n, sum > 0 ? 1000.0 * (double)n / sum : 0,
	            hits / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	try {
		if (argc == 4 && std::strcmp(argv[1], "build") == 0)
			return build(argv[2], argv[3]);
		if (argc == 4 && std::strcmp(argv[1], "query") == 0)
			return query(argv[2], argv[3]);
	} catch (const Xapian::Error &e) {
		std::cerr << "xapian_bench: " << e.get_description() << "\n";
		return 1;
	}
	std::cerr << "usage: xapian_bench build JSONL DBDIR | query DBDIR "
	             "QUERIES\n";
	return 2;
}
