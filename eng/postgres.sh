#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the prediction-log tests: 127.0.0.1 only, trust authentication, data in a temp
# folder. Usage:
#   eval "$(bash eng/postgres.sh start)"   # prints export lines: INFERD_TEST_POSTGRES (a connection string) and
#                                          # INFERD_TEST_POSTGRES_DIR (the cluster folder)
#   bash eng/postgres.sh stop [DIR]        # stops the cluster and deletes its folder (DIR or $INFERD_TEST_POSTGRES_DIR)
# Without PostgreSQL binaries, start prints nothing and the PostgreSQL tests are skipped. As root, the server runs
# as the postgres user (initdb refuses root).
set -euo pipefail
command="${1:-start}"

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir="$d"
done

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    if [ -z "$bindir" ]; then
      echo "eng/postgres.sh: no PostgreSQL found under /usr/lib/postgresql; the PostgreSQL tests will be skipped" >&2
      exit 0
    fi
    # An uncommon port, moving up past any that is taken (another run or a system cluster on 5432).
    port=55432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    dir="$(mktemp -d /tmp/inferd-postgres.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U inferd --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync stays on: the durable-mode tests rely on synchronous_commit meaning what it says.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U inferd inferd_test
    echo "export INFERD_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=inferd;Database=inferd_test'"
    echo "export INFERD_TEST_POSTGRES_DIR='$dir'"
    echo "eng/postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
    ;;
  stop)
    dir="${2:-${INFERD_TEST_POSTGRES_DIR:-}}"
    if [ -z "$dir" ] || [ ! -d "$dir/data" ] || [ -z "$bindir" ]; then
      exit 0
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: eng/postgres.sh start|stop [DIR]" >&2
    exit 2
    ;;
esac
