"""Behaviour of the compiled SHACL validator, component by component, and against pyshacl."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest.shacl import CompiledShapes, UnsupportedShapeError, Violation
from ontology._namespaces import SH

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""
EX = "https://example.org/"
DATA = ox.NamedNode(EX + "graph/data")


def compiled(shapes: str) -> CompiledShapes:
    return CompiledShapes.from_graph(Graph().parse(data=PREFIXES + shapes, format="turtle"))


def load(data: str, **other_graphs: str) -> ox.Store:
    """A store with ``data`` in the data graph and each keyword in graph ex:graph/<name>."""
    store = ox.Store()
    store.load(input=PREFIXES + data, format=ox.RdfFormat.TURTLE, to_graph=DATA)
    for name, ttl in other_graphs.items():
        store.load(
            input=PREFIXES + ttl, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{EX}graph/{name}")
        )
    return store


def found(shapes: str, data: str, **other_graphs: str) -> set[tuple[str, str]]:
    """(focus node, component) of every violation."""
    return {(v.focus_node, v.component) for v in compiled(shapes).validate(load(data, **other_graphs), DATA)}


def prop(constraint: str, path: str = "ex:p") -> str:
    return f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path {path} ; {constraint} ] ."


# (constraint, a conforming value list, a violating value list, component); "" means no value.
CASES = [
    ("sh:minCount 1", '"x"', "", "MinCount"),
    ("sh:minCount 2", '"x", "y"', '"x"', "MinCount"),
    ("sh:maxCount 1", '"x"', '"x", "y"', "MaxCount"),
    ("sh:datatype xsd:string", '"x"', '"x"@en', "Datatype"),
    ("sh:datatype rdf:langString", '"x"@ro', '"x"', "Datatype"),
    ("sh:datatype xsd:integer", "5", '"5"', "Datatype"),
    ("sh:datatype xsd:integer", "-5", '"x5"^^xsd:integer', "Datatype"),  # ill-formed
    ("sh:datatype xsd:date", '"2024-02-29"^^xsd:date', '"2023-02-29"^^xsd:date', "Datatype"),
    ("sh:datatype xsd:boolean", "true", '"maybe"^^xsd:boolean', "Datatype"),
    ("sh:datatype xsd:int", '"7"^^xsd:int', '"3000000000"^^xsd:int', "Datatype"),  # stored as xsd:integer
    (
        "sh:datatype xsd:nonNegativeInteger",
        '"0"^^xsd:nonNegativeInteger',
        '"-1"^^xsd:nonNegativeInteger',
        "Datatype",
    ),
    ("sh:datatype xsd:anyURI", '"https://x.org"^^xsd:anyURI', "<https://x.org>", "Datatype"),
    ("sh:class ex:K", "ex:k1", "ex:nothing", "Class"),
    ("sh:class ex:K", "ex:k1", '"ex:k1"', "Class"),
    ("sh:nodeKind sh:IRI", "ex:k1", '"x"', "NodeKind"),
    ("sh:nodeKind sh:IRI", "ex:k1", "[]", "NodeKind"),
    ("sh:nodeKind sh:Literal", '"x"', "ex:k1", "NodeKind"),
    ("sh:nodeKind sh:BlankNode", "[]", "ex:k1", "NodeKind"),
    ("sh:nodeKind sh:BlankNodeOrIRI", "[], ex:k1", "42", "NodeKind"),
    ("sh:nodeKind sh:IRIOrLiteral", 'ex:k1, "x"', "[]", "NodeKind"),
    ("sh:nodeKind sh:BlankNodeOrLiteral", '[], "x"', "ex:k1", "NodeKind"),
    ('sh:pattern "^RO[0-9]{2,}$"', '"RO123"', '"RO1"', "Pattern"),
    ('sh:pattern "^ro[0-9]+$" ; sh:flags "i"', '"RO123"', '"XRO1"', "Pattern"),
    ('sh:pattern "^x"', "<x:y>", "[]", "Pattern"),  # IRIs match on their string, blank nodes never
    ("sh:in ( ex:a ex:b 1 )", "ex:b, 1", "ex:c", "In"),
    ('sh:in ( "a" )', '"a"', '"a"@en', "In"),  # term equality, not value equality
    ("sh:in ( 1 )", "1", "1.0", "In"),
    ("sh:minInclusive 10", "10, 11", "9", "MinInclusive"),
    ("sh:minInclusive 10", "10", '"ten"', "MinInclusive"),  # not comparable: a violation
    ("sh:maxInclusive 10", "10.0", "10.5", "MaxInclusive"),
    ("sh:minExclusive 10", "11", "10", "MinExclusive"),
    ("sh:maxExclusive 10", "9", "10", "MaxExclusive"),
    (
        'sh:minInclusive "2020-01-01"^^xsd:date',
        '"2020-01-01"^^xsd:date',
        '"2019-12-31"^^xsd:date',
        "MinInclusive",
    ),
    ("sh:minLength 3", '"abc", "ăîș"', '"ab"', "MinLength"),
    ("sh:minLength 1", '"a"', "[]", "MinLength"),  # blank nodes have no length
    ("sh:maxLength 3", '"abc", 123', '"abcd"', "MaxLength"),
]
VOCAB = "ex:k1 a ex:K ."


def _node(name: str, values: str) -> str:
    return f"ex:{name} a ex:C{f' ; ex:p {values}' if values else ''} ."


@pytest.mark.parametrize(
    ("constraint", "good", "bad", "component"), CASES, ids=[f"{c[0]} {c[2]}" for c in CASES]
)
def test_each_component_passes_conforming_and_reports_violating_nodes(
    constraint: str, good: str, bad: str, component: str
) -> None:
    shapes = prop(constraint)
    assert found(shapes, _node("good", good) + VOCAB) == set()
    assert found(shapes, _node("good", good) + _node("bad", bad) + VOCAB) == {
        (f"<{EX}bad>", f"{component}ConstraintComponent")
    }


def test_violation_carries_path_value_shape_and_a_clear_message() -> None:
    shapes = compiled("""ex:S sh:targetClass ex:C ;
        sh:property ex:PS .
        ex:PS sh:path ex:age ; sh:maxInclusive 150 ; sh:maxCount 1 .""")
    got = shapes.validate(load("ex:a a ex:C ; ex:age 200, 12 ."), DATA)
    assert got == [
        Violation(
            f"<{EX}a>",
            f"<{EX}age>",
            "MaxCountConstraintComponent",
            None,
            f"<{EX}age> allows at most 1 value(s), found 2",
            f"<{EX}PS>",
        ),
        Violation(
            f"<{EX}a>",
            f"<{EX}age>",
            "MaxInclusiveConstraintComponent",
            '"200"^^<http://www.w3.org/2001/XMLSchema#integer>',
            f'each value of <{EX}age> must be <= "150"^^<http://www.w3.org/2001/XMLSchema#integer>; '
            'got "200"^^<http://www.w3.org/2001/XMLSchema#integer>',
            f"<{EX}PS>",
        ),
    ]


def test_sh_message_and_severity_are_carried() -> None:
    shapes = compiled("""ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ;
        sh:severity sh:Warning ; sh:message "Lipsește p"@ro, "p is missing" ] .""")
    [v] = shapes.validate(load("ex:a a ex:C ."), DATA)
    assert (v.message, v.severity, v.value) == ("p is missing", "Warning", None)


def test_class_values_may_be_typed_in_any_named_graph() -> None:
    shapes = prop("sh:class ex:Region")
    data = "ex:a a ex:C ; ex:p ex:ro11 . ex:b a ex:C ; ex:p ex:xx ."
    assert found(shapes, data, vocab="ex:ro11 a ex:Region .", other="ex:xx a ex:Country .") == {
        (f"<{EX}b>", "ClassConstraintComponent")
    }


def test_focus_nodes_are_typed_in_the_data_graph_without_subclass_inference() -> None:
    shapes = prop("sh:minCount 1")
    data = "ex:a a ex:C . ex:sub a ex:D . ex:D rdfs:subClassOf ex:C ."
    assert found(shapes, data, other="ex:elsewhere a ex:C .") == {(f"<{EX}a>", "MinCountConstraintComponent")}


def test_inverse_path_min_and_max_count() -> None:
    shapes = prop("sh:minCount 1 ; sh:maxCount 1", path="[ sh:inversePath ex:member ]")
    data = """ex:one a ex:C . ex:m1 ex:member ex:one .
              ex:none a ex:C .
              ex:two a ex:C . ex:m2 ex:member ex:two . ex:m3 ex:member ex:two ."""
    got = compiled(shapes).validate(load(data), DATA)
    assert {(v.focus_node, v.path, v.component) for v in got} == {
        (f"<{EX}none>", f"^<{EX}member>", "MinCountConstraintComponent"),
        (f"<{EX}two>", f"^<{EX}member>", "MaxCountConstraintComponent"),
    }


def test_min_count_above_one_reports_the_count() -> None:
    shapes = compiled(prop("sh:minCount 3"))
    got = shapes.validate(
        load('ex:z a ex:C . ex:o a ex:C ; ex:p "x" . ex:t a ex:C ; ex:p "x", "y", "z" .'), DATA
    )
    assert sorted((v.focus_node, v.message.rsplit(" ", 1)[-1]) for v in got) == [
        (f"<{EX}o>", "1"),
        (f"<{EX}z>", "0"),
    ]


def test_node_level_constraints_use_the_focus_node_as_value() -> None:
    shapes = compiled(
        'ex:S sh:targetClass ex:C ; sh:nodeKind sh:IRI ; sh:pattern "^https://example.org/ok" .'
    )
    got = shapes.validate(load("ex:ok1 a ex:C . ex:bad a ex:C . [] a ex:C ."), DATA)
    assert sorted((v.component, v.path, v.value == v.focus_node) for v in got) == [
        ("NodeKindConstraintComponent", None, True),
        ("PatternConstraintComponent", None, True),
        ("PatternConstraintComponent", None, True),
    ]


def test_several_target_classes_report_a_node_once() -> None:
    shapes = "ex:S sh:targetClass ex:C, ex:D ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] ."
    assert found(shapes, "ex:a a ex:C, ex:D . ex:b a ex:D ; ex:p 1, 2 .") == {
        (f"<{EX}a>", "MinCountConstraintComponent"),
        (f"<{EX}b>", "MaxCountConstraintComponent"),
    }
    assert len(compiled(shapes).validate(load("ex:a a ex:C, ex:D ."), DATA)) == 1


def test_implicit_class_target() -> None:
    assert found(
        "ex:C a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .", "ex:a a ex:C ."
    ) == {(f"<{EX}a>", "MinCountConstraintComponent")}


def test_deactivated_shapes_are_skipped() -> None:
    data = "ex:a a ex:C ."
    assert found(prop("sh:minCount 1 ; sh:deactivated true"), data) == set()
    node_off = (
        "ex:S sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ."
    )
    assert found(node_off, data) == set()


def test_limit_per_constraint_caps_each_check() -> None:
    data = " ".join(f"ex:n{i} a ex:C ." for i in range(7))
    shapes = compiled(
        prop("sh:minCount 1") + " ex:T sh:targetClass ex:C ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ."
    )
    assert len(shapes.validate(load(data), DATA, limit_per_constraint=3)) == 6
    with pytest.raises(ValueError):
        shapes.validate(load(data), DATA, limit_per_constraint=0)


def test_terms_are_escaped_in_the_queries() -> None:
    shapes = prop('sh:in ( "say \\"hi\\"\\n" "back\\\\slash" ) ; sh:pattern "^[^}]*\\"|\\\\\\\\"')
    data = 'ex:good a ex:C ; ex:p "say \\"hi\\"\\n", "back\\\\slash" . ex:bad a ex:C ; ex:p "say hi" .'
    assert found(shapes, data) == {
        (f"<{EX}bad>", "InConstraintComponent"),
        (f"<{EX}bad>", "PatternConstraintComponent"),
    }


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        (
            "ex:S sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .",
            "OrConstraintComponent",
        ),
        (prop("sh:node ex:Other"), "NodeConstraintComponent"),
        (prop("sh:hasValue ex:x"), "HasValueConstraintComponent"),
        (prop("sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1"), "QualifiedMinCount"),
        ("ex:S sh:targetClass ex:C ; sh:closed true .", "ClosedConstraintComponent"),
        ("ex:S sh:targetNode ex:a .", "sh:targetNode"),
        (prop("sh:minCount 1", path="( ex:p ex:q )"), "sequence path"),
        (prop("sh:minCount 1", path="[ sh:alternativePath ( ex:p ex:q ) ]"), "complex path"),
        (prop("sh:minCount 1", path="[ sh:zeroOrMorePath ex:p ]"), "complex path"),
        (
            "ex:S sh:targetClass ex:C ; sh:minCount 1 .",
            "MinCountConstraintComponent",
        ),  # node shapes have no count
        (prop('sh:minCount "one"'), "non-negative integer"),
    ],
)
def test_unsupported_features_fail_at_compile_time_naming_shape_and_component(shape: str, named: str) -> None:
    with pytest.raises(UnsupportedShapeError, match=named) as error:
        compiled(shape)
    assert "shape " in str(error.value)


def test_or_names_the_shape() -> None:
    with pytest.raises(UnsupportedShapeError, match=f"<{EX}S> uses OrConstraintComponent"):
        compiled(
            "ex:S sh:targetClass ex:C ; sh:or ( [ sh:datatype xsd:string ] [ sh:datatype xsd:integer ] ) ."
        )


def test_from_file_reads_turtle(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + prop("sh:minCount 1"), encoding="utf-8")
    assert CompiledShapes.from_file(path).validate(load("ex:a a ex:C ."), DATA)[0].focus_node == f"<{EX}a>"


# A shapes graph using every supported component, and data with a dozen mixed violations.
RICH_SHAPES = """
ex:OrgShape a sh:NodeShape ; sh:targetClass ex:Org ; sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
                  sh:minLength 2 ; sh:maxLength 30 ] ;
    sh:property [ sh:path ex:label ; sh:datatype rdf:langString ] ;
    sh:property [ sh:path ex:regNo ; sh:pattern "^ro[0-9]{6,8}$" ; sh:flags "i" ; sh:maxCount 1 ] ;
    sh:property [ sh:path ex:region ; sh:minCount 1 ; sh:class ex:Region ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ex:kind ; sh:in ( ex:SME ex:University "other" ) ] ;
    sh:property [ sh:path ex:founded ; sh:datatype xsd:integer ; sh:minInclusive 1800 ; sh:maxExclusive 2031 ] ;
    sh:property [ sh:path ex:score ; sh:minExclusive 0 ; sh:maxInclusive 1.0 ] ;
    sh:property [ sh:path [ sh:inversePath ex:member ] ; sh:maxCount 2 ] .
ex:ProjectShape a sh:NodeShape ; sh:targetClass ex:Project ;
    sh:property [ sh:path ex:member ; sh:minCount 2 ; sh:class ex:Org ; sh:nodeKind sh:BlankNodeOrIRI ] ;
    sh:property [ sh:path ex:started ; sh:datatype xsd:date ; sh:minInclusive "2014-01-01"^^xsd:date ] ;
    sh:property [ sh:path ex:acronym ; sh:nodeKind sh:Literal ; sh:maxLength 8 ] .
"""
RICH_DATA = """
ex:ro11 a ex:Region . ex:ro12 a ex:Region . ex:hu a ex:Country .
ex:good a ex:Org ; ex:name "Good SRL" ; ex:label "Bun"@ro ; ex:regNo "RO1234567" ; ex:region ex:ro11 ;
    ex:kind ex:SME ; ex:founded 1990 ; ex:score 0.5 .
ex:good2 a ex:Org ; ex:name "Univ" ; ex:region ex:ro12 ; ex:kind "other" .
ex:noName a ex:Org ; ex:region ex:ro11 .                                   # minCount
ex:twoNames a ex:Org ; ex:name "A1", "A2" ; ex:region ex:ro11 .            # maxCount
ex:langName a ex:Org ; ex:name "Nume"@ro ; ex:region ex:ro11 .             # datatype (langString)
ex:plainLabel a ex:Org ; ex:name "PL" ; ex:label "no lang" ; ex:region ex:ro11 .  # datatype
ex:shortName a ex:Org ; ex:name "X" ; ex:region ex:ro11 .                  # minLength
ex:longName a ex:Org ; ex:name "A name much longer than thirty characters" ; ex:region ex:ro11 .
ex:badReg a ex:Org ; ex:name "BR" ; ex:regNo "RO12" ; ex:region ex:ro11 .  # pattern
ex:foreign a ex:Org ; ex:name "FO" ; ex:region ex:hu .                    # class
ex:litRegion a ex:Org ; ex:name "LR" ; ex:region "RO11" .                 # class + nodeKind
ex:badKind a ex:Org ; ex:name "BK" ; ex:region ex:ro11 ; ex:kind ex:NGO, "other"@en .  # in x2
ex:old a ex:Org ; ex:name "OL" ; ex:region ex:ro11 ; ex:founded 1700 .     # minInclusive
ex:future a ex:Org ; ex:name "FU" ; ex:region ex:ro11 ; ex:founded "2040" .  # datatype + maxExclusive
ex:zero a ex:Org ; ex:name "ZE" ; ex:region ex:ro11 ; ex:score 0, 1.5 .    # minExclusive + maxInclusive
ex:popular a ex:Org ; ex:name "PO" ; ex:region ex:ro11 .                   # inverse maxCount
ex:p1 a ex:Project ; ex:member ex:good, ex:popular ; ex:started "2015-03-01"^^xsd:date ; ex:acronym "P1" .
ex:p2 a ex:Project ; ex:member ex:popular, ex:outsider ; ex:acronym "TOOLONGACRONYM" .  # class, maxLength
ex:p3 a ex:Project ; ex:member ex:popular ; ex:started "2010-01-01"^^xsd:date ; ex:acronym ex:P3 .
"""


def _pyshacl_results(shapes: str, data: str) -> set[tuple[str, str | None, str, str | None]]:
    _conforms, report, _ = pyshacl.validate(
        Graph().parse(data=PREFIXES + data, format="turtle"),
        shacl_graph=Graph().parse(data=PREFIXES + shapes, format="turtle"),
        inference="none",
    )
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        if path is not None and not isinstance(path, URIRef):
            path = "^" + report.value(path, SH.inversePath).n3()
        elif path is not None:
            path = path.n3()
        component = report.value(result, SH.sourceConstraintComponent).removeprefix(str(SH))
        value = report.value(result, SH.value)
        out.add(
            (
                report.value(result, SH.focusNode).n3(),
                path,
                component,
                value.n3() if value is not None else None,
            )
        )
    return out


def test_rich_shapes_agree_with_pyshacl() -> None:
    ours = {
        (v.focus_node, v.path, v.component, v.value)
        for v in compiled(RICH_SHAPES).validate(load(RICH_DATA), DATA)
    }
    theirs = _pyshacl_results(RICH_SHAPES, RICH_DATA)
    assert {t[:3] for t in ours} == {t[:3] for t in theirs}
    assert ours == theirs  # the offending values too
    assert len({t[0] for t in ours}) >= 12
