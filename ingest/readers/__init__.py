"""Source readers: files in, validated records of the ontology out.

Readers never touch the store; ``ingest.loading`` runs them. Detection order matters:
the specific CORDIS layouts are tried before the generic formats.
"""

from ingest.readers._model import Location, MappedRecord, Rejection, SourceReader
from ingest.readers._tables import TABLES
from ingest.readers.cordis import CordisCompositeReader, CordisH2020Reader
from ingest.readers.cordis_organisations import CordisOrganisationsReader
from ingest.readers.rdf_files import RdfReader
from ingest.readers.tabular import TabularReader

READERS: list[type[SourceReader]] = [
    CordisH2020Reader, CordisCompositeReader, CordisOrganisationsReader, TabularReader, RdfReader,
]

__all__ = ["READERS", "TABLES", "Location", "MappedRecord", "Rejection", "SourceReader"]
