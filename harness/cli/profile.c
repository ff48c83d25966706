// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile.c - `offdiff profile list|show|check`: the emulator's
 * profiles (the YAML files in specs/profiles, see targets/emu/ofd_emu.h).
 *
 *   offdiff profile list [--dir D]         name and description of each
 *   offdiff profile show NAME|PATH [--dir D]  every knob of every offload's
 *                                          section, defaults filled in
 *   offdiff profile check PATH...          validate; exit 2 on the first
 *                                          located error of each file
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_cli.h"
#include "ofd_emu.h"
#include "ofd_spec.h"
#include "ofd_yaml_emit.h"

struct dir_opts {
	const char *dir;
};

static const struct ofd_opt dir_opts[] = {
	OFD_OPT('d', "dir", OFD_OPT_STR, struct dir_opts, dir, "DIR",
		"profile directory (default: the bundled " OFD_EMU_PROFILE_DIR ")"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int yaml_name_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	       !strcmp(e->d_name + n - 5, ".yaml");
}

/* The bundled profiles, from any working directory (ofd_datadir_find). */
static const char *bundled(char *buf, size_t len)
{
	ofd_datadir_find(OFD_EMU_PROFILE_DIR, buf, len);
	return buf;
}

static int do_list(int argc, char **argv)
{
	char dir[4096];
	struct dir_opts o = { .dir = bundled(dir, sizeof(dir)) };
	struct ofd_emu_profile_desc d;
	struct dirent **ents;
	char path[4096], err[512];
	json_t *all;
	int i, n, rc = OFD_EXIT_EQUAL, e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	n = scandir(o.dir, &ents, yaml_name_filter, alphasort);
	if (n < 0) {
		ofd_cli_err("profile list: %s: %s", o.dir, strerror(errno));
		return OFD_EXIT_USAGE;
	}
	all = json_array();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", o.dir, ents[i]->d_name);
		if (ofd_emu_profile_describe(path, &d, err, sizeof(err))) {
			ofd_cli_err("%s", err);
			rc = OFD_EXIT_USAGE;
		} else if (ofd_g.json) {
			json_array_append_new(all, json_pack("{s:s, s:s, s:s}", "name", d.name,
							     "description", d.description,
							     "file", path));
		} else {
			printf("%-20s %s\n", d.name, d.description);
		}
		free(ents[i]);
	}
	free(ents);
	if (ofd_g.json && rc == OFD_EXIT_EQUAL)
		return ofd_cli_json_print(all) ? OFD_EXIT_UNAVAILABLE : rc;
	json_decref(all);
	return rc;
}

/*
 * `profile show` prints a profile file `profile check` accepts (saved as
 * NAME.yaml), every knob of every section given, written by libyaml's
 * emitter. The emitter writes no comments, so the defaults are marked
 * afterwards: a section is a line "section:" exactly and its knob lines
 * "  knob: value" exactly, the sections, knobs and values being our words.
 */
static int show_yaml(const struct ofd_emu_profile_desc *d, const char *path)
{
	struct ofd_yemit y;
	char *buf = NULL, *line, *nl;
	const char *sec = NULL, *open_sec = NULL;
	size_t len = 0;
	unsigned int k;
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
	for (k = 0; k < d->nknobs; k++) {
		if (!open_sec || strcmp(open_sec, d->knob[k].section)) {
			if (open_sec)
				ofd_yemit_end_map(&y);
			open_sec = d->knob[k].section;
			ofd_yemit_plain(&y, open_sec);
			ofd_yemit_map(&y, false);
		}
		ofd_yemit_kv_plain(&y, d->knob[k].name, d->knob[k].value);
	}
	if (open_sec)
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
		if (sec && line[0] == ' ')
			for (k = 0; k < d->nknobs; k++) {
				size_t n = strlen(d->knob[k].name);

				if (d->knob[k].is_default && !strcmp(d->knob[k].section, sec) &&
				    !strncmp(line + 2, d->knob[k].name, n) && line[2 + n] == ':')
					fputs("  # default", stdout);
			}
		if (line[0] != ' ') {
			/* "section:" opens a section, any other key closes it */
			sec = NULL;
			for (k = 0; k < d->nknobs; k++) {
				size_t n = strlen(d->knob[k].section);

				if (!strncmp(line, d->knob[k].section, n) && !strcmp(line + n, ":"))
					sec = d->knob[k].section;
			}
		}
		putchar('\n');
	}
	free(buf);
	return 0;
}

static int print_json(const struct ofd_emu_profile_desc *d, const char *path)
{
	json_t *j = json_pack("{s:s, s:s, s:s}", "name", d->name, "file", path,
			      "description", d->description);
	json_t *cat = json_array();
	unsigned int k;

	for (k = 0; k < d->ncatalogue; k++)
		json_array_append_new(cat, json_integer(d->catalogue[k]));
	json_object_set_new(j, "catalogue", cat);
	/* one object per section: "knobs" (tx-csum), "tso", ... */
	for (k = 0; k < d->nknobs; k++) {
		json_t *sec = json_object_get(j, d->knob[k].section);

		if (!sec) {
			sec = json_object();
			json_object_set_new(j, d->knob[k].section, sec);
		}
		json_object_set_new(sec, d->knob[k].name,
				    json_pack("{s:s, s:b}", "value", d->knob[k].value,
					      "default", d->knob[k].is_default));
	}
	return ofd_cli_json_print(j);
}

static int do_show(int argc, char **argv)
{
	char dir[4096];
	struct dir_opts o = { .dir = bundled(dir, sizeof(dir)) };
	struct ofd_emu_profile_desc d;
	char path[4096], err[512];
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (ofd_emu_profile_path(argv[1], o.dir, path, sizeof(path))) {
		ofd_cli_err("profile show: bad profile %s", ofd_cli_q(argv[1]));
		return OFD_EXIT_USAGE;
	}
	if (ofd_emu_profile_describe(path, &d, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		return OFD_EXIT_USAGE;
	}
	if (ofd_g.json)
		return print_json(&d, path) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	return show_yaml(&d, path) ? OFD_EXIT_USAGE : OFD_EXIT_EQUAL;
}

static int do_check(int argc, char **argv)
{
	char dir[4096];
	struct dir_opts o = { .dir = bundled(dir, sizeof(dir)) };
	char path[4096], err[512];
	int i, rc = OFD_EXIT_EQUAL, e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	for (i = 1; i < argc; i++) {
		if (ofd_emu_profile_path(argv[i], o.dir, path, sizeof(path))) {
			ofd_cli_err("profile check: bad profile %s", ofd_cli_q(argv[i]));
			rc = OFD_EXIT_USAGE;
			continue;
		}
		if (ofd_emu_profile_check(path, err, sizeof(err))) {
			ofd_cli_err("%s", err);
			rc = OFD_EXIT_USAGE;
			continue;
		}
		printf("%s: %s\n", path, ofd_cli_verdict("ok"));
	}
	return rc;
}

static const struct ofd_verb profile_verbs[] = {
	{ "list", do_list, NULL, "name and description of every profile in DIR", NULL,
	  dir_opts, 0, 0, OFD_VERB_JSON },
	{ "show", do_show, "NAME|PATH",
	  "a profile's knobs, defaults filled in (NAME is looked up in DIR)", NULL, dir_opts,
	  1, 1, OFD_VERB_JSON },
	{ "check", do_check, "NAME|PATH...",
	  "validate profiles: each error with its file:line:column, exit 2 on any", NULL,
	  dir_opts, 1, OFD_ARGS_ANY, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_profile = { "profile", "the emulator's profiles",
					    profile_verbs };
