// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * netns.c - named network namespaces and sockets made inside one.
 *
 * Ports a user points offdiff at may live in a namespace `ip netns add`
 * made; the virtual NIC makes one the same way so that `ip netns exec`,
 * tcpdump and offdiff's --netns all find it. The process never switches
 * its own namespace: a short-lived thread joins the namespace, makes the
 * socket (which keeps its namespace for life) or runs the set-up, and ends.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd_netns.h"

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	/* One path component, as iproute2 requires. */
	return n && n < 64 && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

int ofd_netns_open(const char *name, int *fd, char *err, size_t err_len)
{
	char path[128];

	if (!name || !*name) {
		*fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		return *fd < 0 ? -errno : 0;
	}
	if (!name_ok(name)) {
		snprintf(err, err_len, "'%s' is not a network namespace name", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		int e = errno;

		if (e == ENOENT)
			snprintf(err, err_len, "no network namespace '%s' (see `ip netns list`)",
				 name);
		else
			snprintf(err, err_len, "%s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

struct ns_call {
	int nsfd;
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static void *ns_thread(void *p)
{
	struct ns_call *c = p;

	if (setns(c->nsfd, CLONE_NEWNET)) {
		c->ret = -errno;
		return NULL;
	}
	c->ret = c->fn(c->arg);
	return NULL;
}

int ofd_netns_run(int nsfd, int (*fn)(void *arg), void *arg)
{
	struct ns_call c = { .nsfd = nsfd, .fn = fn, .arg = arg };
	pthread_t th;
	int e;

	if (nsfd < 0)
		return fn(arg);
	e = pthread_create(&th, NULL, ns_thread, &c);
	if (e)
		return -e;
	pthread_join(th, NULL);
	return c.ret;
}

struct sock_args {
	int domain, type, proto;
};

static int make_socket(void *p)
{
	struct sock_args *a = p;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->proto);

	return fd < 0 ? -errno : fd;
}

int ofd_netns_socket(int nsfd, int domain, int type, int proto)
{
	struct sock_args a = { domain, type, proto };

	return ofd_netns_run(nsfd, make_socket, &a);
}

/* /run/netns must be a shared mount so that a namespace bound under it is
 * seen from every mount namespace, as iproute2 sets it up. */
static int netns_dir_shared(void)
{
	if (mkdir(OFD_NETNS_DIR, 0755) && errno != EEXIST) {
		/* /run/netns's parent may be missing in a minimal system. */
		if (errno != ENOENT || mkdir("/run", 0755) || mkdir(OFD_NETNS_DIR, 0755))
			return -errno;
	}
	if (!mount("", OFD_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* Not a mount point yet: bind it onto itself, then share it. */
	if (mount(OFD_NETNS_DIR, OFD_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) ||
	    mount("", OFD_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return -errno;
	return 0;
}

static int bind_new_netns(void *p)
{
	char self[64];

	if (unshare(CLONE_NEWNET))
		return -errno;
	snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", (long)gettid());
	return mount(self, (const char *)p, "none", MS_BIND, NULL) ? -errno : 0;
}

static void *create_thread(void *p)
{
	struct ns_call *c = p;

	c->ret = c->fn(c->arg);
	return NULL;
}

int ofd_netns_create(const char *name, char *err, size_t err_len)
{
	char path[128];
	struct ns_call c = { .nsfd = -1, .fn = bind_new_netns, .arg = path };
	pthread_t th;
	int fd, e;

	if (!name_ok(name)) {
		snprintf(err, err_len, "'%s' is not a network namespace name", name);
		return -EINVAL;
	}
	e = netns_dir_shared();
	if (e) {
		snprintf(err, err_len, "cannot prepare " OFD_NETNS_DIR ": %s", strerror(-e));
		return e;
	}
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		if (e == EEXIST)
			snprintf(err, err_len, "network namespace '%s' exists already", name);
		else
			snprintf(err, err_len, "cannot create network namespace '%s': %s", name,
				 strerror(e));
		return -e;
	}
	close(fd);
	/* unshare() in a thread of its own: the thread's new namespace is
	 * bound to the file, then the thread ends; ours never changes. */
	e = pthread_create(&th, NULL, create_thread, &c);
	if (!e) {
		pthread_join(th, NULL);
		e = c.ret;
	} else {
		e = -e;
	}
	if (e) {
		unlink(path);
		snprintf(err, err_len, "cannot create network namespace '%s': %s", name,
			 strerror(-e));
	}
	return e;
}

int ofd_netns_delete(const char *name)
{
	char path[128];

	if (!name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	/* Lazy: a process still inside keeps the namespace alive; the name
	 * goes now, as with `ip netns del`. */
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return -errno;
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

int ofd_netns_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_CLOEXEC), e = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		e = -errno;
	else if ((size_t)n != len)
		e = -(errno = EIO);
	close(fd);
	if (e)
		errno = -e;
	return e;
}
