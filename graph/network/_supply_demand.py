"""The region x field matrix of supply against demand, so that gaps stand out.

Supply in a region and field: research units (organisations of kind research unit, research
institute, university, CORDIS HES or REC) working in the field, technology offers in it, and
projects of the region's organisations in it. Demand: technology requests and SMEs in the field.
``gap`` = demand - supply; a cell with demand and no supply at all is an ``unmet`` gap.
Beside them each cell counts organisations by kind (``KIND_GROUPS``: universities, research
organisations, public bodies, companies), so the map can show who is where, not only the balance.

Fields are EuroSciVoc fields of science or NACE Rev.2 sectors (``scheme``), grouped at a
``depth`` of their hierarchy (1: EuroSciVoc "engineering and technology" or NACE section A;
2: EuroSciVoc "agricultural biotechnology" level or NACE division 01 ...). An item counts in a
field when one of its fields or sectors lies under it (``skos:broader*``). Where things are:
an organisation's ``ig:region``; an offer at its owner's; a request at its own region, else its
owner's; a project at each of its participants'. What is in a field: an organisation's own
fields and sectors plus those of its offers; a project's own fields plus its located
participants'. Requests carry NACE sectors and rarely fields, so demand shows mostly under
``scheme=nace2`` (the default).

Why a country row: CORDIS H2020 organisations have a country but no NUTS region; the
organisation directory (``ingest.readers.cordis_organisations``) places most named Romanian ones in
a county (by coordinates, postcode or city, recorded as ``ig:placementMethod``). Those it
cannot place are counted in a row ``RO`` ("Romania, no county found") unless
``country_only=False``: the unplaced count beside the map. They carry no field or sector
either, so they show only in the all-fields column (``depth=0``).

>>> from graph.store import GraphStore
>>> supply_demand(GraphStore(None))["count"]
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from common.errors import InvalidInputError
from graph.network._analytics import state
from graph.store import GraphStore, store_generation
from graph.views import KIND_GROUPS, display_label, select

Scheme = Literal["nace2", "euroscivoc"]
SCHEME_PREFIX = {"nace2": "http://data.europa.eu/ux2/nace2/", "euroscivoc": "http://data.europa.eu/8mn/euroscivoc/"}
RESEARCH_KINDS = {"research-unit", "research-institute", "university", "HES", "REC"}
SUPPLY = ("research_units", "offers", "projects")
DEMAND = ("requests", "smes")
MEASURES = (*SUPPLY, *DEMAND, *KIND_GROUPS)
COUNTRY_ROW = "RO"

OFFERS_REQUESTS = """
SELECT ?item ?rel ?owner ?region ?concept WHERE {
  VALUES ?rel { ig:offers ig:needs }
  ?owner ?rel ?item .
  OPTIONAL { ?item ig:region ?region }
  OPTIONAL { ?item ig:field|ig:sector ?concept }
}
"""


@dataclass(frozen=True)
class Item:
    """One thing counted: its kind (a column group), a key to count it once, where and what it is."""

    kind: str
    key: str
    region: str | None
    country: str | None
    concepts: frozenset[str]


def _items(store: GraphStore) -> list[Item]:
    """Every counted item of the current generation (cached with the network data).

    Keyed on the full store generation, not the network's: members' offers and requests are
    counted here, and they do not make the network stale (``network_generation``).
    """
    current = state(store)
    generation = store_generation(store)
    with current.lock:
        cached = current.extra.get("supply_demand_items")
        if cached is not None and cached[0] == generation:
            return cached[1]  # type: ignore[no-any-return]
    d = current.data
    offers: dict[str, dict[str, Any]] = {}
    for row in select(store, OFFERS_REQUESTS):
        entry = offers.setdefault(row["item"].value, {
            "kind": "offers" if row["rel"].value.endswith("offers") else "requests",
            "owner": row["owner"].value, "region": None, "concepts": set()})
        if row["region"] is not None:
            entry["region"] = row["region"].value
        if row["concept"] is not None:
            entry["concepts"].add(row["concept"].value)
    offered: dict[int, set[str]] = defaultdict(set)
    items: list[Item] = []
    for iri, entry in offers.items():
        owner = d.index.get(entry["owner"])
        if owner is None:
            continue
        if entry["kind"] == "offers":
            offered[owner] |= entry["concepts"]
        items.append(Item(entry["kind"], iri, entry["region"] or d.regions[owner], d.countries[owner],
                          frozenset(entry["concepts"])))
    own = [d.org_concepts[i] | offered.get(i, set()) for i in range(len(d.orgs))]
    for i, kind in enumerate(d.kinds):
        if kind in RESEARCH_KINDS:
            items.append(Item("research_units", d.orgs[i], d.regions[i], d.countries[i], own[i]))
        if kind == "sme" or d.sme[i]:
            items.append(Item("smes", d.orgs[i], d.regions[i], d.countries[i], own[i]))
        items.extend(Item(group, d.orgs[i], d.regions[i], d.countries[i], own[i])
                     for group, kinds in KIND_GROUPS.items() if kind in kinds or (group == "companies" and d.sme[i]))
    for i, j in zip(d.inc_org.tolist(), d.inc_link.tolist(), strict=True):
        located = d.regions[i] is not None or d.countries[i] == COUNTRY_ROW
        if located and not d.link_is_partnership[j]:
            items.append(Item("projects", d.links[j], d.regions[i], d.countries[i], d.link_concepts[j] | own[i]))
    with current.lock:
        current.extra["supply_demand_items"] = (generation, items)
    return items


def supply_demand(
    store: GraphStore, *, level: int = 2, scheme: Scheme = "nace2", depth: int = 1, field: str | None = None,
    country_only: bool = True, limit: int = 100, offset: int = 0, exclude: Collection[str] = frozenset(),
) -> dict[str, Any]:
    """Cells (region, field) with supply, demand and gap; biggest gaps first.

    ``field`` restricts the columns to that one field (any depth); ``depth=0`` gives one
    all-fields column. With a single column every region is listed, zeros included (for maps).
    ``exclude`` leaves items out by IRI (the regional indicators leave out the illustrative records).
    """
    if level not in (1, 2, 3):
        raise InvalidInputError("level", "must be 1 (macro-regions), 2 (development regions) or 3 (counties)")
    if not 0 <= depth <= 6:
        raise InvalidInputError("depth", "must be between 0 (all fields) and 6")
    current = state(store)
    concepts = current.data.concepts
    notations, labels = concepts.notations, concepts.labels
    column: str | None = None
    if field:
        try:
            column = current.data.vocab.resolve(scheme, field).value
        except ValueError as exc:
            raise InvalidInputError("field", str(exc)) from None
    regions = sorted((iri for iri, code in notations.items()
                      if iri.startswith("http://data.europa.eu/nuts/code/RO") and len(code) == 2 + level
                      and "Z" not in code), key=lambda iri: notations[iri])
    rows = {iri: notations[iri] for iri in regions}
    names = {code: display_label(store, iri) or code for iri, code in rows.items()}
    names[COUNTRY_ROW] = "Romania, no county found (CORDIS, unplaced)"
    cells: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    unplaced: dict[str, int] = defaultdict(int)
    for item in _items(store):
        if item.key in exclude:  # e.g. the illustrative records, left out of the regional indicators
            continue
        row = _row(item, rows, concepts.ancestors, country_only)
        if row is None:
            if item.region is not None:
                unplaced[item.kind] += 1
            continue
        for group in _groups(item, scheme, depth, column, concepts.ancestors):
            cells[(row, group)][item.kind].add(item.key)
    single = column is not None or depth == 0
    columns = [column or "all"] if single else sorted({g for _, g in cells}, key=lambda g: notations.get(g, g))
    row_codes = [*rows.values(), *([COUNTRY_ROW] if country_only else [])]
    keys = [(r, c) for r in row_codes for c in columns] if single else list(cells)
    data = [_cell(r, c, cells.get((r, c), {}), labels, notations, names) for r, c in keys]
    data.sort(key=lambda x: (-x["gap"], x["region"]["code"], x["field"]["notation"] or ""))
    return {
        "data": data[offset : offset + limit], "count": len(data), "level": level, "scheme": scheme,
        "depth": depth, "field": column, "regions": [{"code": c, "label": names[c]} for c in row_codes],
        "unplaced": dict(unplaced),
        "note": "Regions count what is located at or under them. Romanian CORDIS organisations are placed in a "
                "county from the CORDIS organisation directory (coordinates, postcode or city; see each "
                "organisation's placement); those without a county and without a field appear only in the RO row "
                "of the all-fields view (depth=0). "
                "'unplaced' counts items located only at a coarser NUTS level than asked.",
    }


def _row(item: Item, rows: dict[str, str], ancestors: Any, country_only: bool) -> str | None:
    if item.region is None:
        return COUNTRY_ROW if country_only and item.country == COUNTRY_ROW else None
    for ancestor in ancestors(item.region):
        if ancestor in rows:
            return rows[ancestor]
    return None


def _groups(item: Item, scheme: Scheme, depth: int, column: str | None, ancestors: Any) -> set[str]:
    if column is None and depth == 0:
        return {"all"}
    prefix = SCHEME_PREFIX[scheme]
    out = set()
    for concept in item.concepts:
        if not concept.startswith(prefix):
            continue
        chain = ancestors(concept)
        if column is not None:
            if column in chain:
                out.add(column)
        elif len(chain) >= depth:
            out.add(chain[-depth])
    return out


def _cell(region: str, group: str, counts: dict[str, set[str]], labels: dict[str, str], notations: dict[str, str],
          names: dict[str, str]) -> dict[str, Any]:
    numbers = {kind: len(counts.get(kind, ())) for kind in MEASURES}
    supply = sum(numbers[k] for k in SUPPLY)
    demand = sum(numbers[k] for k in DEMAND)
    status = "unmet" if demand and not supply else "gap" if demand > supply else "covered" if demand else \
        "supply-only" if supply else "empty"
    return {
        "region": {"code": region, "label": names[region]},
        "field": {"iri": None if group == "all" else group, "notation": notations.get(group),
                  "label": "all fields" if group == "all" else labels.get(group, group)},
        **numbers, "supply": supply, "demand": demand, "gap": demand - supply, "status": status,
    }
