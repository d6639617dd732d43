"""The one collaboration network, built once per store generation, for /network and for /match.

Organisations are linked by the projects they share and by the partnerships they are members of
(each link carries the flag ``NetworkData.link_is_partnership``). The network data is read from the
store once per generation (``state``); the whole network (no filter) is built from it once and kept,
filtered networks on demand. /match's network signal and "introduction path" explanations
(``collaboration``) and /network's routes read the same network with the same shortest-path
algorithm (``_paths``).

Why below ``graph.matching`` (the layers in tests/test_import_layers.py): the matcher reads this
network, and nothing here needs matching; the one thing it used to take from matching, the concept
table, is a read model of the vocabularies and lives in ``graph.views`` (``Concepts``).

network, NetworkFilter, ego_network, state           the filtered network and the per-generation data (``_analytics``)
introduction_paths, collaboration, Collaboration     the one path algorithm; the matcher's view (``_paths``)
metrics                                              communities, centrality, brokers (``_metrics``)
supply_demand                                        region x field gaps (``_supply_demand``)
"""

from graph.network import _metrics as metrics
from graph.network._analytics import (
    MAX_EGO_NODES,
    MAX_PATH_DEPTH,
    NetworkFilter,
    ego_network,
    network,
    state,
)
from graph.network._paths import MATCH_DEPTH, Collaboration, collaboration, introduction_paths
from graph.network._supply_demand import COUNTRY_ROW, SUPPLY, supply_demand

__all__ = [
    "COUNTRY_ROW",
    "MATCH_DEPTH",
    "MAX_EGO_NODES",
    "MAX_PATH_DEPTH",
    "SUPPLY",
    "Collaboration",
    "NetworkFilter",
    "collaboration",
    "ego_network",
    "introduction_paths",
    "metrics",
    "network",
    "state",
    "supply_demand",
]
