"""The web UI in Romanian and English (ui/js/i18n.js): the switch in the header, the saved
choice, ``?lang=``, the browser's language, and ``<html lang>``.

Each test opens its own browser context (its own localStorage and ``navigator.language``), under
the server's Content-Security-Policy like every UI test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.ui.conftest import VIEWPORT


@pytest.fixture
def open_tab(browser: Any, server: str) -> Iterator[Callable[..., Any]]:
    """A factory of tabs in fresh contexts (``locale`` sets navigator.language); page errors and CSP
    violations fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(locale: str = "en-GB") -> Any:
        context = browser.new_context(viewport=VIEWPORT, base_url=server, locale=locale)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        return tab

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors


def _heading(tab: Any) -> str:
    tab.locator("main h1").wait_for()
    return str(tab.locator("main h1").inner_text())


def test_an_english_browser_gets_english_and_the_switch_turns_the_page_romanian(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("en-GB")
    tab.goto("/#/match")
    assert _heading(tab) == "Find who can help"
    assert tab.evaluate("document.documentElement.lang") == "en"
    assert tab.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    tab.get_by_role("button", name="Română").click()
    tab.locator("main h1", has_text="Găsiți cine vă poate ajuta").wait_for()
    assert tab.evaluate("document.documentElement.lang") == "ro"
    assert tab.get_by_role("button", name="Română").get_attribute("aria-pressed") == "true"
    nav = tab.locator("header nav").inner_text()
    assert "Rețeaua de colaborare" in nav and "Harta cererii și ofertei" in nav, nav
    assert "sunt exemple inventate" in tab.locator("footer").inner_text()
    assert "Găsiți cine vă poate ajuta" in tab.title()


def test_the_choice_persists_across_a_reload_and_a_new_tab(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("en-GB")
    tab.goto("/#/map")
    tab.locator("#map path.area").first.wait_for()
    tab.get_by_role("button", name="Română").click()
    tab.locator("html[lang='ro']").wait_for(state="attached")
    tab.reload()
    tab.locator("#map path.area").first.wait_for()
    assert tab.evaluate("document.documentElement.lang") == "ro"
    assert "Harta cererii și ofertei" in tab.locator("header nav").inner_text()
    second = tab.context.new_page()
    second.goto("/#/match")
    assert _heading(second) == "Găsiți cine vă poate ajuta"
    second.get_by_role("button", name="English").click()
    second.locator("main h1", has_text="Find who can help").wait_for()
    second.reload()
    assert _heading(second) == "Find who can help"


def test_lang_in_the_address_chooses_the_language_and_the_switch_then_wins(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("en-GB")
    tab.goto("/?lang=ro#/match")
    assert _heading(tab) == "Găsiți cine vă poate ajuta"
    assert tab.evaluate("document.documentElement.lang") == "ro"
    tab.get_by_role("button", name="English").click()
    tab.locator("main h1", has_text="Find who can help").wait_for()
    assert "lang=" not in tab.url  # the address no longer overrides the switch
    tab.reload()
    assert _heading(tab) == "Find who can help"
    tab.goto("/?lang=xx#/match")  # an unsupported value is ignored, never an error
    assert _heading(tab) == "Find who can help"


def test_a_romanian_browser_gets_romanian_unless_the_address_says_otherwise(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("ro-RO")
    tab.goto("/#/match")
    assert _heading(tab) == "Găsiți cine vă poate ajuta"
    assert tab.evaluate("document.documentElement.lang") == "ro"
    tab.goto("/?lang=en#/match")
    assert _heading(tab) == "Find who can help"


def test_the_map_in_romanian_names_its_measures_and_kinds_in_romanian(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("en-GB")
    tab.goto("/?lang=ro#/map?measure=universities")
    tab.locator("#map path.area").first.wait_for()
    tab.locator("#map-status", has_text="universități").wait_for()
    assert tab.locator("#map-kind-head").inner_text() == "universități (HES)"
    assert "Neplasate într-un județ:" in tab.locator("#map-status").inner_text()
    label = tab.locator("#map path[data-code='RO321']").get_attribute("aria-label") or ""
    assert "ofertă" in label and "cerere" in label and "decalaj" in label, label
    tab.select_option("#map-measure", "companies")
    tab.locator("#map-status", has_text="întreprinderi (PRC)").wait_for()
    assert "Mai închis" in tab.locator("#map-legend").inner_text()
