#!/bin/sh
# bench/search.sh BINARY: see bench/README.md. The work is done by bench/search.py.
set -e
if [ $# -ne 1 ]; then
	echo "usage: bench/search.sh BINARY   (e.g. build/pressroom)" >&2
	exit 2
fi
exec /usr/bin/python3 "$(dirname "$0")/search.py" "$1"
