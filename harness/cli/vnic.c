// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vnic.c - `offdiff vnic up|down|list`: a virtual NIC whose hardware side
 * is the emulator (targets/vnic/ofd_vnic.h), in a named namespace, for a
 * user to point tcpdump, a stack or offdiff's iface target at.
 *
 *   offdiff vnic up --profile P [--name N] [--profile-dir D]
 *   offdiff vnic down [--name N]
 *   offdiff vnic list
 *
 * The device process outlives `vnic up`, so what `down` and `list` need is
 * kept in files: $OFFDIFF_STATE_DIR/vnic/N.pid (pid, profile, ports) and
 * N.log (the device's messages and its counters when it stops). A pid read
 * from a file is only killed when that process is still an offdiff in
 * namespace N: a pid is reused once its process is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd_cli.h"
#include "ofd_netns.h"
#include "ofd_vnic.h"

#define VNIC_DEFAULT_NAME "offdiff-vnic"
#define VNIC_STATE_DEFAULT "/run/offdiff"

struct vnic_opts {
	const char *profile, *profile_dir, *name, *checksum;
};

static const struct ofd_opt up_opts[] = {
	OFD_OPT('P', "profile", OFD_OPT_STR, struct vnic_opts, profile, "PROFILE",
		"the emulator's profile: a name in the profile directory, or a path"),
	OFD_OPT('n', "name", OFD_OPT_STR, struct vnic_opts, name, "NAME",
		"the network namespace to create (default " VNIC_DEFAULT_NAME ")"),
	OFD_OPT('d', "profile-dir", OFD_OPT_STR, struct vnic_opts, profile_dir, "DIR",
		"where profile names are looked up (default: the bundled profiles)"),
	OFD_OPT(0, "checksum", OFD_OPT_STR, struct vnic_opts, checksum, "generic|protocol",
		"its checksum engine: from csum_start (generic, default) or parsing headers (protocol)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static const struct ofd_opt name_opts[] = {
	OFD_OPT('n', "name", OFD_OPT_STR, struct vnic_opts, name, "NAME",
		"the virtual NIC's namespace (default " VNIC_DEFAULT_NAME ")"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

/* What N.pid holds. */
struct vnic_state {
	long pid;
	char profile[256], dev[32], wire[32];
};

static const char *state_dir(char *buf, size_t len)
{
	const char *d = getenv("OFFDIFF_STATE_DIR");

	snprintf(buf, len, "%s/vnic", d && *d ? d : VNIC_STATE_DEFAULT);
	return buf;
}

static int mkdir_p(const char *dir)
{
	char p[4096], *s;

	snprintf(p, sizeof(p), "%s", dir);
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) && errno != EEXIST)
				return -errno;
			*s = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -errno : 0;
}

/* The one path component a namespace name may be, as ofd_netns checks it:
 * here first, because the name also names our files. */
static bool name_ok(const char *n)
{
	return *n && strlen(n) < 64 && !strchr(n, '/') && strcmp(n, ".") && strcmp(n, "..");
}

static int state_read(const char *path, struct vnic_state *s)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "pid=", 4))
			s->pid = strtol(line + 4, NULL, 10);
		else if (!strncmp(line, "profile=", 8))
			snprintf(s->profile, sizeof(s->profile), "%s", line + 8);
		else if (!strncmp(line, "dev=", 4))
			snprintf(s->dev, sizeof(s->dev), "%s", line + 4);
		else if (!strncmp(line, "wire=", 5))
			snprintf(s->wire, sizeof(s->wire), "%s", line + 5);
	}
	fclose(f);
	return s->pid > 0 ? 0 : -EINVAL;
}

/* Written whole or not at all: a temporary file renamed over it. */
static int state_write(const char *path, const struct vnic_state *s)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "pid=%ld\nprofile=%s\ndev=%s\nwire=%s\n", s->pid, s->profile, s->dev,
		s->wire);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

/* pid is the device process of virtual NIC `name`: an offdiff running
 * `vnic` (any abbreviation) whose network namespace is /run/netns/name. */
static bool is_our_device(long pid, const char *name)
{
	char path[128], buf[4096];
	struct stat a, b;
	bool offdiff = false, vnic = false;
	size_t i;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (i = 0; i < (size_t)n; i += strlen(buf + i) + 1) {
		const char *base = strrchr(buf + i, '/');

		base = base ? base + 1 : buf + i;
		if (!i)
			offdiff = !strncmp(base, "offdiff", 7);
		else if (buf[i] && !strncmp("vnic", buf + i, strlen(buf + i)))
			vnic = true;
	}
	if (!offdiff || !vnic)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
	if (stat(path, &a))
		return false;
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	return !stat(path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int do_up(int argc, char **argv)
{
	struct vnic_opts o = { .name = VNIC_DEFAULT_NAME };
	struct ofd_vnic_opts vo = { 0 };
	struct vnic_state st = { 0 };
	struct ofd_vnic v;
	char dir[4096], pidf[4200], logf[4200], err[640];
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (!o.profile) {
		ofd_cli_err("vnic up: --profile is required (e.g. --profile conformant; see `offdiff profile list`)");
		return OFD_EXIT_USAGE;
	}
	if (!name_ok(o.name)) {
		ofd_cli_err("vnic up: %s is not a network namespace name", ofd_cli_q(o.name));
		return OFD_EXIT_USAGE;
	}
	state_dir(dir, sizeof(dir));
	if ((e = mkdir_p(dir))) {
		ofd_cli_err("vnic up: cannot create %s: %s", dir, strerror(-e));
		return OFD_EXIT_UNAVAILABLE;
	}
	snprintf(pidf, sizeof(pidf), "%s/%s.pid", dir, o.name);
	snprintf(logf, sizeof(logf), "%s/%s.log", dir, o.name);
	if (!access(OFD_NETNS_DIR, F_OK)) {
		snprintf(err, sizeof(err), OFD_NETNS_DIR "/%s", o.name);
		if (!access(err, F_OK)) {
			ofd_cli_err("vnic up: network namespace %s exists already (`offdiff vnic down --name %s` stops a virtual NIC of that name)",
				    ofd_cli_q(o.name), o.name);
			return OFD_EXIT_USAGE;
		}
	}
	if (o.checksum && strcmp(o.checksum, "generic") && strcmp(o.checksum, "protocol")) {
		ofd_cli_err("vnic up: --checksum is generic or protocol, not %s", ofd_cli_q(o.checksum));
		return OFD_EXIT_USAGE;
	}
	unlink(logf);
	vo.checksum = o.checksum;
	vo.profile = o.profile;
	vo.profile_dir = o.profile_dir;
	vo.netns = o.name;
	vo.log = logf;
	e = ofd_vnic_up(&vo, &v, err, sizeof(err));
	if (e) {
		ofd_cli_err("vnic up: %s", err);
		return e == -EINVAL || e == -ENOENT || e == -EEXIST ? OFD_EXIT_USAGE :
								      OFD_EXIT_UNAVAILABLE;
	}
	close(v.nsfd);
	v.nsfd = -1;
	st.pid = v.pid;
	snprintf(st.profile, sizeof(st.profile), "%s", o.profile);
	snprintf(st.dev, sizeof(st.dev), "%s", v.dev_port);
	snprintf(st.wire, sizeof(st.wire), "%s", v.wire_port);
	if ((e = state_write(pidf, &st))) {
		ofd_cli_err("vnic up: cannot write %s: %s; stopped it again", pidf, strerror(-e));
		ofd_vnic_down(&v);
		return OFD_EXIT_UNAVAILABLE;
	}
	printf("vnic %s: up, pid %d, profile %s\n"
	       "  namespace %s\n"
	       "  device    %s  (TX offloads on: the kernel hands it checksum and GSO requests)\n"
	       "  wire      %s  (what the emulated NIC puts on the wire)\n"
	       "  log       %s\n"
	       "try:\n"
	       "  ip netns exec %s tcpdump -ni %s\n"
	       "  offdiff run -t iface:netns=%s,port=%s,peer=%s\n",
	       o.name, (int)v.pid, o.profile, o.name, v.dev_port, v.wire_port, logf, o.name,
	       v.wire_port, o.name, v.dev_port, v.wire_port);
	return OFD_EXIT_EQUAL;
}

static int do_down(int argc, char **argv)
{
	struct vnic_opts o = { .name = VNIC_DEFAULT_NAME };
	struct vnic_state st;
	struct ofd_vnic v;
	char dir[4096], pidf[4200], ns[128];
	bool running;
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (!name_ok(o.name)) {
		ofd_cli_err("vnic down: %s is not a network namespace name", ofd_cli_q(o.name));
		return OFD_EXIT_USAGE;
	}
	snprintf(pidf, sizeof(pidf), "%s/%s.pid", state_dir(dir, sizeof(dir)), o.name);
	snprintf(ns, sizeof(ns), OFD_NETNS_DIR "/%s", o.name);
	if (state_read(pidf, &st)) {
		if (!access(ns, F_OK))
			ofd_cli_err("vnic down: no virtual NIC %s started by offdiff (no %s); `ip netns del %s` removes the namespace",
				    ofd_cli_q(o.name), pidf, o.name);
		else
			ofd_cli_err("vnic down: no virtual NIC %s is up (see `offdiff vnic list`)",
				    ofd_cli_q(o.name));
		return OFD_EXIT_USAGE;
	}
	memset(&v, 0, sizeof(v));
	v.nsfd = -1;
	running = is_our_device(st.pid, o.name);
	v.pid = running ? (pid_t)st.pid : 0;
	snprintf(v.netns, sizeof(v.netns), "%s", o.name);
	e = ofd_vnic_down(&v);
	unlink(pidf);
	if (e) {
		ofd_cli_err("vnic down: %s: %s", o.name, strerror(-e));
		return OFD_EXIT_UNAVAILABLE;
	}
	if (!ofd_g.quiet)
		printf("vnic %s: down%s\n", o.name,
		       running ? "" : " (its device process had ended already)");
	return OFD_EXIT_EQUAL;
}

static int pid_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 4 && !strcmp(e->d_name + n - 4, ".pid");
}

static int do_list(int argc, char **argv)
{
	struct vnic_opts o = { 0 };
	struct vnic_state st;
	struct dirent **ents;
	char dir[4096], path[4400], name[256];
	json_t *all = json_array();
	int i, n, e = ofd_cli_parse(&o, &argc, argv);

	if (e) {
		json_decref(all);
		return ofd_cli_parse_exit(e);
	}
	n = scandir(state_dir(dir, sizeof(dir)), &ents, pid_filter, alphasort);
	if (n < 0)
		n = 0; /* no directory: nothing was ever up */
	if (!ofd_g.json && n)
		printf("%-20s %-20s %-8s %-8s %-8s %s\n", "NAME", "PROFILE", "PID", "DEVICE",
		       "WIRE", "STATE");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(ents[i]->d_name) - 4),
			 ents[i]->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		free(ents[i]);
		if (state_read(path, &st))
			continue;
		/* A device that crashed is listed, so that `down` is run. */
		bool up = is_our_device(st.pid, name);

		if (ofd_g.json)
			json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b}",
							     "name", name, "netns", name,
							     "profile", st.profile, "pid",
							     (json_int_t)st.pid, "dev_port", st.dev,
							     "wire_port", st.wire, "running", up));
		else
			printf("%-20s %-20s %-8ld %-8s %-8s %s\n", name, st.profile, st.pid, st.dev,
			       st.wire, up ? "running" : "gone (offdiff vnic down)");
	}
	free(ents);
	if (ofd_g.json)
		return ofd_cli_json_print(all) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	json_decref(all);
	if (!n && !ofd_g.quiet)
		printf("no virtual NIC is up\n");
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb vnic_verbs[] = {
	{ "up", do_up, NULL,
	  "create namespace NAME with a device port and a wire port, the emulator between them",
	  "The device port (ofdv0) has the TX offloads on: the kernel hands it checksum and GSO\n"
	  "requests; the emulator, under PROFILE, serves each and writes what the NIC would put\n"
	  "on the wire into the wire port (ofdv1). Exit 2 when NAME exists, 3 when it cannot run\n"
	  "here. State and log: $OFFDIFF_STATE_DIR/vnic (default " VNIC_STATE_DEFAULT "/vnic).\n",
	  up_opts, 0, 0, 0 },
	{ "down", do_down, NULL, "stop a virtual NIC and delete its namespace", NULL, name_opts,
	  0, 0, 0 },
	{ "list", do_list, NULL, "the virtual NICs `vnic up` started: name, profile, pid, ports",
	  NULL, NULL, 0, 0, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_vnic = { "vnic", "a virtual NIC whose hardware is the emulator",
					 vnic_verbs };
