"""Pieces every layer shares: the settings object, the exception hierarchy, memory figures (``memory``)."""
