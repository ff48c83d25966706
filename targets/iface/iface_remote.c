// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_remote.c - the iface target's peer on a second host.
 *
 * As the kernel's drivers/net/hw tests attach a remote, the peer port is
 * reached over ssh: `ssh HOST offdiff wire capture --port PEER` reads the
 * wire there (receive offloads off on that host, journalled there) and
 * streams it back as pcap. A thread reads the stream with libpcap and
 * hands each frame over a SOCK_SEQPACKET pair, so the data path reads a
 * remote wire exactly as it reads a local capture socket. `remote_cmd`
 * replaces "ssh -o BatchMode=yes HOST" (another transport, or `ip netns
 * exec NS` to try it on one machine).
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iface_internal.h"

struct iface_remote {
	pid_t pid;
	int to_child;      /* its stdin: closing it ends the session */
	int sp[2];         /* [0]: the data path's end, [1]: the reader's */
	FILE *from_child;
	pcap_t *p;
	pthread_t reader;
	bool reader_started;
};

static void *reader_main(void *arg)
{
	struct iface_remote *r = arg;
	struct pcap_pkthdr *h;
	const u_char *d;

	while (pcap_next_ex(r->p, &h, &d) == 1)
		if (send(r->sp[1], d, h->caplen, MSG_NOSIGNAL) < 0 && errno != EINTR)
			break;
	/* End of the stream: the data path sees the pair hang up. */
	shutdown(r->sp[1], SHUT_WR);
	return NULL;
}

static int spawn(struct iface_remote *r, const char *cmd)
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	r->pid = fork();
	if (r->pid < 0)
		return -errno;
	if (!r->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	r->to_child = in[1];
	r->from_child = fdopen(out[0], "r");
	return r->from_child ? 0 : -errno;
}

int iface_remote_open(struct iface *f, const char *cmd, char *err, size_t err_len)
{
	struct iface_remote *r = calloc(1, sizeof(*r));
	char ebuf[PCAP_ERRBUF_SIZE];
	int big = 8 << 20, e;

	if (!r)
		return -ENOMEM;
	r->to_child = r->sp[0] = r->sp[1] = -1;
	f->remote = r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sp))
		return -errno;
	setsockopt(r->sp[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(r->sp[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	fcntl(r->sp[0], F_SETFL, O_NONBLOCK);
	e = spawn(r, cmd);
	if (e) {
		snprintf(err, err_len, "cannot start `%s`: %s", cmd, strerror(-e));
		return e;
	}
	/* The stream's header comes once the far end captures: only then
	 * may cases go out. */
	r->p = pcap_fopen_offline(r->from_child, ebuf);
	if (!r->p) {
		snprintf(err, err_len, "`%s` did not start a capture (%s)", cmd, ebuf);
		return -EIO;
	}
	r->from_child = NULL; /* pcap owns it now */
	if (pthread_create(&r->reader, NULL, reader_main, r))
		return -EAGAIN;
	r->reader_started = true;
	f->cap_fd = r->sp[0];
	return 0;
}

void iface_remote_close(struct iface *f)
{
	struct iface_remote *r = f->remote;
	int status, i;

	if (!r)
		return;
	if (r->to_child >= 0)
		close(r->to_child); /* the far end stops on EOF */
	for (i = 0; r->pid > 0 && i < 50; i++) {
		if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
			r->pid = 0;
			break;
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		waitpid(r->pid, &status, 0);
	}
	if (r->reader_started)
		pthread_join(r->reader, NULL);
	if (r->p)
		pcap_close(r->p);
	if (r->from_child)
		fclose(r->from_child);
	if (r->sp[1] >= 0)
		close(r->sp[1]);
	/* sp[0] is f->cap_fd, closed by the caller. */
	if (f->cap_fd != r->sp[0] && r->sp[0] >= 0)
		close(r->sp[0]);
	free(r);
	f->remote = NULL;
}
