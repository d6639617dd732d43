"""GET /regions/{nuts}: the read model of ``graph.views`` (one definition)."""

from __future__ import annotations

from graph.views import KindCount, RegionSummary

__all__ = ["KindCount", "RegionSummary"]
