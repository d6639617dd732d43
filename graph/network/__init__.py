"""The partnership network for brokers: analytics, metrics, supply-demand gaps.

network, NetworkFilter, ego_network, introduction_paths   the filtered network and its paths (``_analytics``)
metrics                                                    communities, centrality, brokers (``_metrics``)
supply_demand                                              region x field gaps (``_supply_demand``)
state                                                      the per-generation network data (``_analytics``)
"""

from graph.network import _metrics as metrics
from graph.network._analytics import (
    MAX_EGO_NODES,
    MAX_PATH_DEPTH,
    NetworkFilter,
    ego_network,
    introduction_paths,
    network,
    state,
)
from graph.network._supply_demand import COUNTRY_ROW, SUPPLY, supply_demand

__all__ = [
    "COUNTRY_ROW",
    "MAX_EGO_NODES",
    "MAX_PATH_DEPTH",
    "SUPPLY",
    "NetworkFilter",
    "ego_network",
    "introduction_paths",
    "metrics",
    "network",
    "state",
    "supply_demand",
]
