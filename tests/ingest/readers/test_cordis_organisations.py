"""The CORDIS organisation directory reader: names by precedence, located problems, Romanian places."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest.readers import _terms as t
from ingest.readers._model import MappedRecord, Rejection
from ingest.readers._ro_places import fold, places
from ingest.readers.cordis_organisations import EVIDENCE, METHOD, UNPLACED, CordisOrganisationsReader

FIXTURES = Path(__file__).parent / "fixtures_org_directory"
NUTS = "http://data.europa.eu/nuts/code/"


@pytest.fixture(scope="module")
def output() -> tuple[dict[str, MappedRecord], list[Rejection]]:
    records: dict[str, MappedRecord] = {}
    rejections: list[Rejection] = []
    for item in CordisOrganisationsReader(FIXTURES).read():
        if isinstance(item, Rejection):
            rejections.append(item)
        else:
            records[item.triples[0][0].value.rsplit("/", 1)[-1]] = item
    return records, rejections


def values(record: MappedRecord, predicate: ox.NamedNode) -> list[str]:
    return sorted(o.value for _, p, o in record.triples if p == predicate)


def test_detected_as_its_own_kind() -> None:
    assert CordisOrganisationsReader.detect(FIXTURES)
    assert not CordisOrganisationsReader.detect(FIXTURES / "fp7_organizations.csv.gz")


def test_newest_h2020_name_wins_and_fp7_name_stays_alternative(output) -> None:
    darmstadt = output[0]["999986581"]
    assert values(darmstadt, t.PREF_LABEL) == ["TECHNISCHE UNIVERSITAT DARMSTADT"]
    assert values(darmstadt, t.ALT_LABEL) == ["TECHNISCHE UNIVERSITAET DARMSTADT"]


def test_never_states_a_type_participation_or_project(output) -> None:
    for record in output[0].values():
        assert all(p != t.TYPE or o == t.n("http://www.w3.org/ns/locn#Address") for _, p, o in record.triples)
        assert all(p not in {t.PARTICIPANT, t.IN_PROJECT} for _, p, o in record.triples)


def test_bad_rows_are_reported_with_file_line_field_and_reason(output) -> None:
    found = {(Path(r.location.file).name, r.location.line, r.field): r.reason for r in output[1]}
    h2020 = "h2020_organizations_latest_union.csv.gz"
    assert "9 digits" in found[(h2020, 6, "organisationID")]
    assert "empty name" in found[(h2020, 7, "name")]
    assert "outside Romania" in found[(h2020, 8, "geolocation")]
    assert "not a Romanian postal code" in found[(h2020, 9, "postCode")]
    assert "12345" not in output[0]


def test_romanian_places_say_how_they_were_found(output) -> None:
    records = output[0]
    bucharest = records["996644834"]  # coordinates in Bucharest; postcode 10362 has lost its leading zero
    assert values(bucharest, t.REGION) == [NUTS + "RO321"]
    assert values(bucharest, METHOD) == ["coordinates"]
    assert values(records["950325103"], METHOD) == ["postcode"]  # Timișoara, 300730
    assert values(records["950325103"], t.REGION) == [NUTS + "RO424"]
    roman = records["960158381"]  # old code 61001: the city decides
    assert (values(roman, METHOD), values(roman, t.REGION)) == (["city"], [NUTS + "RO214"])
    assert values(roman, EVIDENCE) == ["city 'ROMAN' -> RO214"]
    paris = records["999000001"]  # coordinates refused, five-digit postcode unused: the city places it
    assert (values(paris, METHOD), values(paris, t.REGION)) == (["city"], [NUTS + "RO321"])


def test_ambiguous_city_stays_unplaced_with_its_reason(output) -> None:
    magurele = output[0]["985266346"]
    assert values(magurele, t.REGION) == []
    assert "RO322 and in RO316" in values(magurele, UNPLACED)[0]


def test_city_matched_with_and_without_diacritics() -> None:
    assert places().county_of_city("Târgu-Mureș")[0] == places().county_of_city("TIRGU MURES")[0] == "RO125"
    assert fold("Ştefăneşti") == fold("Ștefănești") == "STEFANESTI"


def test_postcode_disagreeing_with_city_places_nothing() -> None:
    placement = places().place(None, "060117", "Chiajna")
    assert placement.nuts is None and "RO321" in placement.evidence and "RO322" in placement.evidence


def test_directory_names_participants_without_creating_any(store, tmp_path: Path) -> None:
    """Loaded after the participations, the directory's names win over the placeholders; a re-run is a no-op."""
    from graph.views import display_label
    from ingest.loading import ingest_path
    from tests.conftest import REPO_DATA, h2020_slice

    h2020 = ingest_path(store, h2020_slice(tmp_path / "h2020", rows=40))
    assert h2020.ok
    participations = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a <https://w3id.org/innograph/def#Participation> } }"
    before = next(iter(store.oxigraph.query(participations)))["n"].value
    directory = REPO_DATA / "cordis" / "organisation_directory"
    report = ingest_path(store, directory)
    assert report.kind == "cordis-organisations" and report.graph.endswith("cordis-organisations")
    assert next(iter(store.oxigraph.query(participations)))["n"].value == before
    org = "https://w3id.org/innograph/id/org/pic/"
    assert display_label(store, org + "999977463") == "TECHNISCHE UNIVERSITAET MUENCHEN"
    assert display_label(store, org + "897024185") == "SOFTWARE IMAGINATION & VISION SRL"
    # an organisation the directory does not know keeps the honest description
    assert display_label(store, org + "965342449") == "unnamed organisation, PIC 965342449, Greece, public body"
    assert ingest_path(store, directory).skipped_unchanged


def test_coordinates_disagreeing_with_the_address_yield_to_it() -> None:
    """A real CORDIS row: Bacău, postcode 600388, geocoded at 45.92,27.24 (in Vrancea)."""
    placement = places().place((45.9230354, 27.2395706), "600388", "BACAU")
    assert (placement.nuts, placement.method) == ("RO211", "postcode")
    assert "falls in RO226, the address wins" in placement.evidence
