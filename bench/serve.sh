#!/bin/sh
# bench/serve.sh BINARY: see bench/README.md. The work is done by bench/bench.py.
set -e
if [ $# -ne 1 ]; then
	echo "usage: bench/serve.sh BINARY   (e.g. build/pressroom)" >&2
	exit 2
fi
exec /usr/bin/python3 "$(dirname "$0")/bench.py" serve "$1"
