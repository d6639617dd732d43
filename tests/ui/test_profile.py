"""A member edits its organisation's profile on "My organisation" (ui/js/profile.js, issue 13 item 6):
the values GET /organisations/{id} shows, a form that sends only the changed fields with PATCH and the
page's ETag as If-Match, refused values marked next to their fields in the interface's language, a
stale edit (someone changed the profile in between) asking for a reload, and markup typed into a field
shown as text. Takes the screenshot docs/screenshots/ro-organisation-profile.png for the README.

Each test edits an organisation no other UI test matches or signs in as, so the order of the tests
(one server for the session) does not matter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.ui.conftest import shoot
from tests.ui.test_i18n import CATALOGUES, _english_fragments, _untranslated
from tests.ui.test_member_flows import HOSTILE, _sign_in, member_key  # noqa: F401 (fixture)

DESCRIPTION = ("Țesătorie din Galați: țesem bumbac și amestecuri cu poliester și coasem echipamente de lucru "
               "ignifuge pentru industria metalurgică; căutăm parteneri pentru finisări antibacteriene.")
COMPETENCES = ["țesere bumbac", "echipamente de lucru ignifuge", "finisare textile"]


def _items(text: str) -> set[str]:
    return {item.strip() for item in text.split(",")}


def _profile(server: str, org: str) -> Any:
    answer = httpx.get(f"{server}/organisations/{org}", timeout=60)
    assert answer.status_code == 200, answer.text
    return answer


def _shown(tab: Any) -> dict[str, str]:
    """Field name -> the value the profile section shows, once it is drawn."""
    tab.wait_for_function("() => document.querySelectorAll('#profile-values .profile-value').length === 6")
    values = tab.locator("#profile-values .profile-value")
    return {values.nth(i).get_attribute("data-field"): values.nth(i).inner_text() for i in range(values.count())}


def test_a_member_edits_description_and_competences_in_romanian_and_sees_them_after_a_reload(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    org = "example-textile-sme"
    before = _profile(server, org)
    tab = open_tab("ro-RO")
    _sign_in(tab, member_key(org))
    shown = _shown(tab)
    assert tab.locator("#profile h2").inner_text() == "Profilul organizației"
    assert shown["description"] == before.json()["description"]
    assert shown["region"].endswith("(RO22)") and "(13.20)" in shown["sectors"], shown
    assert tab.locator("#profile-sectors").input_value() == "13.20, 14.13"  # codes, as the publish form takes them
    tab.locator("#profile-description").fill(DESCRIPTION)
    tab.locator("#profile-competences").fill(" , ".join(COMPETENCES))
    with tab.expect_request(lambda request: request.method == "PATCH") as sent:
        tab.get_by_role("button", name="Salvează profilul").click()
    assert sent.value.post_data_json == {"description": DESCRIPTION, "competences": COMPETENCES}  # only what changed
    assert sent.value.headers["if-match"] == before.headers["ETag"]
    tab.locator("#profile-status", has_text="Salvat").wait_for()
    shown = _shown(tab)
    assert shown["description"] == DESCRIPTION and _items(shown["competences"]) == set(COMPETENCES)
    assert "(13.20)" in shown["sectors"] and shown["region"].endswith("(RO22)")  # the sources' values stay
    after = _profile(server, org)
    assert after.json()["description"] == DESCRIPTION and set(COMPETENCES) <= set(after.json()["competences"])
    assert after.headers["ETag"] != before.headers["ETag"]
    tab.locator("#profile h2").evaluate("(h) => h.scrollIntoView()")
    shoot(tab, "ro-organisation-profile")
    tab.reload()
    shown = _shown(tab)
    assert shown["description"] == DESCRIPTION and _items(shown["competences"]) == set(COMPETENCES)
    assert tab.locator("#profile-description").input_value() == DESCRIPTION
    assert _items(tab.locator("#profile-competences").input_value()) == set(COMPETENCES)
    tab.get_by_role("button", name="Salvează profilul").click()  # nothing changed since the reload: nothing sent
    tab.locator("#profile-status", has_text="Nu ați modificat nimic").wait_for()
    assert _profile(server, org).headers["ETag"] == after.headers["ETag"]
    assert _untranslated(tab, _english_fragments(tab.evaluate(CATALOGUES))) == []  # the whole page in Romanian


def test_refused_values_are_marked_next_to_their_field_in_romanian_and_nothing_is_saved(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    org = "example-environmental-institute"
    before = _profile(server, org)
    tab = open_tab("ro-RO")
    _sign_in(tab, member_key(org))
    _shown(tab)
    tab.locator("#profile-sectors").fill("99.99")
    tab.get_by_role("button", name="Salvează profilul").click()
    error = tab.locator("#profile-error-sectors")
    error.wait_for()
    assert error.inner_text() == "Sector necunoscut: folosiți coduri NACE/CAEN, de ex. 16.29 sau 1629."
    assert tab.locator("#profile-sectors").get_attribute("aria-invalid") == "true"
    assert tab.locator("#profile-error-region").is_hidden()
    assert "Nu s-a salvat nimic" in tab.locator("#profile-status").inner_text()
    tab.locator("#profile-sectors").fill("72.19")  # a valid sector, a website that is no web address
    tab.locator("#profile-website").fill("javascript:alert(1)")
    tab.get_by_role("button", name="Salvează profilul").click()
    tab.locator("#profile-error-website", has_text="Nu este o adresă web").wait_for()
    assert tab.locator("#profile-error-sectors").is_hidden()  # the earlier error is gone
    assert "unknown" not in tab.locator("#profile").inner_text()  # the server's English messages are not shown
    assert _untranslated(tab, _english_fragments(tab.evaluate(CATALOGUES))) == []
    assert _profile(server, org).headers["ETag"] == before.headers["ETag"]  # neither edit was written


def test_a_stale_edit_asks_for_a_reload_and_saves_after_it(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    org = "example-machining-sme"
    key = member_key(org)
    tab = open_tab("en-GB")
    _sign_in(tab, key)
    _shown(tab)
    old = _profile(server, org).headers["ETag"]  # the version the page holds
    changed = httpx.patch(f"{server}/organisations/{org}", json={"competences": ["five-axis milling"]},
                          headers={"X-API-Key": key, "If-Match": old}, timeout=60)
    assert changed.status_code == 200, changed.text  # a colleague's edit, after the page was opened
    tab.locator("#profile-description").fill("Precision machining of aluminium housings.")
    tab.get_by_role("button", name="Save the profile").click()
    tab.locator("#profile-status", has_text="Someone else changed this profile").wait_for()
    assert "Reload it" in tab.locator("#profile-status").inner_text()
    assert _profile(server, org).json()["description"] != "Precision machining of aluminium housings."
    tab.get_by_role("button", name="Reload the profile").click()
    tab.locator("#profile-status", has_text="Reloaded").wait_for()
    assert tab.locator("#profile-reload").is_hidden()
    assert "five-axis milling" in _shown(tab)["competences"]  # the colleague's change is now on the page
    assert "five-axis milling" in tab.locator("#profile-competences").input_value()
    tab.locator("#profile-description").fill("Precision machining of aluminium housings.")
    tab.get_by_role("button", name="Save the profile").click()
    tab.locator("#profile-status", has_text="Saved").wait_for()
    profile = _profile(server, org).json()
    assert profile["description"] == "Precision machining of aluminium housings."
    assert "five-axis milling" in profile["competences"]  # the colleague's edit is kept


def test_markup_typed_into_the_profile_is_shown_as_text_and_never_run(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,  # noqa: F811
) -> None:
    org = "example-vision-lab"
    tab = open_tab("ro-RO")
    _sign_in(tab, member_key(org))
    _shown(tab)
    tab.locator("#profile-description").fill(HOSTILE)
    tab.locator("#profile-competences").fill("<script>window.__xss=3</script>, <i>vedere artificială</i>")
    tab.get_by_role("button", name="Salvează profilul").click()
    tab.locator("#profile-status", has_text="Salvat").wait_for()
    assert _profile(server, org).json()["description"] == HOSTILE  # stored as typed
    for _ in range(2):  # after the save, and after a reload
        shown = _shown(tab)
        assert shown["description"] == HOSTILE  # the markup is shown as the characters typed
        assert "<script>window.__xss=3</script>" in shown["competences"]
        assert tab.locator("#profile-values *:not(dt):not(dd)").count() == 0  # no element made from the text
        assert tab.evaluate("window.__xss") is None
        tab.reload()
