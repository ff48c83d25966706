// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * ethtool.c - a port's offload features over ethtool netlink, its driver
 * info over the SIOCETHTOOL ioctl, its link state and MTU over rtnetlink.
 *
 * offdiff turns a real NIC's offloads on and off one at a time to compare
 * them with the model, so a feature must be set alone (no mask over the
 * others) and read back: the kernel silently keeps a feature the driver
 * fixes or one whose dependency is off, and a run that believed otherwise
 * would blame the device for the kernel's choice. Features are found by
 * name (verbose bitsets) because their bit numbers change between kernels.
 *
 * Every socket is made inside the port's namespace (ofd_netns_socket), so
 * the process never changes its own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "ofd_ethtool.h"
#include "ofd_netns.h"
#include "ethtool_internal.h"

struct bits {
	uint32_t w[MAX_BITS / 32];
};

/* A device's four feature bitsets (ETHTOOL_A_FEATURES_*). */
struct fstate {
	struct bits hw, wanted, active, nochange;
};

static bool bit(const struct bits *b, unsigned int i)
{
	return i < MAX_BITS && (b->w[i / 32] >> (i % 32)) & 1;
}

static void set_bit(struct bits *b, unsigned int i)
{
	if (i < MAX_BITS)
		b->w[i / 32] |= 1u << (i % 32);
}

/* ------------------------------------------------------------------ */
/* One request, its replies and the kernel's ack                       */
/* ------------------------------------------------------------------ */

struct talk {
	mnl_cb_t cb;
	void *data;
	char *ext; /* the extack message, if the kernel gave one */
	size_t ext_len;
};

static int ext_attr(const struct nlattr *a, void *data)
{
	struct talk *t = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
		snprintf(t->ext, t->ext_len, "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* NETLINK_CAP_ACK: the request's header only, then the extack TLVs. */
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && (nlh->nlmsg_flags & NLM_F_CAPPED))
		mnl_attr_parse(nlh, sizeof(*e), ext_attr, t);
	if (e->error) {
		errno = -e->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* Send nlh (NLM_F_ACK added) and run cb over each reply until the ack.
 * 0 or -errno; et->msg holds the kernel's extack text, or "". */
int ofd_et_talk(struct ofd_ethtool *et, struct mnl_socket *nl, struct nlmsghdr *nlh,
		mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = err_cb };
	struct talk t = { cb, data, et->msg, sizeof(et->msg) };
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	et->msg[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++et->seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, et->buf, sizeof(et->buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(et->buf, (size_t)n, et->seq, portid, data_cb, &t, ctl,
				  NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *genl_msg(struct ofd_ethtool *et, char *buf, uint16_t family,
				 uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static void put_header(struct nlmsghdr *nlh, uint16_t type, const char *ifname,
		       uint32_t flags)
{
	struct nlattr *h = mnl_attr_nest_start(nlh, type);

	if (ifname)
		mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, ifname);
	if (flags)
		mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_FLAGS, flags);
	mnl_attr_nest_end(nlh, h);
}

/* ------------------------------------------------------------------ */
/* Opening: sockets in the namespace, the family, the feature names    */
/* ------------------------------------------------------------------ */

static int family_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && !mnl_attr_validate(a, MNL_TYPE_U16))
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
}

static int string_cb(struct ofd_ethtool *et, const struct nlattr *str)
{
	const struct nlattr *a;
	const char *val = NULL;
	uint32_t idx = MAX_BITS;

	mnl_attr_for_each_nested(a, str) {
		if (mnl_attr_get_type(a) == ETHTOOL_A_STRING_INDEX &&
		    !mnl_attr_validate(a, MNL_TYPE_U32))
			idx = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == ETHTOOL_A_STRING_VALUE &&
			 !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			val = mnl_attr_get_str(a);
	}
	if (idx >= MAX_BITS || !val)
		return 0;
	snprintf(et->names[idx], sizeof(et->names[idx]), "%s", val);
	if (idx + 1 > et->nnames)
		et->nnames = idx + 1;
	return 0;
}

/* ETHTOOL_MSG_STRSET_GET_REPLY: strsets > strset > strings > string. */
static int strset_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ofd_ethtool *et = data;
	const struct nlattr *top, *set, *a, *s;

	mnl_attr_for_each(top, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(top) != ETHTOOL_A_STRSET_STRINGSETS)
			continue;
		mnl_attr_for_each_nested(set, top)
			mnl_attr_for_each_nested(a, set) {
				if (mnl_attr_get_type(a) != ETHTOOL_A_STRINGSET_STRINGS)
					continue;
				mnl_attr_for_each_nested(s, a)
					string_cb(et, s);
			}
	}
	return MNL_CB_OK;
}

/* The names of every feature the kernel knows: a name the device lacks
 * is -EOPNOTSUPP, one the kernel lacks -ENOENT. */
static int load_names(struct ofd_ethtool *et)
{
	char buf[512];
	struct nlmsghdr *nlh = genl_msg(et, buf, et->family, ETHTOOL_MSG_STRSET_GET,
					ETHTOOL_GENL_VERSION);
	struct nlattr *sets, *set;

	put_header(nlh, ETHTOOL_A_STRSET_HEADER, NULL, 0);
	sets = mnl_attr_nest_start(nlh, ETHTOOL_A_STRSET_STRINGSETS);
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_STRINGSETS_STRINGSET);
	mnl_attr_put_u32(nlh, ETHTOOL_A_STRINGSET_ID, ETH_SS_FEATURES);
	mnl_attr_nest_end(nlh, set);
	mnl_attr_nest_end(nlh, sets);
	return ofd_et_talk(et, et->genl, nlh, strset_cb, et);
}

static struct mnl_socket *nl_open(int nsfd, int proto, int *e)
{
	struct mnl_socket *nl;
	int fd = ofd_netns_socket(nsfd, AF_NETLINK, SOCK_RAW, proto), one = 1;

	if (fd < 0) {
		*e = fd;
		return NULL;
	}
	nl = mnl_socket_fdopen(fd);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		*e = -errno;
		if (nl)
			mnl_socket_close(nl);
		else
			close(fd);
		return NULL;
	}
	/* The kernel's reason for a refusal, with no copy of our request. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	*e = 0;
	return nl;
}

/* The name `ip netns` gives namespace nsfd: the file in /run/netns that is
 * the same nsfs inode. */
static void find_name(int nsfd, char *where, size_t len)
{
	struct stat ns, st;
	struct dirent *d;
	DIR *dir;

	snprintf(where, len, "this network namespace");
	if (nsfd < 0 || fstat(nsfd, &ns))
		return;
	dir = opendir(OFD_NETNS_DIR);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || fstatat(dirfd(dir), d->d_name, &st, 0))
			continue;
		if (st.st_dev == ns.st_dev && st.st_ino == ns.st_ino) {
			snprintf(where, len, "network namespace '%.64s'", d->d_name);
			break;
		}
	}
	closedir(dir);
}

int ofd_ethtool_open(int nsfd, struct ofd_ethtool **out, char *err, size_t err_len)
{
	struct ofd_ethtool *et = calloc(1, sizeof(*et));
	char buf[256];
	struct nlmsghdr *nlh;
	int e;

	*out = NULL;
	if (!et)
		return -ENOMEM;
	et->ioc = -1;
	et->seq = (unsigned int)time(NULL);
	find_name(nsfd, et->where, sizeof(et->where));
	et->genl = nl_open(nsfd, NETLINK_GENERIC, &e);
	if (et->genl)
		et->rtnl = nl_open(nsfd, NETLINK_ROUTE, &e);
	if (!e) {
		et->ioc = ofd_netns_socket(nsfd, AF_INET, SOCK_DGRAM, 0);
		e = et->ioc < 0 ? et->ioc : 0;
	}
	if (e) {
		snprintf(err, err_len, "cannot open sockets in %s: %s", et->where, strerror(-e));
		goto fail;
	}
	nlh = genl_msg(et, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	e = ofd_et_talk(et, et->genl, nlh, family_cb, &et->family);
	if (!e && !et->family)
		e = -ENOENT;
	if (e) {
		snprintf(err, err_len, "the kernel has no ethtool netlink (%s): Linux 5.6 or later "
			 "with CONFIG_ETHTOOL_NETLINK is needed", strerror(-e));
		e = -EOPNOTSUPP;
		goto fail;
	}
	e = load_names(et);
	if (e) {
		snprintf(err, err_len, "cannot read the kernel's feature names: %s",
			 et->msg[0] ? et->msg : strerror(-e));
		goto fail;
	}
	*out = et;
	return 0;
fail:
	ofd_ethtool_close(et);
	return e;
}

int ofd_ethtool_open_netns(const char *netns, struct ofd_ethtool **out, char *err,
			   size_t err_len)
{
	int fd = -1, e;

	*out = NULL;
	if (netns && *netns) {
		e = ofd_netns_open(netns, &fd, err, err_len);
		if (e)
			return e;
	}
	e = ofd_ethtool_open(fd, out, err, err_len);
	if (fd >= 0)
		close(fd);
	return e;
}

void ofd_ethtool_close(struct ofd_ethtool *et)
{
	if (!et)
		return;
	if (et->genl)
		mnl_socket_close(et->genl);
	if (et->rtnl)
		mnl_socket_close(et->rtnl);
	if (et->ioc >= 0)
		close(et->ioc);
	free(et);
}

const char *ofd_ethtool_strerror(struct ofd_ethtool *et)
{
	return et->msg;
}

const char *ofd_ethtool_where(struct ofd_ethtool *et)
{
	return et->where;
}

/* -ENODEV's one line, and the others' with the kernel's words. */
int ofd_et_fail(struct ofd_ethtool *et, int e, const char *ifname, const char *what,
		char *err, size_t err_len)
{
	char ext[sizeof(et->msg)];

	snprintf(ext, sizeof(ext), "%s", et->msg);
	if (e == -ENODEV)
		snprintf(et->msg, sizeof(et->msg), "no interface '%.*s' in %s", IFNAMSIZ, ifname,
			 et->where);
	else
		snprintf(et->msg, sizeof(et->msg), "%s on %.*s: %s", what, IFNAMSIZ, ifname,
			 ext[0] ? ext : strerror(-e));
	if (err)
		snprintf(err, err_len, "%s", et->msg);
	return e;
}

/* ------------------------------------------------------------------ */
/* Features: ETHTOOL_MSG_FEATURES_GET/SET with verbose bitsets          */
/* ------------------------------------------------------------------ */

/*
 * `ethtool -k` prints some features by the names of the ioctls that came
 * before netlink; a user (and offloads.def) may say either.
 */
static const char *const a_rx[] = { "rx-checksum", NULL };
/* The bits the legacy ioctls (ETHTOOL_GTXCSUM, GSG, GTSO) read and set
 * together: SCTP's CRC is "tx checksumming" to them too. */
static const char *const a_tx[] = { "tx-checksum-ipv4", "tx-checksum-ip-generic",
				    "tx-checksum-ipv6", "tx-checksum-fcoe-crc",
				    "tx-checksum-sctp", NULL };
static const char *const a_sg[] = { "tx-scatter-gather", "tx-scatter-gather-fraglist", NULL };
static const char *const a_tso[] = { "tx-tcp-segmentation", "tx-tcp-ecn-segmentation",
				     "tx-tcp-mangleid-segmentation", "tx-tcp6-segmentation",
				     "tx-tcp-accecn-segmentation", NULL };
static const char *const a_gso[] = { "tx-generic-segmentation", NULL };
static const char *const a_gro[] = { "rx-gro", NULL };
static const char *const a_lro[] = { "rx-lro", NULL };
static const char *const a_rxvlan[] = { "rx-vlan-hw-parse", NULL };
static const char *const a_txvlan[] = { "tx-vlan-hw-insert", NULL };
static const char *const a_ntuple[] = { "rx-ntuple-filter", NULL };
static const char *const a_hash[] = { "rx-hashing", NULL };

static const struct {
	const char *name;
	const char *const *members;
} aliases[] = {
	{ "rx-checksumming", a_rx },
	{ "tx-checksumming", a_tx },
	{ "scatter-gather", a_sg },
	{ "tcp-segmentation-offload", a_tso },
	{ "generic-segmentation-offload", a_gso },
	{ "generic-receive-offload", a_gro },
	{ "large-receive-offload", a_lro },
	{ "rx-vlan-offload", a_rxvlan },
	{ "tx-vlan-offload", a_txvlan },
	{ "ntuple-filters", a_ntuple },
	{ "receive-hashing", a_hash },
};

const char *const *ofd_ethtool_alias(const char *feature)
{
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i].name, feature))
			return aliases[i].members;
	return NULL;
}

static int index_of(const struct ofd_ethtool *et, const char *name)
{
	unsigned int i;

	for (i = 0; i < et->nnames; i++)
		if (et->names[i][0] && !strcmp(et->names[i], name))
			return (int)i;
	return -ENOENT;
}

/* A verbose bitset: with NOMASK the bits listed are the ones set,
 * without it those with the VALUE flag. */
static void parse_bitset(struct ofd_ethtool *et, const struct nlattr *set, struct bits *b)
{
	const struct nlattr *a, *bits = NULL, *one, *f;
	bool nomask = false;

	mnl_attr_for_each_nested(a, set) {
		if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_NOMASK)
			nomask = true;
		else if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BITS)
			bits = a;
	}
	if (!bits)
		return;
	mnl_attr_for_each_nested(one, bits) {
		uint32_t idx = MAX_BITS;
		const char *name = NULL;
		bool val = nomask;

		if (mnl_attr_get_type(one) != ETHTOOL_A_BITSET_BITS_BIT)
			continue;
		mnl_attr_for_each_nested(f, one) {
			switch (mnl_attr_get_type(f)) {
			case ETHTOOL_A_BITSET_BIT_INDEX:
				if (!mnl_attr_validate(f, MNL_TYPE_U32))
					idx = mnl_attr_get_u32(f);
				break;
			case ETHTOOL_A_BITSET_BIT_NAME:
				if (!mnl_attr_validate(f, MNL_TYPE_NUL_STRING))
					name = mnl_attr_get_str(f);
				break;
			case ETHTOOL_A_BITSET_BIT_VALUE:
				val = true;
				break;
			}
		}
		if (idx >= MAX_BITS)
			continue;
		/* A name the string set missed (it cannot, but the reply
		 * names its bits anyway). */
		if (name && !et->names[idx][0]) {
			snprintf(et->names[idx], sizeof(et->names[idx]), "%s", name);
			if (idx + 1 > et->nnames)
				et->nnames = idx + 1;
		}
		if (val)
			set_bit(b, idx);
	}
}

struct fget {
	struct ofd_ethtool *et;
	struct fstate *st;
};

static int features_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fget *g = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case ETHTOOL_A_FEATURES_HW:
			parse_bitset(g->et, a, &g->st->hw);
			break;
		case ETHTOOL_A_FEATURES_WANTED:
			parse_bitset(g->et, a, &g->st->wanted);
			break;
		case ETHTOOL_A_FEATURES_ACTIVE:
			parse_bitset(g->et, a, &g->st->active);
			break;
		case ETHTOOL_A_FEATURES_NOCHANGE:
			parse_bitset(g->et, a, &g->st->nochange);
			break;
		}
	}
	return MNL_CB_OK;
}

static int get_features(struct ofd_ethtool *et, const char *ifname, struct fstate *st)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct fget g = { et, st };

	memset(st, 0, sizeof(*st));
	if (strlen(ifname) >= IFNAMSIZ)
		return -ENODEV;
	nlh = genl_msg(et, buf, et->family, ETHTOOL_MSG_FEATURES_GET, ETHTOOL_GENL_VERSION);
	put_header(nlh, ETHTOOL_A_FEATURES_HEADER, ifname, 0);
	return ofd_et_talk(et, et->genl, nlh, features_cb, &g);
}

/* hw_features is what a user may change; NOCHANGE what never may. */
static bool changeable(const struct fstate *st, unsigned int i)
{
	return bit(&st->hw, i) && !bit(&st->nochange, i);
}

static bool present(const struct fstate *st, unsigned int i)
{
	return bit(&st->hw, i) || bit(&st->active, i);
}

int ofd_ethtool_features(struct ofd_ethtool *et, const char *ifname,
			 struct ofd_ethtool_feat **out, unsigned int *n, char *err,
			 size_t err_len)
{
	struct ofd_ethtool_feat *f;
	struct fstate st;
	unsigned int i, k = 0;
	int e = get_features(et, ifname, &st);

	*out = NULL;
	*n = 0;
	if (e)
		return ofd_et_fail(et, e, ifname, "reading features", err, err_len);
	f = calloc(et->nnames ? et->nnames : 1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (i = 0; i < et->nnames; i++) {
		if (!et->names[i][0])
			continue;
		snprintf(f[k].name, sizeof(f[k].name), "%s", et->names[i]);
		f[k].active = bit(&st.active, i);
		f[k].changeable = changeable(&st, i);
		f[k].present = present(&st, i);
		k++;
	}
	*out = f;
	*n = k;
	return 0;
}

/*
 * The bits a name stands for (itself, or an alias's members the kernel
 * knows), in idx[]: their count, or -ENOENT.
 */
static int resolve(const struct ofd_ethtool *et, const char *feature, int *idx, int max)
{
	const char *const *m = ofd_ethtool_alias(feature);
	int n = 0, i;

	if (!m) {
		i = index_of(et, feature);
		if (i < 0)
			return i;
		idx[0] = i;
		return 1;
	}
	for (; *m && n < max; m++) {
		i = index_of(et, *m);
		if (i >= 0)
			idx[n++] = i;
	}
	return n ? n : -ENOENT;
}

/* A name's state over the members the device has: active when one is,
 * changeable when one is; -EOPNOTSUPP when the device has none. */
static int state_of(const struct fstate *st, const int *idx, int n, bool *active, bool *chg)
{
	bool any = false;
	int i;

	*active = *chg = false;
	for (i = 0; i < n; i++) {
		if (!present(st, (unsigned int)idx[i]))
			continue;
		any = true;
		*active |= bit(&st->active, (unsigned int)idx[i]);
		*chg |= changeable(st, (unsigned int)idx[i]);
	}
	return any ? 0 : -EOPNOTSUPP;
}

int ofd_ethtool_feature(struct ofd_ethtool *et, const char *ifname,
			const char *feature, bool *active, bool *chg)
{
	struct fstate st;
	int idx[8], n = resolve(et, feature, idx, 8), e;

	et->msg[0] = '\0';
	if (n < 0)
		return n;
	e = get_features(et, ifname, &st);
	if (e)
		return ofd_et_fail(et, e, ifname, "reading features", NULL, 0);
	return state_of(&st, idx, n, active, chg);
}

/* FEATURES_SET of the listed bits alone: a verbose bitset without NOMASK
 * changes only the bits it lists. */
static int send_wanted(struct ofd_ethtool *et, const char *ifname, const int *idx,
		       const bool *on, int n)
{
	char buf[1024];
	struct nlmsghdr *nlh = genl_msg(et, buf, et->family, ETHTOOL_MSG_FEATURES_SET,
					ETHTOOL_GENL_VERSION);
	struct nlattr *set, *bits, *one;
	int i;

	put_header(nlh, ETHTOOL_A_FEATURES_HEADER, ifname, ETHTOOL_FLAG_OMIT_REPLY);
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_WANTED);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (i = 0; i < n; i++) {
		one = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, et->names[idx[i]]);
		if (on[i])
			mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
		mnl_attr_nest_end(nlh, one);
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, set);
	return ofd_et_talk(et, et->genl, nlh, NULL, NULL);
}

int ofd_ethtool_set_feature(struct ofd_ethtool *et, const char *ifname,
			    const char *feature, bool on, char *err, size_t err_len)
{
	struct fstate st, now;
	int idx[8], want[8], n = resolve(et, feature, idx, 8), k = 0, i, e;
	bool val[8], old[8], active, chg;
	const char *word = on ? "on" : "off";

	et->msg[0] = '\0';
	if (n < 0) {
		snprintf(err, err_len, "the kernel has no feature '%.*s' (see `offdiff iface show "
			 "%.*s`)", OFD_ETHTOOL_NAME_LEN, feature, IFNAMSIZ, ifname);
		return n;
	}
	e = get_features(et, ifname, &st);
	if (e)
		return ofd_et_fail(et, e, ifname, "reading features", err, err_len);
	if (state_of(&st, idx, n, &active, &chg)) {
		snprintf(err, err_len, "%.*s: the device has no feature %s", IFNAMSIZ, ifname,
			 feature);
		return -EOPNOTSUPP;
	}
	/* The members the device has that are not in the state asked for;
	 * one of them fixed means nothing is tried. */
	for (i = 0; i < n; i++) {
		unsigned int b = (unsigned int)idx[i];

		if (!present(&st, b) || bit(&st.active, b) == on)
			continue;
		if (!changeable(&st, b)) {
			snprintf(err, err_len, "%.*s: cannot turn %s %s: the device has it fixed "
				 "%s", IFNAMSIZ, ifname, et->names[b], word, on ? "off" : "on");
			return -EOPNOTSUPP;
		}
		want[k] = idx[i];
		val[k] = on;
		old[k] = bit(&st.wanted, b);
		k++;
	}
	if (!k)
		return 0;
	e = send_wanted(et, ifname, want, val, k);
	if (e)
		return ofd_et_fail(et, e, ifname, "setting features", err, err_len);
	e = get_features(et, ifname, &now);
	if (e)
		return ofd_et_fail(et, e, ifname, "reading features", err, err_len);
	for (i = 0; i < k; i++) {
		if (bit(&now.active, (unsigned int)want[i]) == on)
			continue;
		/* Take back what we asked for, so that a later change of
		 * the feature it depends on does not turn it on behind the
		 * run's back. */
		send_wanted(et, ifname, want, old, k);
		snprintf(err, err_len, "%.*s: cannot turn %s %s: the kernel kept it %s (%s)",
			 IFNAMSIZ, ifname, et->names[want[i]], word, on ? "off" : "on",
			 on ? "a feature it depends on is off" : "the driver or a feature needs it");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* A tag is put back from PACKET_AUXDATA anyway; VLAN stripping goes too so
 * the peer's receive path changes nothing it can avoid. */
const char *const ofd_peer_rx_offloads[] = {
	"rx-gro", "rx-lro", "rx-gro-hw", "rx-gro-list", "rx-udp-gro-forwarding",
	"rx-vlan-hw-parse", "rx-vlan-stag-hw-parse", NULL,
};
