"""Who may change what: roles, the acting user, and the check every write function makes itself."""

from __future__ import annotations

from dataclasses import dataclass

from queries.db import TandemError

ROLES = ("viewer", "member", "admin")
# What each role may do beyond reading every page.
CAN = {"viewer": "read every page",
       "member": "also write meeting items, feedback and notes",
       "admin": "also import and undo imports, edit targets and settings"}


class PermissionDenied(TandemError):
    """The acting user's role does not allow this write."""


@dataclass(frozen=True)
class Actor:
    user: str
    role: str

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")


# Local mode (no login configured): the single user at this machine acts as admin.
LOCAL = Actor("local", "admin")


def require(actor: Actor | None, role: str, action: str) -> Actor:
    """Return the actor if their role is at least `role`; refuse otherwise, whatever the UI showed."""
    actor = actor or LOCAL
    if ROLES.index(actor.role) < ROLES.index(role):
        raise PermissionDenied(f"{actor.user} ({actor.role}) may not {action}: that needs the {role} role")
    return actor
