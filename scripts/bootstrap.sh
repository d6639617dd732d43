#!/usr/bin/env bash
# Create or reuse the virtual environment for this checkout and print its path (last line of stdout).
#
# Why a cache keyed on the dependencies: installing torch, sentence-transformers and the rest
# takes minutes, while most runs (a developer's `make test`, every CI run on this machine)
# need exactly the same set. The venv lives in
#   ${INNOGRAPH_VENV_CACHE:-$HOME/.cache/innograph/venvs}/<sha256 of [project] deps + Python X.Y>
# and counts as complete only once its marker file exists, so an interrupted build is
# rebuilt, never reused. The cheap `pip install --no-deps -e .` runs every time, so a venv
# shared by several clones always points at the checkout that ran this script last.
# At most INNOGRAPH_VENV_KEEP (default 3) venvs are kept; the least recently used go first.
#
# Usage: venv="$(bash scripts/bootstrap.sh | tail -n 1)"; "$venv/bin/python" -m pytest
# Works without a terminal or stdin (CI=true); everything but the final path goes to stderr.
set -euo pipefail
shopt -s nullglob

exec 3>&1 1>&2 # fd 3 = the real stdout, kept for the final path only

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${INNOGRAPH_VENV_CACHE:-$HOME/.cache/innograph/venvs}"
KEEP="${INNOGRAPH_VENV_KEEP:-3}"
MARKER=".innograph-complete"
USED=".innograph-last-used"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
if [[ "${CI:-}" == "true" || ! -t 2 ]]; then
    export PIP_PROGRESS_BAR=off
fi

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# An interpreter new enough for requires-python (3.11).
PY=""
for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        PY="$candidate"
        break
    fi
done
if [[ -z "$PY" ]]; then
    log "error: need python3.11 (or a python3 >= 3.11) on PATH"
    exit 2
fi

# The key: what pip would install, plus the interpreter's X.Y. Falls back to the whole file.
KEY="$("$PY" - "$ROOT/pyproject.toml" <<'EOF' 2>/dev/null || true
import hashlib, json, sys, tomllib
with open(sys.argv[1], "rb") as fh:
    project = tomllib.load(fh)["project"]
wanted = {
    "python": "%d.%d" % sys.version_info[:2],
    "requires-python": project.get("requires-python"),
    "dependencies": project.get("dependencies", []),
    "optional-dependencies": project.get("optional-dependencies", {}),
}
print(hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest())
EOF
)"
if [[ -z "$KEY" ]]; then
    KEY="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
fi
VENV="$CACHE/${KEY:0:16}"

mkdir -p "$CACHE"
# One bootstrap at a time per cache: two clones starting together must not build the same venv twice
# or prune one that the other is building.
exec 9>"$CACHE/.lock"
if ! flock -w 1800 9; then
    log "error: timed out waiting for $CACHE/.lock"
    exit 2
fi

reusable() {
    [[ -f "$VENV/$MARKER" ]] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1
}

started=$SECONDS
if reusable; then
    log "reusing $VENV"
else
    if [[ -e "$VENV" ]]; then
        log "removing incomplete or broken $VENV"
        rm -rf "$VENV"
    fi
    log "creating $VENV with $("$PY" -c 'import sys; print(sys.executable)') (first time for this pyproject.toml)"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip "setuptools>=68" wheel
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet -e '.[test]')
    printf 'key=%s\ncreated=%s\nfrom=%s\n' "$KEY" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ROOT" >"$VENV/$MARKER"
    log "created in $((SECONDS - started)) s"
fi

# Point the (possibly shared) venv at this checkout; setuptools is already in the venv, so no
# isolated build environment has to be fetched.
# Its build warnings are noise on every run: shown only when it fails.
pip_log="$(mktemp)"
if ! (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .) >"$pip_log" 2>&1; then
    cat "$pip_log" >&2
    rm -f "$pip_log"
    log "error: pip install --no-deps -e $ROOT failed"
    exit 2
fi
rm -f "$pip_log"
touch "$VENV/$USED"

# Keep the KEEP most recently used venvs (this one included); never touch anything else.
mapfile -t stale < <(
    for dir in "$CACHE"/*/; do
        dir="${dir%/}"
        [[ "$dir" == "$VENV" ]] && continue
        stamp="$dir/$USED"
        [[ -e "$stamp" ]] || stamp="$dir"
        printf '%s\t%s\n' "$(stat -c %Y "$stamp")" "$dir"
    done | sort -rn | tail -n +"$KEEP" | cut -f2-
)
for dir in "${stale[@]}"; do
    [[ -n "$dir" && "$dir" == "$CACHE"/* ]] || continue
    log "pruning old venv $dir"
    rm -rf "$dir"
done

# Front-end packages from npm (never copied into the repo, never fetched from a CDN at run time):
# cytoscape.js for the web UI (ui/), YASGUI for the SPARQL query page (web/). Installed once per
# checkout, again when a lock file changes.
for front in "$ROOT/ui" "$ROOT/web"; do
    [[ -f "$front/package-lock.json" ]] || continue
    stamp="$front/node_modules/.innograph-lock-sha256"
    want="$(sha256sum "$front/package-lock.json" | cut -c1-64)"
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
        if command -v npm >/dev/null 2>&1; then
            log "installing npm packages of ${front#"$ROOT"/}"
            npm ci --prefix "$front" --no-audit --no-fund --loglevel=error >&2
            printf '%s\n' "$want" >"$stamp"
        else
            log "warning: npm not found; the web pages under ${front#"$ROOT"/} will miss their libraries"
        fi
    fi
done

log "ready in $((SECONDS - started)) s: $VENV"
printf '%s\n' "$VENV" >&3
