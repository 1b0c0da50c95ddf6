#!/usr/bin/env bash
# Runs CallControl on its embedded default: a local PostgreSQL, the FreeSWITCH simulator standing in for a
# FreeSWITCH node, and the service steering it. Everything binds to 127.0.0.1. Ctrl-C stops all three.
# Ports (environment): CALLCONTROL_PG_PORT=55432, SIM_ESL_PORT=8021, SIM_CONTROL_PORT=8099, CALLCONTROL_HTTP_PORT=8080.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
http_port="${CALLCONTROL_HTTP_PORT:-8080}"
esl_port="${SIM_ESL_PORT:-8021}"
control_port="${SIM_CONTROL_PORT:-8099}"
esl_password="${SIM_ESL_PASSWORD:-ClueCon}"

scripts/postgres.sh start
db="$(scripts/postgres.sh url)"

echo "run: building..." >&2
dotnet build tests/FreeSwitchSim/FreeSwitchSim.csproj -c Release --artifacts-path "$repo/.local/run" -nologo -v q -clp:ErrorsOnly >&2
sim_dll="$repo/.local/run/bin/FreeSwitchSim/release/FreeSwitchSim.dll"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The embedded default is a development setup: appsettings.Development.json holds its (public, dev-only) secrets.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
cdr_user="${FreeSwitch__CallbackUser:-fs}"
cdr_secret="${FreeSwitch__CallbackSecret:-dev-only-callback-secret}"

# Like FreeSWITCH's mod_json_cdr, the simulator posts every leg's CDR to the service (and spools while it is down);
# like mod_xml_curl, it checks verto logins against the service's directory.
dotnet "$sim_dll" --esl-port "$esl_port" --password "$esl_password" --control-port "$control_port" \
  --json-cdr-url "http://127.0.0.1:$http_port/fs/cdr" --json-cdr-user "$cdr_user" --json-cdr-password "$cdr_secret" \
  --directory-url "http://127.0.0.1:$http_port/fs/directory" --directory-user "$cdr_user" --directory-password "$cdr_secret" \
  --recordings-dir "$repo/.local/recordings" &
pids+=($!)

export ConnectionStrings__CallControl="$db"
export FreeSwitch__Nodes__0__Name="sim1" FreeSwitch__Nodes__0__Host="127.0.0.1" \
  FreeSwitch__Nodes__0__Port="$esl_port" FreeSwitch__Nodes__0__Password="$esl_password" \
  FreeSwitch__Nodes__0__VertoUrl="ws://127.0.0.1:8081" \
  FreeSwitch__Nodes__0__RecordingsPath="$repo/.local/recordings" \
  Recording__Folder="$repo/.local/recordings" Recording__Archive__Path="$repo/.local/archive"
export ASPNETCORE_URLS="http://127.0.0.1:$http_port"
./callcontrol serve &
pids+=($!)

cat >&2 <<MSG
run: CallControl    http://127.0.0.1:$http_port   (health: /health/live, /health/ready)
run: simulator ESL  127.0.0.1:$esl_port (password $esl_password), control API http://127.0.0.1:$control_port
run: PostgreSQL     $db
run: Ctrl-C stops the service and the simulator; 'scripts/postgres.sh stop' stops PostgreSQL.
MSG
wait -n "${pids[@]}"
