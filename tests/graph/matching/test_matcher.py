"""Matching on small real data with the real model: ranking, filters, explanations, restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.errors import InvalidInputError
from common.settings import Settings
from graph.matching import MatchContext, Matcher, MatchFilters, MatchIndex
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import EMBEDDING_CACHE

ORG_ID = "https://w3id.org/innograph/id/org/"


@pytest.fixture(scope="module")
def matcher(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    import shutil

    data = tmp_path_factory.mktemp("match")
    shutil.copytree(vocab_template, data / "store")
    store = GraphStore(data / "store")
    for folder in ("union-of-innovation", "illustrative"):
        assert ingest_path(store, REPO_DATA / folder).ok
    assert ingest_path(store, REPO_DATA / "cordis" / "composite").records_written > 2000
    return Matcher(store, Settings(data_dir=data, embedding_cache=EMBEDDING_CACHE))


def test_grain_drying_need_finds_the_heat_pump_dryer_first(matcher: Matcher) -> None:
    page = matcher.match("we need a cheaper way to dry grain without gas", limit=5)
    assert page.data[0]["name"].startswith("Heat-pump grain dryer")
    assert page.count >= 5
    explanation = page.data[0]["explanation"]
    assert "grain" in explanation["matched_terms"]
    assert explanation["dense"]["rank"] >= 1 and explanation["lexical"]["rank"] >= 1


def test_score_is_fused_plus_signal_contributions(matcher: Matcher) -> None:
    page = matcher.match("dairy wastewater treatment", context=MatchContext(region="RO21"), limit=10)
    for item in page.data:
        e = item["explanation"]
        total = e["fused"] + sum(s["contribution"] for s in e["signals"].values())
        assert item["score"] == pytest.approx(total, abs=1e-3)
    assert [i["score"] for i in page.data] == sorted((i["score"] for i in page.data), reverse=True)


def test_region_filter_keeps_only_profiles_inside(matcher: Matcher) -> None:
    page = matcher.match("grain drying", filters=MatchFilters(regions=["RO1"]), limit=50)
    assert page.data
    for item in page.data:
        assert item["region"]["iri"].rsplit("/", 1)[-1].startswith("RO1")


def test_kind_and_trl_filters(matcher: Matcher) -> None:
    page = matcher.match("grain", filters=MatchFilters(kinds=["offer"], trl_min=6), limit=50)
    assert page.data and all(i["kind"] == "offer" and i["trl"] >= 6 for i in page.data)


def test_pagination_is_a_window_over_one_ranking(matcher: Matcher) -> None:
    full = matcher.match("water treatment", limit=10)
    second = matcher.match("water treatment", limit=5, offset=5)
    assert [i["id"] for i in second.data] == [i["id"] for i in full.data[5:10]]


def test_reverse_direction_finds_requests_for_an_offer(matcher: Matcher) -> None:
    page = matcher.match("predictive maintenance of CNC machine tools with vibration sensors", "demand", limit=3)
    assert page.data[0]["kind"] in {"request", "sme"}
    assert any("CNC" in i["name"] or "cnc" in i["explanation"]["matched_terms"] for i in page.data)


@pytest.mark.parametrize(
    ("text", "filters", "field"),
    [("", None, "text"), ("x" * 100_000, None, "text"), ("water", MatchFilters(regions=["RO99"]), "filters.regions")],
)
def test_bad_requests_name_the_field(matcher: Matcher, text: str, filters: MatchFilters | None, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        matcher.match(text, filters=filters)
    assert caught.value.field == field


def test_a_restart_reuses_the_saved_index_and_embeds_nothing(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    matcher.index("supply")
    fresh = Matcher(matcher.store, matcher.settings)

    def no_rebuild(*args: object, **kwargs: object) -> None:
        raise AssertionError("the saved index was rebuilt instead of loaded")

    monkeypatch.setattr(MatchIndex, "build", no_rebuild)
    calls: list[int] = []
    original = fresh.embedder._encode_passages

    def counting(texts: list[str]):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return original(texts)

    fresh.embedder._encode_passages = counting  # type: ignore[method-assign]
    index = fresh.index("supply")
    assert len(index.profiles) == len(matcher.index("supply").profiles)
    assert calls == []


def test_sector_and_field_filters_keep_only_profiles_below_the_concept(matcher: Matcher) -> None:
    from ontology._vocab import vocabularies

    profiles = {p.iri: p for p in matcher.index("supply").profiles}
    concepts = matcher.concepts()
    section_e = vocabularies().resolve("nace2", "E").value  # water supply, sewerage, waste
    page = matcher.match("wastewater treatment", filters=MatchFilters(sectors=["E"]), limit=50)
    assert page.data
    for item in page.data:
        assert any(section_e in concepts.ancestors(s) for s in profiles[item["id"]].sectors)
    unfiltered = matcher.match("wastewater treatment", limit=50)
    assert {i["id"] for i in unfiltered.data} - {i["id"] for i in page.data}  # the filter removed some

    wetland = next(p for p in profiles.values() if p.name.startswith("Constructed wetland"))
    broader = concepts.parents[wetland.fields[0]][0]  # a field one level up
    page = matcher.match("wastewater treatment", filters=MatchFilters(fields=[broader]), limit=50)
    assert wetland.iri in {i["id"] for i in page.data}
    for item in page.data:
        assert any(broader in concepts.ancestors(f) for f in profiles[item["id"]].fields)


def test_country_filter_keeps_only_that_country(matcher: Matcher) -> None:
    from ontology._vocab import vocabularies

    profiles = {p.iri: p for p in matcher.index("supply").profiles}
    germany = vocabularies().resolve("country", "DE").value
    page = matcher.match("renewable energy storage", filters=MatchFilters(countries=["DE"]), limit=30)
    assert page.data
    assert {profiles[i["id"]].country for i in page.data} == {germany}
    both = matcher.match("renewable energy storage", filters=MatchFilters(countries=["DE", "RO"], kinds=["PRC"]),
                         limit=30)
    assert both.data
    assert all(profiles[i["id"]].kind == "PRC" for i in both.data)
    assert {profiles[i["id"]].country for i in both.data} <= {germany, vocabularies().resolve("country", "RO").value}


def test_a_partner_of_the_asker_carries_its_collaboration_path(matcher: Matcher) -> None:
    net = matcher.network()
    profiles = matcher.index("supply").profiles
    with_profile = {p.organisation: p for p in profiles if p.organisation and p.kind != "offer"}
    origin, partner = next(
        (o, other) for o in sorted(net.org_projects) for project in sorted(net.org_projects[o])
        for other in sorted(net.project_orgs[project]) if other != o and other in with_profile
    )
    page = matcher.match(with_profile[partner].text[:400], context=MatchContext(organisation=origin), limit=50)
    item = next(i for i in page.data if i["organisation"] == partner)
    path = item["explanation"]["path"]
    assert path[0]["from"] == origin and path[-1]["to"] == partner
    for step in path:
        assert step["via_project"] in net.org_projects[step["from"]] & net.org_projects[step["to"]]
        assert step["from_label"] and step["to_label"] and step["via_project_label"]
    assert item["explanation"]["signals"]["network"]["value"] == round(1 / len(path), 3)
    stranger = next((i for i in page.data if i["organisation"] not in net.distances(origin)), None)
    if stranger is not None:  # an organisation out of reach has no path and no network signal
        assert stranger["explanation"]["path"] is None and "network" not in stranger["explanation"]["signals"]


def test_a_partnership_member_gets_the_network_of_its_cordis_record(matcher: Matcher) -> None:
    """Issue 11: ADR Nord-Est asking is one hop from the partners of its CORDIS record (PIC 986565370)."""
    net = matcher.network()
    member, record = ORG_ID + "adr-nord-est", ORG_ID + "pic/986565370"
    assert net.org_projects[record] and net.org_projects[member] == net.org_projects[record]
    with_profile = {p.organisation: p for p in matcher.index("supply").profiles if p.organisation and p.kind != "offer"}
    partner = next(o for project in sorted(net.org_projects[record]) for o in sorted(net.project_orgs[project])
                   if o not in (member, record) and o in with_profile)
    page = matcher.match(with_profile[partner].text[:400], context=MatchContext(organisation=member), limit=50)
    item = next(i for i in page.data if i["organisation"] == partner)
    assert [(s["from"], s["to"]) for s in item["explanation"]["path"]] == [(member, partner)]
    assert item["explanation"]["path"][0]["via_project"] in net.org_projects[record]
    assert item["explanation"]["signals"]["network"]["value"] == 1.0


def test_a_romanian_need_meets_english_text_through_cognates_and_says_so(matcher: Matcher) -> None:
    need = "Avem o fabrica de bere si vrem biogaz din apa uzata, cu o tehnologie anaeroba"
    page = matcher.match(need, limit=10)
    assert page.understood is not None and page.understood["language"] == "ro"
    assert {"biogaz", "tehnologie"} <= set(page.understood["cognates"])
    assert any("biogaz" in r["explanation"]["matched_terms"] for r in page.data)
    off = matcher.match(need, limit=10, mode="lexical")
    assert off.understood is not None and off.understood["cognates"] == page.understood["cognates"]
    english = matcher.match("biogas from brewery wastewater with an anaerobic technology", limit=5)
    assert english.understood is not None and english.understood["cognates"] == {}
