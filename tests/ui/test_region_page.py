"""The region page (#/region?code=...): charts of a region's indicators against Romania's, reached from
the map, in English and Romanian, with nothing blocked by the Content-Security-Policy (``page`` fails the
test on any CSP report or page error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.ui.conftest import shoot
from tests.ui.test_member_flows import member_key  # noqa: F401 (fixture)


def test_the_map_leads_to_a_region_page_with_charts_against_romania(page: Any, server: str) -> None:
    page.goto("/?lang=en#/map?level=2&measure=gap")
    page.locator("#map-table tbody a[href='#/region?code=RO32']").click()
    page.wait_for_function("() => location.hash === '#/region?code=RO32'")
    page.locator("h1", has_text="Indicators of Bucureşti - Ilfov").or_(page.locator("h1", has_text="RO32")).wait_for()
    assert "RO32" in page.locator("h1").inner_text()
    # three charts drawn by the vendored Chart.js (served by the API, never a CDN)
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length === 3"
                           " && [...document.querySelectorAll('canvas')].every((c) => window.Chart.getChart(c))")
    datasets = page.evaluate("() => window.Chart.getChart(document.querySelector('#chart-active')).data.datasets"
                             ".map((d) => [d.label, d.data.reduce((a, b) => a + b, 0)])")
    api = httpx.get(f"{server}/regions/RO32/indicators", timeout=60).json()
    national_years = sum(y["active_organisations"] for y in api["national"]["years"])
    assert datasets[1] == ["Romania", national_years] and national_years > 0
    assert datasets[0][1] == sum(y["active_organisations"] for y in api["years"])
    summary = page.locator("#region-summary")
    first = summary.locator("tbody tr").first.locator("td")
    assert first.nth(1).inner_text() == f"{api['national']['all_years']['active_organisations']:,}"
    interest = next(line for line in summary.inner_text().splitlines() if line.startswith("Expressions of interest"))
    assert interest.split("\t")[1:3] == ["0", "0"]  # the server's inbox is connected: none sent to RO32 or Romania
    assert page.locator("a#region-csv").get_attribute("href") == "/regions/RO32/indicators?format=csv"
    assert page.locator("nav a[data-view='map']").get_attribute("aria-current") == "page"
    shoot(page, "region")


def test_the_region_page_speaks_romanian_and_redraws_on_the_switch(page: Any) -> None:
    page.goto("/?lang=ro#/region?code=RO321")
    page.locator("h1", has_text="Indicatorii regiunii").wait_for()
    page.wait_for_function("() => window.Chart && window.Chart.getChart(document.querySelector('#chart-scopes'))")
    labels = page.evaluate("() => window.Chart.getChart(document.querySelector('#chart-scopes')).data.labels")
    assert labels == ["în regiune", "restul României", "în străinătate", "necunoscut"]
    assert "Pondere în România" in page.locator("#region-summary").inner_text()
    page.locator(".lang-switch button[data-lang='en']").click()
    page.locator("h1", has_text="Indicators of").wait_for()
    page.wait_for_function("() => window.Chart.getChart(document.querySelector('#chart-scopes'))"
                           ".data.labels[0] === 'inside the region'")
    assert "Share of Romania" in page.locator("#region-summary").inner_text()


def test_an_unknown_region_says_so(page: Any) -> None:
    page.goto("/?lang=en#/region?code=RO99")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "RO99" in alert.inner_text()


def test_the_gap_table_names_the_sectors_in_the_page_language(
    page: Any, server: str, member_key: Callable[[str], str],  # noqa: F811
) -> None:
    need = {"title": "Căutăm senzori de umiditate pentru depozite de cereale", "region": "RO321",
            "description": "Un depozit din Ilfov caută sonde de umiditate și temperatură.", "sectors": ["01.11", "52.10"]}
    published = httpx.post(f"{server}/requests", json=need, headers={"X-API-Key": member_key("osim")}, timeout=60)
    assert published.status_code == 201, published.text  # a real (member's) need: illustrative ones never count
    concepts: list[dict[str, Any]] = []
    while True:
        batch = httpx.get(f"{server}/vocabularies/nace2", params={"limit": 500, "offset": len(concepts)}, timeout=60).json()
        concepts += batch["data"]
        if not batch["data"] or len(concepts) >= batch["count"]:
            break
    romanian = {c["notation"]: c["labels"]["ro"][0] for c in concepts if c["labels"].get("ro")}
    english = {c["notation"]: c["labels"]["en"][0] for c in concepts if c["labels"].get("en")}
    cells = httpx.get(f"{server}/regions/RO32/indicators", timeout=60).json()["gap"][:12]
    assert cells, "the RO32 slice has no supply or demand to compare"
    page.goto("/?lang=ro#/region?code=RO32")
    rows = page.locator("#region-gap tbody tr")
    rows.first.wait_for()
    shown = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    expected = [f"{c['field']['notation']} {romanian.get(c['field']['notation'], c['field']['label'])}" for c in cells]
    assert shown == expected
    assert any(c["field"]["notation"] in romanian and romanian[c["field"]["notation"]] != english.get(c["field"]["notation"])
               for c in cells)  # at least one label really differs between the languages
    page.locator(".lang-switch button[data-lang='en']").click()
    page.locator("h1", has_text="Indicators of").wait_for()
    first = page.locator("#region-gap tbody tr").first.locator("td").first.inner_text()
    notation = cells[0]["field"]["notation"]
    assert first == f"{notation} {english.get(notation, cells[0]['field']['label'])}"
