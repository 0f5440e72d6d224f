"""The company's settings (tandem.toml): currency, fiscal calendar, SLA and stage probabilities, validated on load."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from queries import access
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


def settings_path() -> Path:
    return Path(os.environ.get("TANDEM_SETTINGS") or DEFAULT_FILE)


def load(path: str | os.PathLike | None = None) -> Settings:
    """Read and validate the settings file; a missing file means all defaults."""
    file = Path(path) if path else settings_path()
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


def to_toml(settings: Settings) -> str:
    """The settings as a tandem.toml text (values JSON-quoted, which is valid TOML for strings and numbers)."""
    lines = ["# Tandem settings, written by the Settings page. See the repository's tandem.toml for what each means.",
             "", "[company]",
             f"name = {json.dumps(settings.company_name, ensure_ascii=False)}",
             f"currency = {json.dumps(settings.currency)}",
             f"fiscal_year_start_month = {settings.fiscal_year_start_month}",
             f"week_start = {json.dumps(settings.week_start)}",
             "", "[handoff]", f"sla_hours = {settings.sla_hours:g}",
             "", "[pipeline.stage_probabilities]"]
    lines += [f"{stage} = {settings.stage_probabilities[stage]:g}" for stage in OPEN_STAGES]
    lines += ["", "[brand]", f"default_horizon_months = {settings.default_horizon_months}", ""]
    return "\n".join(lines)


def save(raw: dict[str, Any], *, path: str | os.PathLike | None = None, actor: access.Actor | None = None) -> Settings:
    """Validate raw settings (the TOML structure) and write them atomically; admins only."""
    access.require(actor, "admin", "change settings")
    file = Path(path) if path else settings_path()
    settings = parse(raw, source=str(file))
    fd, tmp = tempfile.mkstemp(prefix=".tandem.", suffix=".toml", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(to_toml(settings))
        os.replace(tmp, file)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return settings
