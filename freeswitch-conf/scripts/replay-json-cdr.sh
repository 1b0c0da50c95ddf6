#!/usr/bin/env bash
# Posts the CDRs mod_json_cdr spooled (json_cdr_spool_dir/<uuid>.cdr.json: the service did not take them) to
# the service again, exactly as mod_json_cdr posts them, and deletes each one the service accepts (2xx).
# The service's receiver is idempotent by leg uuid, so a CDR posted twice is stored once. Run it by hand or
# from cron on the FreeSWITCH host. Exits non-zero when any file is left.
#   CALLCONTROL_URL=https://... CALLCONTROL_CALLBACK_USER=fs CALLCONTROL_CALLBACK_SECRET=... \
#     replay-json-cdr.sh [spool dir, default /var/log/freeswitch/json_cdr]
set -euo pipefail
spool="${1:-${FS_JSON_CDR_SPOOL_DIR:-/var/log/freeswitch/json_cdr}}"
url="${CALLCONTROL_URL:?set CALLCONTROL_URL}/fs/cdr"
user="${CALLCONTROL_CALLBACK_USER:?set CALLCONTROL_CALLBACK_USER}"
secret="${CALLCONTROL_CALLBACK_SECRET:?set CALLCONTROL_CALLBACK_SECRET}"
uuid_re='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

sent=0 left=0
shopt -s nullglob
for file in "$spool"/*.cdr.json; do
  name="$(basename "$file" .cdr.json)"
  uuid="${name#a_}"   # prefix-a-leg names A legs a_<uuid>
  if [[ ! "$uuid" =~ $uuid_re ]]; then
    echo "skip $file: not <uuid>.cdr.json" >&2; left=$((left + 1)); continue
  fi
  # The credentials go to curl on stdin (a config line), not on its command line, where ps would show them.
  status="$(printf 'user = "%s:%s"\n' "$user" "$secret" | curl --silent --show-error --config - \
    --output /dev/null --write-out '%{http_code}' --max-time 10 \
    --header 'Content-Type: application/json' --header 'Expect:' \
    --user-agent 'freeswitch-json/1.0' --data-binary "@$file" "$url?uuid=$uuid" || true)"
  if [[ "$status" == 2?? ]]; then
    rm -f -- "$file"; sent=$((sent + 1))
  else
    echo "kept $file: HTTP $status" >&2; left=$((left + 1))
  fi
done
echo "replayed $sent, left $left"
[ "$left" -eq 0 ]
