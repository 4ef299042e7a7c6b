#!/usr/bin/env bash
# Makes this PC the Dermis clinic server (Debian 12 / Ubuntu 24.04): one
# PostgreSQL cluster that holds the clinic, reachable from the clinic's LAN
# only, over TLS with a certificate made for this clinic, with nightly
# verified backups. Run it as root on the PC that will be the server.
#
#   sudo bash scripts/clinic-server.sh setup --clinic "Clearskin Clinic" --admin amira \
#        --lan 192.168.1.0/24 [--address 192.168.1.10] [--port 5432] \
#        [--from /path/to/dermis.db --from-user amira] [--backup-dir /var/backups/dermis]
#   sudo bash scripts/clinic-server.sh backup-now --to /media/usb-stick/dermis
#   sudo bash scripts/clinic-server.sh status
#
# setup, step by step (each step is skipped when already done, so running it
# again is safe and keeps the certificate, hence the fingerprint every PC pinned):
#  1. installs PostgreSQL and openssl from the distribution when missing;
#  2. creates the cluster `dermis` (pg_createcluster) on --port;
#  3. makes a self-signed certificate for this server (10 years; its SHA-256
#     fingerprint is what each PC compares when it joins) in /etc/dermis-server;
#  4. listens on localhost and --address only; TLS on (1.2 at least); clients on
#     --lan must use TLS and SCRAM (pg_hba `hostssl … scram-sha-256`); nothing
#     else is let in; every failed sign-in is delayed (auth_delay) and logged;
#  5. creates the setup user `dermis_setup` (CREATEROLE, CREATEDB, not a
#     superuser; its password in /etc/dermis-server/setup.env, root only) and
#     the database `dermis`, then runs `dermis init` (the first admin types
#     their password) or, with --from, `dermis copy` of a single-PC clinic file;
#     then that admin makes the clinic's backup key (`dermis server-backup-key`:
#     its recovery key is shown once), to which every dump is sealed;
#  6. schedules the nightly backup (a systemd timer at 02:30, or cron without
#     systemd): `dermis server-backup` into --backup-dir, the newest 14 kept;
#  7. prints what each other PC needs: the address and the fingerprint.
#
# The `dermis` command: the one on PATH, else DERMIS_BIN, else it is built
# from this checkout (cargo build --release -p dermis-cli).
# Windows: the same steps with PostgreSQL's own installer, described in the
# README's "Clinic server" section.
set -euo pipefail

ETC=/etc/dermis-server
CLUSTER=dermis
DB=dermis
SETUP_ROLE=dermis_setup

die() { echo "clinic-server: $*" >&2; exit 1; }
say() { printf '\n==> %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo bash scripts/clinic-server.sh …)"

cmd="${1:-}"; shift || true
CLINIC="" ADMIN="" LAN="" ADDRESS="" PORT=5432 FROM="" FROM_USER="" BACKUP_DIR=/var/backups/dermis TO=""
while [ $# -gt 0 ]; do
  case "$1" in
    --clinic) CLINIC="$2"; shift 2 ;;
    --admin) ADMIN="$2"; shift 2 ;;
    --lan) LAN="$2"; shift 2 ;;
    --address) ADDRESS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --from-user) FROM_USER="$2"; shift 2 ;;
    --backup-dir) BACKUP_DIR="$2"; shift 2 ;;
    --to) TO="$2"; shift 2 ;;
    *) die "unknown option $1 (see the top of this script)" ;;
  esac
done

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1; }

dermis_bin() {
  if [ -n "${DERMIS_BIN:-}" ]; then echo "$DERMIS_BIN"; return; fi
  if command -v dermis >/dev/null 2>&1; then command -v dermis; return; fi
  local root; root="$(cd "$(dirname "$0")/.." && pwd)"
  if [ -f "$root/Cargo.toml" ]; then
    (cd "$root" && PATH="$HOME/.cargo/bin:$PATH" cargo build -q --release -p dermis-cli) >&2
    echo "${CARGO_TARGET_DIR:-$root/target}/release/dermis"; return
  fi
  die "no dermis command: install it or set DERMIS_BIN"
}

local_url() { echo "postgresql://$SETUP_ROLE@127.0.0.1:$PORT/$DB"; }

fingerprint() { openssl x509 -noout -fingerprint -sha256 -in "$ETC/server.crt" | sed 's/.*=//'; }

psql_super() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

read_port() {
  # The port of an existing cluster (setup's --port only matters the first time).
  local v; v="$(pg_version)"
  if [ -f "/etc/postgresql/$v/$CLUSTER/postgresql.conf" ]; then
    PORT="$(pg_lsclusters -h | awk -v c="$CLUSTER" -v v="$v" '$1==v && $2==c {print $3}')"
  fi
}

start_cluster() {
  local v="$1"
  if [ -d /run/systemd/system ]; then
    systemctl enable --now "postgresql@$v-$CLUSTER" >/dev/null
    systemctl restart "postgresql@$v-$CLUSTER"
  else
    pg_ctlcluster "$v" "$CLUSTER" restart 2>/dev/null || pg_ctlcluster "$v" "$CLUSTER" start
  fi
}

setup() {
  [ -n "$LAN" ] || die "--lan is needed: the clinic's network, e.g. 192.168.1.0/24 (only it may connect)"
  [ -n "$ADMIN" ] || [ -n "$FROM" ] || die "--admin NAME (a new clinic) or --from FILE --from-user NAME (moving a clinic here)"
  [ -z "$FROM" ] || [ -n "$FROM_USER" ] || die "--from needs --from-user: an admin of that clinic file"
  [ -n "$FROM" ] || [ -n "$CLINIC" ] || die "--clinic NAME is needed for a new clinic"
  if [ -z "$ADDRESS" ]; then
    # The first address of this PC inside --lan.
    ADDRESS="$(python3 - "$LAN" <<'PY'
import ipaddress, subprocess, sys
net = ipaddress.ip_network(sys.argv[1], strict=False)
out = subprocess.run(["ip", "-o", "addr", "show"], capture_output=True, text=True).stdout
for line in out.splitlines():
    parts = line.split()
    if "inet" in parts or "inet6" in parts:
        i = parts.index("inet") if "inet" in parts else parts.index("inet6")
        addr = ipaddress.ip_interface(parts[i + 1]).ip
        if addr in net:
            print(addr); break
PY
)"
    [ -n "$ADDRESS" ] || die "this PC has no address inside $LAN: give --address"
  fi

  say "1. PostgreSQL and openssl"
  local missing=()
  [ -n "$(pg_version)" ] || missing+=(postgresql)
  command -v openssl >/dev/null || missing+=(openssl)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  local v; v="$(pg_version)"
  [ -n "$v" ] || die "PostgreSQL did not install"

  say "2. The cluster '$CLUSTER' (PostgreSQL $v)"
  if pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$v $CLUSTER"; then
    read_port
    echo "already there, on port $PORT"
  else
    pg_createcluster "$v" "$CLUSTER" -p "$PORT" -- --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local conf="/etc/postgresql/$v/$CLUSTER"

  say "3. This server's certificate"
  install -d -m 0750 -o root -g postgres "$ETC"
  if [ ! -f "$ETC/server.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=Dermis clinic server $(hostname)" \
      -addext "subjectAltName=IP:$ADDRESS,DNS:$(hostname)" \
      -keyout "$ETC/server.key" -out "$ETC/server.crt" 2>/dev/null
    chown postgres:postgres "$ETC/server.key" "$ETC/server.crt"
    chmod 0600 "$ETC/server.key"; chmod 0644 "$ETC/server.crt"
  else
    echo "kept (every PC has pinned its fingerprint)"
  fi

  say "4. Network: localhost and $ADDRESS; TLS + SCRAM from $LAN only"
  install -d -o postgres -g postgres "$conf/conf.d"
  cat > "$conf/conf.d/dermis.conf" <<EOF
# Written by Dermis's scripts/clinic-server.sh: the clinic server.
listen_addresses = 'localhost,$ADDRESS'
ssl = on
ssl_cert_file = '$ETC/server.crt'
ssl_key_file = '$ETC/server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
# A wrong password costs the guesser half a second (Dermis's own lockout counts
# the sign-ins made through Dermis; this slows guesses made with other tools).
shared_preload_libraries = 'auth_delay'
auth_delay.milliseconds = 500
log_connections = on
EOF
  grep -q "^include_dir = 'conf.d'" "$conf/postgresql.conf" || echo "include_dir = 'conf.d'" >> "$conf/postgresql.conf"
  cat > "$conf/pg_hba.conf" <<EOF
# Written by Dermis's scripts/clinic-server.sh. The clinic's PCs ($LAN) only,
# over TLS, with SCRAM; the server PC itself over loopback; nothing else.
local   all  postgres               peer
local   all  all                    scram-sha-256
host    all  all  127.0.0.1/32      scram-sha-256
host    all  all  ::1/128           scram-sha-256
hostssl all  all  $LAN              scram-sha-256
EOF
  chown postgres:postgres "$conf/pg_hba.conf" "$conf/conf.d/dermis.conf"
  start_cluster "$v"

  say "5. The setup user and the clinic"
  umask 077
  if [ ! -f "$ETC/setup.env" ]; then
    local pw; pw="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    # The statement goes in on stdin (printf is a shell builtin): a password in
    # psql's arguments would be readable by every local user in `ps` meanwhile.
    printf "CREATE ROLE %s LOGIN CREATEROLE CREATEDB PASSWORD '%s';\n" "$SETUP_ROLE" "$pw" | psql_super -f -
    printf 'DERMIS_SETUP_PASSWORD=%s\n' "$pw" > "$ETC/setup.env"
    chmod 0600 "$ETC/setup.env"
  fi
  if ! psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    psql_super -c "CREATE DATABASE $DB OWNER $SETUP_ROLE"
  fi
  local dermis; dermis="$(dermis_bin)"
  set -a; . "$ETC/setup.env"; set +a
  local has_clinic
  has_clinic="$(psql_super -d "$DB" -tAc "SELECT CASE WHEN to_regclass('public.clinic') IS NULL THEN 0 ELSE (SELECT count(*) FROM clinic) END" 2>/dev/null || echo 0)"
  if [ "${has_clinic:-0}" != "0" ]; then
    echo "the database already holds a clinic: left as it is"
  elif [ -n "$FROM" ]; then
    echo "moving the clinic file $FROM onto the server (the password of $FROM_USER, an admin of that file):"
    "$dermis" --user "$FROM_USER" copy --from "$FROM" --to "$(local_url)"
  else
    echo "the first admin, $ADMIN, chooses a password:"
    "$dermis" --db "$(local_url)" init --clinic "$CLINIC" --admin "$ADMIN"
  fi
  # The nightly dumps are sealed to the clinic's backup key (its private half
  # wrapped under the admin's password and a recovery key): an admin makes it
  # once; until then every server backup is refused rather than written in clear.
  # `server-backup-key` is safe to run again: with the setup password at hand
  # (setup.env, loaded above) it first checks as the setup user, and on a
  # server that has its key says so and changes nothing, nobody signing in;
  # otherwise the admin signs in once more and it shows the recovery key.
  local key_admin="${ADMIN:-$FROM_USER}"
  echo "the backup key (if it is made now, $key_admin signs in once more: write down the recovery key it shows):"
  "$dermis" --db "$(local_url)" --user "$key_admin" server-backup-key \
    || echo "no backup key yet: an admin runs \`dermis --db $(local_url) --user NAME server-backup-key\` (backups are refused until then)"

  say "6. Nightly backups into $BACKUP_DIR (the newest 14 kept)"
  install -d -m 0700 "$BACKUP_DIR"
  cat > "$ETC/backup.sh" <<EOF
#!/bin/sh
# Written by Dermis's scripts/clinic-server.sh: one verified backup of the clinic server.
set -e
set -a; . $ETC/setup.env; set +a
exec "$dermis" --db "$(local_url)" server-backup --dir "\${1:-$BACKUP_DIR}" --keep "\${2:-14}"
EOF
  chmod 0700 "$ETC/backup.sh"
  if [ -d /run/systemd/system ]; then
    cat > /etc/systemd/system/dermis-server-backup.service <<EOF
[Unit]
Description=Dermis clinic server: nightly verified backup
After=postgresql@$v-$CLUSTER.service

[Service]
Type=oneshot
ExecStart=$ETC/backup.sh
EOF
    cat > /etc/systemd/system/dermis-server-backup.timer <<EOF
[Unit]
Description=Dermis clinic server: nightly verified backup at 02:30

[Timer]
OnCalendar=*-*-* 02:30:00
Persistent=true

[Install]
WantedBy=timers.target
EOF
    systemctl daemon-reload
    systemctl enable --now dermis-server-backup.timer >/dev/null
    echo "systemd timer dermis-server-backup.timer (a missed night runs at the next start)"
  else
    echo "30 2 * * * root $ETC/backup.sh >/dev/null 2>>/var/log/dermis-server-backup.log" > /etc/cron.d/dermis-server-backup
    echo "cron: /etc/cron.d/dermis-server-backup (no systemd on this PC)"
  fi
  echo "first backup now:"
  "$ETC/backup.sh"

  printf 'ADDRESS=%s\nPORT=%s\nBACKUP_DIR=%s\n' "$ADDRESS" "$PORT" "$BACKUP_DIR" > "$ETC/server.conf"

  say "7. What each other PC needs"
  status
}

status() {
  [ -f "$ETC/server.conf" ] || die "this PC is not set up as the clinic server (run setup)"
  . "$ETC/server.conf"
  local addr="$ADDRESS"
  local fp; fp="$(fingerprint)"
  cat <<EOF
Clinic server:    $addr, port $PORT, database $DB
Fingerprint:      $fp
On each PC:       Settings → Clinic server → Join: address $addr, port $PORT;
                  compare the fingerprint it shows with the one above, word for word.
From the CLI:     dermis server-fingerprint postgresql://$addr:$PORT/$DB
                  then --db "postgresql://$addr:$PORT/$DB?fingerprint=$(echo "$fp" | tr -d ':' | tr 'A-F' 'a-f')"
Backups:          $(ls -1t "$BACKUP_DIR"/dermis-server-*.dump 2>/dev/null | head -1 || echo none yet)
EOF
}

backup_now() {
  [ -n "$TO" ] || die "backup-now --to FOLDER (e.g. a USB stick's folder)"
  [ -x "$ETC/backup.sh" ] || die "this PC is not set up as the clinic server (run setup)"
  "$ETC/backup.sh" "$TO" 1000000
}

case "$cmd" in
  setup) setup ;;
  status) status ;;
  backup-now) backup_now ;;
  *) die "usage: clinic-server.sh setup|status|backup-now (see the top of this script)" ;;
esac
