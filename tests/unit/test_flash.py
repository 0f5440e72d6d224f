"""ui.flash: a message queued by a callback shows once, on the page's next run, in the order queued."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui import flash


def _page():
    import streamlit as st

    from ui import flash

    def save():
        flash.add("test_flash", "success", "Saved.")
        flash.add("test_flash", "warning", "Someone else saved first.")
        flash.add("test_flash", "error", "<b>not</b> HTML")

    def other():
        flash.add("other_flash", "info", "Another page's message.")

    flash.show("test_flash")
    st.button("Save", key="test_save", on_click=save)
    st.button("Other", key="test_other", on_click=other)


def shown(at: AppTest) -> list[tuple[str, str]]:
    return [(type(e).__name__, e.value) for e in at.main if type(e).__name__ in ("Success", "Info", "Warning", "Error")]


@pytest.mark.slow
def test_flash_shows_queued_messages_once_in_order_on_the_next_run():
    at = AppTest.from_function(_page).run()
    assert shown(at) == []
    at.button(key="test_save").click().run()
    assert not at.exception
    assert shown(at) == [("Success", "Saved."), ("Warning", "Someone else saved first."), ("Error", "<b>not</b> HTML")]
    at.run()
    assert shown(at) == []


@pytest.mark.slow
def test_flash_keeps_each_pages_messages_under_its_own_key():
    at = AppTest.from_function(_page).run()
    at.button(key="test_other").click().run()
    assert shown(at) == []  # this page shows only its own key's messages; the other page's wait for it
    assert at.session_state["other_flash"] == [("info", "Another page's message.")]


def test_flash_refuses_a_kind_outside_the_message_kinds():
    with pytest.raises(ValueError, match="html"):
        flash.add("test_flash", "html", "<script>alert(1)</script>")
