"""The acting user of this session. Local mode (no login configured): one user, acting as admin."""

from __future__ import annotations

from queries import access


def actor() -> access.Actor:
    return access.LOCAL


def can(role: str) -> bool:
    """Whether this session's user has at least `role` (pages hide write controls otherwise)."""
    return access.ROLES.index(actor().role) >= access.ROLES.index(role)
