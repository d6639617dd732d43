"""The web UI in a real browser: the five things a broker does, with screenshots for the README.

Each test drives headless Chromium against the server of ``conftest.server`` (the vocabularies,
a slice of CORDIS H2020, the partnership and the illustrative examples), through the keyboard
where a person would use it, and saves the view it ends on under docs/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.ui.conftest import shoot

NEED = "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz"


@pytest.fixture(scope="module")
def hub(server: str) -> dict[str, Any]:
    """The best-connected organisation of the test network and an organisation two steps from it."""
    top = httpx.get(f"{server}/network/centrality", params={"sort": "degree", "limit": 1}, timeout=60).json()["data"][0]
    ego = httpx.get(f"{server}/network/ego/{top['id']}", params={"max_nodes": 500}, timeout=60).json()
    near = {node["id"] for node in ego["nodes"]}
    for partner in [node["id"] for node in ego["nodes"] if node["depth"] == 1][:30]:
        theirs = httpx.get(f"{server}/network/ego/{partner}", params={"max_nodes": 500}, timeout=60).json()
        far = [node["id"] for node in theirs["nodes"] if node["id"] not in near]
        if far:
            return {"id": top["id"], "far": far[0]}
    pytest.fail("the test network has no organisation two steps from its hub")


def test_a_need_typed_in_romanian_gets_ranked_results_explained_in_words(page: Any) -> None:
    page.goto("/#/match")
    need = page.get_by_label("Describe the need, in Romanian or English")
    need.wait_for()
    page.wait_for_function("() => document.activeElement.id === 'need'")  # focus starts in the need box
    page.get_by_label("Your region").select_option("RO21")
    page.get_by_label("TRL you need").select_option("6")
    need.fill(NEED)
    need.press("Enter")  # Enter submits
    first = page.locator(".result").first
    first.wait_for()
    assert page.locator(".result").count() >= 3
    reasons = " ".join(first.locator(".why li").all_inner_texts())
    assert "matched:" in reasons or "close in meaning" in reasons, reasons
    assert re.search(r"TRL \d", page.locator(".results").inner_text())
    assert "q=" in page.url and "my_region=RO21" in page.url  # the view is a shareable URL
    shoot(page, "match")


def test_a_shared_match_url_reproduces_the_results_and_opens_an_organisation(page: Any) -> None:
    page.goto(f"/#/match?q={NEED}&kind=offer")
    page.locator(".result").first.wait_for()
    kinds = page.locator(".result .badge:not(.illustrative)").all_inner_texts()
    assert kinds and set(kinds) == {"offer"}, kinds
    page.locator(".result-head a").first.click()
    page.get_by_role("heading", name="Profile").wait_for()
    assert "#/org?id=" in page.url
    assert page.get_by_role("heading", name=re.compile("Technology offers")).is_visible()


def test_an_organisation_page_shows_profile_region_partners_and_its_network(page: Any) -> None:
    page.goto("/#/org?id=osim")
    page.get_by_role("heading", name="Profile").wait_for()
    assert "OSIM" in page.locator("main").inner_text()
    assert page.get_by_text("Bucureşti", exact=False).first.is_visible()
    page.locator("#ego canvas").first.wait_for()  # cytoscape drew the ego network
    caption = page.locator("#ego-caption").inner_text()
    assert re.match(r"1[0-9] partners through shared projects and partnerships", caption), caption
    shoot(page, "organisation")


def test_the_network_grows_when_a_node_is_expanded(page: Any, hub: dict[str, Any]) -> None:
    page.goto(f"/#/network?focus={hub['id']}")
    status = page.locator("#net-status")
    status.filter(has_text="organisations shown").wait_for()
    before = int(status.inner_text().split()[0])
    buttons = page.locator("#node-list button")
    shown = buttons.all_inner_texts()
    named = [t for t in shown if not t.startswith(("PIC ", "unnamed organisation"))]
    assert len(named) * 2 >= len(shown), shown  # issue 11: the directory names most partners
    target = buttons.nth(1)  # a partner (the list is sorted by partners; 0 is usually the hub)
    target.focus()
    page.keyboard.press("Enter")  # keyboard expand
    page.wait_for_function(f"() => parseInt(document.querySelector('#net-status').textContent) > {before}")
    assert "expand=" in page.url
    page.get_by_label("Colour by").select_option("community")
    page.locator("#legend li", has_text="community").first.wait_for()
    assert "color=community" in page.url
    shoot(page, "network")


def test_an_introduction_path_is_shown_with_the_projects_of_each_step(page: Any, hub: dict[str, Any]) -> None:
    page.goto(f"/#/network?focus={hub['id']}")
    page.locator("#net-status").filter(has_text="organisations shown").wait_for()
    page.get_by_label("From (organisation id)").fill(hub["far"])
    page.get_by_label("To (organisation id)").fill(hub["id"])
    page.get_by_role("button", name="Show the path").click()
    steps = page.locator("#path-result .path li")
    steps.first.wait_for()
    assert steps.count() >= 2
    assert "via" in steps.first.inner_text()
    links = page.locator("#path-result .path li a").all_inner_texts()
    assert any(not t.startswith(("PIC ", "unnamed organisation")) for t in links), links  # names, not numbers
    assert f"from={hub['far'].replace('/', '%2F')}" in page.url
    shoot(page, "path")


def test_the_map_switches_field_and_colours_counties(page: Any) -> None:
    page.goto("/#/map?measure=demand")
    page.locator("#map path.area").first.wait_for()
    assert page.locator("#map path.area").count() == 42
    assert "EuroGeographics" in page.locator("figcaption").inner_text()
    before = page.locator("#map-legend").inner_text()
    page.get_by_label("Field").select_option("A")
    page.wait_for_function("() => location.hash.includes('field=A')")
    page.locator("#map-legend", has_text="agriculture").wait_for()
    assert page.locator("#map-legend").inner_text() != before
    suceava = page.locator("#map path[data-code='RO216']")  # Suceava, Nord-Est: the illustrative farm's region
    assert "demand" in (suceava.get_attribute("aria-label") or "")
    page.get_by_label("Areas").select_option("2")
    page.wait_for_function("() => document.querySelectorAll('#map path.area').length === 8")
    nord_est = page.locator("#map path[data-code='RO21']").get_attribute("aria-label") or ""
    assert re.search(r"demand [1-9]", nord_est), nord_est
    shoot(page, "map")


def test_the_map_counts_placed_romanian_cordis_organisations(page: Any) -> None:
    """Issue 11: CORDIS organisations placed from the directory fill counties beyond the illustrative ones."""
    page.goto("/#/map?measure=supply")
    page.locator("#map path.area").first.wait_for()
    page.locator("#map-status", has_text="supply").wait_for()
    bucuresti = page.locator("#map path[data-code='RO321']").get_attribute("aria-label") or ""
    assert re.search(r"supply [1-9]", bucuresti), bucuresti
    labels = [page.locator("#map path.area").nth(i).get_attribute("aria-label") or "" for i in range(42)]
    assert sum(1 for label in labels if re.search(r"supply [1-9]", label)) >= 3, labels
    shoot(page, "map-supply")


def test_the_map_shows_organisations_by_kind_with_the_unplaced_count(page: Any) -> None:
    """Issue 11: a measure by kind (universities, HES) colours counties; the unplaced count is beside the map."""
    page.goto("/#/map?measure=universities")
    page.locator("#map path.area").first.wait_for()
    page.locator("#map-status", has_text="universities").wait_for()
    labels = [page.locator("#map path.area").nth(i).get_attribute("aria-label") or "" for i in range(42)]
    assert any(re.search(r"universities \(HES\) [1-9]", label) for label in labels), labels
    assert re.search(r"Not placed in a county: .*universities \(HES\) \d+", page.locator("#map-status").inner_text())
    assert page.locator("#map-kind-head").inner_text() == "universities (HES)"  # Romanian names: tests/ui/test_i18n.py
    page.select_option("#map-measure", "companies")
    page.locator("#map-status", has_text="companies").wait_for()
    companies = [page.locator("#map path.area").nth(i).get_attribute("aria-label") or "" for i in range(42)]
    assert any(re.search(r"companies \(PRC\) [1-9]", label) for label in companies), companies
    shoot(page, "map-companies")


def test_every_view_is_reachable_by_keyboard(page: Any) -> None:
    page.goto("/#/match")
    page.locator("#need").wait_for()
    # the view puts focus on the need box once its filter lists are filled: wait for that, or it takes
    # the focus back from under the keyboard walk below (seen under load: the walk started in the form)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'need'")
    page.locator(".skip").focus()  # the first stop of the page
    focused = []
    for _ in range(5):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent"))
    assert focused[:4] == ["innograph", "Find who can help", "Network explorer", "Map of supply and demand"], focused
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # follow the focused link: the map
    page.locator("#map path.area").first.wait_for()
    assert "#/map" in page.url


def test_the_need_box_shows_what_a_romanian_need_was_understood_as(page: Any) -> None:
    page.goto("/#/match")
    need = page.get_by_label("Describe the need, in Romanian or English")
    need.wait_for()
    need.fill("Căutăm parteneri pentru activități auxiliare pentru producția vegetală în regiunea Nord-Est")
    need.press("Enter")
    block = page.locator("#understood")
    block.locator(".concepts li").first.wait_for()
    text = block.inner_text()
    assert "Read as Romanian" in text, text  # "Citit ca română" in Romanian mode: tests/ui/test_i18n.py
    assert "01.61 Support activities for crop production" in text, text
    assert "Activități auxiliare pentru producția vegetală" in text, text  # the Romanian label beside it
    assert "Region" in text and "Nord-Est" in text, text
    page.locator(".result").first.wait_for()
    assert page.locator(".result .found-by").count() >= 1  # each result says which channel found it
    shoot(page, "match-understood")
