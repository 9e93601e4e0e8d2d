#!/bin/sh
# Real images for pressroom's media tests, benchmark and demo, taken from
# Debian packages without installing them (apt-get download, then
# dpkg-deb -x into .cache/), so none of their dependencies come along.
#
#   scripts/fetch-test-images.sh [pixbuf]  Debian's gdk-pixbuf test images:
#       crafted and broken files (crashers from past CVEs) and odd valid
#       ones, into .cache/gdk-pixbuf-tests/ (tests/unit/test_media.c)
#   scripts/fetch-test-images.sh photos    52 real photographs from desktop
#       wallpaper packages, scikit-image's sample data and gdk-pixbuf's
#       tests, copied to .cache/photos/NN-name.ext with a CREDITS.tsv
#       (file, credit, package, licence) for bench/thumbs.sh and the demo
#   scripts/fetch-test-images.sh all       both
#
# Idempotent: a folder with a .done stamp is not fetched again.
set -e
cd "$(dirname "$0")/.."
what=${1:-pixbuf}
debs=.cache/deb

# fetch PKG: the package's .deb into .cache/deb/ (once).
fetch() {
	mkdir -p "$debs"
	if ! ls "$debs/$1"_*.deb >/dev/null 2>&1; then
		if ! (cd "$debs" && apt-get download -q "$1" >/dev/null 2>&1); then
			if [ "$(id -u)" = 0 ]; then
				apt-get update -q >/dev/null 2>&1 || true
			fi
			(cd "$debs" && apt-get download -q "$1" >/dev/null) || {
				echo "fetch-test-images: cannot download $1" >&2
				exit 1
			}
		fi
	fi
}

# The folder a package is unpacked into.
pkgdir() {
	case $1 in
	gdk-pixbuf-tests) echo .cache/gdk-pixbuf-tests ;;
	*) echo ".cache/pkg/$1" ;;
	esac
}

# unpack PKG DIR: the package's files under DIR (once).
unpack() {
	if [ ! -f "$2/.done" ]; then
		fetch "$1"
		rm -rf "$2"
		mkdir -p "$2"
		dpkg-deb -x "$debs/$1"_*.deb "$2"
		touch "$2/.done"
	fi
}

pixbuf() {
	unpack gdk-pixbuf-tests "$(pkgdir gdk-pixbuf-tests)"
}

# The photographs: package, path inside it, credit, licence (as the
# package's debian/copyright, metadata.json or docstrings give them). Only
# real photographs; the packages' drawings and renders are left out.
PHOTOS='
mate-backgrounds|usr/share/backgrounds/mate/nature/Aqua.jpg|Charles Barbin|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/Blinds.jpg|Lennart Poettering|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/Dune.jpg|Marco Cogoni|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/FreshFlower.jpg|Jens Ansorg|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/Garden.jpg|Charles Barbin|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/GreenMeadow.jpg|Timothy Schellhase|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/LadyBird.jpg|Charles Barbin|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/RainDrops.jpg|blackcombwhistler07|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/Storm.jpg|Sergey Nazarov|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/TwoWings.jpg|Charles Barbin|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/Wood.jpg|Jean-François Fortin Tam|GPL-2+
mate-backgrounds|usr/share/backgrounds/mate/nature/YellowFlower.jpg|Charles Barbin|GPL-2+
lomiri-wallpapers-16.04|usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg|Sander Klootwijk|CC-BY-SA-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/Dragonfly_by_Bolly.jpg|Bolly|CC-BY-SA-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/Picture_0B_by_freespace.jpg|Trevor "Freespace"|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/Picture_1A_by_freespace.jpg|Trevor "Freespace"|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg|Jakub Mede|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg|Aitzol Berasategi|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/analogpattern_by_Peter_Nerlich.jpg|Peter Nerlich|CC-BY-SA-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/free_by_Peter_Nerlich.jpg|Peter Nerlich|CC-BY-SA-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/friends_by_Aitzol_Berasategi.jpg|Aitzol Berasategi|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/greentock_by_Peter_Nerlich.jpg|Peter Nerlich|CC-BY-SA-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg|Aitzol Berasategi|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg|Aitzol Berasategi|CC-BY-4.0
lomiri-wallpapers-16.04|usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg|Clemens Engelhardt|CC0-1.0
lomiri-wallpapers-16.04|usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg|Aitzol Berasategi|CC-BY-4.0
lomiri-wallpapers-20.04|usr/share/backgrounds/Infinite-Sea_by_Aury88.jpg|Aury88|CC-BY-SA-3.0
lomiri-wallpapers-20.04|usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg|Lukas Baubkus|CC-BY-SA-3.0
plasma-workspace-wallpapers|usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg|Maciej Wiklo|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg|Dmitri Popov|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg|Ian Hex|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg|Martin Klapetek|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/Grey/contents/images/2560x1600.jpg|Sigi Sagi|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/Kite/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/OneStandsOut/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/Path/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
plasma-workspace-wallpapers|usr/share/wallpapers/Volna/contents/images/5120x2880.jpg|Nikita Babin|CC-BY-SA-4.0
plasma-workspace-wallpapers|usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg|Risto Saukonpää|LGPL-3
python3-skimage|usr/lib/python3/dist-packages/skimage/data/astronaut.png|NASA|public-domain
python3-skimage|usr/lib/python3/dist-packages/skimage/data/camera.png|Lav Varshney|CC0-1.0
python3-skimage|usr/lib/python3/dist-packages/skimage/data/chelsea.png|Stefan van der Walt|CC0-1.0
python3-skimage|usr/lib/python3/dist-packages/skimage/data/coffee.png|Rachel Michetti|CC0-1.0
python3-skimage|usr/lib/python3/dist-packages/skimage/data/coins.png|Brooklyn Museum|no-known-restrictions
python3-skimage|usr/lib/python3/dist-packages/skimage/data/hubble_deep_field.jpg|NASA|public-domain
python3-skimage|usr/lib/python3/dist-packages/skimage/data/gravel.png|CC0Textures|CC0-1.0
python3-skimage|usr/lib/python3/dist-packages/skimage/data/retina.jpg|Wikimedia Commons (fundus photograph)|CC0-1.0
python3-skimage|usr/lib/python3/dist-packages/skimage/data/rocket.jpg|SpaceX|public-domain
gdk-pixbuf-tests|usr/libexec/installed-tests/gdk-pixbuf/issue70.jpg|GNOME gdk-pixbuf tests|LGPL-2+
gdk-pixbuf-tests|usr/libexec/installed-tests/gdk-pixbuf/bug143608-comment.jpg|GNOME gdk-pixbuf tests|LGPL-2+
gdk-pixbuf-tests|usr/libexec/installed-tests/gdk-pixbuf/test-images/reftests/cat.jpg|GNOME gdk-pixbuf tests|LGPL-2+
'

photos() {
	out=.cache/photos
	[ -f "$out/.done" ] && return 0
	rm -rf "$out.tmp"
	mkdir -p "$out.tmp"
	printf 'file\tcredit\tpackage\tlicence\n' >"$out.tmp/CREDITS.tsv"
	n=0
	echo "$PHOTOS" | while IFS='|' read -r pkg path credit licence; do
		[ -n "$pkg" ] || continue
		dir=$(pkgdir "$pkg")
		unpack "$pkg" "$dir"
		n=$((n + 1))
		case $path in
		*/contents/images/*)
			name=$(echo "$path" | sed 's#.*/wallpapers/\([^/]*\)/.*\.\([a-z]*\)$#\1.\2#')
			;;
		*) name=$(basename "$path") ;;
		esac
		file=$(printf '%02d-%s' "$n" "$name")
		cp "$dir/$path" "$out.tmp/$file"
		printf '%s\t%s\t%s\t%s\n' "$file" "$credit" "$pkg" "$licence" \
			>>"$out.tmp/CREDITS.tsv"
	done
	rm -rf "$out"
	mv "$out.tmp" "$out"
	touch "$out/.done"
	echo "fetch-test-images: $(ls "$out" | grep -vc CREDITS) photographs in $out"
}

case $what in
pixbuf) pixbuf ;;
photos) photos ;;
all)
	pixbuf
	photos
	;;
*)
	echo "usage: scripts/fetch-test-images.sh [pixbuf|photos|all]" >&2
	exit 2
	;;
esac
