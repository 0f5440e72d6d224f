"""Generate the sample company: a deterministic DuckDB database with the truths in truths.py planted."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from queries import db
from sample_data import truths as T

DAY = np.timedelta64(1, "D")
HOUR = np.timedelta64(1, "h")
SECOND = np.timedelta64(1, "s")

FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kira", "Liam",
               "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yara")
LAST_NAMES = ("Alvarez", "Berg", "Chen", "Dubois", "Eze", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski",
              "Lopez", "Mensah", "Nakamura", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Varga", "Weber", "Zhou")
COMPANY_A = ("Blue", "North", "Bright", "Iron", "Silver", "Green", "Swift", "Clear", "True", "Bold", "Open", "Prime",
             "Rapid", "Solid", "Summit", "Urban", "Vivid", "Wide", "Alpine", "Coastal")
COMPANY_B = ("Harbor", "Ridge", "Works", "Labs", "Logic", "Systems", "Foods", "Health", "Capital", "Motors",
             "Retail", "Learning", "Dynamics", "Networks", "Analytics", "Energy", "Logistics", "Media")
COMPANY_C = ("Inc", "Ltd", "GmbH", "SA", "Group", "Co")
PRICE_POINTS = ("list price", "10% launch discount", "bundle", "free trial", "annual prepay")
PLACES = ("online", "partners", "events", "direct sales", "marketplace")
PROMOTIONS = ("product launch", "webinar series", "seasonal offer", "brand story", "customer stories",
              "free assessment")
# Cost per thousand impressions and click-through rate by channel.
CPM = {"search": 30.0, "social": 9.0, "display": 4.0, "video": 14.0, "email": 2.0, "events": 60.0,
       "content": 8.0, "partner": 20.0}
CTR = {"search": 0.035, "social": 0.009, "display": 0.003, "video": 0.006, "email": 0.02, "events": 0.05,
       "content": 0.012, "partner": 0.015}
MQL_RATE = {"search": 0.50, "social": 0.35, "display": 0.25, "video": 0.30, "email": 0.40, "events": 0.55,
            "content": 0.40, "partner": 0.50, "organic": 0.45, "direct": 0.45, "referral": 0.55}
FEEDBACK_TEXT = {
    "product": ("Prospects from {c} ask for features we do not have yet.",
                "The {c} message oversells the product; demos disappoint."),
    "price": ("Leads from {c} expect the discount shown in the ad.",
              "Price in {c} creative is above what this segment pays."),
    "place": ("{c} reaches regions we cannot serve yet.",
              "Most {c} leads come from the wrong channel partner territory."),
    "promotion": ("Nobody remembers the {c} offer on the first call.",
                  "The {c} promotion attracts students, not buyers."),
    "lead_quality": ("Leads from {c} are mostly too small to qualify.",
                     "Many {c} leads have fake phone numbers."),
    "other": ("{c} timing clashed with our quarter-end push.",),
}
POSITIVE_TEXT = "Leads from {c} arrive well informed and close quickly."


class GenerationError(db.TandemError):
    """The generator was asked for something it cannot make."""


@dataclass(frozen=True)
class Calendar:
    """The months the sample covers: history ending in the month of `end`, plus planned future months."""
    end: date
    months: int

    @property
    def end_ts(self) -> np.datetime64:
        """The last moment of data: the end of the `end` day."""
        return np.datetime64(self.end + timedelta(days=1), "s") - SECOND

    @property
    def month_starts(self) -> np.ndarray:
        last = np.datetime64(self.end.replace(day=1), "M")
        return np.arange(last - (self.months - 1), last + 1, dtype="datetime64[M]")

    @property
    def start(self) -> np.datetime64:
        return self.month_starts[0].astype("datetime64[s]")


def generate(path: str | os.PathLike, *, seed: int = 7, months: int = 36, end: date | None = None,
             scale: float = 1.0, progress: Callable[[float, str], None] | None = None) -> Path:
    """Write the sample database to `path` (replacing it atomically); return the path."""
    if not 6 <= months <= 240:
        raise GenerationError(f"months must be between 6 and 240, got {months}")
    if not 0.05 <= scale <= 500:
        raise GenerationError(f"scale must be between 0.05 and 500, got {scale}")
    end = end or date.today()
    if db.is_postgres(path):
        # A shared Postgres database: generate a file, then swap it in as one transaction.
        from queries import backend

        with tempfile.TemporaryDirectory() as folder:
            local = generate(Path(folder) / "sample.duckdb", seed=seed, months=months, end=end, scale=scale,
                             progress=progress)
            backend.load_file(local, str(path))
        return path
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise GenerationError(f"{target}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise GenerationError(f"{target}: the folder {target.parent} is not writable")
    report = progress or (lambda fraction, text: None)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise GenerationError(f"{target}: cannot write in {target.parent} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(tmp_name)
    try:
        con = db.connect(tmp_name)
        try:
            _uncap_memory(con)
            _build(con, np.random.default_rng(seed), Calendar(end, months), scale, report)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp_name, target)
    except BaseException:
        for leftover in (tmp_name, tmp_name + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise
    report(1.0, "done")
    return target


def _uncap_memory(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's own default memory limit instead of the serving cap: generating is a one-off batch whose arrays are
    in memory anyway, and the key indexes of a scale-200 sample do not fit in 256MB. (RESET alone restores the
    setting but leaves the buffer pool at the old limit, so the default is read back and set.)"""
    con.execute("RESET memory_limit")
    default = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{default}'")  # noqa: S608 - DuckDB's own value, read back just above


def _build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, cal: Calendar, scale: float,
           report: Callable[[float, str], None]) -> None:
    report(0.02, "reps")
    reps = _reps(rng, scale)
    report(0.08, "campaigns and spend")
    campaigns, spend = _campaigns(rng, cal, scale)
    report(0.20, "brand metrics")
    monthly_brand_spend = _monthly_spend(spend, campaigns, cal, objective="brand")
    # The current month is partly elapsed: trackers report it at its full-month pace, not as a dip.
    full_month = (cal.month_starts[-1] + 1).astype("datetime64[D]") - cal.month_starts[-1].astype("datetime64[D]")
    monthly_brand_spend[-1] *= (full_month / DAY) / _month_lengths(cal)[-1]
    brand, awareness = _brand_metrics(rng, cal, monthly_brand_spend, scale)
    report(0.30, "leads")
    leads = _leads(rng, cal, campaigns, spend, awareness, reps, scale)
    report(0.55, "touches")
    touches = _touches(rng, cal, leads, campaigns)
    report(0.65, "deals")
    deals = _deals(rng, cal, leads, reps, scale)
    report(0.75, "quotas and targets")
    quotas = _quotas(rng, cal, reps, deals)
    targets = _targets(cal, leads, quotas, deals)
    feedback = _feedback(rng, cal, campaigns, spend, leads, deals, reps, scale)
    report(0.80, "writing the database")
    _write(con, cal, reps, campaigns, spend, brand, leads, touches, deals, quotas, targets, feedback)


# --- reps -------------------------------------------------------------------------------------------------

def _reps(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    per_team = max(3, round(10 * scale))
    rows = []
    for team in T.REGIONS:
        manager = f"{FIRST_NAMES[len(rows) % 24]} {LAST_NAMES[(len(rows) * 7 + 3) % 22]}"
        for k in range(1, per_team + 1):
            i = len(rows)
            rows.append({
                "rep_id": f"{team}-{k:03d}",
                "name": f"{FIRST_NAMES[(i * 5 + 1) % 24]} {LAST_NAMES[(i * 3 + len(team)) % 22]}",
                "team": team, "region": team, "manager": manager,
                "active": bool(k != per_team or team != "LATAM"),
            })
    reps = pd.DataFrame(rows)
    # Skill scales a rep's win rate and deal sizes; median response hours is how fast they call back.
    reps["skill"] = np.exp(rng.normal(0.0, 0.22, len(reps)))
    reps["response_median_h"] = np.exp(rng.normal(np.log(5.0), 0.4, len(reps)))
    slow = reps.rep_id.isin(T.SLOW_REP_IDS)
    reps.loc[slow, "response_median_h"] = 70.0
    return reps


# --- campaigns and spend ------------------------------------------------------------------------------------

def _campaigns(rng: np.random.Generator, cal: Calendar, scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = max(24, round(400 * scale))
    start0 = cal.start.astype("datetime64[D]")
    end_day = np.datetime64(cal.end, "D")
    span = int((end_day - start0) / DAY)
    objective = np.where(rng.random(n) < 0.25, "brand", "demand")
    channel = np.where(objective == "brand", rng.choice(T.BRAND_CHANNELS, n), rng.choice(T.CHANNELS, n))
    # A few campaigns are planned for the next two months; the rest started within the history.
    offset = np.where(rng.random(n) < 0.03, span + rng.integers(3, 60, n), rng.integers(0, span, n))
    start = start0 + offset * DAY
    duration = rng.integers(14, 91, n)
    finish = start + (duration - 1) * DAY
    budget_mean = np.where(objective == "brand", 60_000.0, 18_000.0)
    budget = np.round(budget_mean * np.exp(rng.normal(0, 0.6, n)) / 100) * 100
    product = rng.choice(T.PRODUCTS, n)
    promotion = np.where(objective == "brand", rng.choice(("brand story", "customer stories"), n),
                         rng.choice(PROMOTIONS, n))
    campaigns = pd.DataFrame({
        "campaign_id": [f"C-{i:05d}" for i in range(1, n + 1)],
        "channel": channel, "objective": objective, "product": product,
        "price_point": rng.choice(PRICE_POINTS, n), "place": rng.choice(PLACES, n), "promotion": promotion,
        "start_date": start, "end_date": finish, "budget": budget,
        "owner": [f"{FIRST_NAMES[i % 24]} {LAST_NAMES[(i * 11) % 22]}" for i in rng.integers(0, 1000, n)],
    })
    campaigns["name"] = (campaigns["product"] + " · " + campaigns["promotion"] + " · " + campaigns["channel"]
                         + " · " + pd.to_datetime(campaigns["start_date"]).dt.strftime("%b %Y"))
    # The stadium flight: a nine-month-old, six-month display campaign with the biggest budget of all.
    stadium_start = max(start0, np.datetime64(cal.end, "M").astype("datetime64[D]") - 300 * DAY)
    stadium = {
        "campaign_id": T.STADIUM_CAMPAIGN_ID, "name": T.STADIUM_CAMPAIGN_NAME, "channel": "display",
        "objective": "brand", "product": "Core platform", "price_point": "list price", "place": "stadiums",
        "promotion": "brand story", "start_date": stadium_start, "end_date": stadium_start + 179 * DAY,
        "budget": float(np.round(max(campaigns.budget.max() * 3, 900_000 * max(scale, 0.2) ** 0.5), -3)),
        "owner": "Grace Hansen",
    }
    campaigns = pd.concat([campaigns, pd.DataFrame([stadium])], ignore_index=True)
    campaigns["start_date"] = campaigns["start_date"].astype("datetime64[s]")
    campaigns["end_date"] = campaigns["end_date"].astype("datetime64[s]")
    return campaigns, _spend(rng, cal, campaigns)


def _spend(rng: np.random.Generator, cal: Calendar, campaigns: pd.DataFrame) -> pd.DataFrame:
    start = campaigns.start_date.to_numpy().astype("datetime64[D]")
    finish = campaigns.end_date.to_numpy().astype("datetime64[D]")
    duration = ((finish - start) / DAY).astype(int) + 1
    pacing = rng.uniform(0.85, 1.08, len(campaigns))
    idx = np.repeat(np.arange(len(campaigns)), duration)
    day = start[idx] + (np.arange(len(idx)) - np.repeat(np.cumsum(duration) - duration, duration)) * DAY
    keep = day <= np.datetime64(cal.end, "D")
    idx, day = idx[keep], day[keep]
    daily = campaigns.budget.to_numpy()[idx] * pacing[idx] / duration[idx] * rng.uniform(0.6, 1.4, len(idx))
    daily = np.round(daily, 2)
    channel = campaigns.channel.to_numpy()[idx]
    cpm = np.vectorize(CPM.get)(channel) * rng.uniform(0.8, 1.2, len(idx))
    impressions = np.floor(daily / cpm * 1000).astype(np.int64)
    clicks = rng.binomial(impressions, np.vectorize(CTR.get)(channel))
    reach = np.floor(impressions * rng.uniform(0.45, 0.7, len(idx))).astype(np.int64)
    return pd.DataFrame({"campaign_idx": idx, "day": day.astype("datetime64[s]"), "spend": daily,
                         "impressions": impressions, "clicks": clicks, "reach": reach})


def _monthly_spend(spend: pd.DataFrame, campaigns: pd.DataFrame, cal: Calendar, *, objective: str) -> np.ndarray:
    is_objective = campaigns.objective.to_numpy()[spend.campaign_idx.to_numpy()] == objective
    month = spend.day.to_numpy().astype("datetime64[M]")
    index = ((month - cal.month_starts[0]) / np.timedelta64(1, "M")).astype(int)
    return np.bincount(index[is_objective], weights=spend.spend.to_numpy()[is_objective], minlength=cal.months)


# --- brand ----------------------------------------------------------------------------------------------------

def adstock(series: np.ndarray, theta: float, initial: float = 0.0) -> np.ndarray:
    """Geometric carry-over: a[t] = x[t] + theta * a[t-1]."""
    out = np.empty(len(series))
    carry = initial
    for t, value in enumerate(series):
        carry = value + theta * carry
        out[t] = carry
    return out


def _brand_metrics(rng: np.random.Generator, cal: Calendar, brand_spend: np.ndarray,
                   scale: float) -> tuple[pd.DataFrame, np.ndarray]:
    """Brand metrics per region and 'all'; returns them and aided awareness with lag months of pre-history."""
    lag = T.BRAND_TO_PIPELINE_LAG_MONTHS
    typical = float(np.median(brand_spend[brand_spend > 0])) if (brand_spend > 0).any() else 1.0
    # Pre-history: the months before the sample ran at typical spend, so carry-over starts at steady state.
    history = np.concatenate([np.full(lag, typical) * rng.uniform(0.7, 1.3, lag), brand_spend])
    stock = adstock(history, T.ADSTOCK_THETA, initial=typical / (1 - T.ADSTOCK_THETA))
    half = typical / (1 - T.ADSTOCK_THETA)
    hill = stock ** T.HILL_SHAPE / (stock ** T.HILL_SHAPE + half ** T.HILL_SHAPE)
    aided_all = T.AWARENESS_FLOOR_PCT + T.AWARENESS_LIFT_PCT * hill + rng.normal(0, 0.35, len(hill))
    competitor = typical * 2.2 * rng.uniform(0.85, 1.15, len(history))
    region_offset = {"NA": 4.0, "EMEA": 1.0, "APAC": -3.0, "LATAM": -6.0}
    rows = []
    months = cal.month_starts.astype("datetime64[D]")
    for region in ("all", *T.REGIONS):
        weight = 1.0 if region == "all" else T.REGION_WEIGHTS[T.REGIONS.index(region)]
        aided = aided_all[lag:] + (0 if region == "all" else region_offset[region] + rng.normal(0, 0.6, cal.months))
        values = {
            "aided_awareness": aided,
            "unaided_awareness": 0.42 * aided + rng.normal(0, 0.4, cal.months),
            "consideration": 0.55 * np.concatenate([[aided[0]], aided[:-1]]) + rng.normal(0, 0.5, cal.months),
            "share_of_voice": 100 * history[lag:] / (history[lag:] + competitor[lag:]),
            "share_of_search": 12 + 0.6 * aided + rng.normal(0, 0.5, cal.months),
            "branded_search": np.round(900 * scale * weight * aided * rng.uniform(0.95, 1.05, cal.months)),
            "web_visits": np.round(5200 * scale * weight * aided * rng.uniform(0.9, 1.1, cal.months)),
        }
        for metric, series in values.items():
            source = {"aided_awareness": "brand tracker survey", "unaided_awareness": "brand tracker survey",
                      "consideration": "brand tracker survey", "share_of_voice": "media monitoring",
                      "share_of_search": "search trends", "branded_search": "search console",
                      "web_visits": "web analytics"}[metric]
            rows.append(pd.DataFrame({"month": months, "metric": metric, "region": region,
                                      "value": np.round(np.maximum(series, 0), 2), "source": source}))
    brand = pd.concat(rows, ignore_index=True)
    brand["month"] = brand["month"].astype("datetime64[s]")
    return brand, aided_all


# --- leads ----------------------------------------------------------------------------------------------------

def _random_times(rng: np.random.Generator, start: np.ndarray, length_days: np.ndarray) -> np.ndarray:
    seconds = (rng.random(len(start)) * length_days * 86_400).astype(np.int64)
    return start.astype("datetime64[s]") + seconds * SECOND


def _leads(rng: np.random.Generator, cal: Calendar, campaigns: pd.DataFrame, spend: pd.DataFrame,
           awareness: np.ndarray, reps: pd.DataFrame, scale: float) -> pd.DataFrame:
    # Inbound: volume this month follows aided awareness BRAND_TO_PIPELINE_LAG_MONTHS ago (awareness starts
    # that many months before the first month).
    lagged = awareness[: cal.months]
    inbound_per_month = 750 * scale * (lagged / lagged.mean()) ** T.INBOUND_AWARENESS_ELASTICITY
    inbound_counts = rng.poisson(inbound_per_month)
    month_start = np.repeat(cal.month_starts.astype("datetime64[D]"), inbound_counts)
    month_len = np.repeat(_month_lengths(cal), inbound_counts)
    inbound_created = _random_times(rng, month_start, month_len)
    inbound_channel = rng.choice(T.INBOUND_CHANNELS, len(inbound_created), p=(0.5, 0.3, 0.2))

    # Campaign leads: leads ∝ spend ** 0.6 (diminishing returns); brand campaigns yield few, stadium none.
    total_spend = np.bincount(spend.campaign_idx, weights=spend.spend, minlength=len(campaigns))
    response = total_spend ** T.DEMAND_SPEND_EXPONENT
    demand = campaigns.objective.to_numpy() == "demand"
    k = 33_000 * scale / max(response[demand].sum(), 1.0)
    expected = k * response * np.where(demand, 1.0, 0.08)
    expected[campaigns.campaign_id.to_numpy() == T.STADIUM_CAMPAIGN_ID] = 0.0
    per_campaign = rng.poisson(expected)
    cidx = np.repeat(np.arange(len(campaigns)), per_campaign)
    c_start = campaigns.start_date.to_numpy().astype("datetime64[D]")[cidx]
    c_days = ((campaigns.end_date.to_numpy().astype("datetime64[D]")[cidx] - c_start) / DAY + 1).astype(float)
    campaign_created = _random_times(rng, c_start, c_days)

    created = np.concatenate([inbound_created, campaign_created])
    campaign_idx = np.concatenate([np.full(len(inbound_created), -1), cidx])
    channel = np.concatenate([inbound_channel, campaigns.channel.to_numpy()[cidx]])
    keep = created <= cal.end_ts
    created, campaign_idx, channel = created[keep], campaign_idx[keep], channel[keep]
    order = np.argsort(created, kind="stable")
    created, campaign_idx, channel = created[order], campaign_idx[order], channel[order]
    n = len(created)

    region_i = rng.choice(len(T.REGIONS), n, p=T.REGION_WEIGHTS)
    segment = rng.choice(T.SEGMENTS, n, p=T.SEGMENT_WEIGHTS)
    team_sizes = reps.groupby("team", sort=False).size().reindex(list(T.REGIONS)).to_numpy()
    team_first = np.concatenate([[0], np.cumsum(team_sizes)[:-1]])
    rep_idx = team_first[region_i] + (rng.random(n) * team_sizes[region_i]).astype(int)

    end_ts = cal.end_ts
    mql_p = np.vectorize(MQL_RATE.get)(channel)
    is_mql = rng.random(n) < mql_p
    mql_at = created + (rng.exponential(3.0, n) * 86_400).astype(np.int64) * SECOND

    # Response time from MQL to first contact: rep's median, lognormal spread; some never, some before MQL.
    response_h = reps.response_median_h.to_numpy()[rep_idx] * np.exp(rng.normal(0, 1.0, n))
    fate = rng.random(n)
    never = fate < 0.06
    early = (fate >= 0.06) & (fate < 0.10)
    contact = mql_at + (response_h * 3600).astype(np.int64) * SECOND
    early_contact = np.maximum(created, mql_at - (rng.uniform(1, 48, n) * 3600).astype(np.int64) * SECOND)
    contact = np.where(early, early_contact, contact)
    contacted = is_mql & ~never
    within = contacted & ((contact - mql_at) / HOUR <= T.FAST_RESPONSE_HOURS)

    accept_roll = rng.random(n)
    accepted = contacted & (accept_roll < 0.80)
    rejected = is_mql & ~accepted & (accept_roll < 0.96)
    decision_at = np.maximum(contact, mql_at) + (rng.uniform(1, 48, n) * 3600).astype(np.int64) * SECOND
    sql_p = np.where(within, T.SQL_RATE_FAST, T.SQL_RATE_SLOW)
    is_sql = accepted & (rng.random(n) < sql_p)
    skips_sal = is_sql & (rng.random(n) < 0.05)
    sql_at = decision_at + (rng.exponential(3.0, n) * 86_400).astype(np.int64) * SECOND

    def upto_end(flag: np.ndarray, when: np.ndarray) -> np.ndarray:
        return np.where(flag & (when <= end_ts), when, np.datetime64("NaT"))

    mql_col = upto_end(is_mql, mql_at)
    has_mql = ~np.isnat(mql_col)
    contact_col = upto_end(contacted | (early & is_mql), contact)
    sal_col = upto_end(accepted & ~skips_sal & has_mql, decision_at)
    rejected_col = upto_end(rejected & has_mql, decision_at)
    sql_col = upto_end(is_sql & has_mql & ~np.isnat(contact_col), sql_at)
    sal_col = np.where(~np.isnat(sql_col) | ~skips_sal, sal_col, np.datetime64("NaT"))
    reject_reason = np.where(np.isnat(rejected_col), None, rng.choice(T.REJECT_REASONS, n))
    attempts = np.where(np.isnat(contact_col), np.where(is_mql & never & has_mql, rng.integers(0, 3, n), 0),
                        1 + rng.poisson(1.3, n))
    company_i = rng.integers(0, len(COMPANY_A) * len(COMPANY_B) * len(COMPANY_C), n)
    owner = np.where(is_mql | (rng.random(n) < 0.85), rep_idx, -1)
    return pd.DataFrame({
        "created_at": created, "campaign_idx": campaign_idx, "channel": channel,
        "region": np.asarray(T.REGIONS)[region_i], "segment": segment,
        "industry": rng.choice(T.INDUSTRIES, n), "company_i": company_i, "rep_idx": owner,
        "mql_at": mql_col, "sal_at": sal_col, "sql_at": sql_col, "rejected_at": rejected_col,
        "reject_reason": reject_reason, "first_contact_at": contact_col, "contact_attempts": attempts,
    })


def _month_lengths(cal: Calendar) -> np.ndarray:
    starts = cal.month_starts.astype("datetime64[D]")
    ends = (cal.month_starts + 1).astype("datetime64[D]")
    lengths = ((ends - starts) / DAY).astype(float)
    elapsed = (np.datetime64(cal.end, "D") - starts[-1]) / DAY + 1
    lengths[-1] = float(elapsed)
    return lengths


# --- touches -------------------------------------------------------------------------------------------------

def _touches(rng: np.random.Generator, cal: Calendar, leads: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    created = leads.created_at.to_numpy()
    source = leads.campaign_idx.to_numpy()
    first = source >= 0
    parts = [pd.DataFrame({"lead_idx": np.flatnonzero(first), "campaign_idx": source[first],
                           "touched_at": created[first]})]
    # Further touches: campaigns running around the time the lead was created (before and after it).
    extra = rng.poisson(1.3, len(leads))
    lead_idx = np.repeat(np.arange(len(leads)), extra)
    touched = created[lead_idx] + (rng.uniform(-20, 45, len(lead_idx)) * 86_400).astype(np.int64) * SECOND
    pool = campaigns.campaign_id.to_numpy() != T.STADIUM_CAMPAIGN_ID
    c_start = campaigns.start_date.to_numpy()[pool]
    c_ids = np.flatnonzero(pool)
    order = np.argsort(c_start, kind="stable")
    c_start, c_ids = c_start[order], c_ids[order]
    # Pick among the ~40 campaigns that started closest before the touch.
    position = np.searchsorted(c_start, touched) - 1 - rng.integers(0, 40, len(touched))
    position = np.clip(position, 0, len(c_ids) - 1)
    keep = touched <= cal.end_ts
    parts.append(pd.DataFrame({"lead_idx": lead_idx[keep], "campaign_idx": c_ids[position][keep],
                               "touched_at": np.maximum(touched, c_start[position])[keep]}))
    # The stadium flight is hard to track: only a handful of scanned QR codes.
    stadium = int(np.flatnonzero(~pool)[0])
    s_start = campaigns.start_date.to_numpy()[stadium]
    s_leads = np.flatnonzero((created >= s_start) & (created <= campaigns.end_date.to_numpy()[stadium]))
    if len(s_leads):
        chosen = rng.choice(s_leads, min(3, len(s_leads)), replace=False)
        parts.append(pd.DataFrame({"lead_idx": chosen, "campaign_idx": stadium, "touched_at": created[chosen]}))
    touches = pd.concat(parts, ignore_index=True)
    touches = touches[touches.touched_at <= cal.end_ts]
    return touches.sort_values(["lead_idx", "touched_at"], kind="stable").reset_index(drop=True)


# --- deals -----------------------------------------------------------------------------------------------------

def _deals(rng: np.random.Generator, cal: Calendar, leads: pd.DataFrame, reps: pd.DataFrame,
           scale: float) -> pd.DataFrame:
    sql_at = leads.sql_at.to_numpy()
    from_leads = np.flatnonzero(~np.isnat(sql_at) & (rng.random(len(leads)) < 0.8))
    created_m = sql_at[from_leads] + (rng.exponential(4.0, len(from_leads)) * 86_400).astype(np.int64) * SECOND
    keep = created_m <= cal.end_ts
    from_leads, created_m = from_leads[keep], created_m[keep]
    rep_m = leads.rep_idx.to_numpy()[from_leads]
    rep_m = np.where(rep_m >= 0, rep_m, rng.integers(0, len(reps), len(rep_m)))

    # Sales-sourced deals (no lead): outbound prospecting spread evenly over the history.
    n_out = rng.poisson(len(from_leads) / 3)
    total_days = float((cal.end_ts - cal.start) / DAY)
    created_o = cal.start + (rng.random(n_out) * total_days * 86_400).astype(np.int64) * SECOND
    rep_o = rng.integers(0, len(reps), n_out)

    lead_idx = np.concatenate([from_leads, np.full(n_out, -1)])
    created = np.concatenate([created_m, created_o])
    rep_idx = np.concatenate([rep_m, rep_o])
    segment = np.concatenate([leads.segment.to_numpy()[from_leads], rng.choice(T.SEGMENTS, n_out,
                                                                               p=T.SEGMENT_WEIGHTS)])
    company_i = np.concatenate([leads.company_i.to_numpy()[from_leads],
                                rng.integers(0, len(COMPANY_A) * len(COMPANY_B) * len(COMPANY_C), n_out)])
    n = len(created)
    skill = reps.skill.to_numpy()[rep_idx]
    median = np.vectorize(T.DEAL_MEDIAN_AMOUNT.get)(segment)
    amount = np.round(median * skill ** 0.5 * np.exp(rng.normal(0, 0.45, n)) / 50) * 50
    cycle = rng.gamma(4.0, np.vectorize(T.DEAL_MEAN_CYCLE_DAYS.get)(segment) / 4.0)
    close = (created.astype("datetime64[D]") + np.ceil(cycle).astype(int) * DAY)
    win_p = np.clip(np.vectorize(T.WIN_RATE.get)(segment) * skill, 0.02, 0.9)
    won = rng.random(n) < win_p
    closed = close <= np.datetime64(cal.end, "D")
    progress = ((np.datetime64(cal.end, "D") - created.astype("datetime64[D]")) / DAY) / np.maximum(cycle, 1)
    open_stage = np.select([progress < 0.25, progress < 0.5, progress < 0.75],
                           ["prospecting", "qualification", "proposal"], "negotiation")
    stage = np.where(closed, np.where(won, "won", "lost"), open_stage)
    no_date = ~closed & (rng.random(n) < 0.03)
    close_col = np.where(no_date, np.datetime64("NaT"), close).astype("datetime64[s]")
    loss = np.where(stage == "lost", rng.choice(T.LOSS_REASONS, n), None)
    order = np.argsort(created, kind="stable")
    deals = pd.DataFrame({
        "lead_idx": lead_idx, "company_i": company_i, "rep_idx": rep_idx,
        "product": rng.choice(T.PRODUCTS, n, p=(0.6, 0.25, 0.15)), "segment": segment,
        "created_at": created, "close_date": close_col, "stage": stage, "amount": amount, "loss_reason": loss,
    })
    return deals.iloc[order].reset_index(drop=True)


# --- quotas, targets, feedback ------------------------------------------------------------------------------------

def _all_months(cal: Calendar) -> np.ndarray:
    return np.arange(cal.month_starts[0], cal.month_starts[-1] + 1 + T.QUOTA_FUTURE_MONTHS, dtype="datetime64[M]")


def _quotas(rng: np.random.Generator, cal: Calendar, reps: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    won = deals[deals.stage == "won"]
    # A full quota month per rep is set at what an average rep books, so skill decides who beats it.
    full_months = cal.months - 1
    per_rep_month = won.amount.sum() / max(len(reps) * full_months, 1) * 1.02
    months = _all_months(cal)
    month_num = (months.astype(int) % 12) + 1
    season = np.vectorize(T.QUOTA_SEASONALITY.get)(month_num)
    season = season / np.mean(list(T.QUOTA_SEASONALITY.values()))
    rep_i = np.repeat(np.arange(len(reps)), len(months))
    month_i = np.tile(np.arange(len(months)), len(reps))
    amount = np.round(per_rep_month * season[month_i] * rng.uniform(0.95, 1.05, len(rep_i)) / 500) * 500
    return pd.DataFrame({"rep_idx": rep_i, "month": months[month_i].astype("datetime64[s]"), "amount": amount})


def _targets(cal: Calendar, leads: pd.DataFrame, quotas: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    months = _all_months(cal)
    mql_month = leads.mql_at.dropna().to_numpy().astype("datetime64[M]")
    per_month_mqls = len(mql_month) / max(cal.months - 0.5, 1)
    sourced = deals[deals.lead_idx >= 0]
    sourced_per_month = sourced.amount.sum() / max(cal.months - 0.5, 1)
    revenue = quotas.groupby("month").amount.sum()
    rows = []
    for m in months:
        ts = pd.Timestamp(m)
        rows += [
            {"month": ts, "metric": "revenue", "team": "joint", "value": float(revenue.get(ts, 0.0))},
            {"month": ts, "metric": "mqls", "team": "marketing", "value": float(round(per_month_mqls * 1.05))},
            {"month": ts, "metric": "sourced_pipeline", "team": "marketing",
             "value": float(round(sourced_per_month * 1.05, -3))},
            {"month": ts, "metric": "sla_pct", "team": "sales", "value": 90.0},
        ]
    return pd.DataFrame(rows)


def _feedback(rng: np.random.Generator, cal: Calendar, campaigns: pd.DataFrame, spend: pd.DataFrame,
              leads: pd.DataFrame, deals: pd.DataFrame, reps: pd.DataFrame, scale: float) -> pd.DataFrame:
    total_spend = np.bincount(spend.campaign_idx, weights=spend.spend, minlength=len(campaigns))
    sourced = deals[deals.lead_idx >= 0]
    deal_campaign = leads.campaign_idx.to_numpy()[sourced.lead_idx.to_numpy()]
    has_campaign = deal_campaign >= 0
    pipeline = np.bincount(deal_campaign[has_campaign], weights=sourced.amount.to_numpy()[has_campaign],
                           minlength=len(campaigns))
    spent = total_spend > np.median(total_spend[total_spend > 0])
    ratio = np.where(spent, pipeline / np.maximum(total_spend, 1), np.inf)
    weakest = np.argsort(ratio, kind="stable")[: T.WEAK_CAMPAIGN_COUNT]
    started = np.flatnonzero(total_spend > 0)
    n = max(30, round(300 * scale))
    on_weak = rng.random(n) < T.WEAK_CAMPAIGN_FEEDBACK_SHARE
    campaign = np.where(on_weak, rng.choice(weakest, n), rng.choice(started, n))
    topics = ("product", "price", "place", "promotion", "lead_quality", "other")
    topic = rng.choice(topics, n, p=(0.18, 0.2, 0.12, 0.2, 0.25, 0.05))
    sentiment = np.where(on_weak, rng.choice((-1, 0), n, p=(0.85, 0.15)), rng.choice((-1, 0, 1), n))
    c_start = campaigns.start_date.to_numpy()[campaign]
    lo = np.maximum(c_start, cal.start)
    span = np.maximum(((cal.end_ts - lo) / DAY).astype(float), 1.0)
    created = lo + (rng.random(n) * np.minimum(span, 120) * 86_400).astype(np.int64) * SECOND
    rep_i = rng.integers(0, len(reps), n)
    names = campaigns.name.to_numpy()[campaign]
    body = []
    for t, s, name, pick in zip(topic, sentiment, names, rng.integers(0, 2, n), strict=True):
        if s > 0:
            body.append(POSITIVE_TEXT.format(c=name))
        else:
            options = FEEDBACK_TEXT[t]
            body.append(options[pick % len(options)].format(c=name))
    return pd.DataFrame({
        "created_at": created, "author": reps.name.to_numpy()[rep_i], "team": "sales",
        "campaign_idx": campaign, "topic": topic, "sentiment": sentiment.astype(int), "body": body,
    }).sort_values("created_at", kind="stable").reset_index(drop=True)


# --- writing ------------------------------------------------------------------------------------------------------

def _write(con: duckdb.DuckDBPyConnection, cal: Calendar, reps: pd.DataFrame, campaigns: pd.DataFrame,
           spend: pd.DataFrame, brand: pd.DataFrame, leads: pd.DataFrame, touches: pd.DataFrame,
           deals: pd.DataFrame, quotas: pd.DataFrame, targets: pd.DataFrame, feedback: pd.DataFrame) -> None:
    """Insert everything in one transaction; ids are built in SQL from positions (fast at millions of rows)."""
    companies = pd.DataFrame({"name": [f"{a} {b} {c}" for a in COMPANY_A for b in COMPANY_B for c in COMPANY_C]})
    companies["company_i"] = np.arange(len(companies))
    frames = {"g_reps": reps.drop(columns=["skill", "response_median_h"]).reset_index(names="rep_idx"),
              "g_campaigns": campaigns.reset_index(names="campaign_idx"), "g_spend": spend, "g_brand": brand,
              "g_leads": leads.reset_index(names="lead_idx"), "g_touches": touches,
              "g_deals": deals.reset_index(names="deal_idx"), "g_quotas": quotas, "g_targets": targets,
              "g_feedback": feedback.reset_index(names="feedback_idx"), "g_companies": companies}
    with db.transaction(con) as cur:
        for name, frame in frames.items():
            cur.register(name, frame)
        cur.execute("""
            INSERT INTO reps (rep_id, name, team, region, manager, active)
            SELECT rep_id, name, team, region, manager, active FROM g_reps ORDER BY rep_idx;
            INSERT INTO campaigns (campaign_id, name, channel, objective, product, price_point, place, promotion,
                                   start_date, end_date, budget, owner)
            SELECT campaign_id, name, channel, objective, product, price_point, place, promotion,
                   CAST(start_date AS DATE), CAST(end_date AS DATE), budget, owner
            FROM g_campaigns ORDER BY campaign_idx;
            INSERT INTO campaign_spend (campaign_id, day, spend, impressions, clicks, reach)
            SELECT c.campaign_id, CAST(s.day AS DATE), s.spend, s.impressions, s.clicks, s.reach
            FROM g_spend s JOIN g_campaigns c USING (campaign_idx) ORDER BY c.campaign_idx, s.day;
            INSERT INTO brand_metrics (month, metric, region, value, source)
            SELECT CAST(month AS DATE), metric, region, value, source FROM g_brand;
            INSERT INTO leads (lead_id, created_at, campaign_id, channel, region, segment, industry, company,
                               owner_rep_id, mql_at, sal_at, sql_at, rejected_at, reject_reason,
                               first_contact_at, contact_attempts)
            SELECT 'L' || lpad(CAST(l.lead_idx + 1 AS VARCHAR), 8, '0'), l.created_at, c.campaign_id, l.channel,
                   l.region, l.segment, l.industry, co.name, r.rep_id, l.mql_at, l.sal_at, l.sql_at,
                   l.rejected_at, l.reject_reason, l.first_contact_at, l.contact_attempts
            FROM g_leads l
            LEFT JOIN g_campaigns c ON c.campaign_idx = l.campaign_idx
            LEFT JOIN g_reps r ON r.rep_idx = l.rep_idx
            JOIN g_companies co ON co.company_i = l.company_i
            ORDER BY l.lead_idx;
            INSERT INTO touches (lead_id, campaign_id, touched_at)
            SELECT 'L' || lpad(CAST(t.lead_idx + 1 AS VARCHAR), 8, '0'), c.campaign_id, t.touched_at
            FROM g_touches t JOIN g_campaigns c USING (campaign_idx) ORDER BY t.lead_idx, t.touched_at;
            INSERT INTO deals (deal_id, lead_id, account, owner_rep_id, product, segment, created_at, close_date,
                               stage, amount, loss_reason)
            SELECT 'D' || lpad(CAST(d.deal_idx + 1 AS VARCHAR), 7, '0'),
                   CASE WHEN d.lead_idx >= 0 THEN 'L' || lpad(CAST(d.lead_idx + 1 AS VARCHAR), 8, '0') END,
                   co.name, r.rep_id, d.product, d.segment, d.created_at, CAST(d.close_date AS DATE), d.stage,
                   d.amount, d.loss_reason
            FROM g_deals d JOIN g_reps r USING (rep_idx) JOIN g_companies co ON co.company_i = d.company_i
            ORDER BY d.deal_idx;
            INSERT INTO quotas (rep_id, month, amount)
            SELECT r.rep_id, CAST(q.month AS DATE), q.amount FROM g_quotas q JOIN g_reps r USING (rep_idx)
            ORDER BY r.rep_idx, q.month;
            INSERT INTO targets (month, metric, team, value)
            SELECT CAST(month AS DATE), metric, team, value FROM g_targets;
            INSERT INTO feedback (feedback_id, created_at, author, team, campaign_id, topic, sentiment, body)
            SELECT 'F' || lpad(CAST(f.feedback_idx + 1 AS VARCHAR), 6, '0'), f.created_at, f.author, f.team,
                   c.campaign_id, f.topic, f.sentiment, f.body
            FROM g_feedback f JOIN g_campaigns c USING (campaign_idx) ORDER BY f.feedback_idx;
        """)
        _sample_meetings(cur, cal)
        cur.execute("INSERT INTO meta VALUES ('generated_end', $end), ('generated_at', $at)",
                    {"end": cal.end.isoformat(), "at": datetime.combine(cal.end, datetime.min.time()).isoformat()})
        for name in frames:
            cur.unregister(name)


def _sample_meetings(cur: duckdb.DuckDBPyConnection, cal: Calendar) -> None:
    """Two past planning meetings with a few action items, so the meeting page has history to compare."""
    first = cal.end - timedelta(days=56)
    second = cal.end - timedelta(days=28)
    stamp = datetime.combine(first, datetime.min.time()).replace(hour=10)
    cur.execute("""
        INSERT INTO meetings (meeting_id, held_on, title, as_of, notes, status, created_at, created_by)
        VALUES ('M-0001', $d1, 'Monthly revenue council', $d1, 'Agreed to review the stadium flight.', 'closed', $t1,
                'sample'),
               ('M-0002', $d2, 'Monthly revenue council', $d2, 'MQL volume below target in APAC.', 'closed', $t2,
                'sample')
    """, {"d1": first, "d2": second, "t1": stamp, "t2": stamp + timedelta(days=28)})
    items = [
        ("A-0001", "M-0001", "Share the stadium flight's brand-lift survey with sales", "Grace Hansen", "marketing",
         first + timedelta(days=14), "done"),
        ("A-0002", "M-0001", "Call back every inbound MQL within 24 hours", "Sales managers", "sales",
         first + timedelta(days=21), "open"),
        ("A-0003", "M-0002", "Agree the lead scoring rule for webinar leads", "Joint ops", "joint",
         second + timedelta(days=21), "open"),
        ("A-0004", "M-0002", "Pause the lowest-converting display campaigns", "Grace Hansen", "marketing",
         second + timedelta(days=45), "open"),
    ]
    for item_id, meeting_id, title, owner, team, due, status in items:
        cur.execute("""
            INSERT INTO action_items (item_id, meeting_id, title, owner, team, due_on, status, created_at, created_by,
                                      updated_at, updated_by)
            VALUES ($id, $m, $title, $owner, $team, $due, $status, $at, 'sample', $at, 'sample')
        """, {"id": item_id, "m": meeting_id, "title": title, "owner": owner, "team": team, "due": due,
              "status": status, "at": stamp})
