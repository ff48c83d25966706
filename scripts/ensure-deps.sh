#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Install the Debian packages a make target needs, only those missing.
# Quiet and fast when everything is there; safe to run on every build.
#
#   scripts/ensure-deps.sh GROUP...          install what GROUPs need
#   scripts/ensure-deps.sh --list GROUP...   print their packages, one a line
#
# With OFD_DEPS_LIST=FILE set, the packages asked for are also appended to
# FILE, installed or not: harness/tests/check_install.c reads which ones a
# make target asks for (`make -n run` still remakes $(O)/config.mk).
#
# Groups (each target asks only for its own):
#   build  compile offdiff and libofd (make, make run, make install)
#   check  the Check suites and the kernel engine's tests (make check)
#   fuzz   AFL++ with its clang and LLVM (make fuzz, make fuzz-run)
#   bpf    BPF programs built with clang (targets that load BPF)
#   dpdk   the DPDK plugin (make run-dpdk; make check in CI)
#   qemu   QEMU's x86 system emulator for the qemu target (make run-qemu;
#          make check in CI); qboot.rom and the e1000e model come with it
# so `make run` never pulls clang, LLVM or AFL++ (README: "Dependencies").
set -euo pipefail

declare -A group=(
	[build]="build-essential pkg-config libpcap-dev libbpf-dev libyaml-dev libssl-dev libjansson-dev libmnl-dev"
	[check]="check libsubunit-dev iproute2"
	[fuzz]="clang llvm afl++"
	[bpf]="clang llvm bpftool"
	[dpdk]="libdpdk-dev pkg-config"
	[qemu]="qemu-system-x86"
)

list=false
if [ "${1:-}" = --list ]; then
	list=true
	shift
fi
[ $# -gt 0 ] || set -- build

pkgs=()
for g in "$@"; do
	if [ -z "${group[$g]+set}" ]; then
		echo "ensure-deps.sh: unknown group '$g' (build, check, fuzz, bpf, dpdk, qemu)" >&2
		exit 2
	fi
	for p in ${group[$g]}; do
		[[ " ${pkgs[*]} " == *" $p "* ]] || pkgs+=("$p")
	done
done
if $list; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi
[ -z "${OFD_DEPS_LIST:-}" ] || printf '%s\n' "${pkgs[@]}" >>"$OFD_DEPS_LIST"

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "offdiff: installing missing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
	$SUDO apt-get update -q >/dev/null
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
