#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Install the Debian packages offdiff needs, only those that are missing.
# Quiet and fast when everything is there; safe to run on every build.
set -euo pipefail

pkgs=(build-essential pkg-config libpcap-dev libbpf-dev libyaml-dev libssl-dev
      check libsubunit-dev libjansson-dev clang llvm bpftool afl++ iproute2)

# Test-only: the consumers `make check` runs on a report's files
# (harness/report/tests/consumers.c). xmllint validates junit.xml against
# the JUnit schema and is required; PyYAML reads case.yaml and profile show
# (its checks are skipped without it). Both are small.
test_pkgs=(libxml2-utils python3-yaml)
# Optional, never installed here, their checks skipped with a reason when
# missing: tshark (checksum validation of expected.pcap, ~100 MB with its
# libraries) and linux-source (kunit.py parse of results.ktap; the kernel
# tarball is ~150 MB).
pkgs+=("${test_pkgs[@]}")

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
