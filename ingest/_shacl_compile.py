"""Compile a SHACL shapes graph (a subset of SHACL Core) into SPARQL SELECT queries.

Why a compiler: pyshacl walks the data graph in Python, node by node, which is far too slow
for sources of a million triples. Each (shape, constraint) pair here becomes one SELECT
query that returns only the offending focus nodes (and value nodes), so the store does the
work in one pass over the focus nodes. The queries are built once, from trusted shape
files, with every IRI and literal spliced as an escaped N-Triples term made by pyoxigraph.

Only :mod:`ingest.shacl` should import this module; it re-exports what is public.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from ontology._namespaces import SH


class UnsupportedShapeError(ValueError):
    """A shape uses a SHACL feature this compiler does not support, or is ill-formed.

    Raised at compile time so that a shapes file the fast validator cannot honour
    fails loudly instead of silently validating less than it says.
    """


@dataclass(frozen=True)
class Check:
    """One compiled (shape, constraint) pair: the query and what to report for its rows.

    The query selects ``?this`` and, depending on the component, ``?v`` (the value node)
    or ``?n`` (a value count). It has no LIMIT; the validator appends one.
    """

    query: str
    shape: str
    path: str | None
    component: str
    severity: str
    message: str | None  # sh:message of the shape, if any
    text: str  # generated description of the constraint, used when ``message`` is None


_XSD = str(XSD)
_NUMERIC = {XSD.integer, XSD.decimal, XSD.float, XSD.double}
# Oxigraph stores valid literals of the XSD integer subtypes as xsd:integer (oxigraph
# issue #526), so an xsd:int value is read back as xsd:integer: accept both, and check
# the range of the subtype instead, which keeps "-1"^^xsd:nonNegativeInteger a violation.
_INT_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}
# Types whose lexical form SPARQL can check by casting the string back to the type.
_CASTABLE_NAMES = "boolean date time dateTime duration dayTimeDuration yearMonthDuration"
_CASTABLE = {XSD[t] for t in f"{_CASTABLE_NAMES} gYear gYearMonth gMonth gMonthDay gDay".split()}
_NODE_KIND_FILTER = {  # the FILTER that selects value nodes NOT of the kind
    SH.IRI: "!isIRI(?v)",
    SH.Literal: "!isLiteral(?v)",
    SH.BlankNode: "!isBlank(?v)",
    SH.BlankNodeOrIRI: "isLiteral(?v)",
    SH.IRIOrLiteral: "isBlank(?v)",
    SH.BlankNodeOrLiteral: "isIRI(?v)",
}
_RANGE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
# Parameters that do not constrain anything (SHACL 1.0 section 2.3 and 5.1) or are handled
# together with another one (sh:flags with sh:pattern).
_NON_VALIDATING_NAMES = "name description order group defaultValue message severity deactivated flags"
_NON_VALIDATING = {SH[t] for t in _NON_VALIDATING_NAMES.split()}
_VALUE_NAMES = "datatype class nodeKind pattern in minLength maxLength"
_VALUE_PARAMS = {SH[t] for t in _VALUE_NAMES.split()} | set(_RANGE)
_NODE_PARAMS = _NON_VALIDATING | _VALUE_PARAMS | {SH.targetClass, SH.property}
_PROPERTY_PARAMS = _NON_VALIDATING | _VALUE_PARAMS | {SH.path, SH.minCount, SH.maxCount, SH.targetClass}


def compile_shapes(g: Graph) -> list[Check]:
    """All checks of the shapes graph ``g``, in a stable order (shape, then constraint)."""
    nodes, props = _shapes(g)
    for shape in nodes:
        _refuse_unsupported(g, shape, _NODE_PARAMS)
    for shape in props:
        _refuse_unsupported(g, shape, _PROPERTY_PARAMS)
    checks: list[Check] = []
    for shape in sorted(nodes, key=_nt):
        classes = _targets(g, shape)
        if classes and not _deactivated(g, shape):
            checks += _value_checks(g, shape, _Nodes(classes, None, None, None))
    for shape in sorted(props, key=_nt):
        union = set(_targets(g, shape))
        for parent in g.subjects(SH.property, shape):
            if not _deactivated(g, parent):
                union.update(_targets(g, parent))
        if union and not _deactivated(g, shape):
            checks += _property_checks(g, shape, _Nodes(sorted(union), *_path(g, shape)))
    return checks


def _shapes(g: Graph) -> tuple[set[Node], set[Node]]:
    """The node shapes and the property shapes, found the ways SHACL 1.0 section 2.1 allows."""
    props = set(g.subjects(SH.path)) | set(g.objects(None, SH.property))
    props |= set(g.subjects(RDF.type, SH.PropertyShape))
    nodes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(SH.property))
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        nodes |= set(g.subjects(target))
    for shape in props:
        if len(set(g.objects(shape, SH.path))) != 1:
            raise UnsupportedShapeError(f"property shape {_nt(shape)} needs exactly one sh:path")
    return nodes - props, props


def _refuse_unsupported(g: Graph, shape: Node, allowed: set[URIRef]) -> None:
    for p in sorted(set(g.predicates(shape)), key=str):
        if isinstance(p, URIRef) and p.startswith(str(SH)) and p not in allowed:
            name = p.removeprefix(str(SH))
            what = f"target sh:{name}" if name.startswith("target") else _component(name)
            raise UnsupportedShapeError(f"shape {_nt(shape)} uses {what} (sh:{name}), which is not supported")


def _targets(g: Graph, shape: Node) -> list[str]:
    """sh:targetClass values, plus the shape itself when it is also a class (implicit target)."""
    classes = set(g.objects(shape, SH.targetClass))
    if isinstance(shape, URIRef) and ({RDFS.Class, OWL.Class} & set(g.objects(shape, RDF.type))):
        classes.add(shape)
    return sorted(_iri(c, shape) for c in classes)


def _deactivated(g: Graph, shape: Node) -> bool:
    return any(isinstance(o, Literal) and o.toPython() is True for o in g.objects(shape, SH.deactivated))


@dataclass(frozen=True)
class _Nodes:
    """How a shape reaches its focus nodes (``?this``) and their value nodes (``?v``).

    ``triple`` links ``?this`` to ``?v`` along the path and ``values`` binds ``?v`` alone
    (through ``?x``); both are None for a node shape, whose value node is the focus node.
    """

    classes: list[str]  # N-Triples
    path: str | None  # N-Triples form for reports
    triple: str | None
    values: str | None

    @property
    def focus(self) -> str:
        """Binds ``?this`` to each focus node once (no rdfs:subClassOf inference)."""
        if len(self.classes) == 1:
            return f"?this a {self.classes[0]} ."
        return f"{{ SELECT DISTINCT ?this WHERE {{ {self.member} }} }}"

    @property
    def member(self) -> str:
        """True for a bound ``?this`` that is a focus node: used in EXISTS after cheaper tests."""
        if len(self.classes) == 1:
            return f"?this a {self.classes[0]}"
        return f"VALUES ?cls {{ {' '.join(self.classes)} }} ?this a ?cls"


def _path(g: Graph, shape: Node) -> tuple[str, str, str]:
    """(N-Triples form, ``?this``-to-``?v`` pattern, ``?v``-only pattern) of sh:path."""
    path = g.value(shape, SH.path)
    if isinstance(path, URIRef):
        p = _iri(path, shape)
        return p, f"?this {p} ?v .", f"?x {p} ?v ."
    inverse = g.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef) and len(set(g.predicate_objects(path))) == 1:
        p = _iri(inverse, shape)
        return f"^{p}", f"?v {p} ?this .", f"?v {p} ?x ."
    kind = "a sequence path" if g.value(path, RDF.first) is not None else "a complex path"
    raise UnsupportedShapeError(
        f"shape {_nt(shape)} has {kind}; only an IRI or sh:inversePath IRI is supported"
    )


# Why the queries have these shapes (measured on Oxigraph 0.5, on disk, 200k focus nodes):
# every term an expression touches is decoded (a RocksDB lookup for IRIs and long strings),
# and a join on ?this is a lookup per row. So each query scans the path's triples first,
# tests the cheap thing, and asks whether ?this is a focus node (EXISTS) only for the
# rows that fail; counts are grouped on the path's triples alone; minCount and the
# set-membership tests (sh:class, sh:in) are hash anti-joins (MINUS) that decode nothing.


def _property_checks(g: Graph, shape: Node, nodes: _Nodes) -> list[Check]:
    checks, path, triple, member = [], nodes.path, nodes.triple, nodes.member
    for n in _ints(g, shape, SH.minCount):
        none = f"{{ {nodes.focus} MINUS {{ {triple} }} }}"
        if n == 1:
            q = f"SELECT ?this WHERE {none}"
        elif n > 1:
            some = f"{{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ {triple} }} GROUP BY ?this HAVING (COUNT(?v) < {n}) }}"
            q = f"SELECT ?this ?n WHERE {{ {{ {none} BIND(0 AS ?n) }} UNION {{ {some} FILTER EXISTS {{ {member} }} }} }}"
        else:
            continue
        checks.append(_check(g, shape, path, "MinCount", q, f"{path} needs at least {n} value(s)"))
    for n in _ints(g, shape, SH.maxCount):
        counts = (
            f"SELECT ?this (COUNT(?v) AS ?n) WHERE {{ {triple} }} GROUP BY ?this HAVING (COUNT(?v) > {n})"
        )
        q = f"SELECT ?this ?n WHERE {{ {{ {counts} }} FILTER EXISTS {{ {member} }} }}"
        checks.append(_check(g, shape, path, "MaxCount", q, f"{path} allows at most {n} value(s)"))
    return checks + _value_checks(g, shape, nodes)


def _value_checks(g: Graph, shape: Node, nodes: _Nodes) -> list[Check]:
    """One check per value-type constraint of ``shape``."""
    out, path = [], nodes.path
    where = "the focus node" if path is None else f"each value of {path}"
    for name, how, cond, text in _conditions(g, shape):
        if nodes.triple is None:  # node shape: the value node is the focus node
            body = f"{nodes.focus} BIND(?this AS ?v)"
            q = (
                f"SELECT ?this ?v WHERE {{ {body} MINUS {{ {cond} }} }}"
                if how == "good"
                else f"SELECT ?this ?v WHERE {{ {body} FILTER({cond}) }}"
            )
        elif how == "each":  # mostly distinct literals: test each row
            q = f"SELECT ?this ?v WHERE {{ {nodes.triple} FILTER(({cond}) && EXISTS {{ {nodes.member} }}) }}"
        else:  # mostly shared nodes (concepts, organisations): test each distinct value once
            distinct = f"SELECT DISTINCT ?v WHERE {{ {nodes.values} }}"
            if how == "good":
                bad = f"{{ SELECT ?v WHERE {{ {{ {distinct} }} MINUS {{ {cond} }} }} }}"
            else:  # the LIMIT keeps the optimiser from pushing the FILTER below the DISTINCT
                bad = f"{{ {distinct} LIMIT 1000000000000 }} FILTER({cond})"
            q = f"SELECT ?this ?v WHERE {{ {bad} {nodes.triple} FILTER EXISTS {{ {nodes.member} }} }}"
        out.append(_check(g, shape, path, name, q, f"{where} {text}"))
    return out


def _conditions(g: Graph, shape: Node) -> Iterator[tuple[str, str, str, str]]:
    """(component, how, SPARQL, description) per value-type constraint of ``shape``.

    ``how`` is "each" or "distinct" when the SPARQL is a condition true for a violating
    ``?v``, "good" when it is a pattern binding the ``?v`` that conform.
    """
    for dt in g.objects(shape, SH.datatype):
        text = f"must be a well-formed literal of datatype {_nt(dt)}"
        yield "Datatype", "each", _datatype_filter(shape, dt), text
    for cls in g.objects(shape, SH["class"]):
        text = f"must be an instance of {_nt(cls)} (typed in any graph)"
        yield "Class", "good", f"GRAPH ?any {{ ?v a {_iri(cls, shape)} }}", text
    for kind in g.objects(shape, SH.nodeKind):
        test = _NODE_KIND_FILTER.get(kind) if isinstance(kind, URIRef) else None
        if test is None:
            raise UnsupportedShapeError(f"shape {_nt(shape)}: unknown sh:nodeKind {_nt(kind)}")
        yield "NodeKind", "distinct", test, f"must be a node of kind {_nt(kind)}"
    flags = list(g.objects(shape, SH.flags))
    if len(flags) > 1 or (flags and not set(str(flags[0])) <= set("smixq")):
        raise UnsupportedShapeError(f"shape {_nt(shape)}: sh:flags must be one string of s, m, i, x, q")
    for pattern in g.objects(shape, SH.pattern):
        args = ", ".join(_literal(x, shape) for x in [pattern, *flags])
        text = f"must match the pattern {_literal(pattern, shape)}"
        yield "Pattern", "each", f"isBlank(?v) || !REGEX(STR(?v), {args})", text
    for head in g.objects(shape, SH["in"]):
        members = [_term(m, shape) for m in Collection(g, head)]
        shown = ", ".join(members[:10]) + (", ..." if len(members) > 10 else "")
        yield "In", "good", f"VALUES ?v {{ {' '.join(members)} }}", f"must be one of {shown}"
    for param, op in _RANGE.items():
        for bound in g.objects(shape, param):
            lit = _literal(bound, shape)
            yield _cap(param), "each", f"!COALESCE(?v {op} {lit}, false)", f"must be {op} {lit}"
    for param, op, word in ((SH.minLength, "<", "at least"), (SH.maxLength, ">", "at most")):
        for n in _ints(g, shape, param):
            text = f"must be {word} {n} characters long"
            yield _cap(param), "each", f"isBlank(?v) || STRLEN(STR(?v)) {op} {n}", text


def _datatype_filter(shape: Node, dt: Node) -> str:
    """The condition on ``?v`` that is true when it is not a well-formed literal of ``dt``."""
    wrong = f"!isLiteral(?v) || DATATYPE(?v) != {_iri(dt, shape)}"
    if dt in _NUMERIC:
        return f"{wrong} || !isNumeric(?v)"
    if isinstance(dt, URIRef) and dt in _INT_RANGES:
        low, high = _INT_RANGES[dt]
        ok = [f"DATATYPE(?v) IN ({_iri(dt, shape)}, <{_XSD}integer>)", "isNumeric(?v)"]
        ok += [f"?v >= {low}"] if low is not None else []
        ok += [f"?v <= {high}"] if high is not None else []
        return f"!isLiteral(?v) || !COALESCE({' && '.join(ok)}, false)"
    if dt in _CASTABLE:
        return f"{wrong} || !COALESCE(DATATYPE({_iri(dt, shape)}(STR(?v))) = {_iri(dt, shape)}, false)"
    return wrong


def _check(g: Graph, shape: Node, path: str | None, name: str, query: str, text: str) -> Check:
    _parse_check(query, shape)
    sev = g.value(shape, SH.severity)
    severity = str(sev).removeprefix(str(SH)) if sev is not None else "Violation"
    return Check(query, _nt(shape), path, f"{name}ConstraintComponent", severity, _message(g, shape), text)


def _parse_check(query: str, shape: Node) -> None:
    """Fail at compile time, naming the shape, if a generated query does not parse."""
    try:
        ox.Store().query(query)
    except SyntaxError as e:  # pragma: no cover - would be a bug in this module
        raise UnsupportedShapeError(f"shape {_nt(shape)} compiles to an invalid query: {e}") from e


def _message(g: Graph, shape: Node) -> str | None:
    """The shape's sh:message: the one without a language tag, else English, else the first."""
    msgs = sorted(
        (m for m in g.objects(shape, SH.message) if isinstance(m, Literal)),
        key=lambda m: (m.language not in (None, "en"), m.language is not None, str(m)),
    )
    return str(msgs[0]) if msgs else None


def _ints(g: Graph, shape: Node, param: URIRef) -> Iterable[int]:
    for value in g.objects(shape, param):
        n = value.toPython() if isinstance(value, Literal) else None
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise UnsupportedShapeError(f"shape {_nt(shape)}: {param.n3()} must be a non-negative integer")
        yield n


def _cap(param: URIRef) -> str:
    """sh:minLength -> MinLength, the stem of the SHACL component name."""
    name = param.removeprefix(str(SH))
    return name[:1].upper() + name[1:]


def _component(name: str) -> str:
    """The SHACL component a parameter belongs to: sh:hasValue -> HasValueConstraintComponent."""
    special = {
        "qualifiedValueShape": "QualifiedMinCount",
        "qualifiedValueShapesDisjoint": "QualifiedMinCount",
        "ignoredProperties": "Closed",
        "sparql": "SPARQL",
    }
    return special.get(name, name[:1].upper() + name[1:]) + "ConstraintComponent"


def _nt(node: Node) -> str:
    """N-Triples form of a shapes-graph node, for reports (blank nodes keep rdflib's label)."""
    return f"_:{node}" if isinstance(node, BNode) else node.n3()


def _iri(node: Node, shape: Node) -> str:
    if not isinstance(node, URIRef):
        raise UnsupportedShapeError(f"shape {_nt(shape)}: expected an IRI, got {node!r}")
    return _term(node, shape)


def _literal(node: Node, shape: Node) -> str:
    if not isinstance(node, Literal):
        raise UnsupportedShapeError(f"shape {_nt(shape)}: expected a literal, got {node!r}")
    return _term(node, shape)


def _term(node: Node, shape: Node) -> str:
    """Escaped N-Triples form, made by pyoxigraph (which also rejects invalid IRIs).

    Literals go through a store so they are normalised the way the data is (oxigraph
    stores "01"^^xsd:int as "1"^^xsd:integer); sh:in then compares like with like.
    """
    try:
        if isinstance(node, URIRef):
            return str(ox.NamedNode(str(node)))
        if isinstance(node, Literal):
            dt = ox.NamedNode(str(node.datatype)) if node.datatype else None
            store = ox.Store()
            store.add(
                ox.Quad(
                    ox.NamedNode("urn:x"),
                    ox.NamedNode("urn:x"),
                    ox.Literal(str(node), language=node.language, datatype=dt),
                )
            )
            return str(next(iter(store)).object)
    except ValueError as e:
        raise UnsupportedShapeError(f"shape {_nt(shape)}: invalid term {node!r}: {e}") from e
    raise UnsupportedShapeError(f"shape {_nt(shape)}: blank node {node!r} not supported here")
