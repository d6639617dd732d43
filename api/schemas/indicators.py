"""GET /regions/{nuts}/indicators: the typed result of ``graph.indicators`` (one definition)."""

from __future__ import annotations

from graph.indicators import AreaIndicators, Collaborations, RegionGapCell, RegionIndicators, YearFigures

__all__ = ["AreaIndicators", "Collaborations", "RegionGapCell", "RegionIndicators", "YearFigures"]
