#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Print offdiff's help text as one stream: the top-level help after a
# "## offdiff" line, then each object's help after a "## <object>" line.
# This is what `offdiff help --all`
# prints; for a binary without it, the same is assembled from
# `offdiff --help` and `offdiff <object> --help`. mkman.sh and
# mkcompletion.sh read this stream, so the man page and the completion say
# what the program's own help says.
#
#   scripts/help-all.sh build/offdiff
set -euo pipefail

bin=${1:?usage: help-all.sh OFFDIFF}

all=$("$bin" help --all 2>/dev/null) || true
if grep -q '^## ' <<<"$all"; then
	printf '%s\n' "$all"
	exit 0
fi

# The older grammar printed usage on stderr; objects are its
# "  offdiff <object> ..." lines.
top=$("$bin" --help 2>&1) || true
echo "## offdiff"
printf '%s\n' "$top"
sed -n 's/^  offdiff \([a-z][a-z-]*\).*/\1/p' <<<"$top" | while read -r obj; do
	synopsis=$(grep -m1 "^  offdiff $obj\\b" <<<"$top" | sed 's/^  //')
	echo "## $obj"
	# bench --help ran the benchmark before it had options of its own.
	if [ "$obj" != bench ] &&
	   text=$(timeout 10 "$bin" "$obj" --help 2>&1 </dev/null) &&
	   grep -q '^usage:' <<<"$text"; then
		printf '%s\n' "$text"
	else
		echo "usage: $synopsis"
	fi
done
