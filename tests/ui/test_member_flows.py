"""A member in the browser: its key on "My organisation", "save this need" with its Atom feed,
"I am interested" on an offer, the owner answering in its inbox, and HTML typed into a field
shown as text, never run (issue 13, item 6).

Keys are created in the server's own key file (the server reloads it when it changes), bound to
illustrative organisations, as ``innograph keys create --role member --organisation`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.ui.conftest import shoot
from tests.ui.test_i18n import CATALOGUES, _english_fragments, _untranslated

NEED = "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz"
OWNER = "example-agri-engineering-institute"  # owns offer-heat-pump-grain-dryer (illustrative)
HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>'


@pytest.fixture(scope="module")
def member_key(server_data: Path) -> Callable[[str], str]:
    from api.keys import KeyStore, Role
    from common.settings import Settings

    store = KeyStore(Settings(data_dir=server_data).keys_file)
    return lambda organisation: store.create("ui test", Role.member, organisation=organisation)[1]


def _sign_in(tab: Any, key: str) -> None:
    tab.goto("/#/me")
    tab.locator("#api-key").fill(key)
    tab.locator("#key-form button[type=submit]").click()
    tab.locator("#me-content h2").first.wait_for()


def test_save_this_need_gives_a_feed_and_is_listed_on_my_organisation(
    open_tab: Callable[..., Any], member_key: Callable[[str], str], server: str,
) -> None:
    tab = open_tab()
    tab.goto(f"/#/match?q={NEED}")
    tab.locator(".result").first.wait_for()
    tab.get_by_role("button", name="Save this need and follow new results").click()
    assert "key" in tab.locator("#follow").inner_text()  # no key yet: says where to enter it
    _sign_in(tab, member_key("example-agro-sme"))
    assert "No saved needs" in tab.locator("#me-content").inner_text()
    tab.goto(f"/#/match?q={NEED}")
    tab.locator(".result").first.wait_for()
    tab.get_by_role("button", name="Save this need and follow new results").click()
    feed = tab.locator(".feed-url")
    feed.wait_for()
    url = feed.input_value()
    assert "/alerts/" in url and "feed.atom" in url, url
    answer = httpx.get(url if url.startswith("http") else f"{server}{url}", timeout=30)
    assert answer.status_code == 200 and "atom" in answer.headers["content-type"], answer.text[:300]
    shoot(tab, "follow-need")
    tab.goto("/#/me")
    saved = tab.locator(".saved-need")
    saved.first.wait_for()
    assert saved.count() == 1 and NEED in saved.first.inner_text()
    saved.first.get_by_role("button", name="Stop following").click()
    tab.locator("#me-content", has_text="No saved needs").wait_for()


def test_i_am_interested_reaches_the_owner_who_accepts_it_in_romanian(
    open_tab: Callable[..., Any], member_key: Callable[[str], str],
) -> None:
    sender = open_tab()
    _sign_in(sender, member_key("example-agro-sme"))
    sender.goto(f"/#/match?q={NEED}&kind=offer")
    offer = sender.locator(".result", has=sender.locator("button.interest-open[data-id='offer-heat-pump-grain-dryer']"))
    offer.get_by_role("button", name="I am interested").click()
    offer.get_by_label("Message to the owner").fill("Ne interesează uscătorul pentru ferma noastră din Neamț.")
    offer.get_by_label("Your e-mail (shared only if they accept)").fill("ana.pop@example.org")
    offer.get_by_role("button", name="Send").click()
    offer.get_by_text("Sent: the owner").wait_for()
    owner = open_tab("ro-RO")
    _sign_in(owner, member_key(OWNER))
    received = owner.locator(".interest", has_text="uscătorul pentru ferma noastră")
    received.wait_for()
    assert "în așteptare" in received.inner_text() and "ana.pop@example.org" not in received.inner_text()
    owner.locator("h2", has_text="Interes primit").evaluate("(h) => h.scrollIntoView()")  # below the records
    shoot(owner, "ro-inbox")
    received.get_by_role("button", name="Acceptă și împărtășește datele de contact").click()
    owner.locator(".interest", has_text="acceptat").wait_for()
    assert "ana.pop@example.org" in owner.locator(".interest", has_text="acceptat").inner_text()  # contacts after acceptance
    assert _untranslated(owner, _english_fragments(owner.evaluate(CATALOGUES))) == []  # the whole page in Romanian
    sender.goto("/#/me")
    sender.locator(".interest", has_text="accepted").wait_for()


def test_html_typed_into_a_message_or_a_need_is_shown_as_text_and_never_run(
    open_tab: Callable[..., Any], member_key: Callable[[str], str],
) -> None:
    sender = open_tab()
    _sign_in(sender, member_key("example-dairy-sme"))
    sender.goto(f"/#/match?q={NEED}&kind=offer")
    offer = sender.locator(".result", has=sender.locator("button.interest-open[data-id='offer-heat-pump-grain-dryer']"))
    offer.get_by_role("button", name="I am interested").click()
    offer.get_by_label("Message to the owner").fill(HOSTILE)
    offer.get_by_role("button", name="Send").click()
    offer.get_by_text("Sent: the owner").wait_for()
    sender.goto("/#/match?q=" + quote(HOSTILE + " grain drying", safe=""))
    sender.locator(".result").first.wait_for()
    sender.get_by_role("button", name="Save this need and follow new results").click()
    sender.locator(".feed-url").wait_for()
    sender.goto("/#/me")
    need = sender.locator(".saved-need .message")
    need.first.wait_for()
    assert HOSTILE in need.first.inner_text()
    owner = open_tab()
    _sign_in(owner, member_key(OWNER))
    message = owner.locator(".interest .message", has_text="onerror")
    message.wait_for()
    assert message.inner_text() == HOSTILE  # the markup is shown as the characters typed
    for tab in (sender, owner):
        assert tab.locator("main img, main script, .message b").count() == 0
        assert tab.evaluate("window.__xss") is None
