/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_allowlist.h - the signed allow-list, for deployment tools that link
 * libofd (installed as <offdiff/ofd_allowlist.h>; docs/allowlist.md).
 *
 * offdiff's reports become a list of entries: a device identity, an
 * offload, the kernel version of the reference, permit or deny, and the
 * evidence. The list is canonical YAML signed with Ed25519. A tool that
 * is about to turn an offload on for a device asks ofd_allowlist_check():
 *
 *	struct ofd_al_query q = {
 *		.list = "/etc/offdiff/allowlist.yaml",
 *		.pub = "/etc/offdiff/allowlist.pub",
 *		.device = "nic:driver=ixgbe,driver_version=6.18,firmware=0x800008,bus_info=0000:03:00.0",
 *		.offload = "tso",             // ethtool names work too
 *		.kernel = "6.18.44",          // NULL: any
 *	};
 *	char why[256];
 *	if (ofd_allowlist_check(&q, why, sizeof(why)) == OFD_AL_PERMIT)
 *		enable_offload();
 *
 * Nothing is permitted unless the list verifies (signature, key, expiry,
 * rollback) and holds a permit entry for exactly that identity, offload
 * and kernel.
 */
#ifndef OFD_ALLOWLIST_H
#define OFD_ALLOWLIST_H

#include <stddef.h>
#include <time.h>

/*
 * A device identity: a tagged union, so that new kinds of device (a
 * programmable NIC's program hash today, more later) are new kinds, never
 * a new meaning for an old field. Every field is a string; the text form
 * is "KIND:key=value,key=value" with the kind's keys in the order below
 * (a ',' or '=' or '%' inside a value is written %2C, %3D, %25).
 */
enum ofd_al_kind {
	OFD_AL_NIC = 0, /* fixed-function NIC: ethtool's driver info (iface) */
	OFD_AL_QEMU,    /* a QEMU device model: QEMU's version and the model */
	OFD_AL_EMU,     /* offdiff's emulator: profile and emulator version */
	OFD_AL_PLUGIN,  /* a device model in a plugin: its name and the
			 * identity string the plugin reports */
	OFD_AL_PROGRAM, /* a program run by a device: SHA-256 of it */
	OFD_AL__KINDS,
};

#define OFD_AL_FIELD_MAX 128
#define OFD_AL_FIELDS 4

struct ofd_al_identity {
	enum ofd_al_kind kind;
	/* The kind's fields in its order (ofd_al_kind_field()); unused ""
	 * (a union of fixed-size strings, named through the kind table). */
	char f[OFD_AL_FIELDS][OFD_AL_FIELD_MAX];
};

/* "nic", "qemu", ...; the i-th field's key of a kind, NULL past the last. */
const char *ofd_al_kind_name(enum ofd_al_kind k);
const char *ofd_al_kind_field(enum ofd_al_kind k, unsigned int i);

/* Parse the text form; every key of the kind must be given, once. 0, or
 * -EINVAL with one line in err. */
int ofd_al_identity_parse(const char *s, struct ofd_al_identity *id, char *err,
			  size_t err_len);
/* The text form (canonical: the parse of it gives the same identity). */
void ofd_al_identity_str(const struct ofd_al_identity *id, char *buf, size_t len);

/* What verify and check answer; also `offdiff allowlist verify`'s exit
 * codes (docs/allowlist.md). */
enum ofd_al_status {
	OFD_AL_PERMIT = 0,     /* check: permitted; verify: the list is good */
	OFD_AL_DENY = 1,       /* check: denied (why says which rule) */
	OFD_AL_ERROR = 2,      /* unreadable or malformed input, bad usage */
	OFD_AL_UNSIGNED = 10,  /* no signature, embedded or detached */
	OFD_AL_BAD_SIG = 11,   /* the signature does not match the bytes */
	OFD_AL_WRONG_KEY = 12, /* signed by another key than the one given */
	OFD_AL_EXPIRED = 13,   /* past its expiry */
	OFD_AL_ROLLBACK = 14,  /* older than a version already seen */
};

/*
 * Verify a list file: the Ed25519 signature (embedded, or detached in
 * `sig` when not NULL) with the public key in PEM file `pub`, then its
 * expiry against `now` (0: the clock), then, with `state` (a file, or
 * NULL), that its version is not below the highest seen, which it then
 * records. Returns an enum ofd_al_status, `why` one line.
 */
int ofd_allowlist_verify(const char *list, const char *pub, const char *sig,
			 const char *state, time_t now, char *why, size_t why_len);

struct ofd_al_query {
	const char *list, *pub;
	const char *sig;          /* detached signature file, or NULL */
	const char *state;        /* rollback state file, or NULL */
	const char *device;       /* identity text form */
	const char *offload;      /* "tso", or an ethtool name */
	const char *program_hash; /* sha256 hex of the device's program, or NULL */
	const char *kernel;       /* running kernel release, or NULL: any */
	time_t now;               /* 0: the clock */
};

/*
 * Verify the list, then find the entry for the device, offload and
 * kernel (with program_hash, the program's entry must permit too).
 * OFD_AL_PERMIT or OFD_AL_DENY (any verification failure denies, and why
 * says so), or OFD_AL_ERROR for a query that cannot be asked (a malformed
 * device text, an unknown offload). `why` is one line either way.
 */
int ofd_allowlist_check(const struct ofd_al_query *q, char *why, size_t why_len);

#endif
