"""A member's records on "My organisation" come from the API (GET /me/records), not from the browser tab
that published them: records published elsewhere are listed in a fresh tab and after a reload, with their
status, expiry and interest, the organisation's name comes from GET /me, and the status filter narrows the
list (issue 13, item 6). Takes the screenshots of the publish form and of the list for the README."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.ui.conftest import shoot
from tests.ui.test_i18n import CATALOGUES, _english_fragments, _untranslated
from tests.ui.test_member_flows import _sign_in, member_key  # noqa: F401 (fixture)

ORG = "example-furniture-sme"  # owns the illustrative request need-sawdust-valorisation (from a source file)


def _post(server: str, key: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(f"{server}/{kind}", json=body, headers={"X-API-Key": key}, timeout=60)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _listed(tab: Any, count: int) -> dict[str, str]:
    """Record id -> its text on the page, once ``count`` records are listed."""
    tab.wait_for_function(f"() => document.querySelectorAll('#record-list .record').length === {count}")
    items = tab.locator("#record-list .record")
    return {items.nth(i).get_attribute("data-id"): items.nth(i).inner_text() for i in range(count)}


def test_records_published_elsewhere_are_listed_after_a_reload(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    key = member_key(ORG)
    offer = _post(server, key, "offers", {
        "title": "Peleți din rumeguș de fag / beech sawdust pellets",
        "description": "Peleți de 6 mm din rumeguș uscat de fag, 400 t pe an, livrare în regiunea Nord-Vest.",
        "sectors": ["16.29"], "keywords": ["peleți", "rumeguș"]})
    draft = _post(server, key, "requests", {
        "title": "Uscător de rumeguș cu căldură reziduală", "description": "Căutăm un uscător alimentat cu "
        "căldura reziduală a cazanului, pentru 2 t/zi.", "desired_trl": 7, "status": "draft"})
    tab = open_tab()  # a fresh context: nothing of this organisation's was published from it
    _sign_in(tab, key)
    who = tab.locator("#me-who")
    who.locator(".me-org").wait_for()
    assert who.locator(".me-org").inner_text() == "Example Furniture SME (illustrative)"  # its name, from GET /me
    assert "ui test" in who.inner_text() and "member" in who.inner_text()
    listed = _listed(tab, 3)
    assert set(listed) == {offer["id"], draft["id"], "need-sawdust-valorisation"}
    assert "draft" in listed[draft["id"]] and "published" in listed[offer["id"]]
    assert f"expires {offer['expires']}" in listed[offer["id"]]
    assert "0 expressions of interest" in listed[offer["id"]]
    assert tab.locator("#record-count").inner_text() == "3 records"
    illustrative = tab.locator("#record-list .record[data-id='need-sawdust-valorisation']")
    assert illustrative.get_by_role("button").count() == 0  # loaded from a source file: not renewed or withdrawn here
    tab.reload()
    again = _listed(tab, 3)
    assert set(again) == set(listed)
    tab.select_option("#record-filter", "draft")
    tab.wait_for_function("() => document.querySelectorAll('#record-list .record').length === 1")
    assert tab.locator("#record-list .record").get_attribute("data-id") == draft["id"]
    assert tab.locator("#record-count").inner_text() == "1 record"
    tab.select_option("#record-filter", "")
    _listed(tab, 3)
    shoot(tab, "my-records")  # the top of the page: whose key, then the organisation's records


def test_publishing_in_romanian_lists_the_new_record_with_the_others(
    open_tab: Callable[..., Any], member_key: Callable[[str], str],  # noqa: F811
) -> None:
    tab = open_tab("ro-RO")
    _sign_in(tab, member_key("example-bakery-sme"))  # two illustrative requests
    _listed(tab, 2)
    assert tab.locator("#record-count").inner_text() == "2 înregistrări"
    form = tab.locator("#record-form")
    form.locator("select[name=kind]").select_option("request")
    form.locator("input[name=title]").fill("Recuperarea căldurii de la cuptoarele de pâine")
    form.locator("textarea[name=description]").fill(
        "Brutăria noastră din Cluj are trei cuptoare pe gaz; căutăm un schimbător de căldură care să "
        "preîncălzească apa pentru spălare, cu montaj în timpul opririi de vară.")
    form.locator("input[name=trl]").fill("7")
    form.locator("input[name=sectors]").fill("10.71")
    form.locator("input[name=keywords]").fill("recuperare căldură, cuptor, brutărie")
    tab.locator("h2", has_text="Publicați o ofertă sau o cerere").evaluate("(h) => h.scrollIntoView()")
    shoot(tab, "ro-records-publish")
    form.get_by_role("button", name="Publică").click()
    tab.locator("#record-status", has_text="Publicat").wait_for()
    listed = _listed(tab, 3)
    mine = next(text for text in listed.values() if "Recuperarea căldurii" in text)
    assert "publicat" in mine and "0 manifestări de interes" in mine
    assert tab.locator("#record-count").inner_text() == "3 înregistrări"
    assert _untranslated(tab, _english_fragments(tab.evaluate(CATALOGUES))) == []  # the whole page in Romanian
