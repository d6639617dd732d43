#!/usr/bin/env bash
# Stop the Neo4j that scripts/neo4j/start.sh started from DATA_DIR (default /tmp/innograph-neo4j-7687).
#
#   bash scripts/neo4j/stop.sh [DATA_DIR]
#
# SIGTERM first (the launcher's shutdown hook checkpoints and closes the databases), SIGKILL after
# NEO4J_STOP_TIMEOUT (20) seconds. Exits 0 when nothing runs any more, also when nothing ran.
# The data under DATA_DIR is kept (remove the folder to drop it).
set -euo pipefail

DATA_DIR="${1:-${NEO4J_DATA_DIR:-/tmp/innograph-neo4j-${NEO4J_BOLT_PORT:-7687}}}"
PID_FILE="$DATA_DIR/neo4j.pid"
TIMEOUT="${NEO4J_STOP_TIMEOUT:-20}"

log() { printf 'neo4j/stop: %s\n' "$*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
    log "nothing to stop ($PID_FILE does not exist)"
    exit 0
fi
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
# Only ever signal our own launcher: a stale pid file may name a pid reused by something else.
if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'innograph-neo4j-launcher'; then
    log "not running (stale pid file removed)"
    rm -f "$PID_FILE"
    exit 0
fi

start=$(date +%s)
kill -TERM "$pid" 2>/dev/null || true
while kill -0 "$pid" 2>/dev/null && (($(date +%s) - start < TIMEOUT)); do
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    log "still running after ${TIMEOUT} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
else
    log "stopped (pid $pid) in $(($(date +%s) - start)) s"
fi
rm -f "$PID_FILE"
