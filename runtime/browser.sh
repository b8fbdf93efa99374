#!/usr/bin/env bash
# Make sure Debian's Chromium and ChromeDriver are present for the browser tests.
# Installs them from Debian's packages when missing and we may (root + apt-get).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[browser] installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
    exit 0
fi
echo "[browser] chromium and chromedriver are needed for the browser tests:" >&2
echo "[browser]   sudo apt-get install chromium chromium-driver" >&2
exit 1
