/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ethtool_test_util.h - what check_ethtool.c and check_host_changes.c
 * share: a named namespace with veth pairs made by iproute2, and readings
 * of a port that do not go through ethtool.c (the legacy ethtool ioctls,
 * SIOCGIFFLAGS and SIOCGIFMTU), so that a test judges our netlink code by
 * something else than itself; and the iface suites' fixture.
 */
#ifndef ETHTOOL_TEST_UTIL_H
#define ETHTOOL_TEST_UTIL_H

#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ofd_netns.h"
#include "ofd_test.h"

/* The namespace of a test file's run: made by the unchecked fixture in
 * the parent, so that it goes even when a test fails. */
static char et_ns[64];

static inline void et_ns_setup(const char *tag)
{
	char *text;

	snprintf(et_ns, sizeof(et_ns), "ofd-%s-%d", tag, (int)getpid());
	ck_assert_msg(ofd_test_run(&text, true, "ip netns add %s", et_ns) == 0, "%s", text);
	free(text);
}

static inline void et_ns_teardown(void)
{
	char *text;

	ofd_test_run(&text, true, "ip netns del %s", et_ns);
	free(text);
}

/* The iface suites' fixture: the namespace, and a state directory of
 * the test's own for the journal of what iface changes
 * (OFFDIFF_STATE_DIR). Without root neither is made; et_root says so. */
static char et_state[256];

static inline bool et_root(const char *suite)
{
	if (geteuid() == 0)
		return true;
	fprintf(stderr, "%s: not run: needs root\n", suite);
	return false;
}

static inline void et_iface_setup(const char *tag)
{
	if (geteuid() != 0)
		return;
	et_ns_setup(tag);
	ofd_test_mkdtemp(et_state, sizeof(et_state), tag);
	setenv("OFFDIFF_STATE_DIR", et_state, 1);
}

static inline void et_iface_teardown(void)
{
	char *text;

	if (geteuid() != 0)
		return;
	et_ns_teardown();
	ofd_test_run(&text, true, "rm -rf %s", et_state);
	free(text);
}

/* A veth pair a <-> b in the test's namespace, both down. */
static inline void et_veth(const char *a, const char *b)
{
	char *text;

	ck_assert_msg(ofd_test_run(&text, true, "ip -n %s link add name %s type veth peer name %s",
				   et_ns, a, b) == 0, "%s", text);
	free(text);
}

static inline int et_sock(void)
{
	char err[256] = "";
	int fd, s;

	ck_assert_msg(ofd_netns_open(et_ns, &fd, err, sizeof(err)) == 0, "%s", err);
	s = ofd_netns_socket(fd, AF_INET, SOCK_DGRAM, 0);
	close(fd);
	ck_assert_int_ge(s, 0);
	return s;
}

static inline int et_ioctl(const char *port, unsigned long req, struct ifreq *ifr)
{
	int s = et_sock(), r;

	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", port);
	r = ioctl(s, req, ifr);
	close(s);
	return r;
}

/* ETHTOOL_GGRO, ETHTOOL_GTXCSUM, ETHTOOL_GTSO: 0 or 1. */
static inline int et_get(const char *port, __u32 cmd)
{
	struct ethtool_value v = { .cmd = cmd };
	struct ifreq ifr = { .ifr_data = (void *)&v };

	ck_assert_msg(et_ioctl(port, SIOCETHTOOL, &ifr) == 0, "ethtool ioctl %#x on %s", cmd,
		      port);
	return !!v.data;
}

/* ETHTOOL_SGRO etc., to set a starting state without our code. */
static inline void et_set(const char *port, __u32 cmd, int on)
{
	struct ethtool_value v = { .cmd = cmd, .data = (__u32)on };
	struct ifreq ifr = { .ifr_data = (void *)&v };

	ck_assert_msg(et_ioctl(port, SIOCETHTOOL, &ifr) == 0, "ethtool ioctl %#x on %s", cmd,
		      port);
}

static inline int et_up(const char *port)
{
	struct ifreq ifr = { 0 };

	ck_assert_int_eq(et_ioctl(port, SIOCGIFFLAGS, &ifr), 0);
	return !!(ifr.ifr_flags & IFF_UP);
}

static inline int et_mtu(const char *port)
{
	struct ifreq ifr = { 0 };

	ck_assert_int_eq(et_ioctl(port, SIOCGIFMTU, &ifr), 0);
	return ifr.ifr_mtu;
}

#endif
