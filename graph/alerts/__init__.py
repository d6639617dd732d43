"""Saved needs that alert (issue 13, item 4): scoring state, incremental evaluation, Atom feeds, webhooks.

Writers do not call these themselves: every writer calls the one after-write step
(``graph.writes.AfterWrite``), which calls ``Alerts.evaluate_alerts(new_profile_ids)`` at once when
the writer knows the changed offers and requests (members' records), or ``Alerts.after_write()``
(the fingerprint diff, ``after_write_alerts``) in its background follow-up otherwise (ingest,
SPARQL update, Graph Store, start-up load). The rows live in the operational store
(``graph.operations``), never in the RDF store.
"""

from graph.alerts._feed import atom_feed
from graph.alerts._service import Alerts, after_write_alerts, fingerprint
from graph.alerts._webhook import WebhookPolicy, deliver
from graph.matching import TOP, SavedQuery, save_query, score_batch

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
