"""Behaviour of the bundled SKOS vocabularies (ontology/vocab) and of the script that builds them.

Label rule tested here: every concept has exactly one English prefLabel, except the NUTS regions,
which have exactly one Romanian prefLabel and no English one (Eurostat publishes only the national
names). No concept has two prefLabels in the same language.
"""

from __future__ import annotations

import csv
import doctest
import gzip
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ontology import VOCAB_DIR, vocabulary_files
from ontology import _namespaces as ns
from scripts import build_vocab

# Module globals are scanned by pytest at collection; rdflib's strict DefinedNamespace classes (RDF,
# SKOS, XSD, ORG, IG) warn on that scan, so only plain Namespace objects are bound at module level and
# the strict ones are reached through ``ns``.
COUNTRY, NACE, NUTS, VOCAB = ns.COUNTRY, ns.NACE, ns.NUTS, ns.VOCAB

EXPECTED_FILES = {
    "action-areas.ttl",
    "countries.ttl",
    "euroscivoc.ttl",
    "ipr-status.ttl",
    "nace2.ttl",
    "nuts2021-ro.ttl",
    "org-kinds.ttl",
    "roles.ttl",
    "trl.ttl",
}
DATA = build_vocab.REPO_ROOT / "data"
GEO_LAT = URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat")
GEO_LONG = URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#long")


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    out = {}
    for path in vocabulary_files():
        g = Graph()
        g.parse(path, format="turtle")
        out[path.name] = g
    return out


def concepts(g: Graph, scheme: URIRef | None = None) -> set[URIRef]:
    found = set(g.subjects(ns.RDF.type, ns.SKOS.Concept))
    if scheme is not None:
        found = {c for c in found if (c, ns.SKOS.inScheme, scheme) in g}
    return found


def pref_labels(g: Graph, concept: URIRef, lang: str) -> list[str]:
    return [
        str(o) for o in g.objects(concept, ns.SKOS.prefLabel) if isinstance(o, Literal) and o.language == lang
    ]


# --- the files ------------------------------------------------------------------------------------


def test_all_vocabularies_are_shipped_and_parse(graphs):
    assert set(graphs) == EXPECTED_FILES
    for name, g in graphs.items():
        assert len(g) > 0, name
        assert list(g.subjects(ns.RDF.type, ns.SKOS.ConceptScheme)), f"{name} declares no concept scheme"


def test_rebuild_is_byte_identical(tmp_path):
    result = build_vocab.build_all(out_dir=tmp_path)
    assert set(result.files) == EXPECTED_FILES
    for name in sorted(EXPECTED_FILES):
        rebuilt = (tmp_path / name).read_bytes()
        committed = (VOCAB_DIR / name).read_bytes()
        assert rebuilt == committed, f"{name} is stale: run python -m scripts.build_vocab"


def test_every_scheme_has_title_source_and_attribution(graphs):
    for name, g in graphs.items():
        for scheme in g.subjects(ns.RDF.type, ns.SKOS.ConceptScheme):
            assert (scheme, ns.SKOS.prefLabel, None) in g, (name, scheme)
            assert (scheme, ns.DCTERMS.title, None) in g, (name, scheme)
            assert (scheme, ns.DCTERMS.source, None) in g, (name, scheme)
            assert (scheme, ns.DCTERMS.rights, None) in g or (scheme, ns.DCTERMS.license, None) in g, (
                name,
                scheme,
            )


def test_every_concept_is_in_a_scheme_and_labelled(graphs):
    for name, g in graphs.items():
        schemes = set(g.subjects(ns.RDF.type, ns.SKOS.ConceptScheme))
        for c in concepts(g):
            in_schemes = set(g.objects(c, ns.SKOS.inScheme))
            assert in_schemes and in_schemes <= schemes, (name, c)
            langs = [o.language for o in g.objects(c, ns.SKOS.prefLabel)]
            assert len(langs) == len(set(langs)), f"{name} {c}: two prefLabels in one language"
            if name == "nuts2021-ro.ttl":
                assert len(pref_labels(g, c, "ro")) == 1 and not pref_labels(g, c, "en"), c
            else:
                assert len(pref_labels(g, c, "en")) == 1, (name, c)


def test_broader_stays_inside_the_scheme(graphs):
    for name, g in graphs.items():
        for c, parent in g.subject_objects(ns.SKOS.broader):
            assert parent in concepts(g), (name, c, parent)
            assert set(g.objects(c, ns.SKOS.inScheme)) == set(g.objects(parent, ns.SKOS.inScheme)), (name, c)


# --- NUTS -----------------------------------------------------------------------------------------


def test_nuts_levels(graphs):
    g = graphs["nuts2021-ro.ttl"]
    by_level: dict[int, set[str]] = {}
    for c in concepts(g, VOCAB.nuts2021):
        code = str(g.value(c, ns.SKOS.notation))
        assert c == NUTS[code]
        by_level.setdefault(len(code) - 2, set()).add(code)
    assert {k: len(v) for k, v in by_level.items()} == {0: 1, 1: 4, 2: 8, 3: 42}
    assert by_level[0] == {"RO"}
    assert all(not code.startswith("ROZ") for codes in by_level.values() for code in codes)


def test_every_county_reaches_romania_in_three_steps(graphs):
    g = graphs["nuts2021-ro.ttl"]
    counties = [c for c in concepts(g) if len(str(g.value(c, ns.SKOS.notation))) == 5]
    assert len(counties) == 42
    for county in counties:
        chain = [county]
        while (parent := g.value(chain[-1], ns.SKOS.broader)) is not None:
            chain.append(parent)
        assert len(chain) == 4 and chain[-1] == NUTS.RO, chain
    chain = [NUTS.RO321]
    for _ in range(3):
        chain.append(g.value(chain[-1], ns.SKOS.broader))
    assert chain == [NUTS.RO321, NUTS.RO32, NUTS.RO3, NUTS.RO]
    assert pref_labels(g, NUTS.RO321, "ro") == ["Bucureşti"]
    assert Literal("București", lang="ro") in set(g.objects(NUTS.RO321, ns.SKOS.altLabel))


def test_nuts_points_and_country_link(graphs):
    g = graphs["nuts2021-ro.ttl"]
    for c in concepts(g):
        lat, long = g.value(c, GEO_LAT), g.value(c, GEO_LONG)
        assert lat.datatype == ns.XSD.decimal and long.datatype == ns.XSD.decimal, c
        assert 43.5 < float(lat) < 48.5 and 20.0 < float(long) < 30.0, c
    assert (NUTS.RO, ns.SKOS.exactMatch, COUNTRY.ROU) in g
    assert (NUTS.RO, ns.SKOS.topConceptOf, VOCAB.nuts2021) in g


# --- TRL ------------------------------------------------------------------------------------------


def test_trl_nine_levels_with_definitions(graphs):
    g = graphs["trl.ttl"]
    cs = concepts(g, VOCAB.trl)
    assert cs == {build_vocab.trl_iri(n) for n in range(1, 10)}
    for n in range(1, 10):
        c = VOCAB[f"trl/{n}"]
        assert str(g.value(c, ns.SKOS.notation)) == str(n)
        assert pref_labels(g, c, "en") == [f"TRL {n}"]
        value = g.value(c, ns.RDF.value)
        assert value.datatype == ns.XSD.integer and value.toPython() == n
        definition = g.value(c, ns.SKOS.definition)
        assert definition is not None and definition.language == "en" and len(definition) > 10
    assert str(g.value(VOCAB["trl/1"], ns.SKOS.definition)) == "basic principles observed"
    assert str(g.value(VOCAB["trl/9"], ns.SKOS.definition)).startswith(
        "actual system proven in operational environment"
    )


# --- NACE -----------------------------------------------------------------------------------------


def test_nace_hierarchy(graphs):
    g = graphs["nace2.ttl"]
    cs = concepts(g, VOCAB.nace2)
    assert len(cs) == 996
    sections = 0
    for c in cs:
        notation = str(g.value(c, ns.SKOS.notation))
        assert c == NACE[notation.replace(".", "")]
        parents = list(g.objects(c, ns.SKOS.broader))
        if notation.isalpha():
            sections += 1
            assert parents == [] and (c, ns.SKOS.topConceptOf, VOCAB.nace2) in g
        else:
            assert len(parents) == 1 and parents[0] in cs, c
            parent_notation = str(g.value(parents[0], ns.SKOS.notation))
            assert notation.startswith(parent_notation) or parent_notation.isalpha(), (
                notation,
                parent_notation,
            )
    assert sections == 21


def test_nace_romanian_labels(graphs):
    g = graphs["nace2.ttl"]
    assert pref_labels(g, NACE["0111"], "ro") == [
        "Cultivarea cerealelor (excluzând orezul), plantelor leguminoase și a plantelor oleaginoase"
    ]
    # CAEN Rev.3 letters shifted from J on: NACE Rev.2 K (finance) is CAEN section L
    assert pref_labels(g, NACE.K, "ro") == ["Intermedieri financiare și asigurări"]
    assert pref_labels(g, NACE.J, "ro") == []
    # the same code names another activity in CAEN Rev.3: no Romanian label
    for code in ("25.30", "25.40", "35.11", "63.91"):
        assert pref_labels(g, NACE[code.replace(".", "")], "ro") == [], code
    # the scope note is Eurostat's "This item includes" text
    note = g.value(NACE["0111"], ns.SKOS.scopeNote)
    assert note is not None and note.language == "en" and "cereals" in str(note)


# --- countries ------------------------------------------------------------------------------------


def _cordis_codes() -> set[str]:
    cordis = DATA / "cordis"
    codes: set[str] = set()
    with gzip.open(
        cordis / "h2020_participations" / "h2020_participations.csv.gz", "rt", encoding="utf-8"
    ) as f:
        codes |= {r["country"] for r in csv.DictReader(f)}
    with open(cordis / "composite" / "participations.csv", encoding="utf-8") as f:
        codes |= {r["country"] for r in csv.DictReader(f)}
    return {c for c in codes if len(c) == 2 and c.isalpha() and c.isupper()}


def test_every_cordis_country_code_has_a_concept(graphs):
    g = graphs["countries.ttl"]
    notations = {str(g.value(c, ns.SKOS.notation)): c for c in concepts(g, VOCAB.country)}
    missing = _cordis_codes() - set(notations)
    assert not missing
    assert notations["RO"] == COUNTRY.ROU
    assert notations["EL"] == COUNTRY.GRC
    assert notations["UK"] == COUNTRY.GBR
    assert notations["XK"] == COUNTRY["1A0"]
    assert pref_labels(g, COUNTRY.ROU, "en") == ["Romania"]
    assert pref_labels(g, COUNTRY.ROU, "ro") == ["România"]


# --- EuroSciVoc -----------------------------------------------------------------------------------


def test_euroscivoc_hierarchy_from_cordis_codes(graphs):
    g = graphs["euroscivoc.ttl"]
    cs = concepts(g, VOCAB.euroscivoc)
    assert len(cs) == 1031
    assert all(str(c).startswith("http://data.europa.eu/8mn/euroscivoc/") for c in cs)
    with_broader = 0
    for c in cs:
        assert g.value(c, ns.DCTERMS.identifier) is not None, c
        assert (c, ns.SKOS.definition, None) not in g  # the EC2U LLM definitions are not shipped
        code = g.value(c, ns.SKOS.notation)
        parent = g.value(c, ns.SKOS.broader)
        if code is None:
            assert parent is None and (c, ns.SKOS.topConceptOf, None) not in g
            continue
        assert str(code).startswith("/") and str(code).endswith("/" + str(g.value(c, ns.DCTERMS.identifier)))
        if str(code).count("/") == 1:
            assert parent is None and (c, ns.SKOS.topConceptOf, VOCAB.euroscivoc) in g
        else:
            with_broader += 1
            assert str(g.value(parent, ns.SKOS.notation)) == str(code).rsplit("/", 1)[0]
    assert with_broader > 900
    health = [c for c in cs if str(g.value(c, ns.SKOS.notation)) == "/21/33"]
    assert len(health) == 1 and pref_labels(g, health[0], "en") == ["health sciences"]


# --- small schemes --------------------------------------------------------------------------------


def test_org_kinds_specialise_cordis_types(graphs):
    g = graphs["org-kinds.ttl"]
    def kind(n: str) -> object:
        return VOCAB[f"org-kind/{n}"]
    expected = {
        "university": "HES",
        "research-institute": "REC",
        "sme": "PRC",
        "large-company": "PRC",
        "ministry": "PUB",
        "national-authority": "PUB",
        "agency": "PUB",
        "regional-development-agency": "PUB",
        "patent-office": "PUB",
    }
    for child, parent in expected.items():
        assert list(g.objects(kind(child), ns.SKOS.broader)) == [kind(parent)], child
    for n in ("HES", "REC", "PRC", "PUB", "OTH", "research-unit", "directorate", "association"):
        assert g.value(kind(n), ns.SKOS.broader) is None, n
    assert len(concepts(g, VOCAB["org-kind"])) == 17
    for c in concepts(g):
        assert len(pref_labels(g, c, "ro")) == 1 and g.value(c, ns.SKOS.definition) is not None, c
    assert "Higher or Secondary Education" in pref_labels(g, kind("HES"), "en")[0]


def test_roles_are_org_roles(graphs):
    g = graphs["roles.ttl"]
    roles = {str(g.value(c, ns.SKOS.notation)) for c in concepts(g, VOCAB.role)}
    assert roles == {
        "coordinator",
        "participant",
        "partner",
        "thirdParty",
        "associatedPartner",
        "internationalPartner",
    }
    assert concepts(g, VOCAB["member-role"]) == {VOCAB["member-role/initiator"], VOCAB["member-role/member"]}
    for c in concepts(g):
        assert (c, ns.RDF.type, ns.ORG.Role) in g, c


def test_ipr_status_values(graphs):
    g = graphs["ipr-status.ttl"]
    assert {str(g.value(c, ns.SKOS.notation)) for c in concepts(g, VOCAB["ipr-status"])} == {
        "patent-granted",
        "patent-pending",
        "utility-model",
        "know-how",
        "copyright",
        "open-source",
        "none",
    }


def test_action_areas_quote_the_partnership_text(graphs):
    g = graphs["action-areas.ttl"]
    cs = concepts(g, VOCAB["action-area"])
    assert len(cs) == 4
    lines = {
        line.strip()
        for line in (DATA / "union-of-innovation" / "union-of-innovation.txt").read_text(encoding="utf-8").splitlines()
    }
    source = URIRef("https://w3id.org/innograph/source/union-of-innovation.txt")
    for c in cs:
        assert (c, ns.DCTERMS.source, source) in g
        evidence = g.value(c, ns.IG.evidence)
        assert evidence is not None and str(evidence) in lines, c


# --- the script -----------------------------------------------------------------------------------


def test_doctests():
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner()
    for func in (build_vocab.nuts_iri, build_vocab.nace_iri, build_vocab.trl_iri, build_vocab.country_iri):
        for test in finder.find(func, globs=vars(build_vocab)):
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted >= 4


def test_help_explains_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_vocab.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--out" in out and "--cordis-dir" in out and "byte-identical" in out


def test_main_writes_into_out(tmp_path: Path):
    assert build_vocab.main(["--out", str(tmp_path), "--quiet"]) == 0
    assert {p.name for p in tmp_path.glob("*.ttl")} == EXPECTED_FILES
