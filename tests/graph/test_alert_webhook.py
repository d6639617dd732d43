"""Alert webhooks: the allow-list, private addresses, no redirects; a local listener counts connections."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from common.errors import InvalidInputError
from graph.alerts import WebhookPolicy, deliver
from tests.recording_listener import RecordingListener


@pytest.fixture
def listener() -> Iterator[RecordingListener]:
    server = RecordingListener()
    yield server
    server.close()


class _Redirect(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_allow_listed_loopback_address_is_called_once(listener: RecordingListener) -> None:
    policy = WebhookPolicy(("127.0.0.1",))
    outcome = deliver(policy, f"http://127.0.0.1:{listener.port}/hook?x=1", {"alert": "a", "hits": []})
    assert outcome == "delivered: 200"
    assert listener.connections == 1
    assert listener.requests[0].startswith(b"POST /hook?x=1 HTTP/1.1")
    assert b'"alert": "a"' in listener.requests[0]


@pytest.mark.parametrize(
    ("allow", "url", "rule"),
    [
        ((), "http://127.0.0.1:{port}/", "webhooks are off"),
        (("hooks.example.org",), "http://127.0.0.1:{port}/", "not in the webhook allow-list"),
        # allow-listing a name does not allow it to resolve to a loopback address
        (("localhost",), "http://localhost:{port}/", "non-public address"),
        (("127.0.0.1",), "ftp://127.0.0.1:{port}/", "http or https"),
        (("127.0.0.1",), "http://user:pw@127.0.0.1:{port}/", "user name or password"),
        (("10.0.0.0/8",), "http://127.0.0.1:{port}/", "not in the webhook allow-list"),
    ],
)
def test_refused_urls_name_the_rule_and_connect_nowhere(
    listener: RecordingListener, allow: tuple[str, ...], url: str, rule: str
) -> None:
    policy = WebhookPolicy(allow)
    with pytest.raises(InvalidInputError, match=rule):
        policy.check(url.format(port=listener.port))
    assert deliver(policy, url.format(port=listener.port), {}).startswith("refused")
    assert listener.connections == 0


def test_a_network_in_the_allow_list_admits_its_addresses() -> None:
    assert WebhookPolicy(("10.0.0.0/8",)).check("http://10.1.2.3:9/x")[4].exploded == "10.1.2.3"


def test_redirects_are_not_followed(listener: RecordingListener) -> None:
    _Redirect.target = f"http://127.0.0.1:{listener.port}/elsewhere"
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        outcome = deliver(WebhookPolicy(("127.0.0.1",)), f"http://127.0.0.1:{server.server_port}/hook", {})
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.startswith("not followed: the receiver answered 302")
    assert listener.connections == 0
