"""A member publishes, renews and withdraws an offer on "My organisation"; a bad TRL shows the
API's error naming the field; HTML typed into the title is shown as text, never run (issue 13,
item 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.ui.test_member_flows import HOSTILE, _sign_in, member_key  # noqa: F401 (fixture)


def test_publish_renew_withdraw_an_offer_and_see_the_api_errors(
    open_tab: Callable[..., Any], member_key: Callable[[str], str],  # noqa: F811
) -> None:
    tab = open_tab()
    _sign_in(tab, member_key("example-technical-university"))  # no records yet: the list shows only what is published here
    form = tab.locator("#record-form")
    form.get_by_label("Title").fill(HOSTILE + " uscare cereale")
    form.get_by_label("Description").fill("Uscător de cereale cu pompă de căldură, testat pe o fermă.")
    form.get_by_label("TRL (1-9)").fill("12")
    form.get_by_role("button", name="Publish").click()
    status = tab.locator("#record-status")
    status.get_by_text("field trl:").wait_for()  # the API's 422, naming the field
    assert tab.locator("#record-list .record").count() == 0  # nothing half-written
    form.get_by_label("TRL (1-9)").fill("6")
    form.get_by_label("Sectors (NACE codes, comma-separated)").fill("01.11, 28.30")
    form.get_by_role("button", name="Publish").click()
    record = tab.locator("#record-list .record")
    record.wait_for()
    assert record.locator(".record-title").inner_text() == HOSTILE + " uscare cereale"
    assert "published" in record.locator(".record-status").inner_text()
    record.get_by_role("button", name="Renew").click()
    status.get_by_text("Renewed").wait_for()
    tab.locator("#record-list .record").get_by_role("button", name="Withdraw").click()
    tab.locator("#record-list .record-status", has_text="withdrawn").wait_for()
    assert tab.locator("main img, main script, .record-title b").count() == 0
    assert tab.evaluate("window.__xss") is None
