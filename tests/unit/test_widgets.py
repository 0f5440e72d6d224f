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
