#!/usr/bin/env bash
# Build the addon's wheel the way the OCA packages addons: setuptools-odoo reads
# the manifest (name odoo11-addon-candidate_nurture, version, dependencies) from
# setup/candidate_nurture/, whose odoo/addons/candidate_nurture links to the addon.
#   runtime/dist.sh [OUTDIR]    (default dist/); prints the wheel's path last
# The wheel holds the files git knows (setuptools-scm lists them): a new file
# must be added to git (committed or staged) to be in it. The version is the
# manifest's, with .99.devN when commits or changes came after the version bump
# (setuptools-odoo's git post-version for 11.0).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
OUT=${1:-$ROOT/dist}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SETUP=$ROOT/setup/candidate_nurture

untracked=$(git -C "$ROOT" ls-files --others --exclude-standard -- candidate_nurture)
if [ -n "$untracked" ]; then
    echo "[dist] WARNING: not in git, so not in the wheel:" $untracked >&2
fi
# stale files in build/ would end up in the wheel
rm -rf "$SETUP/build" "$SETUP"/*.egg-info
stamp=$(mktemp)
# the build tools come from the venv (runtime/requirements-dev.txt): no isolated
# build environment, nothing downloaded
(cd "$SETUP" && "$VENV/bin/python" -m pip --disable-pip-version-check -q wheel \
    --no-deps --no-build-isolation --no-index -w "$OUT" .)
rm -rf "$SETUP/build" "$SETUP"/*.egg-info
wheel=$(find "$OUT" -maxdepth 1 -name 'odoo11_addon_candidate_nurture-*.whl' -newer "$stamp" | head -n 1)
rm -f "$stamp"
if [ -z "$wheel" ]; then
    echo "[dist] no wheel was built in $OUT" >&2
    exit 1
fi
echo "$wheel"
