#!/usr/bin/env bash
# Small database helper on the server runtime/pg.sh finds.
#   runtime/db.sh exists NAME   -> exit 0 when the database exists
#   runtime/db.sh drop NAME     -> drop it if it exists
#   runtime/db.sh installed NAME MODULE -> print the module's installed version
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
args=()
while IFS= read -r opt; do
    case "$opt" in
        --db_host=*) args+=(-h "${opt#*=}") ;;
        --db_port=*) args+=(-p "${opt#*=}") ;;
        --db_user=*) args+=(-U "${opt#*=}") ;;
        --db_password=*) export PGPASSWORD="${opt#*=}" ;;
    esac
done < <("$HERE/pg.sh")
q() { psql "${args[@]}" -XAtq "$@"; }
case "$1" in
    exists) [ "$(q -d postgres -v name="$2" <<<"select 1 from pg_database where datname = :'name'")" = 1 ] ;;
    drop) q -d postgres -v name="$2" <<<'DROP DATABASE IF EXISTS :"name"' >/dev/null ;;
    installed) q -d "$2" -v mod="$3" <<<"select latest_version from ir_module_module where name = :'mod' and state = 'installed'" ;;
    *) echo "usage: $0 exists|drop|installed NAME [MODULE]" >&2; exit 2 ;;
esac
