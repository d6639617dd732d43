"""The ontology contract: ``_namespaces.py``, ``innograph.ttl`` and ``shapes.ttl`` must agree.

Why these tests: ingest writes terms through ``ontology._namespaces``, the validators run
``shapes.ttl`` and people read ``innograph.ttl``. Drift between the three is silent: an
undeclared term is an undocumented fact, a shape on a misspelt class checks nothing, and a
constraint the compiled validator does not implement is a check that never runs. The last
tests run pyshacl on a small record set (one real CORDIS participation, one illustrative
request) to show the shapes accept what ingest writes and reject what it must not.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterator

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import (
    DCTERMS,
    EURIO,
    IG,
    LOCN,
    ONTOLOGY_FILE,
    ORG,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    ROV,
    SH,
    SHAPES_FILE,
    SKOS,
)

ONTOLOGY_IRI = URIRef("https://w3id.org/innograph/def")
IG_NS = str(IG._NS)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
REUSED_NAMESPACES = (ORG, ROV, LOCN, EURIO)
#: XSD as a string: rdflib's XSD namespace object warns when pytest probes module attributes.
XSD_NS = PREFIXES["xsd"]

#: The SHACL Core subset the compiled validator implements: constraint parameters, allowed on
#: property shapes only. Anything else in shapes.ttl would be silently skipped by it.
CONSTRAINT_PARAMETERS = {
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags,
    SH["in"], SH.minInclusive, SH.maxInclusive, SH.minLength, SH.maxLength,
}  # fmt: skip
NODE_SHAPE_KEYS = {RDF.type, SH.targetClass, SH.property, RDFS.comment, RDFS.label}
PROPERTY_SHAPE_KEYS = {SH.path, SH.name, SH.message} | CONSTRAINT_PARAMETERS


def ig_terms() -> dict[str, URIRef]:
    """Every term of the IG contract class, by local name."""
    return {name: IG[name] for name in IG.__annotations__}


def reused_terms() -> Iterator[tuple[URIRef, str]]:
    """Every reused ORG/ROV/LOCN/EURIO term the code writes, with its namespace IRI."""
    for ns in REUSED_NAMESPACES:
        for name in ns.__annotations__:
            yield ns[name], str(ns._NS)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def declared(g: Graph) -> dict[URIRef, set[URIRef]]:
    """Declared classes and properties of the ontology with their OWL kinds."""
    out: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for s in g.subjects(RDF.type, kind):
            if isinstance(s, URIRef):
                out.setdefault(s, set()).add(kind)
    return out


def is_ours(g: Graph, term: URIRef) -> bool:
    return set(g.objects(term, RDFS.isDefinedBy)) <= {ONTOLOGY_IRI}


def english(g: Graph, s: Node, p: URIRef) -> list[str]:
    return [str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "en"]


def ig_iris(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(IG_NS)}


def property_shapes(shapes: Graph) -> list[Node]:
    return sorted(set(shapes.objects(None, SH.property)), key=str)


def shape_path(shapes: Graph, pshape: Node) -> tuple[URIRef, bool]:
    """(property, inverse?) of a property shape; asserts the path is of a supported form."""
    paths = list(shapes.objects(pshape, SH.path))
    assert len(paths) == 1, f"{pshape}: exactly one sh:path expected, got {paths}"
    path = paths[0]
    if isinstance(path, URIRef):
        return path, False
    assert isinstance(path, BNode), f"{pshape}: path {path!r} is neither an IRI nor a blank node"
    pairs = list(shapes.predicate_objects(path))
    assert len(pairs) == 1 and pairs[0][0] == SH.inversePath and isinstance(pairs[0][1], URIRef), (
        f"{pshape}: only an IRI or [ sh:inversePath <IRI> ] is supported, got {pairs}"
    )
    return pairs[0][1], True


# --- the files and the contract -----------------------------------------------------------------


def test_ontology_header_says_what_and_under_which_licence(onto: Graph) -> None:
    assert set(onto.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY_IRI}
    assert english(onto, ONTOLOGY_IRI, DCTERMS.title)
    (description,) = english(onto, ONTOLOGY_IRI, DCTERMS.description)
    for must_mention in ("regional development agency", "patent office", "research unit", "NUTS", "PROV"):
        assert must_mention in description
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert "apache.org/licenses/LICENSE-2.0" in str(onto.value(ONTOLOGY_IRI, DCTERMS.license))
    # Reused vocabularies are referenced by IRI: loading the ontology must not fetch anything.
    assert not list(onto.triples((None, OWL.imports, None)))


@pytest.mark.parametrize("name", sorted(ig_terms()))
def test_every_contract_term_is_declared_with_one_kind(onto: Graph, name: str) -> None:
    kinds = declared(onto).get(IG[name], set())
    assert len(kinds) == 1, f"ig:{name} declared as {kinds or 'nothing'}"
    # The contract names classes in UpperCamelCase and properties in lowerCamelCase.
    assert (kinds == {OWL.Class}) == name[0].isupper()


def test_no_ig_term_outside_the_contract(onto: Graph, shapes: Graph) -> None:
    contract = set(ig_terms().values())
    assert ig_iris(onto) - contract == set(), "declared or used in innograph.ttl, missing in _namespaces.IG"
    assert ig_iris(shapes) - contract == set(), "used in shapes.ttl, missing in _namespaces.IG"
    assert {t for t in declared(onto) if str(t).startswith(IG_NS)} == contract


def test_every_declared_term_has_english_label_and_definition(onto: Graph) -> None:
    missing = []
    for term in declared(onto):
        labels, definitions = english(onto, term, RDFS.label), english(onto, term, SKOS.definition)
        if len(labels) != 1 or len(definitions) != 1:
            missing.append(f"{term}: {len(labels)} @en labels, {len(definitions)} @en definitions")
        elif is_ours(onto, term) and len(definitions[0]) < 60:
            missing.append(f"{term}: definition too thin to be one: {definitions[0]!r}")
    assert missing == []


def test_our_terms_are_exactly_the_ig_terms(onto: Graph) -> None:
    """rdfs:isDefinedBy is how a reader tells our terms from reused ones; it must not lie."""
    ours = {t for t in declared(onto) if is_ours(onto, t)}
    assert ours == set(ig_terms().values())


def test_reused_terms_are_declared_and_attributed_to_their_vocabulary(onto: Graph) -> None:
    kinds = declared(onto)
    for term, namespace in reused_terms():
        assert term in kinds, f"{term} is written by innograph but not declared in innograph.ttl"
        assert set(onto.objects(term, RDFS.isDefinedBy)) == {URIRef(namespace)}, term
    for term in kinds:
        if not is_ours(onto, term):
            (defined_by,) = onto.objects(term, RDFS.isDefinedBy)
            assert str(term).startswith(str(defined_by)), f"{term} attributed to {defined_by}"


def test_no_ig_term_shadows_a_reused_term(onto: Graph) -> None:
    def local(term: URIRef) -> str:
        return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()

    reused = {local(t): t for t in declared(onto) if not is_ours(onto, t)}
    clashes = {t: reused[local(t)] for t in ig_terms().values() if local(t) in reused}
    assert clashes == {}, "define the reused term's use instead of a look-alike of ours"
    for p in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
        for s, o in onto.subject_objects(p):
            assert str(s).startswith(IG_NS) == str(o).startswith(IG_NS), f"{s} {p} {o}"


def test_properties_link_to_declared_classes(onto: Graph) -> None:
    """Domains, ranges and superclasses of our terms are declared here (or are datatypes)."""
    kinds = declared(onto)
    for term in ig_terms().values():
        for p in (RDFS.domain, RDFS.range, RDFS.subClassOf):
            for o in onto.objects(term, p):
                union = onto.value(o, OWL.unionOf) if isinstance(o, BNode) else None
                assert union is not None or isinstance(o, URIRef), (term, p, o)
                for c in Collection(onto, union) if union is not None else [o]:
                    assert c in kinds or str(c).startswith(XSD_NS) or c == RDFS.Literal, (term, p, c)


# --- the shapes -----------------------------------------------------------------------------------


def test_shapes_target_declared_classes(onto: Graph, shapes: Graph) -> None:
    kinds = declared(onto)
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes, "no node shapes"
    for shape in node_shapes:
        targets = list(shapes.objects(shape, SH.targetClass))
        assert len(targets) == 1, f"{shape}: one sh:targetClass per shape, got {targets}"
        assert isinstance(targets[0], URIRef) and kinds.get(targets[0]) == {OWL.Class}, (
            f"{shape} targets undeclared {targets[0]}"
        )
        assert str(shape).startswith("https://w3id.org/innograph/shapes#")


def test_every_class_ingest_writes_has_a_shape(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    # ig:SourceGraph is only ever named, by IRI, in prov:generated of its run: nothing to check.
    expected = set(ig_terms().values()) - {IG.SourceGraph} - {IG[n] for n in ig_terms() if n[0].islower()}
    expected |= {ORG.Organization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration,
                 ORG.Membership, EURIO.Project, SKOS.Concept}  # fmt: skip
    assert expected <= targets


def test_shapes_use_only_what_the_compiled_validator_supports(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    pshapes = set(property_shapes(shapes))
    accounted: set[Node] = node_shapes | pshapes
    for shape in node_shapes:
        extra = set(shapes.predicates(shape)) - NODE_SHAPE_KEYS
        assert extra == set(), f"{shape}: constraints belong on property shapes, found {extra}"
    for ps in pshapes:
        assert isinstance(ps, BNode) and not list(shapes.objects(ps, RDF.type))
        extra = set(shapes.predicates(ps)) - PROPERTY_SHAPE_KEYS
        assert extra == set(), f"property shape on {shape_path(shapes, ps)}: unsupported {extra}"
        shape_path(shapes, ps)
        accounted |= set(shapes.objects(ps, SH.path))
        for kind in shapes.objects(ps, SH.nodeKind):
            assert kind in (SH.IRI, SH.Literal), f"sh:nodeKind {kind} is not supported"
        if (ps, SH.flags, None) in shapes:
            assert (ps, SH.pattern, None) in shapes, "sh:flags without sh:pattern"
        for lst in shapes.objects(ps, SH["in"]):
            cells = [lst]
            while (rest := shapes.value(cells[-1], RDF.rest)) not in (None, RDF.nil):
                cells.append(rest)
            assert shapes.value(cells[-1], RDF.rest) == RDF.nil, "sh:in must be a closed RDF list"
            accounted |= set(cells)
    # Nothing else (sh:sparql, sh:or, sh:node, a stray shape) hides anywhere in the file.
    assert set(shapes.subjects()) - accounted == set()


def test_every_property_shape_has_a_name_and_an_actionable_message(shapes: Graph) -> None:
    for ps in property_shapes(shapes):
        where = shape_path(shapes, ps)
        names, messages = list(shapes.objects(ps, SH.name)), list(shapes.objects(ps, SH.message))
        assert len(names) == 1 and str(names[0]).strip(), where
        assert len(messages) == 1 and ":" in str(messages[0]), f"{where}: say what is wrong, then what to do"


def test_shapes_agree_with_the_ontology(onto: Graph, shapes: Graph) -> None:
    """A shape's sh:class / sh:datatype is the declared range (domain, on an inverse path)."""
    kinds = declared(onto)
    for ps in property_shapes(shapes):
        prop, inverse = shape_path(shapes, ps)
        if not str(prop).startswith(IG_NS):
            continue
        cls, datatype = shapes.value(ps, SH["class"]), shapes.value(ps, SH.datatype)
        node_kind = shapes.value(ps, SH.nodeKind)
        if inverse or cls is not None or node_kind == SH.IRI:
            assert kinds[prop] == {OWL.ObjectProperty}, f"ig:{prop} used as an object property"
        if datatype is not None or node_kind == SH.Literal:
            assert kinds[prop] == {OWL.DatatypeProperty}, f"ig:{prop} used as a datatype property"
        declared_end = onto.value(prop, RDFS.domain if inverse else RDFS.range)
        if isinstance(declared_end, URIRef) and declared_end != RDFS.Literal:
            assert (cls or datatype) in (None, declared_end), (
                f"{prop}: shape {cls or datatype} != {declared_end}"
            )


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    """Checked against the W3C SHACL-SHACL meta-shapes, which pyshacl ships as a package asset."""
    meta_file = importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    if not meta_file.is_file():
        pytest.skip("this pyshacl version does not ship assets/shacl-shacl.ttl")
    meta = Graph().parse(data=meta_file.read_text(encoding="utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    assert conforms, text


# --- the shapes on data -------------------------------------------------------------------------

# ROMSOFT SRL's participation in PharmaLedger is real (CORDIS H2020, shared/data/cordis/composite/
# h2020_org_participations_derrabauke_all.csv); the farm and its request are illustrative and say
# so. The IRIs of innograph's own vocabularies are stand-ins: the shapes only need concepts in a scheme.
EXAMPLE = """
@prefix ex: <https://w3id.org/innograph/id/> .
@prefix v: <urn:example:vocab/> .
@prefix ig: <https://w3id.org/innograph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix eurio: <http://data.europa.eu/s66#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix nace: <http://data.europa.eu/ux2/nace2/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .

ex:org-pic-999769495 a org:Organization ;
    skos:prefLabel "ROMSOFT SRL" ; skos:altLabel "ROMSOFT" ;
    ig:kind v:sme ; ig:pic "999769495" ; ig:isSME true ;
    ig:country country:ROU ; ig:region nuts:RO213 .

ex:project-853992 a eurio:Project ;
    skos:prefLabel "PharmaLedger" ; eurio:acronym "PharmaLedger" ;
    eurio:identifier "853992" ; ig:framework "H2020" .

ex:participation-853992-999769495 a ig:Participation ;
    ig:participant ex:org-pic-999769495 ; ig:inProject ex:project-853992 ;
    ig:participationRole v:participant ; ig:ecContribution 1157500.0 .

ex:org-example-grain-farm a org:Organization ;
    skos:prefLabel "Example grain farm (illustrative)"@en ;
    ig:kind v:sme ; ig:isSME true ; ig:region nuts:RO213 ; ig:sector nace:0111 ;
    ig:illustrative true ;
    ig:needs ex:request-example-grain-drying .

ex:request-example-grain-drying a ig:TechnologyRequest ;
    dcterms:identifier "example-grain-drying" ;
    dcterms:title "Cheaper grain drying without gas"@en ;
    dcterms:description "We need a cheaper way to dry grain without gas."@en ;
    ig:sector nace:0111 ; ig:desiredTrl v:trl-7 ; ig:region nuts:RO213 ;
    ig:keyword "grain drying" ; ig:illustrative true .

v:scheme a skos:ConceptScheme .
v:sme a skos:Concept ; skos:prefLabel "SME"@en ; skos:inScheme v:scheme .
v:participant a skos:Concept ; skos:prefLabel "participant"@en ; skos:inScheme v:scheme .
v:trl-7 a skos:Concept ; skos:prefLabel "TRL 7"@en ; skos:inScheme v:scheme .
country:ROU a skos:Concept ; skos:prefLabel "Romania"@en ; skos:inScheme v:scheme .
nuts:RO21 a skos:Concept ; skos:prefLabel "Nord-Est"@ro ; skos:inScheme v:scheme .
nuts:RO213 a skos:Concept ; skos:prefLabel "Iaşi"@ro ; skos:inScheme v:scheme ; skos:broader nuts:RO21 .
nace:0111 a skos:Concept ; skos:inScheme v:scheme ;
    skos:prefLabel "Growing of cereals (except rice), leguminous crops and oil seeds"@en .
"""
EX = "https://w3id.org/innograph/id/"
REQUEST = URIRef(EX + "request-example-grain-drying")
PARTICIPATION = URIRef(EX + "participation-853992-999769495")
ROMSOFT = URIRef(EX + "org-pic-999769495")


def example() -> Graph:
    return Graph().parse(data=EXAMPLE, format="turtle")


def violations(data: Graph, shapes: Graph) -> set[tuple[Node, object, Node]]:
    """(focus node, path, constraint component) of each result; an inverse path as ('^', IRI)."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = ("^", report.value(path, SH.inversePath))
        found.add(
            (report.value(result, SH.focusNode), path, report.value(result, SH.sourceConstraintComponent))
        )
    return found


def test_valid_example_conforms(shapes: Graph) -> None:
    assert violations(example(), shapes) == set()


def test_missing_title_is_reported_on_that_request_only(shapes: Graph) -> None:
    data = example()
    data.remove((REQUEST, DCTERMS.title, None))
    assert violations(data, shapes) == {(REQUEST, DCTERMS.title, SH.MinCountConstraintComponent)}


def _drop(s: URIRef, p: URIRef) -> Callable[[Graph], object]:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o: Node) -> Callable[[Graph], object]:
    return lambda g: g.set((s, p, o))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_drop(PARTICIPATION, IG.participationRole), (PARTICIPATION, IG.participationRole, SH.MinCountConstraintComponent)),
        (_set(ROMSOFT, IG.pic, Literal("99976949")), (ROMSOFT, IG.pic, SH.PatternConstraintComponent)),
        (_set(ROMSOFT, IG.isSME, Literal("yes")), (ROMSOFT, IG.isSME, SH.DatatypeConstraintComponent)),
        (_set(PARTICIPATION, IG.ecContribution, Literal(1.5)), (PARTICIPATION, IG.ecContribution, SH.DatatypeConstraintComponent)),
        (_set(REQUEST, IG.region, URIRef("http://data.europa.eu/nuts/code/RO999")), (REQUEST, IG.region, SH.ClassConstraintComponent)),
        (lambda g: g.remove((None, IG.needs, REQUEST)), (REQUEST, ("^", IG.needs), SH.MinCountConstraintComponent)),
    ],
    ids=["role missing", "PIC of 8 digits", "SME flag not boolean", "contribution a double", "unknown NUTS code", "request nobody needs"],
)  # fmt: skip
def test_shapes_catch_what_ingest_must_not_write(
    shapes: Graph, mutate: Callable[[Graph], object], expected: tuple[Node, object, Node]
) -> None:
    data = example()
    mutate(data)
    assert violations(data, shapes) == {expected}


def test_negative_contribution_is_rejected(shapes: Graph) -> None:
    data = example()
    data.set((PARTICIPATION, IG.ecContribution, Literal("-1.5", datatype=URIRef(XSD_NS + "decimal"))))
    assert violations(data, shapes) == {
        (PARTICIPATION, IG.ecContribution, SH.MinInclusiveConstraintComponent)
    }
