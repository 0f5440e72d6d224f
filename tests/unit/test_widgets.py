"""ui.widgets: CSV downloads are written on click, from the table as it was drawn."""

from __future__ import annotations

import pandas as pd

from ui import widgets


def test_download_csv_writes_the_frame_as_drawn_when_clicked(monkeypatch):
    buttons = []
    monkeypatch.setattr(widgets.st, "download_button", lambda label, data, **options: buttons.append(
        (label, data, options)))
    frame = pd.DataFrame({"rep": ["Zoë", "Bo"], "amount": [1200.5, 80.0]})
    widgets.download_csv(frame, file_name="reps.csv", key="reps_csv")
    frame.loc[0, "amount"] = 0.0  # the page changes its frame after drawing: the download keeps what was shown
    frame["extra"] = 1
    (label, data, options), = buttons
    assert callable(data)  # nothing written until the button is clicked
    assert data() == "rep,amount\nZoë,1200.5\nBo,80.0\n".encode()
    assert (label, options["file_name"], options["mime"], options["on_click"]) == (
        "Download CSV", "reps.csv", "text/csv", "ignore")


def test_left_out_says_what_a_figure_leaves_out(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(widgets.st, "caption", shown.append)
    widgets.left_out(312, total=2089, things="open deals", lacking="no amount", figure="open pipeline")
    widgets.left_out(1, total=5, things="leads", lacking="no created date", figure="the cohort")
    widgets.left_out(0, total=5, things="leads", lacking="no created date", figure="the cohort")
    widgets.left_out(None, total=5, things="leads", lacking="no created date", figure="the cohort")
    widgets.left_out(4, total=4, things="deals", lacking="no amount", figure="pipeline created")
    assert [text.removeprefix(":material/info: ") for text in shown] == [
        "312 open deals have no amount: open pipeline counts the other 1,777.",
        "1 lead has no created date: the cohort counts the other 4.",
        "4 deals have no amount: pipeline created counts none of them."]
