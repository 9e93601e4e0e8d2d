#!/bin/sh
# bench/import.sh BINARY: see bench/README.md. The work is done by bench/bench.py.
set -e
if [ $# -ne 1 ]; then
	echo "usage: bench/import.sh BINARY   (e.g. build/pressroom)" >&2
	exit 2
fi
exec /usr/bin/python3 "$(dirname "$0")/bench.py" import "$1"
