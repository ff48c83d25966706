#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# ir_sha256.sh SOURCE [CLANG_FLAGS...] - the SHA-256 of a program's IR for
# the BPF target, the identity both of its images carry (issue 21).
#
# The IR is what clang -O2 -target bpf makes of the source, before the
# back end: the program the kernel and the native image are built from.
# Normalized so that where the tree lives does not change it: the
# ModuleID and source_filename lines (the file's path) go, and so does
# any debug metadata (none without -g, but a caller may pass it); the
# !srcloc node of an inline asm (an offset into the source text, which a
# comment moves) becomes 0. The
# compiler's version stays in (llvm.ident): another compiler is another
# program. Prints the 64 hex digits.
set -eu
src=$1
shift
CLANG=${CLANG:-clang}
"$CLANG" -O2 -target bpf -S -emit-llvm -o - "$@" "$src" |
	sed -e '/^; ModuleID = /d' -e '/^source_filename = /d' \
	    -e '/^!.*!DI[A-Za-z]*(/d' -e 's/, !dbg ![0-9]*//g' \
	    -e 's/^\(![0-9]* = !{i64 \)[0-9]*}$/\10}/' |
	sha256sum | cut -d' ' -f1
