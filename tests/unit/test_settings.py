"""tandem.toml: defaults, validation naming the bad key."""

from __future__ import annotations

import pytest

from queries import settings


def test_settings_repo_file_is_valid_and_matches_defaults():
    assert settings.load(settings.DEFAULT_FILE) == settings.Settings()


def test_settings_missing_file_means_defaults(tmp_path):
    assert settings.load(tmp_path / "none.toml") == settings.Settings()


@pytest.mark.parametrize("text, key", [
    ("[company]\ncurrency = 'dollars'", "company.currency"),
    ("[company]\nfiscal_year_start_month = 13", "company.fiscal_year_start_month"),
    ("[company]\nweek_start = 'friday'", "company.week_start"),
    ("[handoff]\nsla_hours = -1", "handoff.sla_hours"),
    ("[pipeline.stage_probabilities]\nproposal = 1.5", "pipeline.stage_probabilities.proposal"),
    ("[pipeline.stage_probabilities]\nwon = 1", "pipeline.stage_probabilities.won"),
    ("[brand]\ndefault_horizon_months = 7", "brand.default_horizon_months"),
    ("[company]\ncolour = 'blue'", "company.colour"),
    ("[extras]\nx = 1", "[extras]"),
])
def test_settings_invalid_value_names_the_key(tmp_path, text, key):
    path = tmp_path / "tandem.toml"
    path.write_text(text)
    with pytest.raises(settings.SettingsError) as caught:
        settings.load(path)
    assert str(caught.value).startswith(f"{path}: {key} ")
    assert "\n" not in str(caught.value)


def test_settings_not_toml_names_the_file(tmp_path):
    path = tmp_path / "tandem.toml"
    path.write_text("[company\nname=")
    with pytest.raises(settings.SettingsError, match="not valid TOML"):
        settings.load(path)


def test_settings_partial_file_keeps_other_defaults(tmp_path):
    path = tmp_path / "tandem.toml"
    path.write_text("[company]\ncurrency = 'EUR'\nfiscal_year_start_month = 2\n"
                    "[pipeline.stage_probabilities]\nproposal = 0.4\n")
    loaded = settings.load(path)
    assert (loaded.currency, loaded.currency_symbol, loaded.fiscal_year_start_month) == ("EUR", "€", 2)
    assert loaded.stage_probabilities == {"prospecting": 0.10, "qualification": 0.25, "proposal": 0.4,
                                          "negotiation": 0.75}


def test_settings_save_round_trips_and_is_atomic(tmp_path):
    path = tmp_path / "tandem.toml"
    raw = {"company": {"name": 'Acme "Quotes" & Co', "currency": "EUR", "fiscal_year_start_month": 4},
           "handoff": {"sla_hours": 8}, "pipeline": {"stage_probabilities": {"proposal": 0.4}}}
    saved = settings.save(raw, path=path)
    assert settings.load(path) == saved
    assert (saved.company_name, saved.currency, saved.sla_hours) == ('Acme "Quotes" & Co', "EUR", 8.0)
    assert [p.name for p in tmp_path.iterdir()] == ["tandem.toml"]


def test_settings_save_refuses_invalid_and_keeps_the_file(tmp_path):
    path = tmp_path / "tandem.toml"
    path.write_text("[company]\ncurrency = 'GBP'\n")
    with pytest.raises(settings.SettingsError, match="company.fiscal_year_start_month"):
        settings.save({"company": {"fiscal_year_start_month": 0}}, path=path)
    assert path.read_text() == "[company]\ncurrency = 'GBP'\n"


def test_settings_save_needs_admin(tmp_path):
    from queries import access

    with pytest.raises(access.PermissionDenied, match="needs the admin role"):
        settings.save({}, path=tmp_path / "t.toml", actor=access.Actor("ann@example.com", "member"))
    assert not (tmp_path / "t.toml").exists()
