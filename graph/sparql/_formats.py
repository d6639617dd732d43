"""Result formats of the SPARQL 1.1 Protocol: content negotiation and capped serialisation.

Why our own serialisers for SELECT and ASK: the row cap must be applied while the solutions
are read (a capped answer is the first ``row_cap`` rows plus a flag), and pyoxigraph only
serialises a whole solution iterator. Each format is a few lines of the W3C text:
SPARQL 1.1 Query Results JSON, XML, CSV and TSV. Graphs (CONSTRUCT, DESCRIBE) go through
pyoxigraph's serialisers, which take any list of triples, with the ontology's prefixes.

A truncated answer says so: the service sets ``X-Innograph-Truncated: true``; JSON results
carry a top-level ``"truncated": true`` (clients ignore members they do not know), Turtle
and N-Triples a leading comment.

>>> choose("text/csv", None).results.name
'csv'
>>> choose("application/sparql-results+json, */*;q=0.1", None).graph.name
'turtle'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string  # C-accelerated, like ensure_ascii=False
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name (the ``format`` parameter), media type, and kind."""

    name: str
    media_type: str
    kind: str  # "results" (SELECT, ASK) | "graph" (CONSTRUCT, DESCRIBE)
    aliases: tuple[str, ...] = ()


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results"),
    Format("tsv", "text/tab-separated-values", "results"),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "graph", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "graph", ("text/plain",)),
    Format("jsonld", "application/ld+json", "graph", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml", "text/xml")),
)
_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: ``format=`` values (for browsers, which cannot set Accept) -> (results format, graph format).
FORMAT_PARAM = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "ntriples": (None, "ntriples"), "nt": (None, "ntriples"),
    "n-triples": (None, "ntriples"), "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}  # fmt: skip
BY_NAME = {f.name: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}


@dataclass(frozen=True)
class Choice:
    """The best format for each kind of query; None where the client accepts none of ours (406)."""

    results: Format | None
    graph: Format | None

    def for_kind(self, kind: str) -> Format | None:
        return self.results if kind == "results" else self.graph


def _accept_ranges(accept: str) -> list[tuple[float, int, str]]:
    """(q, position, media range) for each entry of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((q, position, media.lower()))
    return ranges


def _best(formats: Sequence[Format], ranges: list[tuple[float, int, str]]) -> Format | None:
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, fmt in enumerate(formats):
        for q, position, media in ranges:
            names = (fmt.media_type, *fmt.aliases)
            if media in names:
                specificity = 2 if media == fmt.media_type else 1
            elif media == "*/*" or (media.endswith("/*") and any(n.startswith(media[:-1]) for n in names)):
                specificity = 0
            else:
                continue
            # highest q first, then the more specific range, then the client's order, then ours
            key = (q, specificity, -position * 10 - index)
            if q > 0 and (best is None or key > best):
                best, chosen = key, fmt
    return chosen


#: The closest format of the other kind: a client that asks for SPARQL JSON and sends a CONSTRUCT
#: (rdflib's SPARQLStore does) gets JSON-LD rather than 406, as Virtuoso and Fuseki answer.
SIBLING = {"json": "jsonld", "xml": "rdfxml", "csv": "turtle", "tsv": "turtle",
           "jsonld": "json", "rdfxml": "xml", "turtle": "tsv", "ntriples": "tsv"}


def choose(accept: str | None, format_param: str | None) -> Choice:
    """The formats to answer in: ``format`` wins over ``Accept``; no Accept means JSON or Turtle.

    Only a request accepting none of our formats gets 406; one that accepts formats of one
    kind only is answered in the sibling format of the other kind.
    """
    if format_param:
        results, graph = FORMAT_PARAM.get(format_param.strip().lower(), (None, None))
        choice = Choice(BY_NAME[results] if results else None, BY_NAME[graph] if graph else None)
    else:
        ranges = _accept_ranges(accept or "*/*") or [(1.0, 0, "*/*")]
        choice = Choice(_best(RESULT_FORMATS, ranges), _best(GRAPH_FORMATS, ranges))
    if choice.results is None and choice.graph is not None:
        return Choice(BY_NAME[SIBLING[choice.graph.name]], choice.graph)
    if choice.graph is None and choice.results is not None:
        return Choice(choice.results, BY_NAME[SIBLING[choice.results.name]])
    return choice


def accepted_names() -> str:
    """The media types we serve, for the 406 message."""
    return ", ".join(f.media_type for f in (*RESULT_FORMATS, *GRAPH_FORMATS))


# --- SELECT and ASK -----------------------------------------------------------------------

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def term_json(term: Term) -> dict[str, Any]:
    """A term as in SPARQL 1.1 Query Results JSON (RDF-star triples as in SPARQL-star)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _term_json_text(term: Term) -> str:
    """``term_json`` already serialised (same members, same order)."""
    if isinstance(term, ox.NamedNode):
        return f'{{"type":"uri","value":{_json_string(term.value)}}}'
    if isinstance(term, ox.Literal):
        value = _json_string(term.value)
        if term.language:
            return f'{{"type":"literal","value":{value},"xml:lang":{_json_string(term.language)}}}'
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return f'{{"type":"literal","value":{value}}}'
        return f'{{"type":"literal","value":{value},"datatype":{_json_string(datatype)}}}'
    if isinstance(term, ox.BlankNode):
        return f'{{"type":"bnode","value":{_json_string(term.value)}}}'
    return json.dumps(term_json(term), ensure_ascii=False, separators=(",", ":"))


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
                f"</predicate><object>{_term_xml(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _term_csv(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


Row = Sequence[Term | None]


def serialize_rows(fmt: Format, variables: list[str], rows: Iterable[Row], truncated: bool) -> bytes:
    """SELECT results in ``fmt``; ``rows`` hold terms in the order of ``variables``."""
    if fmt.name == "json":
        # Written as text rather than dicts for json.dumps: half the time on small answers,
        # where this was a third of the worker's work (benchmarks/bench_sparql.py).
        names = [_json_string(v) for v in variables]
        bindings = ",".join(
            "{" + ",".join(f"{n}:{_term_json_text(t)}" for n, t in zip(names, row, strict=True) if t is not None) + "}"
            for row in rows
        )
        tail = ',"truncated":true}' if truncated else "}"
        return f'{{"head":{{"vars":[{",".join(names)}]}},"results":{{"bindings":[{bindings}]}}{tail}'.encode()
    if fmt.name == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode()
    if fmt.name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_term_csv(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    # TSV: terms in Turtle/N-Triples syntax, unbound as an empty field
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_boolean(fmt: Format, value: bool) -> bytes:
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt.name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
                f"<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n").encode()
    # CSV and TSV have no boolean form in the W3C text; the usual answer (Jena, Oxigraph) is one cell
    return f"{'_askResult' if fmt.name == 'csv' else '?_askResult'}\n{'true' if value else 'false'}\n".encode()


def serialize_graph(fmt: Format, triples: list[ox.Triple], prefixes: dict[str, str], truncated: bool) -> bytes:
    """CONSTRUCT/DESCRIBE results; Turtle uses only the prefixes it needs."""
    rdf_format = _RDF[fmt.name]
    if fmt.name == "turtle":
        used = {str(t.predicate) for t in triples} | {str(t.subject) for t in triples} | {
            str(t.object) for t in triples if isinstance(t.object, ox.NamedNode)}
        prefixes = {p: ns for p, ns in prefixes.items() if any(u.startswith(f"<{ns}") for u in used)}
        body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    elif fmt.name == "rdfxml":
        body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    else:
        body = ox.serialize(triples, format=rdf_format)
    assert body is not None
    if truncated and fmt.name in ("turtle", "ntriples"):
        body = f"# truncated: the first {len(triples)} triples only (result cap)\n".encode() + body
    return body
