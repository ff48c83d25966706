#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Write offdiff(8) in troff on stdout from the program's own help text
# (scripts/help-all.sh): the synopsis is the top-level help ("## offdiff"),
# COMMANDS has each object's help verbatim. Only the prose around it is
# written here.
#
#   scripts/mkman.sh build/offdiff > build/offdiff.8 && man -l build/offdiff.8
set -euo pipefail

bin=${1:?usage: mkman.sh OFFDIFF}
here=$(dirname "$0")
help=$("$here/help-all.sh" "$bin")
version=$("$bin" version 2>/dev/null | head -n1 || echo offdiff)
# Reproducible: the date of the last commit, or SOURCE_DATE_EPOCH.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}
date=$(date -u -d "@$epoch" +%Y-%m-%d)

# Text as troff reads it literally: backslashes escaped, minus signs as
# \- (so options copy and paste), a leading . or ' protected.
roff() {
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

cat <<EOT
.TH OFFDIFF 8 "$date" "$version" "System Administration"
.SH NAME
offdiff \\- diff the Linux kernel's software offload paths against offload targets
.SH SYNOPSIS
.nf
EOT
awk '/^## /{on = $0 == "## offdiff"; next} on' <<<"$help" | roff
cat <<'EOT'
.fi
.SH DESCRIPTION
.B offdiff
replays the same packets through the kernel's software path for an
offload (the
.IR reference :
a userspace model of the kernel, or the running kernel in a private
network namespace) and through an offload
.I target
(the NIC emulator, under a profile), diffs the results field by field,
explains each discrepancy and writes a report with a reproducer for each.
.PP
Commands are
.IR "object verb" ;
verbs may be abbreviated while unambiguous.
.SH COMMANDS
EOT
awk '/^## offdiff$/ {skip=1; next}
     /^## /{skip=0; if (body) print ".fi"; print ".SS " substr($0, 4); print ".nf"; body=1; next}
     body && !skip {print}
     END {if (body) print ".fi"}' <<<"$help" |
	sed -e '/^\.\(SS\|nf\|fi\) \?/!{s/\\/\\e/g; s/-/\\-/g; s/^\([.'"'"']\)/\\\&\1/}'
cat <<'EOT'
.SH EXIT STATUS
.TP
.B 0
every compared case equal
.TP
.B 1
at least one critical discrepancy
.TP
.B 2
bad input or usage (one line on standard error naming the file, packet or
YAML line:column)
.TP
.B 3
an engine cannot run here (for example the kernel engine without root)
.TP
.B 4
nothing compared: every case was skipped, or there were no cases
(kselftest reads 4 as SKIP)
.TP
.BR 130 ", " 143
.B run
stopped by SIGINT or SIGTERM after finishing its batch; the report is
marked stopped and
.B offdiff run \-\-resume
.I DIR
finishes it
.SH ENVIRONMENT
.TP
.B OFFDIFF_DATADIR
the directory holding the bundled
.I specs/
and
.I corpus/
(default: the source tree the binary was built in, else
.I ../share/offdiff
beside the binary, else the installed
.IR share/offdiff )
.TP
.B OFD_LOG_LEVEL
library log level
.SH FILES
.TP
.I share/offdiff/specs/default.yaml
the default campaign, run when no spec is given
.TP
.I share/offdiff/specs/profiles/
emulator profiles
.TP
.I share/offdiff/corpus/
the bundled corpus
.TP
.I reports/
run directories (summary.json, junit.xml, results.ktap, findings.jsonl,
progress.json, discrepancies/)
.SH SEE ALSO
.BR ethtool (8),
.BR tcpdump (8),
.BR wireshark (1)
EOT
