#!/bin/sh
# Make sure the given Debian packages are installed.
#   sh scripts/debian-packages.sh postgresql chromium ...
# Installed ones are left alone (checked with dpkg -s). Missing ones are installed with
# apt-get, as root directly, otherwise through `sudo -n` (never asks for a password);
# when neither is possible, exits 1 and prints the exact command to run.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi

if ! command -v dpkg >/dev/null 2>&1; then
    echo "debian-packages: no dpkg here (not Debian?); make sure these are installed: $*" >&2
    exit 0
fi

missing=""
for package in "$@"; do
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing="$missing $package"
    fi
done
missing="${missing# }"

if [ -z "$missing" ]; then
    exit 0
fi

echo "debian-packages: missing: $missing" >&2
command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing"
if [ "$(id -u)" -eq 0 ]; then
    sh -c "$command"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n sh -c "$command"
else
    echo "debian-packages: cannot install as $(id -un) (not root, no password-less sudo)." >&2
    echo "Run this, then try again:" >&2
    echo "  sudo sh -c '$command'" >&2
    exit 1
fi
