#!/usr/bin/env bash
# System packages the test suite drives for real: Debian's Chromium for the browser tests and
# Virtuoso Open Source for the remote SPARQL backend's tests.
# Installed with apt when missing and we are root (CI is); otherwise say what to run.
# Under CI=true a missing package that cannot be installed is an error, not a skip.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    exit 0
fi
echo "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
[[ "${CI:-}" == "true" ]] && exit 1
exit 0
