#!/bin/sh
# Builds the demo site into DATADIR unless it exists already.
#
#   scripts/demo.sh BINARY DATADIR
#
# The site holds the sample release (tests/fixtures/sample-release.txt, in
# English, and its Russian translation), 233 State of the Union addresses
# (English, 1790-2021) and about 400 Russian items made of aphorisms from
# Debian's fortunes-ru (2001-2006); scripts/demo-gen.py writes those as
# JSON Lines. Real photographs from Debian packages (scripts/fetch-test-
# images.sh photos, with their credits) go with the sample release (nine)
# and about one item in six; without them the demo has no photos. The site is built in DATADIR.tmp and renamed at the end, so an
# interrupted run leaves no half-made DATADIR; remove DATADIR (or run `make
# demo-reset`) to build it again.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: scripts/demo.sh BINARY DATADIR" >&2
	exit 2
fi
bin=$1
data=${2%/}
here=$(cd "$(dirname "$0")/.." && pwd)

if [ -e "$data" ]; then
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "demo: $bin is not an executable (build it first: make)" >&2
	exit 1
fi

tmp=$data.tmp
gen=$(mktemp -d "${TMPDIR:-/tmp}/pressroom-demo.XXXXXX")
cleanup() {
	rm -rf "$gen"
	if [ -n "${tmp:-}" ]; then
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
rm -rf "$tmp"

start=$(date +%s)
echo "demo: building $data (once; make demo-reset builds it again)"
"$bin" --data "$tmp" init >/dev/null

# The sample release, as a press office would publish it, and its Russian
# translation linked to it when the import offers that.
fixtures=$here/tests/fixtures
date=2021-11-18T09:30:00Z
out=$("$bin" --data "$tmp" import --lang en --date "$date" \
	"$fixtures/sample-release.txt")
if [ -f "$fixtures/sample-release.ru.txt" ]; then
	set --
	if "$bin" import --help 2>&1 | grep -q -- '--translation-of'; then
		# "FILE: 1 item imported (id N)"
		en_id=$(printf '%s\n' "$out" | sed -n 's/.*(id \([0-9]*\)).*/\1/p')
		if [ -n "$en_id" ]; then
			set -- --translation-of "$en_id"
		fi
	fi
	ru_out=$("$bin" --data "$tmp" import --lang ru --date "$date" "$@" \
		"$fixtures/sample-release.ru.txt")
fi

set --
if "$here/scripts/fetch-test-images.sh" photos >/dev/null; then
	set -- --photos "$here/.cache/photos"
else
	echo "demo: no photographs (scripts/fetch-test-images.sh photos failed)" >&2
fi
/usr/bin/python3 "$here/scripts/demo-gen.py" \
	--sotu "$here/.cache/datasets-sotu/data" "$@" "$gen"
"$bin" --data "$tmp" import "$gen/sotu.jsonl" "$gen/fortunes-ru.jsonl" \
	>/dev/null

# The sample release's nine photos, in both languages.
ids=$(printf '%s\n%s\n' "$out" "${ru_out:-}" |
	sed -n 's/.*(id \([0-9]*\)).*/\1/p')
if [ -f "$gen/sample-photos.tsv" ]; then
	while IFS='	' read -r file caption credit licence; do
		for id in $ids; do
			"$bin" --data "$tmp" photo add --caption "$caption" \
				--credit "$credit" --licence "$licence" "$id" \
				"$file" >/dev/null
		done
	done <"$gen/sample-photos.tsv"
fi

mv "$tmp" "$data"
tmp=
echo "demo: $data ready in $(($(date +%s) - start)) s"
