#!/usr/bin/env bash
# Make sure a PostgreSQL server answers, and print the Odoo options to reach it.
#
# Order of preference:
#   1. PGHOST / PGPORT / PGUSER / PGPASSWORD when set (a server you run yourself);
#   2. the local socket, as the current OS user (Debian's default cluster);
#   3. the system cluster, started with pg_ctlcluster when it is installed but down
#      and we are allowed to (root);
#   4. a project-local cluster under .pgdata/ (git-ignored), created with the
#      PostgreSQL binaries found on this machine and listening on a socket there
#      (plus 127.0.0.1, never another interface).
# Output (stdout): one Odoo command-line option per line. Diagnostics go to stderr.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
LOCAL=${NURTURE_PGDATA:-$ROOT/.pgdata}
LOCAL_PORT=${NURTURE_PGPORT:-55432}

say() { printf '[postgres] %s\n' "$*" >&2; }
answers() { psql "$@" -d postgres -XAtqc 'select 1' >/dev/null 2>&1; }

emit_env() {
    [ -n "${PGHOST:-}" ] && echo "--db_host=$PGHOST"
    [ -n "${PGPORT:-}" ] && echo "--db_port=$PGPORT"
    [ -n "${PGUSER:-}" ] && echo "--db_user=$PGUSER"
    [ -n "${PGPASSWORD:-}" ] && echo "--db_password=$PGPASSWORD"
    return 0
}

# 1. explicit PG* variables win, and are never second-guessed
if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
    if answers; then emit_env; exit 0; fi
    say "no server answers at PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}"
    exit 1
fi

# a project-local cluster from an earlier run
if [ -f "$LOCAL/PG_VERSION" ]; then
    if ! answers -h "$LOCAL/run" -p "$LOCAL_PORT"; then
        say "starting the project cluster in $LOCAL"
        pg_ctl_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
        PATH="$pg_ctl_bin:$PATH" pg_ctl -D "$LOCAL" -l "$LOCAL/server.log" -w start >&2
    fi
    echo "--db_host=$LOCAL/run"; echo "--db_port=$LOCAL_PORT"
    exit 0
fi

# 2. the local socket as the current user
if command -v psql >/dev/null 2>&1 && answers; then
    exit 0
fi

# 3. Debian's system cluster, when it is only stopped
if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    for ver in $(ls /etc/postgresql 2>/dev/null); do
        say "starting system cluster $ver/main"
        pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
    done
    for _ in $(seq 1 20); do answers && exit 0; sleep 0.5; done
fi

# 4. a project-local cluster
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v initdb)")
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    say "no PostgreSQL server answers and no PostgreSQL binaries were found."
    say "Install PostgreSQL (e.g. apt install postgresql) or set PGHOST/PGPORT/PGUSER."
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    say "initdb refuses to run as root: start your system cluster or set PG* variables"
    exit 1
fi
say "creating a project cluster in $LOCAL (port $LOCAL_PORT, socket in $LOCAL/run)"
"$bindir/initdb" -D "$LOCAL" -A trust -U "$(id -un)" >/dev/null
mkdir -p "$LOCAL/run"
cat >> "$LOCAL/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $LOCAL_PORT
unix_socket_directories = '$LOCAL/run'
EOF
"$bindir/pg_ctl" -D "$LOCAL" -l "$LOCAL/server.log" -w start >&2
echo "--db_host=$LOCAL/run"; echo "--db_port=$LOCAL_PORT"
