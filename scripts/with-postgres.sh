#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, for the tests that need one
# (`make test` runs the suite through this). The cluster lives in a temporary folder, listens on
# 127.0.0.1 at a free port, trusts local connections and is stopped and removed when the
# command ends, whatever its outcome. The command sees
#     EARSHOT_TEST_POSTGRES=postgres://earshot@127.0.0.1:PORT/postgres
# and creates a database of its own per test.
#
# PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user (created by
# Debian's package), else as `nobody`. PostgreSQL is installed from Debian's packages when
# missing (as root; otherwise the script prints the command to run).
# EARSHOT_NO_POSTGRES=1 runs the command without a cluster: the PostgreSQL tests then skip and
# say why.
set -euo pipefail

if [ "${EARSHOT_NO_POSTGRES:-}" = 1 ]; then
  echo "with-postgres: EARSHOT_NO_POSTGRES=1, running without a PostgreSQL cluster"
  exec "$@"
fi

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "with-postgres: installing PostgreSQL from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
  else
    echo "with-postgres: PostgreSQL's server is not installed; run:  sudo apt-get install -y postgresql"
    echo "  (or EARSHOT_NO_POSTGRES=1 to skip the PostgreSQL tests)"
    exit 1
  fi
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || owner=nobody
  as_owner=(runuser -u "$owner" --)
fi

cluster=$(mktemp -d /tmp/earshot-pg.XXXXXX)
chmod 0700 "$cluster"
[ "${#as_owner[@]}" -gt 0 ] && chown "$owner" "$cluster"

stop_cluster() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${as_owner[@]}" "$bin/initdb" -D "$cluster/data" -U earshot -A trust -E UTF8 --no-sync >"$cluster/initdb.log" 2>&1 || {
  cat "$cluster/initdb.log"; exit 1; }
# fsync off: a throwaway cluster need not survive a power cut. max_connections covers several
# daemons per test running in parallel.
"${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $cluster -F -c max_connections=400 -c fsync=off -c full_page_writes=off" \
  start >/dev/null || { cat "$cluster/server.log"; exit 1; }
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export EARSHOT_TEST_POSTGRES="postgres://earshot@127.0.0.1:$port/postgres"
status=0
"$@" || status=$?
exit $status
