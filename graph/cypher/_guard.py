"""Refuse Cypher that could change anything, before it reaches an engine.

Why a guard of our own when Neo4j has READ sessions: the embedded engine has no per-query
read-only mode for a database opened read-write, some read-looking clauses reach the file
system (``LOAD CSV``, ``LOAD FROM``, ``COPY ... TO``, ``EXPORT DATABASE``), settings can be
changed with ``CALL timeout=0``, and both engines should refuse the same queries with the
same reason. So the guard is conservative: string literals, quoted names and comments are
removed first (a name like ``'Create Lab'`` is fine), then any write keyword left, any
procedure not known to be read-only, or a second statement, refuses the query. A false
refusal costs an analyst a rephrasing; a false acceptance would edit the projection.

>>> check_read_only("MATCH (o:Organisation {name: 'Merge Ltd'}) RETURN o.name")
>>> check_read_only("MATCH (o) DETACH DELETE o")
Traceback (most recent call last):
...
common.errors.ReadOnlyQueryError: DETACH changes data; only the admin role may run it (read queries only)
"""

from __future__ import annotations

import re

from common.errors import FetchRefusedError, QuerySyntaxError, ReadOnlyQueryError

#: Clauses and commands that write data, schema, settings or files, or read the file system.
WRITE_KEYWORDS = frozenset(
    ["CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "COPY", "LOAD", "INSTALL", "UNINSTALL", "ATTACH", "USE", "IMPORT", "EXPORT", "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "FOREACH", "GRANT", "REVOKE", "DENY", "TERMINATE", "RENAME", "TRANSACTIONS", "SHOW"]
)

#: Procedures that only read: Neo4j's schema introspection and the embedded engine's catalogue.
READ_PROCEDURES = frozenset(
    ["db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.info", "db.ping", "dbms.components", "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships", "db.index.vector.querynodes", "show_tables", "table_info", "show_connection", "show_functions", "db_version", "show_indexes", "show_warnings", "show_projected_graphs"]
)

#: Clauses that read files or URLs or install code, refused for every role (admins too): the server
#: never fetches on a caller's behalf (LOAD CSV / LOAD FROM 'http://...', INSTALL httpfs, ATTACH a
#: remote database, COPY ... FROM a URL, IMPORT/EXPORT DATABASE).
FETCH_KEYWORDS = frozenset(["LOAD", "INSTALL", "ATTACH", "COPY", "IMPORT", "EXPORT"])

#: Neo4j APOC procedure families that read URLs or files, or run Cypher the guard never saw.
_FETCHING_PROCEDURE = re.compile(
    r"\bapoc\s*\.\s*(load|import|export|bolt|cypher|periodic|systemdb|custom|trigger|util\s*\.\s*sleep)\b",
    re.IGNORECASE,
)

_LITERAL = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_UNCLOSED = re.compile(r"""['"`]|/\*""")
_WORD = re.compile(r"(?<![\w$.:])([A-Za-z_][A-Za-z0-9_]*)(?!\s*:(?!:))")
_CALL = re.compile(r"\bCALL\s*(\{|\(|([A-Za-z_][\w.]*)\s*(\(|YIELD\b|$|=)?)", re.IGNORECASE)


def strip_literals(query: str) -> str:
    """The query with strings, quoted names and comments replaced by a blank of the same kind."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith(("//", "/*")):
            return " "
        return "''" if token[0] in "'\"" else "`x`"

    stripped = _LITERAL.sub(blank, query)
    if _UNCLOSED.search(stripped.replace("''", "").replace("`x`", "")):
        raise QuerySyntaxError("the query has an unclosed string, quoted name or comment")
    return stripped


def check_read_only(query: str) -> None:
    """Raise ``ReadOnlyQueryError`` (with the reason) unless ``query`` is one read-only statement."""
    text = strip_literals(query)
    body = text.strip().rstrip(";").strip()
    if not body:
        raise QuerySyntaxError("the query is empty")
    if ";" in body:
        raise ReadOnlyQueryError("send one statement per request (';' separates several)")
    for match in _CALL.finditer(body):
        if match.group(1) in ("{", "("):
            continue  # a subquery; its own clauses are checked below like the rest
        name = (match.group(2) or "").lower()
        if match.group(3) == "=" or name not in READ_PROCEDURES:
            raise ReadOnlyQueryError(
                f"CALL {match.group(2) or ''} is not a known read-only procedure; only the admin role may "
                f"run it (read procedures: {', '.join(sorted(READ_PROCEDURES))})"
            )
    for match in _WORD.finditer(body):
        word = match.group(1).upper()
        if word in WRITE_KEYWORDS:
            raise ReadOnlyQueryError(f"{word} changes data; only the admin role may run it (read queries only)")


def check_no_fetch(query: str) -> None:
    """Raise ``FetchRefusedError`` if ``query`` could read a URL or a file, or install code (any role).

    >>> check_no_fetch("LOAD CSV FROM 'http://127.0.0.1/x.csv' AS row RETURN row")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    common.errors.FetchRefusedError: LOAD reads files or URLs...
    """
    text = strip_literals(query)
    procedure = _FETCHING_PROCEDURE.search(text)
    if procedure:
        raise FetchRefusedError(f"apoc.{procedure.group(1)} can reach files, URLs or other servers; this server does "
                                "not fetch on a caller's behalf")
    for match in _WORD.finditer(text):
        word = match.group(1).upper()
        if word in FETCH_KEYWORDS:
            raise FetchRefusedError(f"{word} reads files or URLs, or installs code; this server does not fetch on a "
                                    "caller's behalf, whatever the role (load data with innograph ingest)")
