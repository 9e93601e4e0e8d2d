#!/bin/sh
# bench/thumbs.sh: the full set of renditions for 52 real photographs
# (scripts/fetch-test-images.sh photos), made three ways, side by side:
#
#   pressroom       media_add per photo, as an upload runs: checks, SHA-256,
#                   renditions (WebP + JPEG at each width of media_widths),
#                   the original stored, the metadata read
#   vipsthumbnail   Debian's libvips-tools, one run per width and format
#                   over every photo that needs it (it takes many files)
#   convert         ImageMagick's `convert -thumbnail`, one run per photo
#                   writing every width and both formats from one decode
#
# All three make exactly the same widths (the plan comes from media_widths)
# with the same qualities (JPEG 82 progressive, WebP 80), metadata
# stripped. Prints photos and renditions per second, CPU use (200% = both
# cores) and peak memory (/usr/bin/time -v, largest process). Figures only;
# nothing is asserted.
#
#   bench/thumbs.sh [PHOTO...]      (default: .cache/photos/*)
#   BUILD=dir to reuse a build folder (default build-bench, Release)
set -e
cd "$(dirname "$0")/.."
build=${BUILD:-build-bench}

need() {
	command -v "$1" >/dev/null 2>&1 || {
		echo "thumbs: $1 missing (Debian: $2)" >&2
		exit 1
	}
}
need vipsthumbnail libvips-tools
need convert imagemagick
[ -x /usr/bin/time ] || {
	echo "thumbs: /usr/bin/time missing (Debian: time)" >&2
	exit 1
}

if [ $# -eq 0 ]; then
	scripts/fetch-test-images.sh photos >/dev/null
	set -- .cache/photos/*.jpg .cache/photos/*.png
fi

log=$(mktemp)
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release &&
	cmake --build "$build" --target pr_media pr_core; } >"$log" 2>&1; then
	tail -30 "$log" >&2
	rm -f "$log"
	exit 1
fi
rm -f "$log"
# shellcheck disable=SC2046
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc bench/thumbs/thumbs.c \
	"$build/libpr_media.a" "$build/libpr_core.a" \
	$(pkg-config --cflags --libs vips libxml-2.0 libwebpmux libsodium \
		libutf8proc) -lpthread -lm -o "$build/thumbs"

work=$(mktemp -d /tmp/pr-thumbs-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$build/thumbs" plan "$@" >"$work/plan.tsv"
photos=$#
renditions=$(($(wc -l <"$work/plan.tsv") * 2))

# vipsthumbnail: per width, one run for JPEG and one for WebP.
mkdir -p "$work/vips"
{
	for w in $(cut -f1 "$work/plan.tsv" | sort -un); do
		files=$(awk -F '\t' -v w="$w" '$1 == w { print $2 }' \
			"$work/plan.tsv" | tr '\n' ' ')
		echo "vipsthumbnail -s ${w}x -o '$work/vips/%s-$w.jpg[Q=82,strip,optimize_coding,interlace]' $files"
		echo "vipsthumbnail -s ${w}x -o '$work/vips/%s-$w.webp[Q=80,strip]' $files"
	done
} >"$work/vips.sh"

# convert: per photo, one decode and every width from clones.
mkdir -p "$work/im"
awk -F '\t' -v out="$work/im" '
	{ w[$2] = w[$2] " " $1; if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
	END {
		for (i = 0; i < n; i++) {
			f = order[i]; b = f; sub(/.*\//, "", b); sub(/\.[^.]*$/, "", b)
			cmd = "convert \"" f "\" -auto-orient"
			k = split(w[f], ws, " ")
			for (j = 1; j <= k; j++)
				cmd = cmd " \\( +clone -thumbnail " ws[j] "x -quality 82 -interlace Plane -write \"" out "/" b "-" ws[j] ".jpg\" -interlace None -quality 80 -write \"" out "/" b "-" ws[j] ".webp\" +delete \\)"
			print cmd " null:"
		}
	}' "$work/plan.tsv" >"$work/im.sh"

measure() { # NAME COMMAND...
	name=$1
	shift
	/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" 2>&1 || {
		echo "thumbs: $name failed:" >&2
		tail -5 "$work/out.$name" >&2
		exit 1
	}
}

measure pressroom "$build/thumbs" run "$work/data" "$@"
measure vipsthumbnail sh "$work/vips.sh"
measure convert sh "$work/im.sh"

made() { find "$1" -type f \( -name '*.jpg' -o -name '*.webp' \) | wc -l; }
bytes() { find "$1" -type f \( -name '*.jpg' -o -name '*.webp' \) -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'; }

report() { # NAME LABEL OUTDIR
	awk -v name="$2" -v photos="$photos" -v r="$renditions" \
		-v made="$(made "$3")" -v mb="$(bytes "$3")" '
		/Elapsed \(wall clock\)/ {
			n = split($NF, t, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + t[i]
		}
		/Percent of CPU/ { cpu = $NF }
		/Maximum resident set size/ { rss = $NF / 1024 }
		END {
			printf "%-16s %6d %6d/%-6d %8.2f %9.2f %10.1f %6s %9.0f %9s\n",
				name, photos, made, r, s, photos / s, made / s, cpu, rss, mb
		}' "$work/time.$1"
}

echo "renditions of $photos photographs: $renditions files (WebP + JPEG at each width)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
	"$(vips --version); $(convert -version | head -1 | cut -d' ' -f2-3)"
printf '%-16s %6s %13s %8s %9s %10s %6s %9s %9s\n' tool photos "files/plan" seconds photos/s files/s CPU "peak MB" "output MB"
report pressroom pressroom "$work/data/media/r"
report vipsthumbnail vipsthumbnail "$work/vips"
report convert "convert -thumbnail" "$work/im"
