// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_netns.c - named namespaces as iproute2 makes them, sockets inside.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd_netns.h"
#include "ofd_test.h"

START_TEST(test_create_open_delete)
{
	char name[64], err[256] = "", cmd[160];
	struct stat a, b;
	int fd, ours, s;

	snprintf(name, sizeof(name), "ofd-check-%d", (int)getpid());
	ck_assert_int_eq(ofd_netns_create(name, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_netns_create(name, err, sizeof(err)), -EEXIST);
	ck_assert_int_eq(ofd_netns_open(name, &fd, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_netns_open(NULL, &ours, err, sizeof(err)), 0);
	/* A different namespace from ours: another inode of nsfs. */
	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(fstat(ours, &b), 0);
	ck_assert(a.st_ino != b.st_ino);
	/* iproute2 sees it: `ip netns exec` runs in it (lo only, down). */
	snprintf(cmd, sizeof(cmd), "ip netns exec %s ip -o link show | grep -qv ' lo:'", name);
	ck_assert_int_ne(system(cmd), 0);
	/* A socket made inside sees that namespace's links: only lo, index 1. */
	s = ofd_netns_socket(fd, AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	{
		struct ifreq ifr = { .ifr_ifindex = 2 };

		ck_assert_int_ne(ioctl(s, SIOCGIFNAME, &ifr), 0);
		ifr.ifr_ifindex = 1;
		ck_assert_int_eq(ioctl(s, SIOCGIFNAME, &ifr), 0);
		ck_assert_str_eq(ifr.ifr_name, "lo");
	}
	close(s);
	close(fd);
	close(ours);
	ck_assert_int_eq(ofd_netns_delete(name), 0);
	ck_assert_int_eq(ofd_netns_open(name, &fd, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "no network namespace"));
}
END_TEST

START_TEST(test_bad_names)
{
	char err[128];
	int fd;

	ck_assert_int_eq(ofd_netns_open("../etc", &fd, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(ofd_netns_create("a/b", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(ofd_netns_delete(".."), -EINVAL);
}
END_TEST

static Suite *netns_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("named");

	tcase_add_test(tc, test_create_open_delete);
	tcase_add_test(tc, test_bad_names);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(netns_suite);
