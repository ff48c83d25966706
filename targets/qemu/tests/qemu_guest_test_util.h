/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * qemu_guest_test_util.h - what the guest-mode suites (check_qemu_guest.c,
 * check_qemu_guest_rss.c) share: why guest mode cannot run here.
 */
#ifndef QEMU_GUEST_TEST_UTIL_H
#define QEMU_GUEST_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Why the suite cannot run here (not root, no QEMU, no guest image or one
 * older than its agent), or NULL. */
static inline const char *qemu_guest_unavailable(void)
{
	static char why[400];
	const char *env = getenv("OFD_QEMU_GUEST_IMAGE"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_CACHE_HOME");
	char path[300];

	if (geteuid())
		return "guest mode makes a network namespace and a tap: run as root";
	if (system("command -v qemu-system-x86_64 >/dev/null 2>&1"))
		return "qemu-system-x86_64 is not installed (scripts/ensure-deps.sh qemu)";
	/* Where guest.c and scripts/qemu-guest-image.sh look. */
	if (env && *env)
		snprintf(path, sizeof(path), "%s/version", env);
	else if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/offdiff/qemu-guest/version", xdg);
	else
		snprintf(path, sizeof(path), "%s/.cache/offdiff/qemu-guest/version",
			 home ? home : "/root");
	if (access(path, R_OK)) {
		snprintf(why, sizeof(why), "no guest image (%s): make qemu-guest-image builds it", path);
		return why;
	}
	/* An image from before virtio_net and the rss agent has neither:
	 * the script says whether it is current (the same defaults). */
	if (!access("scripts/qemu-guest-image.sh", X_OK) &&
	    system("scripts/qemu-guest-image.sh --check >/dev/null 2>&1"))
		return "the guest image is older than its agent or script (make qemu-guest-image)";
	return NULL;
}

#endif
