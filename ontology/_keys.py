"""IRIs from natural keys.

Why: a re-run of the same input must give the same graph, and the same organisation met
in two sources (a CORDIS PIC in the H2020 table and in our own CSV) must be the same node.
So IRIs are never random: they are built from PICs, registration numbers, CORDIS RCNs or
a slug of a name, always through the functions here.

>>> org_iri("pic:999918293").value
'https://w3id.org/innograph/id/org/pic/999918293'
>>> slug("Agenția pentru Dezvoltare Regională Nord-Est")
'agentia-pentru-dezvoltare-regionala-nord-est'
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from ontology._namespaces import GRAPH, ID

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


def entity_iri(kind: str, *parts: str) -> ox.NamedNode:
    """IRI of an entity of ``kind`` (offer, request, project, participation ...) from key parts."""
    return ox.NamedNode(f"{ID}{kind}/" + "/".join(parts))


def graph_iri(source_name: str) -> ox.NamedNode:
    """The named graph that holds one source."""
    return ox.NamedNode(f"{GRAPH}{slug(source_name)}")
