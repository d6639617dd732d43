#!/usr/bin/env bash
# Start a real Neo4j Community 5.x (embedded, Bolt on 127.0.0.1) for the tests and benchmarks.
#
#   eval "$(bash scripts/neo4j/start.sh [PORT] [DATA_DIR])"   # PORT 7687, DATA_DIR /tmp/innograph-neo4j-PORT
#   ... NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD are now exported ...
#   bash scripts/neo4j/stop.sh [DATA_DIR]
#
# stdout carries only the `export ...` line; everything else goes to stderr.
#
# What it does:
# 1. Finds a JDK: NEO4J_JAVA_HOME if set, else the first JDK 17 or 21 of JAVA_HOME, `java` on PATH,
#    /usr/lib/jvm/* (any newer JDK only as a last resort), and uses it for Maven and Neo4j alike.
# 2. Builds the launcher (pom.xml + Launcher.java beside this script) with Maven, once per content:
#    the jar and its ~210 dependency jars are kept in
#      ${INNOGRAPH_NEO4J_CACHE:-${XDG_CACHE_HOME:-~/.cache}/innograph/neo4j}/<sha256 of pom + java>/
#    (complete only once its marker exists) and Maven's own downloads stay in ~/.m2. Maven runs
#    offline first (-o) and online only when the local repository lacks something.
#    Then, once per JDK, a training start records a class-data-sharing archive (AppCDS) that makes
#    later starts a few seconds faster (NEO4J_CDS=0 skips it; a failed training is not fatal).
# 3. Starts the launcher in the background (own session, stdin closed), pid in DATA_DIR/neo4j.pid,
#    stdout+stderr in DATA_DIR/neo4j.log, the Neo4j home (databases, debug.log) in DATA_DIR/home,
#    and waits up to NEO4J_START_TIMEOUT (120) seconds for its READY line and for the Bolt port to
#    accept TCP. On failure it stops what it started, prints the log tail and exits non-zero.
#
# Environment: NEO4J_PASSWORD (default innograph-test; user is always neo4j), NEO4J_AUTH=none
# (no authentication), NEO4J_HEAP (max heap, default 1g), NEO4J_PAGECACHE (default 256m),
# NEO4J_JAVA_OPTS (more JVM options), NEO4J_EXTRA_CONF ("key=value;..." Neo4j settings),
# INNOGRAPH_MVN_ARGS (more Maven arguments, e.g. -Dmaven.repo.local=...), INNOGRAPH_NEO4J_KEEP
# (cached builds kept, default 2). Works without a terminal or stdin (CI=true).
set -euo pipefail
shopt -s nullglob

exec 3>&1 1>&2 # fd 3 = the real stdout, for the export line only

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${NEO4J_BOLT_PORT:-7687}}"
DATA_DIR="${2:-${NEO4J_DATA_DIR:-/tmp/innograph-neo4j-$PORT}}"
HOST=127.0.0.1
USER_NAME=neo4j
PASSWORD="${NEO4J_PASSWORD:-innograph-test}"
TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
CACHE_ROOT="${INNOGRAPH_NEO4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/innograph/neo4j}"
KEEP="${INNOGRAPH_NEO4J_KEEP:-2}"
MARKER=".innograph-complete"

log() { printf 'neo4j/start: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "bad port: $PORT"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
PID_FILE="$DATA_DIR/neo4j.pid"
LOG_FILE="$DATA_DIR/neo4j.log"

print_exports() {
    printf 'export NEO4J_URI=%q NEO4J_USER=%q NEO4J_PASSWORD=%q\n' \
        "bolt://$HOST:$PORT" "$USER_NAME" "$PASSWORD" >&3
}

port_open() { (exec 9<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

is_launcher() { # pid
    [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'innograph-neo4j-launcher'
}

# --- already running from this DATA_DIR? -------------------------------------------------------
if [[ -f "$PID_FILE" ]]; then
    old="$(cat "$PID_FILE" 2>/dev/null || true)"
    if [[ -n "$old" ]] && is_launcher "$old"; then
        if port_open; then
            log "already running (pid $old) from $DATA_DIR"
            print_exports
            exit 0
        fi
        die "a launcher (pid $old) runs from $DATA_DIR but port $PORT is closed: bash $HERE/stop.sh $DATA_DIR"
    fi
    rm -f "$PID_FILE"
fi
port_open && die "port $HOST:$PORT is already in use by another process"

# --- a JDK Neo4j 5.26 supports ------------------------------------------------------------------
java_major() { # path to java -> major version, or nothing
    "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}
JAVA=""
fallback=""
if [[ -n "${NEO4J_JAVA_HOME:-}" ]]; then # an explicit choice wins, whatever its version
    [[ -x "$NEO4J_JAVA_HOME/bin/java" ]] || die "NEO4J_JAVA_HOME=$NEO4J_JAVA_HOME has no bin/java"
    JAVA="$NEO4J_JAVA_HOME/bin/java"
    major="$(java_major "$JAVA" || true)"
    [[ "$major" == 17 || "$major" == 21 ]] || log "warning: Java $major; Neo4j 5.26 supports 17 and 21"
fi
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -z "$JAVA" ]] || break
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    major="$(java_major "$candidate" || true)"
    case "$major" in
    17 | 21) JAVA="$candidate" && break ;;
    *) [[ -z "$fallback" && "${major:-0}" -gt 17 ]] 2>/dev/null && fallback="$candidate" ;;
    esac
done
if [[ -z "$JAVA" ]]; then
    [[ -n "$fallback" ]] || die "no JDK 17 or newer found (set NEO4J_JAVA_HOME)"
    JAVA="$fallback"
    log "warning: no JDK 17 or 21 found, trying $JAVA (Neo4j 5.26 supports 17 and 21)"
fi
JAVA="$(readlink -f "$JAVA")"
export JAVA_HOME="${JAVA%/bin/java}"

# --- build the launcher once per content -------------------------------------------------------
KEY="$(cat "$HERE/pom.xml" "$HERE"/src/main/java/org/innograph/neo4j/*.java | sha256sum | cut -c1-16)"
BUILD="$CACHE_ROOT/$KEY"
mkdir -p "$CACHE_ROOT"
exec 8>"$CACHE_ROOT/.lock"
flock 8 # one build at a time; held until the server is started

if [[ ! -f "$BUILD/$MARKER" ]]; then
    command -v mvn >/dev/null || die "mvn not found (Maven is needed once to fetch Neo4j)"
    log "building the launcher into $BUILD (JDK $JAVA_HOME)"
    t0="$(now)"
    work="$(mktemp -d "$CACHE_ROOT/.build.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    cp -r "$HERE/pom.xml" "$HERE/src" "$work/"
    # shellcheck disable=SC2086 # INNOGRAPH_MVN_ARGS is a list of arguments
    mvn_run() { (cd "$work" && mvn -B -q --no-transfer-progress ${INNOGRAPH_MVN_ARGS:-} "$@" package </dev/null) >"$work/mvn.log" 2>&1 3>&- 8>&-; }
    if mvn_run -o; then
        log "built offline from the local Maven repository"
    else
        log "offline build impossible, resolving from Maven Central"
        mvn_run || { tail -n 40 "$work/mvn.log" >&2; die "Maven build failed"; }
    fi
    rm -rf "$BUILD"
    mkdir -p "$BUILD"
    mv "$work/target/launcher.jar" "$work/target/lib" "$BUILD/"
    touch "$BUILD/$MARKER"
    rm -rf "$work"
    trap - EXIT
    log "launcher built in $(since "$t0") s"
fi
touch "$BUILD/$MARKER" # last used, for the clean-up below

# Older builds go, the least recently used first.
mapfile -t builds < <(cd "$CACHE_ROOT" && ls -1t -d -- */ 2>/dev/null | sed 's:/$::')
for old in "${builds[@]:$KEEP}"; do
    [[ "$old" != "$KEY" ]] && rm -rf "${CACHE_ROOT:?}/$old"
done

JVM_OPTS=(
    -Dinnograph-neo4j-launcher
    "-Xms${NEO4J_HEAP_INITIAL:-256m}" "-Xmx${NEO4J_HEAP:-1g}"
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    # What Neo4j's own neo4j.conf adds: direct page cache and native file access on Java 17+.
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Djdk.nio.maxCachedBufferSize=1024
    -Dlog4j2.disable.jmx=true
    # JVM warnings (e.g. a stale class-data archive) to stderr, never mixed into READY on stdout.
    -Xlog:disable -Xlog:all=warning:stderr
)

# --- class-data sharing archive, once per JDK ------------------------------------------------------
JVM_ID="$("$JAVA" -version 2>&1 | tr -d '\n' | cat - <(printf '%s' "$JAVA") | sha256sum | cut -c1-12)"
CDS="$BUILD/cds-$JVM_ID.jsa"
if [[ "${NEO4J_CDS:-1}" != "0" && ! -f "$CDS" && ! -f "$CDS.failed" ]]; then
    log "recording a class-data sharing archive for this JDK (once; NEO4J_CDS=0 skips it)"
    t0="$(now)"
    train="$(mktemp -d "$CACHE_ROOT/.train.XXXXXX")"
    # Any free port: the training server is not used by anyone.
    train_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 17687)"
    "$JAVA" "${JVM_OPTS[@]}" "-XX:ArchiveClassesAtExit=$CDS.tmp" -jar "$BUILD/launcher.jar" \
        "$train_port" "$train/home" </dev/null >"$train/log" 2>&1 3>&- 8>&- &
    tpid=$!
    ok=""
    for _ in $(seq 1 $((TIMEOUT * 5))); do
        if grep -q '^READY ' "$train/log"; then ok=1 && break; fi
        kill -0 "$tpid" 2>/dev/null || break
        sleep 0.2
    done
    kill -TERM "$tpid" 2>/dev/null || true
    wait "$tpid" 2>/dev/null || true
    if [[ -n "$ok" && -s "$CDS.tmp" ]]; then
        mv "$CDS.tmp" "$CDS"
        log "archive recorded in $(since "$t0") s"
    else
        rm -f "$CDS.tmp"
        touch "$CDS.failed"
        log "warning: no class-data archive (starts are a few seconds slower); see $train/log"
        tail -n 20 "$train/log" >&2 || true
    fi
    [[ -n "$ok" ]] && rm -rf "$train"
fi
[[ "${NEO4J_CDS:-1}" != "0" && -f "$CDS" ]] && JVM_OPTS+=("-XX:SharedArchiveFile=$CDS")

# --- start and wait ---------------------------------------------------------------------------------
# shellcheck disable=SC2206 # NEO4J_JAVA_OPTS is a list of options
JVM_OPTS+=(${NEO4J_JAVA_OPTS:-})
t0="$(now)"
: >"$LOG_FILE"
launcher=("$JAVA" "${JVM_OPTS[@]}" -jar "$BUILD/launcher.jar" "$PORT" "$DATA_DIR/home")
log "starting Neo4j on $HOST:$PORT, data in $DATA_DIR"
printf '# %s\n' "${launcher[*]}" >>"$LOG_FILE"
# Own session (no terminal signals from the caller), stdin closed, stdout/stderr to the log only,
# and neither fd 3 (our stdout) nor the build lock inherited, so `eval "$(start.sh)"` returns.
export NEO4J_PASSWORD="$PASSWORD"
if command -v setsid >/dev/null; then
    setsid "${launcher[@]}" </dev/null >>"$LOG_FILE" 2>&1 3>&- 8>&- &
else
    nohup "${launcher[@]}" </dev/null >>"$LOG_FILE" 2>&1 3>&- 8>&- &
fi
pid=$!
echo "$pid" >"$PID_FILE"
exec 8>&- # the build lock

fail() {
    log "$1"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
    if [[ -f "$DATA_DIR/home/logs/debug.log" ]]; then
        log "errors in $DATA_DIR/home/logs/debug.log:"
        grep -E ' (ERROR|WARN) ' "$DATA_DIR/home/logs/debug.log" | tail -n 10 >&2 || true
    fi
    exit 1
}

deadline=$(($(date +%s) + TIMEOUT))
while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null && rc=0 || rc=$?
        fail "Neo4j exited during start (exit code $rc)"
    fi
    if grep -q '^READY bolt://' "$LOG_FILE" && port_open; then
        break
    fi
    (($(date +%s) < deadline)) || fail "Neo4j not ready after $TIMEOUT s"
    sleep 0.2
done
rss_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)"
log "ready in $(since "$t0") s: bolt://$HOST:$PORT (pid $pid, RSS $((rss_kb / 1024)) MiB, log $LOG_FILE)"
print_exports
