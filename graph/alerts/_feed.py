"""The Atom feed of an alert (RFC 4287): one entry per profile that entered its top 10.

Why Atom with a token in the URL: feed readers follow a URL and send no headers, so the
capability is the URL itself (``/alerts/{id}/feed.atom?token=...``), shown once when the alert is
saved and revocable by rotating it. Texts are XML-escaped by the serializer (ElementTree), so a
title with ``<script>`` is text in every reader.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
ID_BASE = "https://w3id.org/innograph/alert/"


def _el(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _stamp(value: str) -> str:
    """An RFC 3339 date-time (stored stamps are ISO 8601 with offset already)."""
    return datetime.fromisoformat(value).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(alert: dict[str, Any], self_url: str, base_url: str) -> bytes:
    """The feed document of ``alert`` (as ``graph.alerts.Alerts.get`` returns it)."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "id", f"{ID_BASE}{alert['id']}")
    _el(feed, "title", f"innograph alert: {alert['text'][:120]}")
    _el(feed, "subtitle", "Profiles that entered the top 10 of a saved need / profiluri noi în primele 10 "
        "rezultate ale unei nevoi salvate")
    hits = alert["hits"]
    _el(feed, "updated", _stamp(max([h["found"] for h in hits], default=alert["created"])))
    author = _el(feed, "author")
    _el(author, "name", "innograph")
    _el(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _el(feed, "link", rel="alternate", href=base_url)
    _el(feed, "generator", "innograph")
    for hit in hits:
        entry = _el(feed, "entry")
        _el(entry, "id", f"{ID_BASE}{alert['id']}/{hit['id']}")
        _el(entry, "title", hit["name"])
        _el(entry, "updated", _stamp(hit["found"]))
        _el(entry, "link", rel="alternate", href=hit["id"])
        explanation = hit["explanation"]
        terms = ", ".join(explanation.get("matched_terms", [])) or "-"
        signals = ", ".join(f"{k} +{v['contribution']}" for k, v in explanation.get("signals", {}).items()) or "-"
        _el(entry, "summary", f"score {hit['score']} (text {explanation.get('fused')}; graph signals: {signals}); "
            f"matched terms: {terms}; kind: {explanation.get('kind')}", type="text")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
