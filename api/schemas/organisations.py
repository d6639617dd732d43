"""GET /organisations/{id}: the read model of ``graph.views`` (one definition), with the API's examples."""

from __future__ import annotations

from pydantic import ConfigDict

from graph.views import (
    Membership,
    OfferOrRequest,
    OrganisationProfile,
    Partner,
    Placement,
    ProjectPage,
    ProjectRole,
)

__all__ = ["Membership", "OfferOrRequest", "OrganisationPublic", "Partner", "Placement", "ProjectPage", "ProjectRole"]


class OrganisationPublic(OrganisationProfile):
    """What the graph knows about one organisation, joined over every source."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "osim", "iri": "https://w3id.org/innograph/id/org/osim",
                    "name": "State Office for Inventions and Trademarks", "other_names": ["OSIM"],
                    "kind": {"iri": "https://w3id.org/innograph/vocab/org-kind/patent-office",
                             "notation": "patent-office", "label": "patent office"},
                    "country": {"iri": "http://publications.europa.eu/resource/authority/country/ROU",
                                "notation": "RO", "label": "Romania"},
                    "region": {"iri": "http://data.europa.eu/nuts/code/RO321", "notation": "RO321",
                               "label": "Bucureşti"},
                    "is_unit": False, "parent": None, "pic": None, "registration_number": None, "website": None,
                    "description": None, "sme": None, "illustrative": False,
                    "evidence": "State Office for Inventions and Trademarks (OSIM)", "units": [], "fields": [],
                    "sectors": [], "competences": [],
                    "projects": {"data": [], "count": 0, "limit": 20, "offset": 0},
                    "partners": [], "partners_count": 0, "offers": [], "requests": [],
                    "memberships": [
                        {"iri": "https://w3id.org/innograph/id/membership/union-of-innovation/osim",
                         "partnership": {"iri": "https://w3id.org/innograph/id/partnership/union-of-innovation",
                                         "label": "Union of innovation", "id": None},
                         "role": {"iri": "https://w3id.org/innograph/vocab/member-role/member",
                                  "notation": "member", "label": "member"},
                         "evidence": "State Office for Inventions and Trademarks (OSIM)"}
                    ],
                    "sources": ["https://w3id.org/innograph/graph/union-of-innovation"],
                }
            ]
        },
    )

