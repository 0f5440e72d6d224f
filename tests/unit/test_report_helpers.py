"""The helpers every page draws through: deltas (ui.format.delta), tables (ui.tables) and the import sentences
(ui.needs)."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import format, needs, tables


@pytest.mark.parametrize("value, unit, direction, text, color, arrow", [
    (-234_000, "money", "higher", "-$234k", "normal", "auto"),   # a shortfall: red, down
    (-12.5, "money", "lower", "-$12", "inverse", "auto"),        # a lower cost: green, down
    (3.24, "points", "higher", "+3.2 pp", "normal", "auto"),
    (0.04, "points", "higher", "±0.0 pp", "off", "off"),        # rounds to nothing: grey, no arrow
    (-0.034, "relative", "higher", "-3%", "normal", "auto"),
    (1_250_000, "count", "neither", "+1.2M", "off", "auto"),     # neither better: grey, arrow by the sign
    (2.0, "days", "lower", "+2 d", "inverse", "auto"),
    (-1.25, "hours", "lower", "-1.2 h", "inverse", "auto"),
])
def test_delta_sign_colour_and_arrow(value, unit, direction, text, color, arrow):
    made = format.delta(value, unit=unit, direction=direction, against="vs last month")
    assert made == {"delta": text, "delta_color": color, "delta_arrow": arrow, "delta_description": "vs last month"}


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA])
def test_delta_without_a_comparison_draws_nothing(value):
    assert format.delta(value, unit="money", direction="higher") == {"delta": None}


def test_delta_takes_the_direction_from_the_registry(monkeypatch):
    log: list = []
    monkeypatch.setattr(format, "DELTA_LOG", log)
    assert format.delta(-0.2, unit="relative", metric="cost_per_lead")["delta_color"] == "inverse"
    assert format.delta(-0.2, unit="relative", metric="pipeline_created")["delta_color"] == "normal"
    assert [entry[:2] for entry in log] == [(-0.2, "lower"), (-0.2, "higher")]
    with pytest.raises(ValueError, match="unknown delta unit"):
        format.delta(1, unit="furlongs")


def test_table_headers_are_words_and_every_kind_has_a_format():
    frame = pd.DataFrame({"booked_to_date": [1.5], "attainment_to_date": [0.5], "rep_id": ["R1"], "leads": [3],
                          "avg_cycle_days": [12.0], "mystery_ratio": [0.25], "month": [pd.Timestamp("2026-03-01")]})
    made = tables.config(frame, kinds={"mystery_ratio": "ratio"})
    specs = {name: column["label"] for name, column in made.items()}
    assert specs == {"booked_to_date": "Booked to date", "attainment_to_date": "Attainment to date", "rep_id": "Rep",
                     "leads": "Leads", "avg_cycle_days": "Average cycle", "mystery_ratio": "Mystery ratio",
                     "month": "Month"}
    formats = {name: column.get("type_config", {}).get("format") for name, column in made.items()}
    assert formats["booked_to_date"] == "$%,.0f" and formats["attainment_to_date"] == "percent"
    assert formats["leads"] == "%,d" and formats["avg_cycle_days"] == "%,.0f d" and formats["month"] == "MMM YYYY"
    assert formats["mystery_ratio"] == "%.2f×"


def test_an_undeclared_float_column_is_left_raw_for_the_page_walk_to_catch():
    made = tables.config(pd.DataFrame({"mystery": [0.25]}))
    assert made["mystery"]["label"] == "Mystery" and "format" not in made["mystery"].get("type_config", {})
    with pytest.raises(ValueError, match="no such columns: nope"):
        tables.config(pd.DataFrame({"a": [1]}), labels={"nope": "x"})


def test_import_sentences_name_the_checklist_steps():
    assert needs.sentence(["deals", "quotas"], "Pipeline coverage") == (
        "Pipeline coverage needs deals and quotas: import them on the Data page.")
    assert needs.sentence(["campaigns", "campaign_spend"], "Spend") == (
        "Spend needs campaigns and spend: import them on the Data page.")
    assert needs.sentence(["reps"], "The team filter") == (
        "The team filter needs the sales team: import it on the Data page.")
    assert [step.key for step in needs.STEPS] == ["reps", "deals", "quotas", "campaigns", "leads", "brand"]


def test_the_as_of_date_opens_on_the_datas_last_day_when_the_data_ends_before_this_month():
    from datetime import date

    from ui import filters

    today = date(2026, 12, 7)
    assert filters.default_as_of(today, None) == today  # an empty database
    assert filters.default_as_of(today, date(2026, 12, 6)) == today  # current data
    assert filters.default_as_of(today, date(2026, 12, 1)) == today
    assert filters.default_as_of(today, date(2026, 11, 30)) == date(2026, 11, 30)  # last month's export
    assert filters.default_as_of(today, date(2017, 12, 31)) == date(2017, 12, 31)  # an old public sample


def test_a_column_already_written_as_text_is_shown_as_text_whatever_its_name():
    made = tables.config(pd.DataFrame({"value": ["33.9%", "12,345"], "quota": [1.0, 2.0]}))
    assert "format" not in made["value"].get("type_config", {})  # "value" is a metric's column, here text
    assert made["quota"]["type_config"]["format"] == "$%,.0f"
