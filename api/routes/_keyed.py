"""Dependencies for routes that need a key, not merely a role: saved needs and interest are per caller.

Why not ``ReaderAccess``: anonymous reading is allowed by default, but an alert or an inbox
belongs to someone; without a key there is no one to belong to (401 saying how to send one).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.auth import HOW_TO_SEND, Principal, authenticate
from common.errors import AuthenticationError


def require_key(principal: Annotated[Principal | None, Depends(authenticate)]) -> Principal:
    """The caller, who must have sent a valid key (any role)."""
    if principal is None or principal.anonymous:
        raise AuthenticationError(f"this endpoint keeps data per API key: {HOW_TO_SEND}")
    return principal


KeyAccess = Annotated[Principal, Depends(require_key)]
