#!/usr/bin/env bash
# A local PostgreSQL 15 cluster for development and tests, started the way an operator would start one:
# initdb once, pg_ctl start/stop, listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so when we
# are root the cluster runs as the `postgres` OS user.
#   scripts/postgres.sh start|stop|status|url
# Environment: CALLCONTROL_PG_PORT (55432), CALLCONTROL_PG_DATA (<repo>/.local/pg/data).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
port="${CALLCONTROL_PG_PORT:-55432}"
data="${CALLCONTROL_PG_DATA:-$repo/.local/pg/data}"
db="${CALLCONTROL_PG_DB:-callcontrol}"

find_bin() {
  for v in 15 16 17; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then echo "/usr/lib/postgresql/$v/bin"; return; fi
  done
}

pgbin="$(find_bin || true)"
if [ -z "$pgbin" ]; then
  echo "postgres: installing PostgreSQL from the machine's packages" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "postgres: PostgreSQL is not installed and we are not root; install the 'postgresql' package" >&2; exit 1
  fi
  pgbin="$(find_bin)"
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$db;Pooling=true"; }

start() {
  mkdir -p "$(dirname "$data")"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$(dirname "$data")"
    # The postgres user must be able to reach the data folder; a repo under a private home would block it.
    if ! runuser -u postgres -- test -x "$(dirname "$data")"; then
      data="/var/tmp/callcontrol-pg-$(echo "$repo" | md5sum | cut -c1-8)/data"
      mkdir -p "$(dirname "$data")"; chown postgres:postgres "$(dirname "$data")"
    fi
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    # trust auth is safe here: the cluster listens on 127.0.0.1 only and is a developer/test cluster.
    as_pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    :
  elif "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    # Another local cluster (e.g. a second checkout's) already serves this port: use it rather than fail.
    echo "postgres: 127.0.0.1:$port is already served by another cluster; using it" >&2
  else
    as_pg "$pgbin/pg_ctl" -D "$data" -l "$data/../postgres.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off -c max_connections=200" start >/dev/null
  fi
  if ! "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
  fi
  echo "postgres: up on 127.0.0.1:$port (data $data)" >&2
}

stop() {
  if [ -f "$data/PG_VERSION" ]; then as_pg "$pgbin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) as_pg "$pgbin/pg_ctl" -D "$data" status ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
