// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * identity.c - what a device is, for the allow-list: a tagged union whose
 * kinds each name their fields in a table, so the text form, the YAML form,
 * the comparison and a new kind are all driven by that one table.
 *
 * Identities come from a report's target (summary.json): the device object
 * the iface target records from ethtool's driver info for a NIC, the
 * profile and version for the emulator, the plugin's name and the version
 * string it reports, QEMU's version and device model.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"

static const struct {
	const char *name;
	const char *fields[OFD_AL_FIELDS + 1];
} kinds[OFD_AL__KINDS] = {
	[OFD_AL_NIC] = { "nic", { "driver", "driver_version", "firmware", "bus_info" } },
	[OFD_AL_QEMU] = { "qemu", { "version", "model" } },
	[OFD_AL_EMU] = { "emu", { "profile", "version" } },
	[OFD_AL_PLUGIN] = { "plugin", { "name", "identity" } },
	[OFD_AL_PROGRAM] = { "program", { "sha256" } },
};

const char *ofd_al_kind_name(enum ofd_al_kind k)
{
	return (unsigned int)k < OFD_AL__KINDS ? kinds[k].name : NULL;
}

const char *ofd_al_kind_field(enum ofd_al_kind k, unsigned int i)
{
	return (unsigned int)k < OFD_AL__KINDS && i < OFD_AL_FIELDS ? kinds[k].fields[i] : NULL;
}

int ofd_al_kind_from_name(const char *name)
{
	int k;

	for (k = 0; k < OFD_AL__KINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

int ofd_al_identity_cmp(const struct ofd_al_identity *a, const struct ofd_al_identity *b)
{
	int i, c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	for (i = 0; i < OFD_AL_FIELDS; i++)
		if ((c = strcmp(a->f[i], b->f[i])))
			return c;
	return 0;
}

/* Values may hold anything a driver or a plugin reports; the three
 * characters of the syntax are percent-escaped. */
static void put_escaped(char **o, char *end, const char *s)
{
	for (; *s && *o + 4 < end; s++) {
		if (*s == ',' || *s == '=' || *s == '%')
			*o += sprintf(*o, "%%%02X", (unsigned char)*s);
		else
			*(*o)++ = *s;
	}
	**o = '\0';
}

void ofd_al_identity_str(const struct ofd_al_identity *id, char *buf, size_t len)
{
	char *o = buf, *end = buf + len;
	unsigned int i;
	const char *k;

	if (len < 16) {
		if (len)
			buf[0] = '\0';
		return;
	}
	o += snprintf(o, len, "%s:", ofd_al_kind_name(id->kind) ?: "?");
	for (i = 0; (k = ofd_al_kind_field(id->kind, i)); i++) {
		if ((size_t)(end - o) < strlen(k) + 6)
			break;
		o += sprintf(o, "%s%s=", i ? "," : "", k);
		put_escaped(&o, end, id->f[i]);
	}
}

static int unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			unsigned int v;

			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]) ||
			    sscanf(s + i + 1, "%2x", &v) != 1)
				return -EINVAL;
			c = (char)v;
			i += 2;
		}
		if (o + 1 >= cap)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int ofd_al_identity_parse(const char *s, struct ofd_al_identity *id, char *err,
			  size_t err_len)
{
	const char *colon = strchr(s, ':'), *p;
	bool seen[OFD_AL_FIELDS] = { false };
	char kind[16];
	unsigned int i;
	int k;

	memset(id, 0, sizeof(*id));
	if (!colon || (size_t)(colon - s) >= sizeof(kind)) {
		snprintf(err, err_len, "device '%.64s': expected KIND:key=value,... (kinds: nic, "
			 "qemu, emu, plugin, program)", s);
		return -EINVAL;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - s), s);
	k = ofd_al_kind_from_name(kind);
	if (k < 0) {
		snprintf(err, err_len, "device '%.64s': unknown kind '%s' (nic, qemu, emu, plugin, "
			 "program)", s, kind);
		return -EINVAL;
	}
	id->kind = (enum ofd_al_kind)k;
	for (p = colon + 1; *p;) {
		size_t n = strcspn(p, ","), kl;
		const char *eq = memchr(p, '=', n);

		if (!eq) {
			snprintf(err, err_len, "device '%.64s': '%.*s' is not key=value", s, (int)n, p);
			return -EINVAL;
		}
		kl = (size_t)(eq - p);
		for (i = 0; ofd_al_kind_field(id->kind, i); i++)
			if (strlen(ofd_al_kind_field(id->kind, i)) == kl &&
			    !strncmp(ofd_al_kind_field(id->kind, i), p, kl))
				break;
		if (!ofd_al_kind_field(id->kind, i) || seen[i]) {
			snprintf(err, err_len, "device '%.64s': %s key '%.*s' for %s", s,
				 ofd_al_kind_field(id->kind, i) ? "repeated" : "unknown", (int)kl, p,
				 kind);
			return -EINVAL;
		}
		seen[i] = true;
		if (unescape(eq + 1, n - kl - 1, id->f[i], sizeof(id->f[i]))) {
			snprintf(err, err_len, "device '%.64s': bad value for %s", s,
				 ofd_al_kind_field(id->kind, i));
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	for (i = 0; ofd_al_kind_field(id->kind, i); i++)
		if (!seen[i]) {
			char keys[128] = "";
			unsigned int j;

			for (j = 0; ofd_al_kind_field(id->kind, j); j++)
				snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s=...",
					 j ? "," : "", ofd_al_kind_field(id->kind, j));
			snprintf(err, err_len, "device '%.64s': missing %s (%s:%s)", s,
				 ofd_al_kind_field(id->kind, i), kind, keys);
			return -EINVAL;
		}
	return 0;
}

static void put(struct ofd_al_identity *id, unsigned int i, const char *v)
{
	char *p;

	snprintf(id->f[i], sizeof(id->f[i]), "%s", v ? v : "");
	/* One line, whatever a driver reports: the list is read by lines
	 * (ofd_al_signed_len) and by people. */
	for (p = id->f[i]; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of key in a label's settings ("plugin:path=x,key=v"). */
static void label_param(const char *label, const char *key, char *buf, size_t len)
{
	const char *p = strchr(label, ':');
	size_t kl = strlen(key);

	buf[0] = '\0';
	while (p && *p) {
		p++;
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			snprintf(buf, len, "%.*s", (int)strcspn(p + kl + 1, ","), p + kl + 1);
			return;
		}
		p = strchr(p, ',');
	}
}

int ofd_al_identity_from_target(json_t *t, struct ofd_al_identity *id, char *why,
				size_t why_len)
{
	const char *engine = jstr(t, "engine") ?: "", *label = jstr(t, "label") ?: "";
	json_t *dev = json_object_get(t, "device");
	char v[OFD_AL_FIELD_MAX];

	memset(id, 0, sizeof(*id));
	if (jstr(t, "program_sha256")) {
		/* A programmable target names the program it ran: that is
		 * what the kernel compares with the device's (issue 22). */
		id->kind = OFD_AL_PROGRAM;
		put(id, 0, jstr(t, "program_sha256"));
	} else if (json_is_object(dev)) {
		id->kind = OFD_AL_NIC;
		put(id, 0, jstr(dev, "driver"));
		put(id, 1, jstr(dev, "driver_version"));
		put(id, 2, jstr(dev, "firmware_version"));
		put(id, 3, jstr(dev, "bus_info"));
	} else if (!strcmp(engine, "emu")) {
		id->kind = OFD_AL_EMU;
		put(id, 0, jstr(t, "profile") ?: "conformant");
		put(id, 1, jstr(t, "version"));
	} else if (!strcmp(engine, "plugin")) {
		char *base, *dot;

		id->kind = OFD_AL_PLUGIN;
		label_param(label, "path", v, sizeof(v));
		/* The plugin's name, not where it was installed. */
		base = strrchr(v, '/') ? strrchr(v, '/') + 1 : v;
		dot = strstr(base, ".so");
		if (dot && !dot[3])
			*dot = '\0';
		put(id, 0, base);
		put(id, 1, jstr(t, "version"));
	} else if (!strcmp(engine, "qemu")) {
		id->kind = OFD_AL_QEMU;
		put(id, 0, jstr(t, "version"));
		label_param(label, "model", v, sizeof(v));
		if (!v[0])
			label_param(label, "device", v, sizeof(v));
		put(id, 1, v[0] ? v : jstr(t, "profile"));
	} else {
		snprintf(why, why_len, "target %s: engine %s names no device identity", label,
			 engine);
		return -ENOENT;
	}
	return 0;
}

void ofd_al_kernel_of(const char *ref_version, char *buf, size_t len)
{
	const char *p = ref_version ? strstr(ref_version, "Linux ") : NULL;

	buf[0] = '\0';
	if (p)
		snprintf(buf, len, "%.*s", (int)strcspn(p + 6, " )"), p + 6);
}

bool ofd_al_kernel_match(const char *entry, const char *running)
{
	size_t n = strlen(entry);

	if (!n || strncmp(entry, running, n))
		return false;
	/* "6.18" covers "6.18.44-x" and "6.18-rc1", not "6.180". */
	return !running[n] || running[n] == '.' || running[n] == '-' || running[n] == '+';
}
