"""A member edits its organisation's profile on "My organisation" (issue 13, item 6), in Romanian: the
values come from GET /organisations/{id}, Save sends only what changed with the page's ETag as If-Match,
a reload shows them, a stale page says so and reloads, and a typed ``<script>`` stays text. Takes the
README's screenshot of the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.ui.conftest import shoot
from tests.ui.test_member_flows import _sign_in, member_key  # noqa: F401 (fixture)

ORG = "example-textile-sme"  # no other browser test writes it
SCRIPT = "<script>window.pwned = 1</script> Vopsire cu apă reciclată"


def _profile(tab: Any) -> Any:
    form = tab.locator("#profile-form")
    tab.wait_for_function(
        "() => { const box = document.querySelector('#profile-form textarea[name=description]'); "
        "return box !== null && box.value !== ''; }")
    return form


def test_a_member_edits_its_profile_in_romanian_and_a_stale_page_is_told(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    key = member_key(ORG)
    tab = open_tab("ro-RO")
    _sign_in(tab, key)
    form = _profile(tab)
    assert tab.locator("#me-content h2", has_text="Profilul organizației dumneavoastră").count() == 1
    form.locator("textarea[name=description]").fill(SCRIPT)
    form.locator("input[name=competences]").fill("vopsire textilă, reciclarea apei")
    form.get_by_role("button", name="Salvați profilul").click()
    tab.wait_for_function("() => document.querySelector('#profile-status').textContent.startsWith('Salvat')")
    assert tab.evaluate("() => window.pwned") is None  # stored and shown as text, never run
    stored = httpx.get(f"{server}/organisations/{ORG}", timeout=60).json()
    assert stored["description"] == SCRIPT
    assert {"vopsire textilă", "reciclarea apei"} <= set(stored["competences"])
    tab.reload()
    form = _profile(tab)
    assert form.locator("textarea[name=description]").input_value() == SCRIPT
    assert "reciclarea apei" in form.locator("input[name=competences]").input_value()
    form.scroll_into_view_if_needed()
    shoot(tab, "ro-organisation-profile")
    # someone else saves in between: this page's ETag is stale, the server answers 412, the page says so
    etag = httpx.get(f"{server}/organisations/{ORG}", timeout=60).headers["ETag"]
    other = httpx.patch(f"{server}/organisations/{ORG}", json={"website": "https://textile.example.ro"},
                        headers={"X-API-Key": key, "If-Match": etag}, timeout=60)
    assert other.status_code == 200, other.text
    form.locator("input[name=region]").fill("RO11")
    form.get_by_role("button", name="Salvați profilul").click()
    status = tab.locator("#profile-status")
    tab.wait_for_function("() => document.querySelector('#profile-status').textContent.startsWith('Altcineva')")
    assert httpx.get(f"{server}/organisations/{ORG}", timeout=60).json()["region"]["notation"] != "RO11"  # not written
    tab.get_by_role("button", name="Reîncărcați profilul").click()
    tab.wait_for_function("() => document.querySelector('#profile-status').textContent.startsWith('Reîncărcat')")
    assert form.locator("input[name=website]").input_value() == "https://textile.example.ro"
    assert status.inner_text().startswith("Reîncărcat")


def test_an_unknown_sector_is_refused_and_the_field_marked(
    open_tab: Callable[..., Any], member_key: Callable[[str], str],  # noqa: F811
) -> None:
    tab = open_tab()
    _sign_in(tab, member_key(ORG))
    form = _profile(tab)
    form.locator("input[name=sectors]").fill("99.99")
    form.get_by_role("button", name="Save the profile").click()
    tab.wait_for_function("() => document.querySelector('#profile-status').textContent.includes('sectors')")
    assert form.locator("input[name=sectors]").get_attribute("aria-invalid") == "true"
    assert "99.99" in tab.locator("#profile-status").inner_text()
