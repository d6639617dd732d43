#!/usr/bin/env bash
# Start a private Virtuoso Open Source (Debian's virtuoso-opensource) on 127.0.0.1 for the
# remote-backend tests and benchmarks; print the SPARQL endpoint URL last.
#
# Why a private instance: the Debian service listens on every interface with the packaged
# database; ours lives in its own folder, listens on loopback only, accepts SPARQL updates
# from the anonymous SPARQL user (loopback only, test data only), and has the result and
# time limits raised so a whole named graph can be read back (innograph diffs it on ingest).
#
# Usage: bash scripts/virtuoso/start.sh            (idempotent: reuses a running instance)
#   INNOGRAPH_VIRTUOSO_DIR   folder of the database (default /tmp/innograph-virtuoso)
#   INNOGRAPH_VIRTUOSO_HTTP  HTTP port (default 18890), INNOGRAPH_VIRTUOSO_SQL SQL port (default 11111)
#   INNOGRAPH_VIRTUOSO_INSTALL=1  apt-get install virtuoso-opensource when it is missing (CI)
# Exit 0 when the endpoint answers; non-zero with the reason otherwise (stop.sh stops it).
set -euo pipefail

DIR="${INNOGRAPH_VIRTUOSO_DIR:-/tmp/innograph-virtuoso}"
HTTP="${INNOGRAPH_VIRTUOSO_HTTP:-18890}"
SQL="${INNOGRAPH_VIRTUOSO_SQL:-11111}"
URL="http://127.0.0.1:${HTTP}/sparql"
log() { printf 'virtuoso: %s\n' "$*" >&2; }

if ! command -v virtuoso-t >/dev/null 2>&1; then
    if [[ "${INNOGRAPH_VIRTUOSO_INSTALL:-}" == "1" ]]; then
        log "installing virtuoso-opensource from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq virtuoso-opensource >&2
    else
        log "virtuoso-t not found: apt-get install -y virtuoso-opensource (or INNOGRAPH_VIRTUOSO_INSTALL=1)"
        exit 3
    fi
fi

answers() { curl -fsS -m 5 --data-urlencode 'query=ASK { ?s ?p ?o }' "$URL" >/dev/null 2>&1; }
if answers; then
    log "already running at $URL"
    echo "$URL"
    exit 0
fi

mkdir -p "$DIR"
cat >"$DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile = $DIR/virtuoso.db
ErrorLogFile = $DIR/virtuoso.log
LockFile = $DIR/virtuoso.lck
TransactionFile = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $DIR/virtuoso-temp.db
TransactionFile = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:${SQL}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., $DIR, /usr/share/virtuoso-opensource-7/vad
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 200000000
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
; about 2 GB of buffers: the whole H2020 data fits in memory (8 KB pages)
NumberOfBuffers = 250000
MaxDirtyBuffers = 180000

[HTTPServer]
ServerPort = 127.0.0.1:${HTTP}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 5000000
MaxSortedTopRows = 5000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
MaxConstructTriples = 5000000
DeferInferenceRulesInit = 0
INI

log "starting virtuoso-t in $DIR (HTTP $HTTP, SQL $SQL, loopback only)"
(cd "$DIR" && virtuoso-t +configfile "$DIR/virtuoso.ini" +wait >"$DIR/start.out" 2>&1) || {
    log "virtuoso-t failed to start:"; tail -n 20 "$DIR/virtuoso.log" "$DIR/start.out" >&2 || true; exit 4; }

for _ in $(seq 1 60); do
    answers && break
    sleep 1
done
if ! answers; then
    log "no answer at $URL after 60 s:"; tail -n 20 "$DIR/virtuoso.log" >&2 || true
    exit 5
fi
# Let the anonymous SPARQL user of this private, loopback-only instance run updates.
isql-vt "127.0.0.1:${SQL}" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('"'"'nobody'"'"', 7);' >&2 \
    || { log "granting SPARQL_UPDATE failed"; exit 6; }
log "ready at $URL"
echo "$URL"
