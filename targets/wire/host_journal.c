// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * host_journal.c - the journal file of host_changes.c: one YAML file per
 * port, written whole (temporary file, fsync, rename) before the change it
 * records, read back by the next run to undo what a dead one left.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_journal.h"
#include "ofd_yaml.h"
#include "ofd_yaml_emit.h"

const char *const ofdint_kind_names[] = { "feature", "link", "mtu" };

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

static void emit_journal(struct ofd_yemit *y, const struct journal *j)
{
	unsigned int i;

	ofd_yemit_map(y, false);
	ofd_yemit_kv_uint(y, "pid", (unsigned long long)j->pid);
	ofd_yemit_kv_uint(y, "start_time", j->start);
	ofd_yemit_kv_str(y, "netns", j->netns);
	ofd_yemit_kv_str(y, "port", j->ifname);
	ofd_yemit_plain(y, "changes");
	ofd_yemit_seq(y, false);
	for (i = 0; i < j->n; i++) {
		const struct change *c = &j->ch[i];

		ofd_yemit_map(y, false);
		ofd_yemit_kv_plain(y, "what", ofdint_kind_names[c->kind]);
		if (c->kind == CH_FEATURE) {
			ofd_yemit_kv_str(y, "name", c->name);
			ofd_yemit_kv_plain(y, "was", c->was ? "on" : "off");
		} else if (c->kind == CH_LINK) {
			ofd_yemit_kv_plain(y, "was", c->was ? "up" : "down");
		} else {
			ofd_yemit_kv_uint(y, "was", c->was);
		}
		ofd_yemit_end_map(y);
	}
	ofd_yemit_end_seq(y);
	ofd_yemit_end_map(y);
}

static void fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	/* path is DIR/changes/NAME: a '/' is always there. */
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Write j to path whole: a temporary file, fsync'd, then renamed over the
 * old one, or (exclusive) linked, which fails with -EEXIST when another
 * journal holds the name.
 */
int ofdint_journal_write(const struct journal *j, const char *path, bool exclusive)
{
	char tmp[PATH_MAX];
	struct ofd_yemit y;
	FILE *f;
	int fd, e;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		e = -errno;
		close(fd);
		unlink(tmp);
		return e;
	}
	fprintf(f, "# offdiff: what a run changed on this port, to undo when it ends or dies\n"
		   "# (`offdiff iface restore` undoes the journals of dead runs)\n");
	ofd_yemit_open(&y, f);
	emit_journal(&y, j);
	e = ofd_yemit_close(&y);
	if (!e && (fflush(f) || fsync(fd)))
		e = -errno;
	if (fclose(f) && !e)
		e = -errno;
	if (!e && exclusive)
		e = link(tmp, path) ? -errno : 0;
	else if (!e)
		e = rename(tmp, path) ? -errno : 0;
	if (e || exclusive)
		unlink(tmp);
	if (!e)
		fsync_dir(path);
	return e;
}

int ofdint_add_change(struct journal *j, int kind, const char *name, unsigned int was)
{
	struct change *c;

	if (j->n == MAX_CHANGES)
		return -E2BIG;
	c = &j->ch[j->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->was = was;
	if (name)
		snprintf(c->name, sizeof(c->name), "%s", name);
	return 0;
}

bool ofdint_journalled(const struct journal *j, int kind, const char *name)
{
	unsigned int i;

	for (i = 0; i < j->n; i++)
		if (j->ch[i].kind == kind && (kind != CH_FEATURE || !strcmp(j->ch[i].name, name)))
			return true;
	return false;
}

static int read_change(const struct ofd_ynode *n, struct journal *j, char *err, size_t len)
{
	static const char *const keys[] = { "what", "name", "was", NULL };
	const struct ofd_ynode *what, *name, *was;
	const char *w, *s = NULL;
	uint32_t v = 0;
	int e, b, kind;

	if (n->type != OFD_Y_MAP)
		return ofd_yerr(err, len, n, "a change must be a map (what, name, was)");
	e = ofd_y_check_keys(n, "a change", keys, err, len);
	if (e)
		return e;
	what = ofd_ymap_get(n, "what");
	name = ofd_ymap_get(n, "name");
	was = ofd_ymap_get(n, "was");
	if (!what || !was)
		return ofd_yerr(err, len, n, "a change needs 'what' and 'was'");
	e = ofd_y_str(what, "what", &w, err, len);
	if (e)
		return e;
	for (kind = 0; kind < 3 && strcmp(w, ofdint_kind_names[kind]); kind++)
		;
	if (kind == 3)
		return ofd_yerr(err, len, what, "what: expected feature, link or mtu, got '%.32s'", w);
	if (kind == CH_FEATURE) {
		if (!name)
			return ofd_yerr(err, len, n, "a feature change needs 'name'");
		e = ofd_y_str(name, "name", &s, err, len);
		if (!e && (!*s || strlen(s) >= OFD_ETHTOOL_NAME_LEN))
			e = ofd_yerr(err, len, name, "name: not a feature name");
		if (!e)
			e = ofd_y_bool(was, "was", &b, err, len);
		v = e ? 0 : (unsigned int)b;
	} else if (kind == CH_LINK) {
		e = ofd_y_str(was, "was", &w, err, len);
		if (!e && strcmp(w, "up") && strcmp(w, "down"))
			e = ofd_yerr(err, len, was, "was: expected up or down, got '%.32s'", w);
		v = !e && !strcmp(w, "up");
	} else {
		e = ofd_y_u32(was, "was", 0xffffffffu, &v, err, len);
		if (!e && !v)
			e = ofd_yerr(err, len, was, "was: an MTU cannot be 0");
	}
	return e ? e : ofdint_add_change(j, kind, s, v);
}

/* A namespace or interface name: one path component that fits buf. */
static int name_field(const struct ofd_ynode *n, const char *what, char *buf, size_t size,
		      char *err, size_t len)
{
	const char *s;
	int e = ofd_y_str(n, what, &s, err, len);

	if (!e && (strlen(s) >= size || strchr(s, '/')))
		e = ofd_yerr(err, len, n, "%s: not a name offdiff writes", what);
	if (!e)
		snprintf(buf, size, "%s", s);
	return e;
}

/* Load a journal; -EINVAL with "file:line:col: ..." when it is not one. */
int ofdint_journal_read(const char *path, struct journal *j, char *err, size_t len)
{
	static const char *const keys[] = { "pid", "start_time", "netns", "port", "changes",
					    NULL };
	const struct ofd_ynode *pid, *st, *ns, *port, *ch;
	struct ofd_ynode *root;
	const char *s;
	char *end;
	uint32_t v;
	size_t i;
	int e;

	memset(j, 0, sizeof(*j));
	e = ofd_yaml_load_file(path, &root, err, len);
	if (e)
		return e;
	if (root->type != OFD_Y_MAP) {
		e = ofd_yerr(err, len, root, "not a journal: expected a map");
		goto out;
	}
	e = ofd_y_check_keys(root, "a journal", keys, err, len);
	if (e)
		goto out;
	pid = ofd_ymap_get(root, "pid");
	st = ofd_ymap_get(root, "start_time");
	ns = ofd_ymap_get(root, "netns");
	port = ofd_ymap_get(root, "port");
	ch = ofd_ymap_get(root, "changes");
	if (!pid || !st || !ns || !port || !ch) {
		e = ofd_yerr(err, len, root, "a journal needs pid, start_time, netns, port and "
			     "changes");
		goto out;
	}
	e = ofd_y_u32(pid, "pid", INT_MAX, &v, err, len);
	if (e)
		goto out;
	j->pid = v;
	e = ofd_y_str(st, "start_time", &s, err, len);
	if (e)
		goto out;
	errno = 0;
	j->start = strtoull(s, &end, 10);
	if (errno || !*s || *end || *s == '-') {
		e = ofd_yerr(err, len, st, "start_time: expected a number of clock ticks");
		goto out;
	}
	e = name_field(ns, "netns", j->netns, sizeof(j->netns), err, len);
	if (!e)
		e = name_field(port, "port", j->ifname, sizeof(j->ifname), err, len);
	if (!e && !j->ifname[0])
		e = ofd_yerr(err, len, port, "port: empty");
	if (!e && ch->type != OFD_Y_SEQ)
		e = ofd_yerr(err, len, ch, "changes: expected a list");
	for (i = 0; i < ch->n && !e; i++)
		e = read_change(ch->items[i], j, err, len);
out:
	ofd_yaml_free(root);
	return e;
}

int ofdint_journal_path(const char *dir, const char *netns, const char *ifname, char *buf,
			size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s@%s.yaml", dir, netns && *netns ? netns : "-",
			     ifname) >= len)
		return -ENAMETOOLONG;
	return 0;
}
