"""Pieces every layer shares: the settings object and the exception hierarchy."""
