#!/bin/sh
# bench/feeds.sh BINARY: see bench/README.md. The work is done by bench/feeds.py.
set -e
if [ $# -ne 1 ]; then
	echo "usage: bench/feeds.sh BINARY   (e.g. build/pressroom)" >&2
	exit 2
fi
exec /usr/bin/python3 "$(dirname "$0")/feeds.py" "$1"
