#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# The qemu target's guest (guest mode, targets/qemu/guest.c): Debian's own
# kernel and a tiny initramfs, all from Debian packages, nothing installed
# on the host (the kernel package is unpacked with dpkg -x, never put in
# /boot).
#
#   scripts/qemu-guest-image.sh [--check] [OUT]
#
# OUT (default: $OFD_QEMU_GUEST_IMAGE, else ~/.cache/offdiff/qemu-guest)
# receives
#   vmlinuz         the kernel of linux-image-amd64's dependency
#   initrd.cpio.gz  busybox-static, the kernel's e1000e, igb, virtio_net and
#                   virtio-serial modules (with their dependencies: virtio_net
#                   needs net_failover and failover), offdiff's agent built
#                   static (targets/qemu/agent/agent.c, agent_rss.c and
#                   targets/iface/rss_readback.c), /init
#   version         "KERNELRELEASE PACKAGE VERSION", e.g.
#                   "6.1.0-56-amd64 linux-image-6.1.0-56-amd64 6.1.192-2"
# The .deb files are kept in OUT/debs, so a rebuild (a new agent) needs no
# network. --check only says whether the image is there and current (exit
# 0) or not (exit 1), and why, downloading nothing: make check asks that.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
check=false
if [ "${1:-}" = --check ]; then
	check=true
	shift
fi
out=${1:-${OFD_QEMU_GUEST_IMAGE:-${XDG_CACHE_HOME:-$HOME/.cache}/offdiff/qemu-guest}}
agent_src=$top/targets/qemu/agent/agent.c
# The rss mode's half and the iface target's ethtool read-back, the same
# file the host side links.
agent_more=("$top/targets/qemu/agent/agent_rss.c" "$top/targets/iface/rss_readback.c")
agent_hdrs=("$top/targets/qemu/agent/ofd_agent.h" "$top/targets/qemu/agent/agent_rss.h"
	"$top/targets/iface/ofd_rss_readback.h" "$top/targets/wire/ofd_marker.h")

current() {
	[ -s "$out/vmlinuz" ] && [ -s "$out/initrd.cpio.gz" ] && [ -s "$out/version" ] || return 1
	for f in "$agent_src" "${agent_more[@]}" "${agent_hdrs[@]}" "$0"; do
		[ "$f" -ot "$out/initrd.cpio.gz" ] || return 1
	done
}

if $check; then
	if current; then
		echo "qemu guest image: $out ($(cat "$out/version"))"
		exit 0
	fi
	echo "no current qemu guest image in $out (make qemu-guest-image builds it)" >&2
	exit 1
fi
current && exit 0

mkdir -p "$out/debs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kernel linux-image-amd64 points at today, and busybox-static; the
# downloads are kept, so only a new kernel or a first build fetches.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kpkg" ]; then
	echo "qemu-guest-image: apt-cache knows no linux-image-amd64 (apt-get update?)" >&2
	exit 3
fi
deb_of() { ls "$out/debs/$1"_*.deb 2>/dev/null | head -n1; }
for p in "$kpkg" busybox-static; do
	if [ -z "$(deb_of "$p")" ]; then
		echo "qemu-guest-image: downloading $p" >&2
		(cd "$out/debs" && apt-get download -q "$p" >/dev/null 2>&1) ||
			(apt-get update -q >/dev/null && cd "$out/debs" && apt-get download -q "$p" >/dev/null)
	fi
done
dpkg -x "$(deb_of "$kpkg")" "$work/k"
dpkg -x "$(deb_of busybox-static)" "$work/bb"
kver=$(ls "$work/k/lib/modules")
kdeb_ver=$(dpkg-deb -f "$(deb_of "$kpkg")" Version)

# The agent, static: the guest has no libc of its own.
gcc -static -O2 -Wall -Wextra -D_GNU_SOURCE -I"$top/targets/qemu/agent" -I"$top/targets/wire" \
	-I"$top/targets/iface" -o "$work/agent" "$agent_src" "${agent_more[@]}"

root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
cp "$work/bb/bin/busybox" "$root/bin/busybox"
for a in sh mount insmod poweroff cat ls; do
	ln -s busybox "$root/bin/$a"
done
cp "$work/agent" "$root/sbin/offdiff-agent"

# Modules and what they need, dependencies first. Debian's package ships
# no modules.dep (depmod makes it at install): a module's "depends=" in
# its .modinfo section says the same.
mods=$work/k/lib/modules/$kver
order=()
modpath() { find "$mods/kernel" -name "$1.ko" -print -quit; }
add_mod() {
	local m=$1 f d
	[[ " ${order[*]:-} " == *" $m "* ]] && return 0
	f=$(modpath "$m")
	if [ -z "$f" ]; then
		echo "qemu-guest-image: module $m not in $kpkg" >&2
		exit 3
	fi
	for d in $(strings -a "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_mod "$d"
	done
	order+=("$m")
}
for m in virtio_pci virtio_console e1000e igb virtio_net; do
	add_mod "$m"
done
for m in "${order[@]}"; do
	cp "$(modpath "$m")" "$root/lib/modules/$m.ko"
done

# /init: the filesystems the agent reads (/proc/cmdline, /sys/class,
# devtmpfs for the port's node), the modules in order, then the agent. A
# failure powers the guest off, which ends QEMU (-no-reboot).
{
	echo '#!/bin/sh'
	echo 'mount -t proc proc /proc'
	echo 'mount -t sysfs sysfs /sys'
	echo 'mount -t devtmpfs devtmpfs /dev'
	for m in "${order[@]}"; do
		echo "insmod /lib/modules/$m.ko || echo 'offdiff-agent: insmod $m failed'"
	done
	echo 'exec /sbin/offdiff-agent'
} >"$root/init"
chmod 755 "$root/init"

cp "$work/k/boot/vmlinuz-$kver" "$work/vmlinuz"
# busybox's own cpio: the host needs no cpio package.
(cd "$root" && find . | LC_ALL=C sort | "$work/bb/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -9 >"$work/initrd.cpio.gz"
echo "$kver $kpkg $kdeb_ver" >"$work/version"
mv "$work/vmlinuz" "$out/vmlinuz"
mv "$work/version" "$out/version"
mv "$work/initrd.cpio.gz" "$out/initrd.cpio.gz"
echo "qemu guest image: $out ($kver, $kpkg $kdeb_ver; modules: ${order[*]})"
