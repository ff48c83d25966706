// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile.c - `offdiff profile list|show|check`: the emulator's
 * profiles (the YAML files in specs/profiles, see targets/emu/ofd_emu.h).
 *
 *   offdiff profile list [--dir D]         name and description of each
 *   offdiff profile show NAME|PATH [--dir D]  every knob, defaults filled in
 *   offdiff profile check PATH...          validate; exit 2 on the first
 *                                          located error of each file
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_cli.h"
#include "ofd_emu.h"
#include "ofd_yaml_emit.h"

static const struct option dir_opts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse [--dir D]; returns the index of the first operand or -1. */
static int parse_dir_opt(int argc, char **argv, const char *usage,
			 const char **dir)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:h", dir_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			*dir = optarg;
			break;
		case 'h':
			printf("usage: offdiff profile %s\n", usage);
			return -2;
		default:
			ofd_cli_err("profile %s: unknown option '%s'", argv[0],
				    argv[optind - 1]);
			ofd_cli_err("usage: offdiff profile %s", usage);
			return -1;
		}
	}
	return optind;
}

static int yaml_name_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	       !strcmp(e->d_name + n - 5, ".yaml");
}

static int do_list(int argc, char **argv)
{
	static const char usage[] = "list [--dir D]";
	const char *dir = OFD_EMU_PROFILE_DIR;
	struct ofd_emu_profile_desc d;
	struct dirent **ents;
	char path[4096], err[512];
	int i, n, rc = OFD_EXIT_EQUAL;

	i = parse_dir_opt(argc, argv, usage, &dir);
	if (i == -2)
		return OFD_EXIT_EQUAL;
	if (i < 0)
		return OFD_EXIT_USAGE;
	if (i < argc) {
		ofd_cli_err("usage: offdiff profile %s", usage);
		return OFD_EXIT_USAGE;
	}
	n = scandir(dir, &ents, yaml_name_filter, alphasort);
	if (n < 0) {
		ofd_cli_err("profile list: %s: %s", dir, strerror(errno));
		return OFD_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (ofd_emu_profile_describe(path, &d, err, sizeof(err))) {
			ofd_cli_err("%s", err);
			rc = OFD_EXIT_USAGE;
		} else {
			printf("%-20s %s\n", d.name, d.description);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/*
 * `profile show` prints a profile file `profile check` accepts (saved as
 * NAME.yaml), every knob given, written by libyaml's emitter. The emitter
 * writes no comments, so the defaults are marked afterwards: a knob line
 * is "  knob: value" exactly, the knobs and their values being our words.
 */
static int show_yaml(const struct ofd_emu_profile_desc *d, const char *path)
{
	struct ofd_yemit y;
	char *buf = NULL, *line, *nl;
	size_t len = 0;
	unsigned int k;
	bool in_knobs = false;
	FILE *m = open_memstream(&buf, &len);
	int err;

	if (!m)
		return -ENOMEM;
	ofd_yemit_open(&y, m);
	ofd_yemit_map(&y, false);
	ofd_yemit_kv_str(&y, "name", d->name);
	ofd_yemit_kv_str(&y, "description", d->description);
	ofd_yemit_plain(&y, "catalogue");
	ofd_yemit_seq(&y, true);
	for (k = 0; k < d->ncatalogue; k++)
		ofd_yemit_uint(&y, d->catalogue[k]);
	ofd_yemit_end_seq(&y);
	ofd_yemit_plain(&y, "knobs");
	ofd_yemit_map(&y, false);
	for (k = 0; k < OFD_EMU_NKNOBS; k++)
		ofd_yemit_kv_plain(&y, d->knob[k].name, d->knob[k].value);
	ofd_yemit_end_map(&y);
	ofd_yemit_end_map(&y);
	err = ofd_yemit_close(&y);
	if (fclose(m) || err) {
		free(buf);
		ofd_cli_err("profile show: cannot write %s as YAML", path);
		return -EIO;
	}
	printf("# ");
	for (line = (char *)path; *line; line++)
		putchar(*line == '\n' || *line == '\r' ? ' ' : *line);
	printf(" (knobs marked default are not in the file)\n");
	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		fputs(line, stdout);
		if (in_knobs && line[0] == ' ')
			for (k = 0; k < OFD_EMU_NKNOBS; k++)
				if (d->knob[k].is_default &&
				    !strncmp(line + 2, d->knob[k].name, strlen(d->knob[k].name)) &&
				    line[2 + strlen(d->knob[k].name)] == ':')
					fputs("  # default", stdout);
		in_knobs |= !strcmp(line, "knobs:");
		putchar('\n');
	}
	free(buf);
	return 0;
}

static int do_show(int argc, char **argv)
{
	static const char usage[] = "show NAME|PATH [--dir D]";
	const char *dir = NULL;
	struct ofd_emu_profile_desc d;
	char path[4096], err[512];
	int i;

	i = parse_dir_opt(argc, argv, usage, &dir);
	if (i == -2)
		return OFD_EXIT_EQUAL;
	if (i < 0)
		return OFD_EXIT_USAGE;
	if (argc - i != 1) {
		ofd_cli_err("usage: offdiff profile %s", usage);
		return OFD_EXIT_USAGE;
	}
	if (ofd_emu_profile_path(argv[i], dir, path, sizeof(path))) {
		ofd_cli_err("profile show: bad profile '%s'", argv[i]);
		return OFD_EXIT_USAGE;
	}
	if (ofd_emu_profile_describe(path, &d, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		return OFD_EXIT_USAGE;
	}
	return show_yaml(&d, path) ? OFD_EXIT_USAGE : OFD_EXIT_EQUAL;
}

static int do_check(int argc, char **argv)
{
	static const char usage[] = "check PATH...";
	const char *dir = NULL;
	char path[4096], err[512];
	int i, rc = OFD_EXIT_EQUAL;

	i = parse_dir_opt(argc, argv, usage, &dir);
	if (i == -2)
		return OFD_EXIT_EQUAL;
	if (i < 0)
		return OFD_EXIT_USAGE;
	if (i >= argc) {
		ofd_cli_err("usage: offdiff profile %s", usage);
		return OFD_EXIT_USAGE;
	}
	for (; i < argc; i++) {
		if (ofd_emu_profile_path(argv[i], dir, path, sizeof(path))) {
			ofd_cli_err("profile check: bad profile '%s'", argv[i]);
			rc = OFD_EXIT_USAGE;
			continue;
		}
		if (ofd_emu_profile_check(path, err, sizeof(err))) {
			ofd_cli_err("%s", err);
			rc = OFD_EXIT_USAGE;
			continue;
		}
		printf("%s: ok\n", path);
	}
	return rc;
}

static const struct ofd_cmd cmds[] = {
	{ "list", do_list, "list [--dir D]: name and description of every profile" },
	{ "show", do_show, "show NAME|PATH [--dir D]: a profile's knobs, defaults filled in" },
	{ "check", do_check, "check PATH...: validate profile files (exit 2 on an error)" },
	{ NULL, NULL, NULL },
};

int ofd_cmd_profile(int argc, char **argv)
{
	/* argv[0] is "profile"; the verb follows. */
	return ofd_cmd_dispatch("profile", cmds, argc - 1, argv + 1);
}
