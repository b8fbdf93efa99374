#!/usr/bin/env bash
# Create the demo database, or upgrade candidate_nurture in it when the addon changed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DB=${1:-nurture_demo}
STAMP=$ROOT/.odoo-data/$DB.addon-hash
mkdir -p "$ROOT/.odoo-data"
hash=$(cd "$ROOT" && find candidate_nurture -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16)
if ! "$HERE/db.sh" exists "$DB" || [ -z "$("$HERE/db.sh" installed "$DB" candidate_nurture)" ]; then
    echo "[run] creating database $DB with candidate_nurture and demo data (about 2 minutes)"
    "$HERE/odoo" -d "$DB" -i candidate_nurture --stop-after-init --workers=0 \
        --max-cron-threads=0 --no-http --log-level=warn
    echo "$hash" > "$STAMP"
elif [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$hash" ]; then
    echo "[run] candidate_nurture changed: upgrading it in $DB"
    "$HERE/odoo" -d "$DB" -u candidate_nurture --stop-after-init --workers=0 \
        --max-cron-threads=0 --no-http --log-level=warn
    echo "$hash" > "$STAMP"
else
    echo "[run] database $DB is up to date"
fi
