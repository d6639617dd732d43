"""IRIs from natural keys.

Why: a re-run of the same input must give the same graph, and the same organisation met
in two sources (a CORDIS PIC in the H2020 table and in our own CSV) must be the same node.
So IRIs are never random: they are built from PICs, registration numbers, CORDIS RCNs or
a slug of a name, always through the functions here.

>>> org_iri("pic:999918293").value
'https://w3id.org/innograph/id/org/pic/999918293'
>>> organisation_id(org_iri("pic:999918293").value)
'pic/999918293'
>>> slug("Agenția pentru Dezvoltare Regională Nord-Est")
'agentia-pentru-dezvoltare-regionala-nord-est'

Two spellings of an organisation key, both through this module: the ingest key of our tables
(``pic:999918293``, ``osim``: ``org_iri``) and the API id, the part of the IRI after
``ORG_PREFIX`` (``pic/999918293``, ``osim``: ``organisation_iri`` / ``organisation_id``).
The web UI reads the prefixes from ``GET /config`` (``IRI_PREFIXES``), not from a constant.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from ontology._namespaces import GRAPH, ID

#: Organisation IRIs start with this; the rest is the id the API uses (``osim``, ``pic/999918293``).
ORG_PREFIX = f"{ID}org/"


def entity_prefix(kind: str) -> str:
    """Where the IRIs of entities of ``kind`` start (``offer`` -> ``https://w3id.org/innograph/id/offer/``)."""
    return f"{ID}{kind}/"


#: The prefixes clients turn into API ids (``GET /config``): organisation, offer, request, project.
IRI_PREFIXES: dict[str, str] = {
    "organisation": ORG_PREFIX,
    **{kind: entity_prefix(kind) for kind in ("offer", "request", "project")},
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_PIC = re.compile(r"^[0-9]{9}$")
_LOCAL_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


def fold(text: str) -> str:
    """Strip diacritics (ș, ş, ț, ţ, ă, â, î ...) so Romanian text matches with or without them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    """A lowercase ASCII slug: stable across spellings with and without diacritics."""
    return _NON_SLUG.sub("-", fold(text).lower()).strip("-")


def is_pic(value: str) -> bool:
    return bool(_PIC.match(value))


def check_local_key(value: str) -> str:
    """Validate a key of our tabular format; raise ``ValueError`` with the rule broken."""
    if not _LOCAL_KEY.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lowercase letters, digits, '.', '_' or '-' "
            "(at most 128), or 'pic:' followed by a 9-digit CORDIS PIC"
        )
    return value


def org_iri(key: str) -> ox.NamedNode:
    """Organisation IRI: ``pic:NNNNNNNNN`` joins CORDIS data, anything else is a local slug key."""
    if key.startswith("pic:"):
        pic = key[4:]
        if not is_pic(pic):
            raise ValueError(f"{key!r}: a PIC has exactly 9 digits")
        return ox.NamedNode(f"{ID}org/pic/{pic}")
    return ox.NamedNode(f"{ID}org/{check_local_key(key)}")


def organisation_iri(org_id: str) -> ox.NamedNode:
    """The IRI of an API id (``osim``, ``pic/999918293``); ``ValueError`` when no IRI may hold it.

    >>> organisation_iri("osim").value
    'https://w3id.org/innograph/id/org/osim'
    """
    return ox.NamedNode(ORG_PREFIX + org_id)


def organisation_id(iri: str) -> str | None:
    """The API id of an organisation IRI (``.../id/org/pic/999918293`` -> ``pic/999918293``), else None."""
    return iri.removeprefix(ORG_PREFIX) if iri.startswith(ORG_PREFIX) else None


def entity_iri(kind: str, *parts: str) -> ox.NamedNode:
    """IRI of an entity of ``kind`` (offer, request, project, participation ...) from key parts."""
    return ox.NamedNode(entity_prefix(kind) + "/".join(parts))


def entity_id(kind: str, iri: str) -> str | None:
    """The key of an entity IRI of ``kind`` (``.../id/offer/o-1`` -> ``o-1``), else None.

    >>> entity_id("offer", entity_iri("offer", "o-1").value)
    'o-1'
    """
    prefix = entity_prefix(kind)
    return iri.removeprefix(prefix) if iri.startswith(prefix) else None


def graph_iri(source_name: str) -> ox.NamedNode:
    """The named graph that holds one source."""
    return ox.NamedNode(f"{GRAPH}{slug(source_name)}")
