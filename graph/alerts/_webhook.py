"""Webhooks of alerts: only to allow-listed hosts, never to a private address by accident, no redirects.

Why so strict: a webhook makes the server open a connection to a URL someone typed. Without
rules that is a way into the machine's own network (``http://127.0.0.1:7474``, a cloud metadata
address, a database on the LAN). So, for admins' integrations only:

- the host must be named in ``INNOGRAPH_ALERT_WEBHOOK_ALLOW`` (exact host names or IP
  addresses; empty, the default: no webhook at all);
- every address the host resolves to must be a public one, unless that address itself (or a
  network containing it, ``10.0.0.0/8``) is in the allow-list too: allow-listing a name does not
  allow it to resolve to a loopback or private address (DNS rebinding);
- the connection goes to the address that was checked (no second resolution), a redirect is
  never followed (``http.client`` does not follow; a 3xx is recorded as such), and a slow
  receiver is cut after a few seconds.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from common.errors import InvalidInputError

TIMEOUT_S = 5.0
FIELD = "webhook_url"
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class WebhookPolicy:
    """The allow-list of ``Settings.alert_webhook_allow``."""

    allow: tuple[str, ...] = ()

    def _networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        out = []
        for entry in self.allow:
            try:
                out.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue  # a host name
        return out

    def check(self, url: str) -> tuple[str, str, int, str, Address]:
        """``(scheme, host, port, path, address)`` to connect to, or ``InvalidInputError`` saying which rule."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInputError(FIELD, "must be an absolute http or https URL")
        if parts.username or parts.password:
            raise InvalidInputError(FIELD, "must not carry a user name or password")
        host = parts.hostname.lower()
        if not self.allow:
            raise InvalidInputError(FIELD, "webhooks are off on this server: no host is allow-listed "
                                    "(INNOGRAPH_ALERT_WEBHOOK_ALLOW)")
        networks = self._networks()
        if host not in {a.lower().strip("[]") for a in self.allow} and not _within(host, networks):
            raise InvalidInputError(FIELD, f"host {host!r} is not in the webhook allow-list "
                                    "(INNOGRAPH_ALERT_WEBHOOK_ALLOW); the server calls no other host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise InvalidInputError(FIELD, f"has an invalid port ({exc})") from None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise InvalidInputError(FIELD, f"host {host!r} does not resolve ({exc.strerror or exc})") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        for address in addresses:
            if not address.is_global and not any(address in n for n in networks):
                raise InvalidInputError(
                    FIELD, f"host {host!r} resolves to the non-public address {address}; private, loopback and "
                    "link-local addresses are refused unless that address is itself allow-listed")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return parts.scheme, host, port, path, addresses[0]


def _within(host: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """True when ``host`` is an IP address inside one of the allow-listed networks."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in n for n in networks)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate still verified for the host name."""

    def __init__(self, host: str, address: str, port: int) -> None:
        super().__init__(host, port, timeout=TIMEOUT_S, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def deliver(policy: WebhookPolicy, url: str, payload: dict[str, Any]) -> str:
    """POST ``payload`` as JSON to ``url`` under ``policy``; the outcome in words (never raises)."""
    try:
        scheme, host, port, path, address = policy.check(url)
    except InvalidInputError as exc:
        return f"refused: {exc.reason}"
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = _PinnedHTTPS(host, str(address), port)
    else:
        connection = http.client.HTTPConnection(str(address), port, timeout=TIMEOUT_S)
    body = json.dumps(payload, ensure_ascii=False).encode()
    try:
        connection.request("POST", path, body=body, headers={
            "Host": host if port in (80, 443) else f"{host}:{port}", "Content-Type": "application/json",
            "User-Agent": "innograph-alerts"})
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        return f"failed: {type(exc).__name__}: {exc}"
    finally:
        connection.close()
    if 300 <= status < 400:
        return f"not followed: the receiver answered {status} (redirects are never followed)"
    return f"delivered: {status}"
