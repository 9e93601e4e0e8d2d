#!/usr/bin/python3
"""bench/search.sh BINARY: pressroom's search beside stock FTS5 and Xapian.

The archive of bench/gen.py (PR_BENCH_N articles, default 100,000, 15%
Russian) plus the demo's real items (scripts/demo-gen.py: 233 State of the
Union addresses, about 400 Russian items) is indexed three ways:

  pressroom   `pressroom import` of the JSON Lines (articles, revisions,
              entities, rendered HTML, plain text and the search index, one
              transaction a file), then `pressroom reindex` (the index alone,
              from scratch);
  fts5        SQLite FTS5 with its stock `porter unicode61` tokenizer over a
              plain table of title, lead and body (bench/search_bench.c);
  xapian      Xapian (Debian's libxapian) with its English and Russian
              stemmers, title and lead weighted (bench/xapian_bench.cc, built
              here with g++).

Then the same fixed query set (bench/search_queries.py: at least 500 queries
of one to three words with Zipf frequencies, plus phrases) runs against each,
one query at a time in one process, each query timed from parsing to the
last snippet of its top 10. Build times and sizes, p50/p90/p99/max latency
and queries per second are printed side by side. Everything runs locally;
the indexes are made in PR_BENCH_DIR/search-N (kept for the next run while
the binary, the corpus and the bench programs are unchanged).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (corpus(), say(), die())

ROOT = bench.ROOT
N = bench.N
QUERIES = int(os.environ.get("PR_BENCH_QUERIES", "600"))
ROUNDS = os.environ.get("PR_BENCH_ROUNDS", "3")


def run(cmd, **kw):
    bench.say("bench: " + " ".join(str(c) for c in cmd)[:160])
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def timed(cmd, **kw):
    t0 = time.monotonic()
    run(cmd, **kw)
    return time.monotonic() - t0


def size_of(path):
    if os.path.isfile(path):
        return sum(os.path.getsize(p) for p in (path, path + "-wal")
                   if os.path.exists(p))
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, fs in os.walk(path) for f in fs)


def digest(*paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(open(p, "rb").read())
    return h.hexdigest()[:16]


def tools(binary):
    """search_bench (from the binary's build folder) and xapian_bench."""
    build = os.path.dirname(binary)
    run(["cmake", "--build", build, "--target", "search_bench"],
        stdout=subprocess.DEVNULL)
    sb = os.path.join(build, "search_bench")
    if not os.path.exists("/usr/include/xapian.h"):
        bench.die("Xapian is missing: run scripts/deps.sh bench "
                  "(libxapian-dev)")
    xb = os.path.join(build, "xapian_bench")
    src = os.path.join(ROOT, "bench", "xapian_bench.cc")
    if not os.path.exists(xb) or os.path.getmtime(xb) < os.path.getmtime(src):
        run(["g++", "-O2", "-std=c++17", "-o", xb, src, "-lxapian",
             "-ljansson"])
    return sb, xb


def demo_items(work):
    d = os.path.join(work, "demo")
    if not os.path.exists(os.path.join(d, "fortunes-ru.jsonl")):
        run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "demo-gen.py"),
             d], cwd=ROOT)
    return [os.path.join(d, "sotu.jsonl"), os.path.join(d, "fortunes-ru.jsonl")]


def everything(work, files):
    path = os.path.join(work, "all.jsonl")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as out:
            for f in files:
                with open(f, "rb") as src:
                    shutil.copyfileobj(src, out)
        os.replace(path + ".tmp", path)
    return path


def build_pressroom(binary, work, files):
    data = os.path.join(work, "pressroom")
    shutil.rmtree(data, ignore_errors=True)
    run([binary, "--data", data, "init"], stdout=subprocess.DEVNULL)
    t_import = timed([binary, "--data", data, "import"] + files,
                     stdout=subprocess.DEVNULL)
    t_reindex = timed([binary, "--data", data, "reindex"])
    db = os.path.join(data, "pressroom.db")
    return db, t_import, t_reindex, size_of(db), index_bytes(db)


def index_bytes(db):
    """Bytes of the search index: the FTS5 tables' pages and the plain
    texts kept for it (from SQLite's dbstat, when the sqlite3 tool has
    it)."""
    if not shutil.which("sqlite3"):
        return None
    p = subprocess.run(
        ["sqlite3", "-readonly", db,
         "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_fts%' "
         "OR name LIKE 'article_head%';"
         "SELECT sum(length(CAST(text AS BLOB))) FROM revision;"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        return sum(int(x or 0) for x in p.stdout.split())
    except ValueError:
        return None


def kept_build(path, source, build):
    """Builds the index at path (file or folder) unless the one there was
    built from the same source by the same tools; returns the seconds its
    build took (measured then)."""
    stamp = path + ".stamp"
    key = "%d %d %s" % (os.path.getsize(source), os.path.getmtime(source),
                        digest(*[os.path.join(ROOT, "bench", f) for f in
                                 ("search_bench.c", "xapian_bench.cc")]))
    if os.path.exists(path) and os.path.exists(stamp):
        have = open(stamp).read().split("\n")
        if have[0] == key:
            bench.say("bench: %s kept from the last run" % path)
            return float(have[1])
    for p in (path, path + "-wal", path + "-shm"):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    t = build()
    with open(stamp, "w") as f:
        f.write("%s\n%f\n" % (key, t))
    return t


def query(cmd):
    env = dict(os.environ, PR_BENCH_ROUNDS=ROUNDS)
    p = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE,
                       check=True, text=True, env=env)
    line = p.stdout.strip().splitlines()[-1]
    name, rest = line.split(" ", 1)
    return name, dict(kv.split("=") for kv in rest.split())


def main():
    if len(sys.argv) != 2:
        bench.say("usage: bench/search.sh BINARY   (e.g. build/pressroom)")
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    if not os.access(binary, os.X_OK):
        bench.die("%s is not an executable (build it first: make)" % binary)
    corpus_dir, stamp = bench.corpus()
    work = os.path.join(bench.DIR, "search-%d" % N)
    os.makedirs(work, exist_ok=True)
    sb, xb = tools(binary)
    files = [os.path.join(corpus_dir, "items.jsonl")] + demo_items(work)
    allj = everything(work, files)
    n_items = sum(1 for _ in open(allj, encoding="utf-8"))
    qfile = os.path.join(work, "queries.tsv")
    with open(qfile, "w") as out:
        run(["/usr/bin/python3", os.path.join(ROOT, "bench",
                                              "search_queries.py"),
             "-n", QUERIES] + files, stdout=out)

    db, t_imp, t_re, size, isize = build_pressroom(binary, work, files)
    fts = os.path.join(work, "fts5.db")
    t_fts = kept_build(fts, allj, lambda: timed([sb, "fts5-build", allj,
                                                 fts]))
    xap = os.path.join(work, "xapian")
    t_xap = kept_build(xap, allj, lambda: timed([xb, "build", allj, xap]))

    results = [query([sb, "pressroom", db, qfile]),
               query([sb, "pressroom", db, qfile, "--facets"]),
               query([sb, "pressroom", db, qfile, "--exhaustive"]),
               query([sb, "fts5", fts, qfile]),
               query([xb, "query", xap, qfile])]
    _, same = query([sb, "compare", db, qfile])

    print()
    print("search over %d items (%d generated, 15%% Russian, + the demo's "
          "real ones), %d queries, %d cores" %
          (n_items, N, QUERIES, os.cpu_count()))
    print()
    print("%-34s %9s %9s %9s" % ("index build", "seconds", "items/s", "MB"))
    rows = [("pressroom import (all of it)", t_imp, size),
            ("pressroom reindex (index alone)", t_re, isize),
            ("FTS5 porter unicode61 (table+index)", t_fts, size_of(fts)),
            ("Xapian", t_xap, size_of(xap))]
    for name, t, sz in rows:
        print("%-34s %9.1f %9.0f %9s" % (name, t, n_items / t,
                                         "%.0f" % (sz / 1e6) if sz else "?"))
    print()
    print("%-22s %8s %8s %8s %8s %8s %7s %6s" %
          ("top 10 with snippets", "p50 ms", "p90 ms", "p99 ms", "max ms",
           "mean ms", "q/s", "hits"))
    labels = {"pressroom": "pressroom",
              "pressroom+facets": "pressroom + facets",
              "pressroom-exhaustive": "pressroom, every match",
              "fts5": "FTS5 porter unicode61", "xapian": "Xapian"}
    for name, r in results:
        print("%-22s %8s %8s %8s %8s %8s %7s %6s" %
              (labels.get(name, name), r["p50"], r["p90"], r["p99"],
               r["max"], r["mean"], r["qps"], r["hits"]))
    print()
    print("pressroom's top 10 beside its exhaustive top 10 (every match "
          "walked): %.1f%% of the hits found, the same ten for %.1f%% of "
          "the queries" % (100 * float(same["top10_share"]),
                           100 * float(same["same_top10"])))
    print("latency: each query's best of %s rounds" % ROUNDS)
    print("load average during the run: %s" %
          open("/proc/loadavg").read().split()[0])


if __name__ == "__main__":
    main()
