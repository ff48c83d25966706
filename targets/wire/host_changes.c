// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * host_changes.c - the journal of what offdiff changed on a host's ports,
 * so that a run killed halfway (SIGKILL, the OOM killer, a power cut of
 * the controlling ssh) does not leave a NIC with its GRO off or its link
 * down: the next run, or `offdiff iface restore`, puts it back.
 *
 * One YAML file per port, $OFFDIFF_STATE_DIR (default /run/offdiff)/changes/
 * <netns or "-">@<ifname>.yaml, holds the pid and start time of the run
 * that owns the port and the original value of each thing it changed, in
 * the order it changed them. The file is always written whole (temporary
 * file, fsync, rename) before the change it records, so after a crash it
 * says at least everything that happened. The start time (/proc/PID/stat)
 * tells a dead run from a live one whose pid was reused.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_journal.h"
#include "ofd_ethtool.h"

#define STATE_DIR_DEFAULT "/run/offdiff"

struct ofd_host_changes {
	struct journal j;
	struct ofd_ethtool *et;
	char path[PATH_MAX];
};

/* ------------------------------------------------------------------ */
/* Where, and whose                                                    */
/* ------------------------------------------------------------------ */

static const char *state_dir(void)
{
	const char *d = getenv("OFFDIFF_STATE_DIR");

	return d && *d ? d : STATE_DIR_DEFAULT;
}

static int changes_dir(char *buf, size_t len, bool create)
{
	const char *d = state_dir();

	if (create && mkdir(d, 0755) && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(buf, len, "%s/changes", d) >= len)
		return -ENAMETOOLONG;
	if (create && mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* One run at a time claims, restores or removes journals: two runs that
 * start together must not both undo a dead run's journal, nor one remove
 * the journal the other just wrote. flock ends with its holder. */
static int lock_dir(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* starttime, field 22 of /proc/PID/stat (clock ticks after boot); the
 * command name before it may hold spaces and parentheses, so fields are
 * counted from its last ')'. -ESRCH when there is no such process. */
static int proc_start(long pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	for (i = 2; p && i < 22; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EBADMSG;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

static bool run_alive(const struct journal *j)
{
	unsigned long long s;

	return j->pid > 0 && !proc_start(j->pid, &s) && s == j->start;
}

/* "va" or "va in netns X", for every line about a port. */
static const char *port_name(const struct journal *j)
{
	static char buf[2][128];
	static int k;

	k ^= 1;
	if (j->netns[0])
		snprintf(buf[k], sizeof(buf[k]), "%s in netns %s", j->ifname, j->netns);
	else
		snprintf(buf[k], sizeof(buf[k]), "%s", j->ifname);
	return buf[k];
}

/* ------------------------------------------------------------------ */
/* Undoing                                                             */
/* ------------------------------------------------------------------ */

static int undo_one(struct ofd_ethtool *et, const struct journal *j, const struct change *c,
		    char *why, size_t len)
{
	unsigned int mtu;
	bool up;
	int e;

	if (c->kind == CH_FEATURE)
		return ofd_ethtool_set_feature(et, j->ifname, c->name, c->was, why, len);
	if (c->kind == CH_LINK)
		e = ofd_ethtool_set_link(et, j->ifname, c->was, 0);
	else {
		/* RTM_NEWLINK says up or down along with the MTU: the
		 * state the port has now. */
		e = ofd_ethtool_link(et, j->ifname, &up, &mtu);
		if (!e)
			e = ofd_ethtool_set_link(et, j->ifname, up, c->was);
	}
	if (e)
		snprintf(why, len, "%s", ofd_ethtool_strerror(et));
	return e;
}

/*
 * Undo j's changes on its port, last first. et may be NULL (opened here).
 * done gets "rx-gro on, link up" in the journal's order, a failure with
 * its reason. *gone: the port or its namespace no longer exists. Returns 0
 * or the first -errno; each change that failed is marked.
 */
static int undo(struct ofd_ethtool *et, struct journal *j, char *done, size_t len,
		bool *gone)
{
	char why[256], err[256];
	struct ofd_ethtool *own = NULL;
	unsigned int i;
	size_t n;
	int e, first = 0;

	done[0] = '\0';
	*gone = false;
	if (!et) {
		e = ofd_ethtool_open_netns(j->netns, &own, err, sizeof(err));
		if (e == -ENOENT && j->netns[0]) {
			*gone = true;
			snprintf(done, len, "netns %s no longer exists", j->netns);
			return 0;
		}
		if (e) {
			snprintf(done, len, "%s", err);
			return e;
		}
		et = own;
	}
	e = ofd_ethtool_link(et, j->ifname, NULL, NULL);
	if (e == -ENODEV) {
		*gone = true;
		snprintf(done, len, "the port no longer exists");
		ofd_ethtool_close(own);
		return 0;
	}
	for (i = j->n; i-- > 0;) {
		e = undo_one(et, j, &j->ch[i], why, sizeof(why));
		j->ch[i].failed = e != 0;
		if (e && !first) {
			first = e;
			snprintf(err, sizeof(err), "%s", why);
		}
	}
	for (i = 0, n = 0; i < j->n && n < len; i++) {
		const struct change *c = &j->ch[i];
		char v[16];

		snprintf(v, sizeof(v), "%u", c->was);
		n += (size_t)snprintf(done + n, len - n, "%s%s %s%s", i ? ", " : "",
				      c->kind == CH_FEATURE ? c->name : ofdint_kind_names[c->kind],
				      c->kind == CH_MTU ? v : c->kind == CH_LINK ?
				      (c->was ? "up" : "down") : (c->was ? "on" : "off"),
				      c->failed ? " failed" : "");
	}
	/* The reason of the first failure, once: the rest are marked. */
	if (first && n < len)
		snprintf(done + n, len - n, " (%s)", err);
	ofd_ethtool_close(own);
	return first;
}

/* After undo: remove the journal, or keep what could not be undone so a
 * later `offdiff iface restore` tries again. */
static int settle(struct journal *j, const char *path, int undone, bool gone)
{
	unsigned int i, k = 0;

	if (!undone || gone)
		return unlink(path) && errno != ENOENT ? -errno : 0;
	for (i = 0; i < j->n; i++)
		if (j->ch[i].failed)
			j->ch[k++] = j->ch[i];
	j->n = k;
	return ofdint_journal_write(j, path, false);
}

/* Undo a dead run's journal at path (the lock held) and say so. 1 when
 * it had changes, 0 when it was empty, or -errno with err. */
static int undo_dead(struct journal *j, const char *path, char *err, size_t err_len)
{
	char done[512];
	bool gone;
	int e;

	if (!j->n) {
		ofd_pr_debug("removed the empty journal of %s (pid %ld died)\n", port_name(j),
			     j->pid);
		return unlink(path) && errno != ENOENT ? -errno : 0;
	}
	e = undo(NULL, j, done, sizeof(done), &gone);
	if (gone)
		ofd_pr_info("removed the journal of %s: %s (left by pid %ld, which died)\n",
			    port_name(j), done, j->pid);
	else if (!e)
		ofd_pr_info("restored %s: %s (left by pid %ld, which died)\n", port_name(j), done,
			    j->pid);
	else
		snprintf(err, err_len, "could not restore all of %s: %s (left by pid %ld, "
			 "which died; kept in %s)", port_name(j), done, j->pid, path);
	settle(j, path, e, gone);
	return e ? e : 1;
}

int ofd_host_changes_begin(const char *netns, const char *ifname,
			   struct ofd_host_changes **out, char *err, size_t err_len)
{
	struct ofd_host_changes *hc;
	char dir[PATH_MAX];
	struct journal old;
	int e, lock = -1, tries;

	*out = NULL;
	netns = netns ? netns : "";
	if (!*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/')) {
		snprintf(err, err_len, "'%.64s' is not an interface name", ifname);
		return -EINVAL;
	}
	hc = calloc(1, sizeof(*hc));
	if (!hc)
		return -ENOMEM;
	snprintf(hc->j.netns, sizeof(hc->j.netns), "%s", netns);
	snprintf(hc->j.ifname, sizeof(hc->j.ifname), "%s", ifname);
	hc->j.pid = getpid();
	e = proc_start(hc->j.pid, &hc->j.start);
	if (!e)
		e = ofd_ethtool_open_netns(netns, &hc->et, err, err_len);
	if (e)
		goto fail;
	e = ofd_ethtool_link(hc->et, ifname, NULL, NULL);
	if (e) {
		snprintf(err, err_len, "%s", ofd_ethtool_strerror(hc->et));
		goto fail;
	}
	e = changes_dir(dir, sizeof(dir), true);
	if (!e)
		e = ofdint_journal_path(dir, netns, ifname, hc->path, sizeof(hc->path));
	if (!e) {
		lock = lock_dir(dir);
		e = lock < 0 ? lock : 0;
	}
	if (e) {
		snprintf(err, err_len, "cannot write journals in %s: %s", dir, strerror(-e));
		goto fail;
	}
	for (tries = 0; tries < 2; tries++) {
		e = ofdint_journal_write(&hc->j, hc->path, true);
		if (e != -EEXIST)
			break;
		e = ofdint_journal_read(hc->path, &old, err, err_len);
		if (e)
			break;
		if (run_alive(&old)) {
			snprintf(err, err_len, "%s is held by offdiff pid %ld, which is still "
				 "running (journal %s)", port_name(&old), old.pid, hc->path);
			e = -EBUSY;
			break;
		}
		e = undo_dead(&old, hc->path, err, err_len);
		if (e < 0)
			break;
	}
	if (e && e != -EBUSY && e != -EINVAL && !err[0])
		snprintf(err, err_len, "cannot write %s: %s", hc->path, strerror(-e));
	close(lock);
	if (e)
		goto fail;
	*out = hc;
	return 0;
fail:
	ofd_ethtool_close(hc->et);
	free(hc);
	return e;
}

struct ofd_ethtool *ofd_host_ethtool(struct ofd_host_changes *hc)
{
	return hc->et;
}

/* Drop the entries from index `from` on whose change did not happen: the
 * port still has the value they say it had. */
static void drop_unchanged(struct ofd_host_changes *hc, unsigned int from)
{
	unsigned int i, k = from, mtu;
	bool v, chg, up;

	for (i = from; i < hc->j.n; i++) {
		const struct change *c = &hc->j.ch[i];
		bool same;

		if (c->kind == CH_FEATURE)
			same = !ofd_ethtool_feature(hc->et, hc->j.ifname, c->name, &v, &chg) &&
			       v == (bool)c->was;
		else
			same = !ofd_ethtool_link(hc->et, hc->j.ifname, &up, &mtu) &&
			       (c->kind == CH_LINK ? up == (bool)c->was : mtu == c->was);
		if (!same)
			hc->j.ch[k++] = *c;
	}
	if (k != hc->j.n) {
		hc->j.n = k;
		ofdint_journal_write(&hc->j, hc->path, false);
	}
}

static int write_or_say(struct ofd_host_changes *hc, unsigned int from, char *err,
			size_t err_len)
{
	int e = ofdint_journal_write(&hc->j, hc->path, false);

	if (e) {
		hc->j.n = from;
		snprintf(err, err_len, "cannot write the journal %s: %s; nothing changed",
			 hc->path, strerror(-e));
	}
	return e;
}

int ofd_host_set_feature(struct ofd_host_changes *hc, const char *feature, bool on,
			 char *err, size_t err_len)
{
	const char *const *m = ofd_ethtool_alias(feature), *single[] = { feature, NULL };
	unsigned int from = hc->j.n;
	bool active, chg, any = false;
	int e;

	/* A group name changes its members one by one, each journalled. */
	if (!m)
		m = single;
	for (; *m; m++) {
		e = ofd_ethtool_feature(hc->et, hc->j.ifname, *m, &active, &chg);
		if (e == -ENOENT || e == -EOPNOTSUPP)
			continue;
		if (e) {
			snprintf(err, err_len, "%s", ofd_ethtool_strerror(hc->et));
			goto undo_journal;
		}
		any = true;
		if (active == on || ofdint_journalled(&hc->j, CH_FEATURE, *m))
			continue;
		e = ofdint_add_change(&hc->j, CH_FEATURE, *m, active);
		if (e)
			goto undo_journal;
	}
	/* Not a feature of this device, or not one of the kernel: the
	 * setter's own refusal says which. */
	if (!any)
		return ofd_ethtool_set_feature(hc->et, hc->j.ifname, feature, on, err, err_len);
	if (hc->j.n > from) {
		e = write_or_say(hc, from, err, err_len);
		if (e)
			return e;
	}
	e = ofd_ethtool_set_feature(hc->et, hc->j.ifname, feature, on, err, err_len);
	if (e)
		drop_unchanged(hc, from);
	return e;
undo_journal:
	hc->j.n = from;
	return e;
}

int ofd_host_set_link(struct ofd_host_changes *hc, bool up, unsigned int mtu, char *err,
		      size_t err_len)
{
	unsigned int from = hc->j.n, mtu0;
	bool up0;
	int e = ofd_ethtool_link(hc->et, hc->j.ifname, &up0, &mtu0);

	if (e) {
		snprintf(err, err_len, "%s", ofd_ethtool_strerror(hc->et));
		return e;
	}
	if (mtu == mtu0)
		mtu = 0;
	if (up == up0 && !mtu)
		return 0;
	if (up != up0 && !ofdint_journalled(&hc->j, CH_LINK, NULL))
		e = ofdint_add_change(&hc->j, CH_LINK, NULL, up0);
	if (!e && mtu && !ofdint_journalled(&hc->j, CH_MTU, NULL))
		e = ofdint_add_change(&hc->j, CH_MTU, NULL, mtu0);
	if (!e && hc->j.n > from)
		e = write_or_say(hc, from, err, err_len);
	if (e)
		return e;
	e = ofd_ethtool_set_link(hc->et, hc->j.ifname, up, mtu);
	if (e) {
		snprintf(err, err_len, "%s", ofd_ethtool_strerror(hc->et));
		drop_unchanged(hc, from);
	}
	return e;
}

int ofd_host_changes_restore(struct ofd_host_changes *hc)
{
	char done[512], dir[PATH_MAX];
	bool gone = false;
	int e = 0, lock;

	if (!hc)
		return 0;
	if (hc->j.n) {
		e = undo(hc->et, &hc->j, done, sizeof(done), &gone);
		if (e)
			ofd_pr_warn("could not restore all of %s: %s\n", port_name(&hc->j), done);
		else
			ofd_pr_debug("restored %s: %s\n", port_name(&hc->j), done);
	}
	lock = changes_dir(dir, sizeof(dir), false) ? -1 : lock_dir(dir);
	settle(&hc->j, hc->path, e, gone);
	if (lock >= 0)
		close(lock);
	ofd_ethtool_close(hc->et);
	free(hc);
	return e;
}

int ofd_host_restore_dead(char *err, size_t err_len)
{
	char dir[PATH_MAX], path[PATH_MAX], one[768];
	struct dirent **ents;
	struct journal j;
	int i, n, e, lock, count = 0, first = 0, failed = 0;

	e = changes_dir(dir, sizeof(dir), false);
	if (!e && access(dir, F_OK))
		return errno == ENOENT ? 0 : -errno;
	lock = e ? e : lock_dir(dir);
	if (lock < 0) {
		snprintf(err, err_len, "cannot lock %s: %s", dir, strerror(-lock));
		return lock;
	}
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		e = -errno;
		snprintf(err, err_len, "cannot read %s: %s", dir, strerror(-e));
		close(lock);
		return e;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);

		if (name[0] == '.' || len <= 5 || strcmp(name + len - 5, ".yaml")) {
			/* a temporary journal ("X.yaml.tmp<pid>") of a dead run */
			const char *t = strstr(name, ".yaml.tmp");
			unsigned long long st;

			snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (t && atol(t + 9) > 0 && proc_start(atol(t + 9), &st))
				unlink(path);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		e = ofdint_journal_read(path, &j, one, sizeof(one));
		if (!e && run_alive(&j))
			continue;
		if (!e)
			e = undo_dead(&j, path, one, sizeof(one));
		if (e > 0)
			count++;
		if (e < 0 && !failed++) {
			first = e;
			snprintf(err, err_len, "%s", one);
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	close(lock);
	if (failed > 1)
		snprintf(err + strlen(err), err_len - strlen(err), " (and %d more)", failed - 1);
	return failed ? first : count;
}
