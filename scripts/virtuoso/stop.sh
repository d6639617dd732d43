#!/usr/bin/env bash
# Stop the private Virtuoso started by start.sh (checkpoint and shut down over SQL, then by pid).
# Usage: bash scripts/virtuoso/stop.sh [--wipe]   (--wipe also removes its database folder)
set -uo pipefail
DIR="${INNOGRAPH_VIRTUOSO_DIR:-/tmp/innograph-virtuoso}"
SQL="${INNOGRAPH_VIRTUOSO_SQL:-11111}"
if [[ -f "$DIR/virtuoso.lck" ]]; then
    pid="$(sed -n 's/^VIRT_PID=//p' "$DIR/virtuoso.lck" 2>/dev/null | head -n 1)"
    isql-vt "127.0.0.1:${SQL}" dba dba exec='shutdown;' >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do
        [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
    fi
fi
if [[ "${1:-}" == "--wipe" ]]; then
    rm -rf "$DIR"
fi
exit 0
