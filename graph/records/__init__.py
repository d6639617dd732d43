"""Members' own records: organisation-bound keys, self-service offers and requests.

What other packages may use is named here (see DESIGN.md: a subpackage's ``__init__`` is its face).
"""

from graph.records._binding import check_binding

__all__ = ["check_binding"]
