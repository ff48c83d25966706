#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#
# rss.sh - peak memory and time per case of `offdiff run` over a 100k- and
# a 1M-frame corpus (`make rss`). The corpora are the bundled tx-csum
# captures repeated (tools/bigcorpus.c); the campaign is the default one's
# (model against the emulator under every bundled profile). Memory must not
# follow the corpus: the 1M run's peak RSS must be within 1.5x the 100k
# run's, or this exits 1.
#
#   tools/rss.sh OFFDIFF BIGCORPUS WORKDIR
#   RSS_BASE=/path/to/an/older/offdiff tools/rss.sh ...   also measures it
set -eu

offdiff=$1 bigcorpus=$2 work=$3
if [ ! -x /usr/bin/time ]; then
	echo "rss: /usr/bin/time is missing: install Debian's 'time' package (apt-get install time)" >&2
	exit 2
fi
mkdir -p "$work"
root=$(pwd)

spec() { # name pcap
	cat <<EOS
name: rss-$1
description: peak memory over $1 frames (make rss)
reference: model
offloads: [tx-csum]
requests: [vnet, legacy]
corpus: [$2]
profile_dir: $root/specs/profiles
targets:
EOS
	for p in conformant srv6-ipv6-dst ipv6-no-exthdr zero-csum-0000 short-tail \
		 tunnel-outer smsc95xx; do
		printf '  - engine: emu\n    profile: %s\n' "$p"
	done
}

# measure LABEL BINARY NAME: one run; prints a line, sets rss (KiB)
measure() {
	rm -rf "$work/reports"
	rc=0
	/usr/bin/time -v -o "$work/time.txt" "$2" run "$work/$3.yaml" --out "$work/reports" \
		> "$work/out.txt" 2>&1 || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "rss: $2 run $work/$3.yaml exited $rc:" >&2
		cat "$work/out.txt" >&2
		exit 2
	fi
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
	cases=$(sed -n 's/.*-> \([0-9]*\) cases.*/\1/p' "$work/out.txt")
	if [ -z "$rss" ] || [ -z "$wall" ] || [ -z "$cases" ]; then
		echo "rss: cannot read the peak RSS, time or case count of $2 run $work/$3.yaml" >&2
		exit 2
	fi
	findings=$(cat "$work"/reports/*/findings.jsonl | wc -c)
	echo "$1 $3 $cases $rss $wall $findings" | awk '{
		n = split($5, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i];
		printf "%-8s %-5s %9d cases  peak RSS %8.1f MiB  wall %7.2f s  %6.2f us/case  findings.jsonl %7.1f MiB\n",
		       $1, $2, $3, $4 / 1024, s, s * 1e6 / $3, $6 / 1048576 }'
}

for n in 100000 1000000; do
	name=$([ $n = 100000 ] && echo 100k || echo 1m)
	"$bigcorpus" $n "$work/$name.pcap" corpus/tx-csum/*.pcap > /dev/null
	spec $name "$work/$name.pcap" > "$work/$name.yaml"
done

echo "offdiff run, 7 targets (the default campaign's), corpus: the bundled tx-csum frames repeated"
if [ -n "${RSS_BASE:-}" ]; then
	measure base "$RSS_BASE" 100k
	measure base "$RSS_BASE" 1m
fi
measure offdiff "$offdiff" 100k
rss100k=$rss
measure offdiff "$offdiff" 1m
rss1m=$rss
rm -rf "$work/reports"
echo "$rss100k $rss1m" | awk '{
	r = $2 / $1;
	printf "peak RSS 1M / 100k: %.2fx (bound 1.5x): %s\n", r, r <= 1.5 ? "ok" : "FAILED";
	exit r <= 1.5 ? 0 : 1 }'
