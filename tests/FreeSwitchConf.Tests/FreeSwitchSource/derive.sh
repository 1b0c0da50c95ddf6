#!/usr/bin/env bash
# Derives the test data in this folder from a FreeSWITCH source checkout (a git directory), at one tag:
#   modules.txt       every module in the tree (src/mod/<category>/mod_<name>), one name a line
#   params/<conf>.txt every parameter name a module's config parser compares against (strcmp/strcasecmp of
#                     its `var`), for the config files freeswitch-conf/ writes
#   apps.txt          the dialplan applications each module registers ("mod_dptools park")
#   apis.txt          the API commands each module registers ("mod_commands uuid_bridge")
#   core-vars.txt     the global variables FreeSWITCH's core defines itself (switch_core.c)
#   SOURCE.txt        where it came from (repository, tag, commit)
# Usage: derive.sh /path/to/freeswitch.git [tag]   (e.g. the mirror from `fetch github:signalwire/freeswitch`)
set -euo pipefail
git_dir="$1"
tag="${2:-v1.10.12}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
g() { git --git-dir="$git_dir" "$@"; }
commit="$(g rev-parse "$tag^{commit}")"

printf 'repository https://github.com/signalwire/freeswitch\ntag %s\ncommit %s\n' "$tag" "$commit" > "$here/SOURCE.txt"

g ls-tree -d --name-only "$commit" src/mod/ | while read -r category; do
  g ls-tree -d --name-only "$commit" "$category/"
done | sed -n 's#^src/mod/[^/]*/\(mod_[A-Za-z0-9_]*\)$#\1#p' | sort -u > "$here/modules.txt"

# The global variables the core sets before the configuration is read ($${base_dir}, $${local_ip_v4}, ...).
g show "$commit:src/switch_core.c" | grep -oE 'switch_core_set_variable\("[a-z_0-9]+"' |
  sed -E 's/.*"(.*)"/\1/' | sort -u > "$here/core-vars.txt"

# The dialplan applications each module registers (SWITCH_ADD_APP), "module app" a line.
g grep -oE 'SWITCH_ADD_APP\([a-z_]+, *"[^"]+"' "$commit" -- 'src/mod/*.c' 2>/dev/null |
  sed -E 's#^[^:]+:src/mod/[^/]+/(mod_[A-Za-z0-9_]+)/[^:]*:.*"([^"]+)"$#\1 \2#' | sort -u > "$here/apps.txt"

# The API commands each module registers (SWITCH_ADD_API), "module command" a line.
g grep -oE 'SWITCH_ADD_API\([a-z_]+, *"[^"]+"' "$commit" -- 'src/mod/*.c' 2>/dev/null |
  sed -E 's#^[^:]+:src/mod/[^/]+/(mod_[A-Za-z0-9_]+)/[^:]*:.*"([^"]+)"$#\1 \2#' | sort -u > "$here/apis.txt"

# params <conf name> <source file>...: the names compared with the parser's `var`.
params() {
  local name="$1"; shift
  for file in "$@"; do g show "$commit:$file"; done |
    grep -oE 'str(case)?cmp\(\s*var\s*,\s*"[^"]+"\s*\)' |
    sed -E 's/.*"([^"]+)".*/\1/' | sort -u > "$here/params/$name.txt"
}
params switch.conf src/switch_core.c
params console.conf src/mod/loggers/mod_console/mod_console.c
params logfile.conf src/mod/loggers/mod_logfile/mod_logfile.c
params event_socket.conf src/mod/event_handlers/mod_event_socket/mod_event_socket.c
params verto.conf src/mod/endpoints/mod_verto/mod_verto.c
params sofia.conf src/mod/endpoints/mod_sofia/sofia.c src/mod/endpoints/mod_sofia/sofia_reg.c src/mod/endpoints/mod_sofia/mod_sofia.c
params xml_curl.conf src/mod/xml_int/mod_xml_curl/mod_xml_curl.c
params json_cdr.conf src/mod/event_handlers/mod_json_cdr/mod_json_cdr.c
params conference.conf $(g ls-tree --name-only "$commit" src/mod/applications/mod_conference/ | grep '\.c$')
echo "derived from $tag ($commit): $(wc -l < "$here/modules.txt") modules"
