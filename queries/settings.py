"""The company's settings (name, currency, fiscal calendar, SLA, stage probabilities), kept in the database.

They live in the `settings` table, one row per key with a JSON value, so every server of a shared database reads the
same. tandem.toml (or the file TANDEM_SETTINGS names) only seeds a new database: `python -m queries.db init`, the
sample generator and the upgrade of an older file take its values. Every value is validated when read and written.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from queries import access, db
from queries.db import ROOT, TandemError

DEFAULT_FILE = ROOT / "tandem.toml"
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "¥", "AUD": "A$",
                    "CAD": "C$", "BRL": "R$"}


class SettingsError(TandemError):
    """The settings file has a key Tandem cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    company_name: str = "Sample Company"
    currency: str = "USD"
    fiscal_year_start_month: int = 1
    week_start: str = "monday"
    sla_hours: float = 24.0
    stage_probabilities: dict[str, float] = field(default_factory=lambda: {
        "prospecting": 0.10, "qualification": 0.25, "proposal": 0.50, "negotiation": 0.75})
    default_horizon_months: int = 24

    @property
    def currency_symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency, self.currency + " ")


def seed_path() -> Path:
    """The file a new database takes its settings from: TANDEM_SETTINGS, else tandem.toml at the repository root."""
    return Path(os.environ.get("TANDEM_SETTINGS") or DEFAULT_FILE)


def seed() -> Settings:
    """The settings a new database starts with (seed_path(); all defaults when there is no such file)."""
    return load_file(seed_path())


def seeded(*, company: str | None = None, currency: str | None = None, fiscal_year_start: int | None = None,
           week_start: str | None = None) -> Settings:
    """The seed settings with the given values in their place, validated (a SettingsError names the bad value): what
    a new database of one's own starts with."""
    raw = to_raw(seed())
    given = {"name": company, "currency": currency.strip().upper() if isinstance(currency, str) else currency,
             "fiscal_year_start_month": fiscal_year_start, "week_start": week_start}
    raw["company"].update({key: value for key, value in given.items() if value is not None})
    return parse(raw, source="the new database's settings")


def load_file(path: str | os.PathLike) -> Settings:
    """Read and validate a settings file (TOML); a missing file means all defaults."""
    file = Path(path)
    if not file.exists():
        return Settings()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{file}: not valid TOML ({exc})") from None
    return parse(raw, source=str(file))


def parse(raw: dict[str, Any], *, source: str = "settings") -> Settings:
    defaults = Settings()

    def get(section: str, key: str, default: Any) -> Any:
        block = raw.get(section, {})
        if not isinstance(block, dict):
            raise SettingsError(f"{source}: [{section}] must be a table")
        return block.get(key, default)

    def fail(key: str, why: str) -> SettingsError:
        return SettingsError(f"{source}: {key} {why}")

    known = {"company": {"name", "currency", "fiscal_year_start_month", "week_start"}, "handoff": {"sla_hours"},
             "pipeline": {"stage_probabilities"}, "brand": {"default_horizon_months"}}
    for section, block in raw.items():
        if section not in known:
            raise fail(f"[{section}]", "is not a known section")
        if isinstance(block, dict):
            for key in block:
                if key not in known[section]:
                    raise fail(f"{section}.{key}", "is not a known key")

    name = get("company", "name", defaults.company_name)
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise fail("company.name", "must be a non-empty text of at most 80 characters")
    currency = get("company", "currency", defaults.currency)
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise fail("company.currency", f"must be a three-letter ISO code such as USD, got {currency!r}")
    start = get("company", "fiscal_year_start_month", defaults.fiscal_year_start_month)
    if not isinstance(start, int) or isinstance(start, bool) or not 1 <= start <= 12:
        raise fail("company.fiscal_year_start_month", f"must be a whole number 1–12, got {start!r}")
    week = get("company", "week_start", defaults.week_start)
    if week not in ("monday", "sunday"):
        raise fail("company.week_start", f"must be \"monday\" or \"sunday\", got {week!r}")
    sla = get("handoff", "sla_hours", defaults.sla_hours)
    if not isinstance(sla, int | float) or isinstance(sla, bool) or not 0 < sla <= 24 * 30:
        raise fail("handoff.sla_hours", f"must be a number of hours between 0 and 720, got {sla!r}")
    probabilities = dict(defaults.stage_probabilities)
    given = get("pipeline", "stage_probabilities", {})
    if not isinstance(given, dict):
        raise fail("pipeline.stage_probabilities", "must be a table of stage = probability")
    for stage, value in given.items():
        if stage not in OPEN_STAGES:
            raise fail(f"pipeline.stage_probabilities.{stage}", f"is not an open stage ({', '.join(OPEN_STAGES)})")
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise fail(f"pipeline.stage_probabilities.{stage}", f"must be between 0 and 1, got {value!r}")
        probabilities[stage] = float(value)
    horizon = get("brand", "default_horizon_months", defaults.default_horizon_months)
    if horizon not in (0, 12, 24, 36):
        raise fail("brand.default_horizon_months", f"must be 12, 24, 36 or 0 (all), got {horizon!r}")
    return Settings(company_name=name.strip(), currency=currency, fiscal_year_start_month=start, week_start=week,
                    sla_hours=float(sla), stage_probabilities=probabilities, default_horizon_months=horizon)


def to_raw(settings: Settings) -> dict[str, dict[str, Any]]:
    """The settings as the nested structure parse() reads (the sections of tandem.toml)."""
    return {"company": {"name": settings.company_name, "currency": settings.currency,
                        "fiscal_year_start_month": settings.fiscal_year_start_month,
                        "week_start": settings.week_start},
            "handoff": {"sla_hours": settings.sla_hours},
            "pipeline": {"stage_probabilities": dict(settings.stage_probabilities)},
            "brand": {"default_horizon_months": settings.default_horizon_months}}


def _rows(settings: Settings) -> list[tuple[str, str]]:
    """One (key, JSON value) per setting: 'company.name', …, 'pipeline.stage_probabilities.proposal'."""
    rows = []
    for section, block in to_raw(settings).items():
        for key, value in block.items():
            if isinstance(value, dict):
                rows += [(f"{section}.{key}.{inner}", json.dumps(v)) for inner, v in value.items()]
            else:
                rows.append((f"{section}.{key}", json.dumps(value, ensure_ascii=False)))
    return rows


def _raw(rows: list[tuple[str, str]], source: str) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for key, text in rows:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise SettingsError(f"{source}: {key} is not a valid value ({text[:40]!r})") from None
        *path, last = key.split(".")
        block = raw
        for part in path:
            block = block.setdefault(part, {})
            if not isinstance(block, dict):
                raise SettingsError(f"{source}: {key} clashes with another key")
        block[last] = value
    return raw


def write_rows(cur, settings: Settings, *, actor: str | None = None) -> None:
    """Replace the settings rows inside the caller's transaction (every key written, so a key added later gets its
    value the first time settings are saved)."""
    rows = _rows(settings)
    when = datetime.now().replace(microsecond=0)
    cur.execute("DELETE FROM settings")
    cur.execute("INSERT INTO settings SELECT unnest($keys), unnest($values), $at, $by",
                {"keys": [k for k, _ in rows], "values": [v for _, v in rows], "at": when, "by": actor})


def load(con) -> Settings:
    """The database's settings, validated. A file of an older schema opened read-only has no settings table: it reads
    the seed file's (what its upgrade would store)."""
    try:
        with con.cursor() as cur:
            rows = cur.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    except duckdb.CatalogException:
        return seed()
    return parse(_raw(rows, "the database's settings"), source="the database's settings")


def save(con, raw: dict[str, Any], *, actor: access.Actor | None = None) -> Settings:
    """Validate raw settings (the structure of tandem.toml's sections) and store them in one transaction; admins
    only. Every page reads them from the next run on (the write moves data_version)."""
    who = access.require(actor, "admin", "change settings")
    settings = parse(raw, source="settings")
    with db.transaction(con) as cur:
        write_rows(cur, settings, actor=who.user)
        db.bump_data_version(cur, ["settings"])
    return settings
