"""Who is using this session: local mode (no [auth] in secrets: one user, admin) or login through st.login (OIDC).

Roles come from secrets: [tandem.roles] admin/member/viewer = [emails or "*@domain"], and
[tandem] default_role ∈ {none, viewer} for everyone else. The write functions in queries check the role themselves;
pages only hide the controls a role cannot use.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from queries import access


def login_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (login mode)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _tandem_secrets() -> Mapping:
    try:
        return st.secrets.get("tandem", {})
    except Exception:
        return {}


def role_for(email: str | None, config: Mapping) -> str | None:
    """The strongest role whose list names this email or its domain ("*@example.com"); else default_role."""
    email = (email or "").strip().lower()
    roles = config.get("roles", {}) or {}
    if email and "@" in email:
        domain = email.rsplit("@", 1)[1]
        for role in reversed(access.ROLES):  # admin first
            for pattern in roles.get(role, []) or []:
                pattern = str(pattern).strip().lower()
                if pattern == email or (pattern.startswith("*@") and pattern[2:] == domain):
                    return role
    default = str(config.get("default_role", "none")).lower()
    return "viewer" if default == "viewer" else None


def actor() -> access.Actor:
    """The acting user: the local admin, or the logged-in user with their role (viewer when unsure)."""
    if not login_configured():
        return access.LOCAL
    if not st.user.get("is_logged_in", False):
        return access.Actor("anonymous", "viewer")
    email = st.user.get("email") or "unknown"
    return access.Actor(str(email), role_for(email, _tandem_secrets()) or "viewer")


def can(role: str) -> bool:
    """Whether this session's user has at least `role` (pages hide write controls otherwise)."""
    return access.ROLES.index(actor().role) >= access.ROLES.index(role)


def _login_screen() -> None:
    st.title("Tandem")
    st.write("Sign in to see your company's brand, pipeline and quota figures.")
    st.button("Log in", type="primary", on_click=st.login, key="auth_login", icon=":material/login:")


def _no_access_screen() -> None:
    st.title("Tandem")
    st.warning("Your account has no access to Tandem yet. Ask an admin to add you.", icon=":material/lock:")
    st.text(f"Signed in as {st.user.get('email') or 'an account without an email'}")
    st.button("Log out", on_click=st.logout, key="auth_logout_denied")


def _only(screen) -> None:
    # Register the screen as the only page, so no other page (nor the pages/ folder) can be reached.
    st.navigation([st.Page(screen, title="Sign in", url_path="signin")], position="hidden").run()
    st.stop()


def gate() -> access.Actor:
    """In login mode: show only a login screen until the user is logged in and has a role; then say who they are."""
    if not login_configured():
        return access.LOCAL
    if not st.user.get("is_logged_in", False):
        _only(_login_screen)
    email = st.user.get("email")
    role = role_for(email, _tandem_secrets())
    if role is None:
        _only(_no_access_screen)
    who = access.Actor(str(email), role)
    with st.sidebar:
        st.caption("Signed in")
        st.text(f"{st.user.get('name') or email}\n{email}\nrole: {role}")
        st.button("Log out", on_click=st.logout, key="auth_logout", icon=":material/logout:")
    return who
