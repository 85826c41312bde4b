#!/usr/bin/env bash
# Installs, from Debian's packages, the tools the end-to-end and browser
# suites drive: docker-registry (Docker Distribution 2.8), skopeo, openssl
# (the token-auth test's certificate) and chromium (driven by playwright-core;
# no browser is ever downloaded from elsewhere). Does nothing when all are
# present; prints apt's output only when it fails.
set -euo pipefail

missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt() {
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-test-tools: apt-get $* failed" >&2
    exit 1
  fi
}
# A fresh machine may have no package lists yet.
apt-cache show "${missing[@]}" >/dev/null 2>&1 || apt update -qq
apt install -y -qq --no-install-recommends "${missing[@]}"
echo "installed: ${missing[*]}"
