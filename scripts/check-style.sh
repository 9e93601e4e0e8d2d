#!/bin/sh
# Style checks run by `make check`: no banned C functions (curl's list),
# and every C file formatted by .clang-format.
set -e
cd "$(dirname "$0")/.."
files=$(ls src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h fuzz/*.c 2>/dev/null || true)
status=0
banned='\b(sprintf|vsprintf|strcpy|strcat|strncat|gets|atoi|atol|strtok)[[:space:]]*\('
if grep -nE "$banned" $files; then
	echo "check-style: banned functions above (use snprintf, memcpy, struct buf, str_to_i64)" >&2
	status=1
fi
if command -v clang-format >/dev/null 2>&1; then
	for f in $files; do
		if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
			echo "check-style: $f is not formatted (run make format)" >&2
			status=1
		fi
	done
fi
[ $status = 0 ] && echo "check-style: ok"
exit $status
