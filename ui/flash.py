"""Messages that outlive a rerun: a callback queues them under its page's key; the page shows them once, next run."""

from __future__ import annotations

import streamlit as st

# The kinds a message may have, each drawn with the st function of that name. A fixed set: a kind is never taken
# from elsewhere, so no message can reach st.html or st.markdown's unsafe mode.
KINDS = ("success", "info", "warning", "error")


def add(key: str, kind: str, text: str) -> None:
    """Queue `text` under `key` (one key per page), to be shown as a `kind` message on that page's next run."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}; one of {', '.join(KINDS)}")
    st.session_state.setdefault(key, []).append((kind, text))


def show(key: str) -> None:
    """Draw every message queued under `key`, in the order queued, and forget them."""
    for kind, text in st.session_state.pop(key, []):
        getattr(st, kind)(text)
