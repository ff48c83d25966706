#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# guest-crosscheck.sh - the qtest-mode findings checked against the real
# Linux e1000e driver (docs/qemu-findings.md, "Guest-mode cross-check").
#
#   targets/qemu/guest-crosscheck.sh [QEMU_BINARY [QEMU_DATADIR]] [CASE.yaml...]
#
# Boots Debian 12's own kernel (linux-image-amd64, downloaded with apt-get
# download, not installed) with an initramfs of busybox-static and a small
# static sender under QEMU (TCG) with an e1000e on a tap in a namespace of
# this script's own (ofdq-xcheck-$$). In the guest the real e1000e driver
# gets each case's frame and virtio_net_hdr through AF_PACKET with
# PACKET_VNET_HDR, offloads on; the tap's wire is written to
# $OUT/guest.pcap, one case after the other, 200 ms apart, to be compared
# with the `actual.pcap` of the qtest-mode reproducers. Without CASE
# arguments: every reproducer in targets/qemu/tests/findings/.
# Needs root, gcc, tshark; this is a manual cross-check, not a test.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
qemu=qemu-system-x86_64
datadir=()
if [ $# -gt 0 ] && [[ $1 != *.yaml ]]; then qemu=$1; shift; fi
if [ $# -gt 0 ] && [[ $1 != *.yaml ]]; then datadir=(-L "$1"); shift; fi
[ $# -gt 0 ] || set -- "$here"/tests/findings/*/case.yaml
OUT=${OUT:-$(mktemp -d /tmp/offdiff-xcheck-XXXXXX)}
ns=ofdq-xcheck-$$
cap_pid=

cleanup() {
	[ -z "$cap_pid" ] || { kill "$cap_pid" 2>/dev/null || :; wait "$cap_pid" 2>/dev/null || :; }
	ip netns del "$ns" 2>/dev/null || :
}
trap cleanup EXIT

mkdir -p "$OUT"
cd "$OUT"
mkdir -p deb root initrd/{bin,proc,sys,dev,cases,lib}
(cd deb && apt-get download -q linux-image-amd64 "$(apt-cache depends linux-image-amd64 |
	sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)" busybox-static >/dev/null)
for d in deb/*.deb; do dpkg -x "$d" root; done
kver=$(ls root/lib/modules | head -1)

# The sender: each /cases/NN.bin is a 10-byte virtio_net_hdr and a frame.
cat >sender.c <<'EOF'
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void)
{
	static unsigned char b[70000];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex("eth0") };
	int s = socket(AF_PACKET, SOCK_RAW, 0), one = 1, i;

	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll)))
		return perror("socket"), 1;
	for (i = 0; i < 100; i++) {
		char p[32];
		ssize_t n;
		int fd;

		snprintf(p, sizeof(p), "/cases/%02d.bin", i);
		if ((fd = open(p, O_RDONLY)) < 0)
			break;
		n = read(fd, b, sizeof(b));
		close(fd);
		if (n < 10 || send(s, b, (size_t)n, 0) < 0)
			perror(p);
		usleep(200000);
	}
	return 0;
}
EOF
gcc -static -O2 -o initrd/bin/sender sender.c
cp root/bin/busybox initrd/bin/
for a in sh mount insmod ip sleep poweroff echo; do ln -sf busybox initrd/bin/$a; done
cp "$(find root/lib/modules -name 'e1000e.ko*' | head -1)" initrd/lib/
cat >initrd/init <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
insmod /lib/e1000e.ko*
sleep 1
ip link set eth0 up
sleep 3
/bin/sender
poweroff -f
EOF
chmod +x initrd/init

# Each case's request and frame, from its case.yaml and input.pcap.
python3 - "$@" <<'EOF'
import re, struct, sys, os
for i, y in enumerate(sys.argv[1:]):
    t = open(y).read()
    g = lambda k: int(re.search(r'^  %s: (\d+)' % k, t, re.M).group(1))
    d = open(os.path.join(os.path.dirname(y), 'input.pcap'), 'rb').read()
    cl = struct.unpack('<I', d[32:36])[0]
    hdr = struct.pack('<BBHHHH', g('flags'), g('gso_type'), g('hdr_len'), g('gso_size'),
                      g('csum_start'), g('csum_offset'))
    open('initrd/cases/%02d.bin' % i, 'wb').write(hdr + d[40:40 + cl])
    print('%02d %s' % (i, y))
EOF
(cd initrd && find . | ../root/bin/busybox cpio -o -H newc 2>/dev/null) | gzip >initrd.gz

ip netns add "$ns"
ip netns exec "$ns" ip tuntap add xt0 mode tap
# The tap's own IPv6 chatter would land in the capture between the cases.
ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/xt0/disable_ipv6'
ip netns exec "$ns" ip link set xt0 up
ip netns exec "$ns" tshark -q -i xt0 -w "$OUT/guest.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
ip netns exec "$ns" timeout 300 "$qemu" "${datadir[@]}" -M q35 -accel tcg -m 512 -nodefaults \
	-display none -serial stdio -no-reboot -kernel "root/boot/vmlinuz-$kver" -initrd initrd.gz \
	-append "console=ttyS0 quiet panic=-1" \
	-netdev tap,id=n0,ifname=xt0,script=no,downscript=no,vnet_hdr=off \
	-device e1000e,netdev=n0,romfile= | tail -3
sleep 1
kill "$cap_pid"
wait "$cap_pid" 2>/dev/null || :
cap_pid=
tshark -r "$OUT/guest.pcapng" -F pcap -w "$OUT/guest.pcap" 2>/dev/null
echo "guest-crosscheck: the guest's wire in $OUT/guest.pcap ($("$qemu" -version | head -1), Linux $kver e1000e)"
