#!/usr/bin/env bash
# Installs Debian's chromium for the browser suite (test/browser), which
# drives it with playwright-core; no browser is ever downloaded from
# elsewhere. Does nothing when /usr/bin/chromium is present; prints apt's
# output only when it fails.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt() {
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-browser: apt-get $* failed" >&2
    exit 1
  fi
}
# A fresh machine may have no package lists yet.
apt-cache show chromium >/dev/null 2>&1 || apt update -qq
apt install -y -qq --no-install-recommends chromium fonts-dejavu-core
echo "installed: $(/usr/bin/chromium --version)"
