"""The web UI in Romanian and English (ui/js/i18n.js): the switch in the header, the saved
choice, ``?lang=``, the browser's language, and ``<html lang>``.

Each test opens its own browser context (its own localStorage and ``navigator.language``), under
the server's Content-Security-Policy like every UI test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.ui.conftest import shoot
from tests.ui.test_browser import hub  # noqa: F401 - an organisation with partners, and one two steps away


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
    tab.wait_for_function("() => document.title.includes('Găsiți cine vă poate ajuta')")  # set once the view is drawn


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


ROMANIAN_NEED = "Căutăm parteneri pentru activități auxiliare pentru producția vegetală în regiunea Nord-Est"


def test_a_romanian_need_is_explained_in_romanian(open_tab: Callable[..., Any]) -> None:
    tab = open_tab("ro-RO")
    tab.goto(f"/#/match?q={ROMANIAN_NEED}&my_region=RO21&my_trl=6")
    tab.locator(".result").first.wait_for()
    understood = tab.locator("#understood").inner_text()
    assert "Citit ca română" in understood and "Am înțeles:" in understood, understood
    assert "Activități auxiliare pentru producția vegetală / Support activities" in understood, understood  # Romanian first
    status = tab.locator("#match-status").inner_text()
    assert "candidați" in status and "fiecare cu motivul" in status, status
    reasons = " | ".join(tab.locator(".result .why li").all_inner_texts())
    assert "potrivire:" in reasons or "apropiat ca sens" in reasons, reasons
    assert "TRL" in reasons and ("cerut" in reasons or "aceeași regiune" in reasons or "în România" in reasons), reasons
    for english in ("matched:", "close in meaning", "same region", "wanted", "located in", "shares:"):
        assert english not in reasons, (english, reasons)
    shared = [r for r in tab.locator(".result .why li").all_inner_texts() if r.startswith("în comun:")]
    assert shared and all("Support activities" not in r for r in shared), reasons  # NACE labels in Romanian (?lang=ro)
    assert any("vegetal" in r for r in shared), shared
    assert tab.locator(".result .found-by").first.inner_text().startswith("Găsit prin")
    tab.locator(".result details summary").first.click()
    assert "regăsire" in tab.locator(".result details p").first.inner_text()
    shoot(tab, "ro-match")


CATALOGUES = """async () => {
  const en = (await import("/ui/js/messages/en.js")).default;
  const ro = (await import("/ui/js/messages/ro.js")).default;
  return { en, ro };
}"""

#: Data shown as it is stored (organisation and project names, offer titles, quoted passages, the
#: English label beside a Romanian one in "understood as"): not interface text, left out of the scan.
DATA = ("a[href^='#/org'], blockquote, button.link, #selected strong, .concepts [lang='en'], #map-table td:first-child, "
        ".interest strong, .message, .record-title, "  # offer titles and what members typed, on "My organisation"
        ".profile-value")  # the organisation's profile there, as its sources and members wrote it

#: What a person reads on the page, outside the data: visible text, the texts of attributes and menus.
READABLE = """(data) => {
  const main = document.body.cloneNode(true);
  for (const element of main.querySelectorAll(data + ", .lang-switch, datalist")) element.remove();
  const hidden = document.createElement("div");
  hidden.style.cssText = "position:absolute;left:-9999px;top:0";
  hidden.append(...main.childNodes);
  document.body.append(hidden);
  const visible = hidden.innerText;
  const attributes = [...hidden.querySelectorAll("[placeholder], [aria-label], [title]")].flatMap((e) =>
    ["placeholder", "aria-label", "title"].map((name) => e.getAttribute(name) || ""));
  const menus = [...hidden.querySelectorAll("select option, optgroup, svg title")].map((e) => e.label || e.textContent);
  hidden.remove();
  return [visible, ...attributes, ...menus, document.title].join("\\n");
}"""


def _forms(message: Any) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


def _english_fragments(catalogues: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each piece of English interface text (between placeholders) that its Romanian message does not
    also contain, by key: such a piece on a Romanian page is an untranslated text."""
    fragments: dict[str, str] = {}
    for key, message in catalogues["en"].items():
        romanian = " ".join(_forms(catalogues["ro"][key]))
        for form in _forms(message):
            for piece in re.split(r"\{\w+\}", form):
                piece = piece.strip(" .:;,()…")
                letters = len(re.findall(r"[A-Za-z]", piece))
                # one short English word ("and", "most") also occurs in data; two words or a long one do not
                if (letters >= 6 or (letters >= 4 and " " in piece)) and piece not in romanian:
                    fragments[piece] = key
    return fragments


def test_the_catalogues_have_the_same_keys_placeholders_and_plural_forms(open_tab: Callable[..., Any]) -> None:
    tab = open_tab()
    tab.goto("/#/match")
    catalogues = tab.evaluate(CATALOGUES)
    en, ro = catalogues["en"], catalogues["ro"]
    assert set(en) == set(ro), (set(en) ^ set(ro))
    for key in en:
        names_en = {n for form in _forms(en[key]) for n in re.findall(r"\{(\w+)\}", form)}
        names_ro = {n for form in _forms(ro[key]) for n in re.findall(r"\{(\w+)\}", form)}
        assert names_en == names_ro, (key, en[key], ro[key])
        if isinstance(en[key], dict) or isinstance(ro[key], dict):  # Romanian counts need one, few and other
            assert isinstance(ro[key], dict) and {"one", "few", "other"} <= set(ro[key]), (key, ro[key])
            assert isinstance(en[key], dict) and {"one", "other"} <= set(en[key]), (key, en[key])
    same = [k for k in en if en[k] == ro[k] and not re.fullmatch(r"[A-Z]{2,4}|TRL|[Ss]ector", str(en[k]))]
    assert same == [], same  # a text left equal in both catalogues is a text not translated


def _untranslated(tab: Any, fragments: dict[str, str], text: str | None = None) -> list[tuple[str, str]]:
    """The English interface texts on the page (or in ``text``, when given), by catalogue key."""
    text = tab.evaluate(READABLE, DATA) if text is None else text
    return [(key, piece) for piece, key in fragments.items() if re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text)]


#: The texts Chart.js draws on the region page's canvases (invisible to innerText): axis labels,
#: dataset names, axis titles.
CHART_TEXTS = """() => [...document.querySelectorAll("canvas")].flatMap((canvas) => {
  const chart = window.Chart.getChart(canvas);
  const scales = Object.values(chart.options.scales || {}).map((scale) => (scale.title && scale.title.text) || "");
  return [...chart.data.labels.map(String), ...chart.data.datasets.map((d) => d.label), ...scales];
}).join("\\n")"""


def test_no_interface_text_is_left_in_english_in_romanian_mode(
    open_tab: Callable[..., Any], hub: dict[str, Any],  # noqa: F811 - the fixture imported above
) -> None:
    tab = open_tab("en-GB")
    tab.goto(f"/#/match?q={ROMANIAN_NEED}")
    tab.locator(".result").first.wait_for()
    fragments = _english_fragments(tab.evaluate(CATALOGUES))
    assert len(fragments) > 150, len(fragments)  # the scan looks for the English of most keys
    assert len(_untranslated(tab, fragments)) > 20  # and finds them on an English page
    tab.get_by_role("button", name="Română").click()
    tab.locator("html[lang='ro']").wait_for(state="attached")
    found: dict[str, list[tuple[str, str]]] = {}
    tab.goto(f"/#/match?q={ROMANIAN_NEED}&my_region=RO21&my_trl=6&my_org={hub['id']}")
    tab.locator(".result").first.wait_for()
    tab.locator(".result details summary").first.click()
    found["match"] = _untranslated(tab, fragments)
    tab.goto(f"/#/match?q={ROMANIAN_NEED}&kind=offer&trl=9&region=RO11")
    tab.locator("#match-status", has_text="filtre").wait_for()  # nothing matches: the empty state
    found["match-empty"] = _untranslated(tab, fragments)
    tab.goto("/#/org?id=osim")
    tab.locator("#ego canvas").first.wait_for()
    found["org"] = _untranslated(tab, fragments)
    shoot(tab, "ro-organisation")
    tab.goto("/#/org")
    tab.locator("main h1", has_text="Organizație").wait_for()
    found["org-none"] = _untranslated(tab, fragments)
    tab.goto(f"/#/network?focus={hub['id']}&color=community&from={hub['far']}&to={hub['id']}")
    tab.locator("#path-result .path li").first.wait_for()
    tab.locator("#legend li").first.wait_for()
    found["network"] = _untranslated(tab, fragments)
    shoot(tab, "ro-network")
    tab.goto("/#/network")
    tab.locator("#net-status", has_text="Căutați").wait_for()
    tab.fill("#net-q", "zzzzqqq")
    tab.press("#net-q", "Enter")
    tab.locator("#net-hits li").first.wait_for()
    found["network-empty"] = _untranslated(tab, fragments)
    for query in ("measure=gap&field=A", "measure=universities&level=2"):
        tab.goto(f"/#/map?{query}")
        tab.locator("#map path.area").first.wait_for()
        tab.locator("#map-status", has_text="pentru").wait_for()
        found[f"map {query}"] = _untranslated(tab, fragments)
        shoot(tab, f"ro-map-{query.split('&')[0].split('=')[1]}")
    for code in ("RO32", "RO321"):  # a development region and a county (Bucharest has supply and demand)
        tab.goto(f"/#/region?code={code}")
        tab.locator("h1", has_text="Indicatorii regiunii").wait_for()
        tab.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length === 3"
                              " && [...document.querySelectorAll('canvas')].every((c) => window.Chart.getChart(c))")
        found[f"region {code}"] = _untranslated(tab, fragments)
        charts = tab.evaluate(CHART_TEXTS)
        assert "România" in charts and "în regiune" in charts, charts
        found[f"region {code} charts"] = _untranslated(tab, fragments, charts)
    assert not any(found.values()), {view: pieces for view, pieces in found.items() if pieces}
