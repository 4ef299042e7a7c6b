#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for trying Dermis's clinic-server backend by
# hand, from Debian's `postgresql` package (its default cluster is not used).
#
#   scripts/pg-throwaway.sh start DIR   initdb + start on a random loopback port;
#                                       prints the superuser URL (password in DIR/pw)
#   scripts/pg-throwaway.sh stop DIR    stop it and remove DIR
#
# initdb refuses root, so as root the cluster runs as the `postgres` user.
# The whole clinic test suite on it (each in-memory test clinic becomes a
# fresh database there):
#   DERMIS_TEST_SERVER="$(scripts/pg-throwaway.sh start /tmp/pg)" cargo test -p dermis-clinic
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries: apt-get install postgresql" >&2; exit 1; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    printf '%s' "$pw" > "$dir/pw"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      --pwfile="$dir/pw" >/dev/null
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
    echo "postgresql://postgres:$pw@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
