"""The YASGUI query page at /sparql in a real browser, under the server's Content-Security-Policy:
an analyst picks an example question, runs it, and reads the result table; the policy blocks
nothing the page needs (every violation is recorded and fails the test)."""

from __future__ import annotations

from typing import Any

import pytest

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def sparql_page(browser: Any, server: str) -> Any:
    from tests.ui.conftest import VIEWPORT

    context = browser.new_context(viewport=VIEWPORT, base_url=server)
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    messages: list[str] = []
    tab.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    tab.on("pageerror", lambda exc: messages.append(str(exc)))
    yield tab
    violations = tab.evaluate("window.__cspViolations")
    context.close()
    assert not violations and not messages, (violations, messages)


def test_an_example_question_runs_in_yasgui_under_the_csp(sparql_page: Any, server: str) -> None:
    response = sparql_page.goto("/sparql")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sparql_page.wait_for_selector(".yasqe .CodeMirror")
    first = sparql_page.locator("#examples button").first
    first.wait_for()
    first.click()
    sparql_page.locator(".yasqe_queryButton").last.click()
    table = sparql_page.locator(".yasr table tbody tr")
    table.first.wait_for()
    assert table.count() >= 1
