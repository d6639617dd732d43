"""Saved needs that alert (issue 13, item 4): scoring state, incremental evaluation, Atom feeds, webhooks.

Writers call ``Alerts.evaluate_alerts(new_profile_ids)`` (or ``Alerts.after_write()``) after a write:
see ``graph.alerts._service``. The rows live in the operational store (``graph.opstore``), never in the
RDF store.
"""

from graph.alerts._feed import atom_feed
from graph.alerts._scoring import TOP, SavedQuery, save_query, score_batch
from graph.alerts._service import Alerts, after_write_alerts, fingerprint
from graph.alerts._webhook import WebhookPolicy, deliver

__all__ = [
           "TOP",
           "Alerts",
           "SavedQuery",
           "WebhookPolicy",
           "after_write_alerts",
           "atom_feed",
           "deliver",
           "fingerprint",
           "save_query",
           "score_batch",
]
