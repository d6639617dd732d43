"""No fetch from the network on a caller's behalf: SPARQL ``SERVICE`` and ``LOAD`` are refused.

Why: Oxigraph (and any remote backend such as Virtuoso) answers ``SERVICE <url> { ... }`` by
sending an HTTP request to ``url`` from the server, and ``LOAD <url>`` by downloading it. An
anonymous caller could thus make the server reach addresses only the server can reach
(127.0.0.1, the private network, cloud metadata services) and read the answers. So before a
query or update reaches any engine, its text is scanned:

1. a small lexer (comments, strings, IRIs, variables, names) finds the ``SERVICE`` and ``LOAD``
   keywords where the parser would see them. ``SERVICE`` is allowed only towards an endpoint
   an administrator listed (``INNOGRAPH_SPARQL_SERVICE_ALLOW``, absolute IRIs, exact match;
   never in updates); ``LOAD`` never;
2. a lexer is not the parser: where ``<`` is both "less than" and the start of an IRI, they
   may disagree. So every other occurrence of the word (inside a string, an IRI, a comment,
   a name such as ``?service``) is changed to a harmless word of the same length and the text
   is parsed again by Oxigraph itself (parse only, on an empty in-memory store): if the
   original parses and the changed text does not, one of them was a keyword in disguise, and
   the request is refused.

>>> check_query("SELECT ?service WHERE { ?service a <http://example.org/Service> }")
>>> check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
common.errors.FetchRefusedError: SERVICE <http://127.0.0.1:8080/sparql> would make this server fetch ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from common.errors import FetchRefusedError
from ontology._namespaces import PREFIXES

_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r"|(?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)"
    r"|(?P<name>[^\W\d][\w.\-]*(?::[\w.\-:%\\]*)?|:[\w.\-:%\\]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_WORDS = ("SERVICE", "LOAD")
#: The words anywhere, as whole words (``download`` or ``services`` is neither keyword to any parser).
_ANY_WORD = re.compile(r"(?<!\w)(?:SERVICE|LOAD)(?!\w)", re.IGNORECASE)


_DISGUISED = ("the {what} does not parse once the words {words} in it are read as plain words: either it has a "
              "syntax error near them, or one is a keyword the server's check does not recognise as such; this "
              "server does not fetch from the network on a caller's behalf, so it does not run it")


@dataclass(frozen=True)
class _Keyword:
    word: str  # SERVICE or LOAD, upper case
    start: int
    target: str | None  # the IRI after it (without <>), None for a variable or prefixed name


def protocol_tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of the significant tokens: name, iri, var, string or other (one character)."""
    return [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("space", "comment")]


def _keywords(text: str) -> list[_Keyword]:
    """The SERVICE / LOAD keywords as the query's lexer sees them, with the IRI that follows."""
    tokens = protocol_tokens(text)
    found: list[_Keyword] = []
    for i, (kind, value, start) in enumerate(tokens):
        if kind != "name" or value.upper() not in _WORDS:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j][1].upper() == "SILENT":
            j += 1
        target = tokens[j][1][1:-1] if j < len(tokens) and tokens[j][0] == "iri" else None
        found.append(_Keyword(value.upper(), start, target))
    return found


def _parses(text: str, update: bool) -> bool:
    """Whether Oxigraph's parser accepts ``text`` (run on a throw-away empty store)."""
    try:
        if update:
            ox.Store().update(text, prefixes=PREFIXES)
        else:
            ox.Store().query(text, prefixes=PREFIXES)  # SELECT / CONSTRUCT are lazy: nothing is evaluated
    except SyntaxError:
        return False
    except Exception:  # an evaluation error on an empty store: it parsed
        return True
    return True


def _disguised(text: str, seen: Iterable[int], update: bool) -> bool:
    """True when the text does not parse once every SERVICE / LOAD the lexer did not see is a mere word.

    If none of them is a keyword, the changed text parses exactly when the original does. The
    original itself is never run (an ASK or an update is evaluated, and would fetch): a text
    that does not parse either way is refused too, with a message that says both.
    """
    known = set(seen)
    others = [m.start() for m in _ANY_WORD.finditer(text) if m.start() not in known]
    if not others:
        return False
    changed = list(text)
    for start in others:
        changed[start + 1] = "x" if changed[start + 1].islower() else "X"  # SERVICE -> SxRVICE, LOAD -> LxAD
    return not _parses("".join(changed), update)


def _refuse(keyword: _Keyword, allow: Sequence[str]) -> FetchRefusedError:
    where = f"{keyword.word} <{keyword.target}>" if keyword.target else keyword.word
    if keyword.word == "LOAD":
        return FetchRefusedError(f"{where} would make this server download a document from the network; it does "
                                 "not fetch on a caller's behalf. Send the data with the Graph Store protocol "
                                 "(PUT/POST /rdf-graphs/service?graph=...) or POST /ingest")
    if not allow:
        return FetchRefusedError(f"{where} would make this server fetch from another endpoint on your behalf, "
                                 "which it does not do (an administrator may allow endpoints with "
                                 "INNOGRAPH_SPARQL_SERVICE_ALLOW). Query that endpoint yourself and combine the "
                                 "results, or load its data here")
    if keyword.target is None:
        return FetchRefusedError(f"{where}: name the endpoint with a full IRI (<...>); allowed: {', '.join(allow)}")
    return FetchRefusedError(f"{where} is not an endpoint this server may reach; allowed: {', '.join(allow)}")


def check_query(text: str, allow: Sequence[str] = ()) -> None:
    """Raise ``FetchRefusedError`` unless every SERVICE of ``text`` targets an allowed endpoint."""
    keywords = [k for k in _keywords(text) if k.word == "SERVICE"]
    for keyword in keywords:
        if keyword.target is None or keyword.target not in allow:
            raise _refuse(keyword, allow)
    if _disguised(text, (k.start for k in keywords), update=False):
        raise FetchRefusedError(_DISGUISED.format(what="query", words="SERVICE"))


def check_update(text: str) -> None:
    """Raise ``FetchRefusedError`` if the update would fetch anything (LOAD, SERVICE: never in updates)."""
    keywords = _keywords(text)
    if keywords:
        raise _refuse(keywords[0], ())
    if _disguised(text, (), update=True):
        raise FetchRefusedError(_DISGUISED.format(what="update", words="SERVICE or LOAD"))
