#!/bin/sh
# The editors' side at 100,000 items: publish-to-visible time (news list,
# feed, search) and the item list's latency. See bench/admin.py.
set -e
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: bench/admin.sh BINARY" >&2; exit 2; }
exec /usr/bin/python3 bench/admin.py "$1"
