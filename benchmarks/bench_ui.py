"""Time to first render of each view of the web UI, in headless Chromium, on the bundled data.

    PYTHONPATH=. python benchmarks/bench_ui.py --data-dir /tmp/ui-bench         # ~2-5 min
    # the first run ingests the bundled data into --data-dir (innograph ingest --bundled, ~2 min)

Starts ``uvicorn`` (the app of ``tests.ui._app``) on a free port and Debian's /usr/bin/chromium
through Playwright (never ``playwright install``). "First render" is ``performance.now()`` (ms
since the navigation started) when the view shows its data: the match results with their
reasons, the profile with its ego-network picture, the explorer's graph, a drawn introduction
path, the 42 coloured counties. Reported per view: *cold* (first visit after the server
started: the server builds its per-generation caches then) and *warm* (median of ``--repeat``
later visits), plus the bare page shell as the floor every view pays; the ratio warm/shell says
how much of a view's time is data. The matcher's index is built before the first match is
timed (``warm-up``, reported apart). Writes benchmarks/results/ui.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "ui.json"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEED = "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz"
READY = {  # view -> JavaScript condition meaning "rendered with its data"
    "shell": "document.querySelector('main h1') !== null",
    "match": "document.querySelectorAll('.result .why li').length > 0",
    "organisation": "document.querySelector('#ego canvas, #ego-caption:not(:empty)') !== null",
    "network": "(document.querySelector('#net-status')?.textContent || '').includes('organisations shown')",
    "path": "document.querySelectorAll('#path-result .path li').length > 0",
    "map": "document.querySelectorAll('#map path.area').length === 42 && document.querySelector('#map-legend').textContent",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, cache: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "INNOGRAPH_DATA_DIR": str(data_dir), "INNOGRAPH_WARM_ON_START": "true",
           "INNOGRAPH_RATE_LIMIT_ANONYMOUS": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    if cache is not None:
        env["INNOGRAPH_EMBEDDING_CACHE"] = str(cache)
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "tests.ui._app:app_from_environment",
                                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(1200):  # /ready answers 503 until every warmed component is built (api.warmup)
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not become ready")


def render_ms(page: Any, url: str, view: str) -> float:
    page.goto("about:blank")
    page.goto(url)
    return float(page.wait_for_function(f"({READY[view]}) ? performance.now() : false", timeout=300_000).json_value())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/ui-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--embedding-cache", type=Path,
                        default=Path.home() / ".cache" / "innograph" / "test-embeddings.sqlite")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_network import ensure_bundled

    ensure_bundled(args.data_dir)
    load = os.getloadavg()
    process, base = start_server(args.data_dir, args.embedding_cache if args.embedding_cache.exists() else None)
    result: dict[str, Any] = {"data_dir": str(args.data_dir), "cold_ms": {}, "warm_median_ms": {}}
    try:
        started = time.perf_counter()
        response = httpx.post(f"{base}/match", json={"text": NEED, "limit": 1}, timeout=1800)
        assert response.status_code == 200, response.text
        result["match_index_warm_up_s"] = round(time.perf_counter() - started, 1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            match_url = f"{base}/#/match?q={quote(NEED)}&my_region=RO21&my_trl=6"
            cold = {"shell": f"{base}/#/org", "organisation": f"{base}/#/org?id=osim",
                    "network": f"{base}/#/network?focus=osim", "map": f"{base}/#/map?field=A&measure=gap",
                    "match": match_url}
            for view, url in cold.items():
                result["cold_ms"][view] = round(render_ms(page, url, view), 1)
            by_degree: dict[str, str | int] = {"sort": "degree", "betweenness": "false", "country": "RO", "limit": 100}
            ro = [r["id"] for r in httpx.get(f"{base}/network/centrality", params=by_degree, timeout=600).json()["data"]]
            warm = {**cold, "organisation (busiest RO)": f"{base}/#/org?id={ro[0]}",
                    "network (busiest RO)": f"{base}/#/network?focus={ro[0]}",
                    "path": f"{base}/#/network?focus={ro[0]}&from={ro[-1]}&to={ro[0]}"}
            for view, url in warm.items():
                kind = view.split(" ")[0]
                times = [render_ms(page, url, kind) for _ in range(args.repeat)]
                result["warm_median_ms"][view] = round(statistics.median(times), 1)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    shell = result["warm_median_ms"]["shell"]
    result["warm_over_shell"] = {view: round(ms / shell, 1) for view, ms in result["warm_median_ms"].items()}
    result["load_before"] = [round(x, 2) for x in load]
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"match index warm-up: {result['match_index_warm_up_s']} s")
    print(f"{'view':28} {'cold ms':>9} {'warm ms':>9} {'warm/shell':>10}")
    for view, ms in result["warm_median_ms"].items():
        cold_ms = result["cold_ms"].get(view)
        print(f"{view:28} {cold_ms if cold_ms is not None else '':>9} {ms:9.1f} {result['warm_over_shell'][view]:10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
