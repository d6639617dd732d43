"""Response shapes of the /network endpoints (collaboration network analytics).

Every list is ``{data, count, limit, offset}`` like the rest of the API, plus what a reader
needs to trust the numbers: the filter applied, the method (exact or sampled betweenness,
Leiden's settings) and notes on what the data cannot say (regions of CORDIS organisations).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class NetworkNode(BaseModel):
    id: str = Field(description="Organisation id of GET /organisations/{id} (osim, pic/999918293).")
    iri: str
    label: str
    kind: str | None = Field(description="Organisation kind notation (PRC, HES, sme, university ...).")
    country: str | None = Field(description="CORDIS two-letter country code.")
    region: str | None = Field(description="NUTS 2021 code; for Romanian CORDIS organisations derived from the CORDIS "
                                           "organisation directory where possible, otherwise none.")
    partners: int = Field(description="Partners under the filter (degree).")
    depth: int | None = Field(default=None, description="Ego networks: steps from the centre.")
    community: int | None = Field(default=None, description="Leiden community (when asked for).")


class NetworkEdge(BaseModel):
    source: str
    target: str
    projects: int = Field(description="Projects and partnerships the two share.")
    ec_contribution: float = Field(description="EU money (euro) both received in their shared projects.")


class NetworkSummary(BaseModel):
    organisations: int = Field(description="Organisations with at least one partner under the filter.")
    edges: int
    links: int = Field(description="Projects and partnerships kept by the filter.")
    filter: dict[str, Any]


class EdgePage(BaseModel):
    data: list[NetworkEdge]
    count: int
    limit: int
    offset: int
    filter: dict[str, Any]


class EgoNetwork(BaseModel):
    centre: str
    depth: int
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    partners: int = Field(description="All direct partners under the filter (the picture may show fewer).")
    second_degree: int | None = Field(description="Partners of partners (depth 2).")
    truncated: bool = Field(description="True when max_nodes left some out (weakest ties first).")


class LinkRef(BaseModel):
    iri: str
    label: str
    start_year: int | None
    kind: str = Field(description="project or partnership")


class PathStep(BaseModel):
    model_config = {"populate_by_name": True}

    from_: NetworkNode = Field(alias="from")
    to: NetworkNode
    shared: int = Field(description="Projects and partnerships the two share.")
    via: list[LinkRef] = Field(description="The shared projects with the most EU money (up to 5).")


class IntroductionPath(BaseModel):
    length: int
    steps: list[PathStep]


class IntroductionPaths(BaseModel):
    source: NetworkNode
    target: NetworkNode
    distance: int | None = Field(description="Steps of the shortest chain; null when none within max_depth.")
    paths: list[IntroductionPath]
    note: str | None


class Count(BaseModel):
    value: str
    organisations: int


class CommunityMember(NetworkNode):
    strength: int = Field(description="Shared projects summed over all partners.")


class Community(BaseModel):
    community: int = Field(description="Number, 0 = largest.")
    size: int
    internal_edges: int
    top_members: list[CommunityMember]
    countries: list[Count]
    regions: list[Count]
    kinds: list[Count]


class CommunityPage(BaseModel):
    data: list[Community]
    count: int
    limit: int
    offset: int
    modularity: float | None
    resolution: float
    method: str
    filter: dict[str, Any]


class MemberPage(BaseModel):
    data: list[CommunityMember]
    count: int
    limit: int
    offset: int
    filter: dict[str, Any]


class CentralityRow(NetworkNode):
    degree: int
    strength: int
    ec_contribution: float
    betweenness: float | None = Field(description="Normalised to [0, 1]; see betweenness_method.")


class CentralityPage(BaseModel):
    data: list[CentralityRow]
    count: int
    limit: int
    offset: int
    sort: str
    betweenness_method: str | None
    filter: dict[str, Any]


class GroupCount(BaseModel):
    group: str
    partners: int


class BrokerRow(NetworkNode):
    group: str | None = Field(description="The broker's own region (NUTS 2) or country.")
    score: float = Field(description="betweenness x diversity")
    betweenness: float
    diversity: float = Field(description="1 - sum of squared shares of its partners' groups (Blau).")
    outside_share: float = Field(description="Share of its partners outside its own group.")
    groups_spanned: int
    partner_groups: list[GroupCount]


class BrokerPage(BaseModel):
    data: list[BrokerRow]
    count: int
    limit: int
    offset: int
    by: str
    between: list[str]
    betweenness_method: str | None
    note: str
    filter: dict[str, Any]


class RegionRef(BaseModel):
    code: str
    label: str


class FieldRef(BaseModel):
    iri: str | None
    notation: str | None
    label: str


class GapCell(BaseModel):
    region: RegionRef
    field: FieldRef
    research_units: int
    offers: int
    projects: int
    supply: int
    requests: int
    smes: int
    demand: int
    gap: int = Field(description="demand - supply")
    status: str = Field(description="unmet (demand, no supply), gap, covered, supply-only or empty")
    universities: int = Field(description="organisations of kind HES (higher education) or university")
    research_organisations: int = Field(description="organisations of kind REC or research institute")
    public_bodies: int = Field(description="organisations of kind PUB or a public body under it (ministry, agency ...)")
    companies: int = Field(description="organisations of kind PRC (private for-profit), SMEs and large companies included")


class GapPage(BaseModel):
    data: list[GapCell]
    count: int
    limit: int
    offset: int
    level: int
    scheme: str
    depth: int
    field: str | None
    regions: list[RegionRef]
    unplaced: dict[str, int]
    note: str
