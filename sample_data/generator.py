"""Generate the sample company: a deterministic DuckDB database with the truths in truths.py planted.

Whole calendar months are generated, each from random generators of its own (seeded by the seed, the month and what
is drawn), and the end date then cuts them: a month's campaigns, brand readings, leads and deals are the same
whatever the end date or the number of months (docs/SAMPLE_DATA.md, "The same story every day").
"""

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


N_COMPANIES = len(COMPANY_A) * len(COMPANY_B) * len(COMPANY_C)
# Channels as codes while generating (campaign channels first, then the inbound ones), names only in the frames.
ALL_CHANNELS = (*T.CHANNELS, *T.INBOUND_CHANNELS)
CPM_BY_CHANNEL = np.array([CPM.get(c, np.nan) for c in ALL_CHANNELS])
CTR_BY_CHANNEL = np.array([CTR.get(c, np.nan) for c in ALL_CHANNELS])
MQL_RATE_BY_CHANNEL = np.array([MQL_RATE[c] for c in ALL_CHANNELS])

# Each calendar month draws from generators of its own, one per stream (see _month_rng); the few draws that belong
# to no month (the reps, the stadium flight, the feedback) have streams of their own too.
STREAM_CAMPAIGNS, STREAM_BRAND, STREAM_INBOUND, STREAM_CAMPAIGN_LEADS, STREAM_OUTBOUND, STREAM_QUOTAS = range(1, 7)
STREAM_REPS, STREAM_STADIUM, STREAM_FEEDBACK = 101, 102, 103
MONTH_OFFSET = 30_000  # months since 1970 are negative before 1970; seed entropy must not be

# Volumes per calendar month at scale 1 (scale multiplies them): about 400 campaigns, 60k leads and 9k deals in 36
# months. Demand runs at a steady pace and brand in flights, so what moves inbound demand from month to month is the
# brand (the signal the lag explorer looks for), not when demand campaigns happened to start.
DEMAND_CAMPAIGNS_PER_MONTH = 8.0
BRAND_CAMPAIGNS_PER_MONTH = 2.6
BRAND_FLIGHTS = (0.0, 1.0, 2.0)  # each month's brand flight, drawn: dark, normal or heavy (times the pace)
MIN_CAMPAIGN_SCALE = 0.06  # at least ~24 campaigns in 36 months, however small the scale
BUDGET_MEDIAN = {"demand": 18_000.0, "brand": 60_000.0}
BUDGET_SIGMA = 0.6
PACING_RANGE = (0.85, 1.08)
CAMPAIGN_DAYS = {"demand": (45, 136), "brand": (14, 36)}  # [shortest, longest + 1): demand programmes, brand bursts
PLANNED_DAYS = 45  # campaigns starting up to this many days after the end date are planned already
INBOUND_LEADS_PER_MONTH = 950.0  # at the reference awareness (the middle of the Hill curve)
DEMAND_LEADS_PER_MONTH = 600.0  # sourced by demand campaigns at their expected spend
BRAND_CAMPAIGN_LEAD_SHARE = 0.08  # a brand campaign sources this share of what a demand campaign of its spend would
OUTBOUND_DEALS_PER_MONTH = 66.0
# Awareness also moves for reasons other than spend (news, word of mouth): each month's own shock, in points.
AWARENESS_SHOCK_PCT = 1.0
# Mean days from a lead to its MQL, from acceptance to SQL and from SQL to the deal: most inbound leads become
# pipeline in the month they arrive, so pipeline created follows awareness at the planted lag, not a month later.
MQL_DELAY_DAYS, SQL_DELAY_DAYS, DEAL_DELAY_DAYS = 1.5, 1.5, 2.0
STADIUM_BUDGET = 900_000.0
COMPETITOR_SPEND_RATIO = 1.5  # competitors together advertise this many times what the company does, on average
# Carry-over is summed over this many months of spend, the months before them at the expected pace: a month's
# awareness depends on its own and the 23 months before it, never on where the sample starts (0.6 ** 24 ≈ 5e-6).
ADSTOCK_MONTHS = 24
MAX_CAMPAIGN_MONTHS = 5  # the longest run (135 days) from a month's last day ends within the fifth month after
REGION_AWARENESS_OFFSET = {"NA": 4.0, "EMEA": 1.0, "APAC": -3.0, "LATAM": -6.0}
BRAND_SOURCES = {"aided_awareness": "brand tracker survey", "unaided_awareness": "brand tracker survey",
                 "consideration": "brand tracker survey", "share_of_voice": "media monitoring",
                 "share_of_search": "search trends", "branded_search": "search console", "web_visits": "web analytics"}


class GenerationError(db.TandemError):
    """The generator was asked for something it cannot make."""


@dataclass(frozen=True)
class Calendar:
    """The months the sample covers, those it generates around them, and where the end date cuts."""
    end: date
    months: int

    @property
    def end_ts(self) -> np.datetime64:
        """The last moment of data: the end of the `end` day."""
        return np.datetime64(self.end + timedelta(days=1), "s") - SECOND

    @property
    def end_month(self) -> np.datetime64:
        return np.datetime64(self.end, "M")

    @property
    def month_starts(self) -> np.ndarray:
        """The sample's months: `months` of them, the last one the end date's."""
        return np.arange(self.end_month - (self.months - 1), self.end_month + 1, dtype="datetime64[M]")

    @property
    def start(self) -> np.datetime64:
        return self.month_starts[0].astype("datetime64[s]")

    @property
    def last_reading(self) -> np.datetime64:
        """The last month with brand readings: the end date's month once it has ended, else the month before."""
        ended = (np.datetime64(self.end, "D") + 1).astype("datetime64[M]") > self.end_month
        return self.end_month if ended else self.end_month - 1

    @property
    def campaign_months(self) -> np.ndarray:
        """Months whose campaigns are generated: enough before the sample for the carry-over of its first month's
        inbound leads (ADSTOCK_MONTHS before the lag), and two after the end month for the planned campaigns."""
        first = self.month_starts[0] - (ADSTOCK_MONTHS + T.BRAND_TO_PIPELINE_LAG_MONTHS + MAX_CAMPAIGN_MONTHS)
        return np.arange(first, self.end_month + 3, dtype="datetime64[M]")


def _month_rng(seed: int, month: np.datetime64, stream: int) -> np.random.Generator:
    """The random numbers of one calendar month and one stream: independent of every other month and stream."""
    return np.random.default_rng([seed, stream, int(month.astype("datetime64[M]").astype(np.int64)) + MONTH_OFFSET])


def _days_in(month: np.datetime64) -> int:
    return int(((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")) / DAY)


def generate(path: str | os.PathLike, *, seed: int = 7, months: int = 36, end: date | None = None,
             scale: float = 1.0, progress: Callable[[float, str], None] | None = None) -> Path:
    """Write the sample database to `path` (replacing it atomically); return the path."""
    if not 6 <= months <= 240:
        raise GenerationError(f"months must be between 6 and 240, got {months}")
    if not 0.05 <= scale <= 500:
        raise GenerationError(f"scale must be between 0.05 and 500, got {scale}")
    if seed < 0:
        raise GenerationError(f"seed must be 0 or more, got {seed}")
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
            _build(con, seed, Calendar(end, months), scale, report)
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


def _build(con: duckdb.DuckDBPyConnection, seed: int, cal: Calendar, scale: float,
           report: Callable[[float, str], None]) -> None:
    report(0.02, "reps")
    reps = _reps(np.random.default_rng([seed, STREAM_REPS]), scale)
    report(0.08, "campaigns and spend")
    world, world_spend = _campaigns(seed, cal, scale)
    report(0.20, "brand metrics")
    brand, awareness = _brand_metrics(seed, cal, world, world_spend, scale)
    report(0.30, "leads")
    leads, lead_draws, touch_draws = _leads(seed, cal, world, world_spend, awareness, reps, scale)
    campaigns, spend, leads = _cut_campaigns(cal, world, world_spend, leads)
    report(0.55, "touches")
    touches = _touches(seed, cal, leads, touch_draws, campaigns)
    report(0.65, "deals")
    deals = _deals(seed, cal, leads, lead_draws, reps, scale)
    report(0.75, "quotas and targets")
    quotas = _quotas(seed, cal, reps, deals)
    targets = _targets(cal, leads, quotas, deals)
    feedback = _feedback(np.random.default_rng([seed, STREAM_FEEDBACK]), cal, campaigns, spend, leads, deals, reps,
                         scale)
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

def _campaign_scale(scale: float) -> float:
    return max(scale, MIN_CAMPAIGN_SCALE)


def expected_spend(scale: float, objective: str) -> float:
    """The expected spend of a month on campaigns with this objective (the stadium flight aside). Brand spend at
    this pace holds awareness at the middle of its curve."""
    per_month = {"brand": BRAND_CAMPAIGNS_PER_MONTH * float(np.mean(BRAND_FLIGHTS)),
                 "demand": DEMAND_CAMPAIGNS_PER_MONTH}[objective]
    budget = BUDGET_MEDIAN[objective] * np.exp(BUDGET_SIGMA ** 2 / 2)
    return per_month * _campaign_scale(scale) * budget * float(np.mean(PACING_RANGE))


def _campaigns(seed: int, cal: Calendar, scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every campaign that started in cal.campaign_months, then the stadium flight; each one's daily spend over its
    whole run (campaign_idx is the position in the first frame). The caller cuts both to the sample."""
    rate = _campaign_scale(scale)
    months, spends, first_idx = [], [], 0
    brand_channels = np.array([ALL_CHANNELS.index(c) for c in T.BRAND_CHANNELS])
    for month in cal.campaign_months:
        rng = _month_rng(seed, month, STREAM_CAMPAIGNS)
        flight = BRAND_FLIGHTS[rng.integers(len(BRAND_FLIGHTS))]
        # Demand runs at a steady pace (as many new campaigns every month); brand comes in flights of varying weight.
        demand_pace = DEMAND_CAMPAIGNS_PER_MONTH * rate
        n_demand = int(demand_pace) + int(rng.random() < demand_pace % 1)
        n_brand = rng.poisson(BRAND_CAMPAIGNS_PER_MONTH * rate * flight)
        n = n_demand + n_brand
        brand = np.arange(n) >= n_demand
        channel_i = np.where(brand, rng.choice(brand_channels, n), rng.integers(0, len(T.CHANNELS), n))
        start = month.astype("datetime64[D]") + rng.integers(0, _days_in(month), n) * DAY
        duration = np.where(brand, rng.integers(*CAMPAIGN_DAYS["brand"], n), rng.integers(*CAMPAIGN_DAYS["demand"], n))
        median = np.where(brand, BUDGET_MEDIAN["brand"], BUDGET_MEDIAN["demand"])
        budget = np.round(median * np.exp(rng.normal(0, BUDGET_SIGMA, n)) / 100) * 100
        months.append({
            "brand": brand, "channel_i": channel_i, "product_i": rng.integers(0, len(T.PRODUCTS), n),
            "price_i": rng.integers(0, len(PRICE_POINTS), n), "place_i": rng.integers(0, len(PLACES), n),
            "promotion_i": np.where(brand, rng.integers(0, 2, n), rng.integers(0, len(PROMOTIONS), n)),
            "start": start, "duration": duration, "budget": budget, "owner_i": rng.integers(0, 1000, n),
        })
        spends.append(_daily_spend(rng, start, duration, budget, channel_i, first_idx))
        first_idx += n
    c = {k: np.concatenate([m[k] for m in months]) for k in months[0]}
    brand, start = c["brand"], c["start"]
    product = np.asarray(T.PRODUCTS, dtype=object)[c["product_i"]]
    promotion = np.where(brand, np.array(["brand story", "customer stories"], dtype=object)[c["promotion_i"] % 2],
                         np.asarray(PROMOTIONS, dtype=object)[c["promotion_i"]])
    channel = np.asarray(ALL_CHANNELS, dtype=object)[c["channel_i"]]
    owners = np.array([f"{FIRST_NAMES[i % 24]} {LAST_NAMES[(i * 11) % 22]}" for i in range(1000)], dtype=object)
    campaigns = pd.DataFrame({
        "channel": channel, "channel_i": c["channel_i"], "objective": np.where(brand, "brand", "demand"),
        "product": product, "price_point": np.asarray(PRICE_POINTS, dtype=object)[c["price_i"]],
        "place": np.asarray(PLACES, dtype=object)[c["place_i"]], "promotion": promotion,
        "start_date": start, "end_date": start + (c["duration"] - 1) * DAY, "budget": c["budget"],
        "owner": owners[c["owner_i"]],
        "name": product + " · " + promotion + " · " + channel + " · "
                + pd.DatetimeIndex(start).strftime("%b %Y").to_numpy(dtype=object),
    })
    # The stadium flight: the biggest budget of all, starting in the spring at least a few months before the end.
    stadium_start = _stadium_start(cal)
    stadium = {
        "campaign_id": T.STADIUM_CAMPAIGN_ID, "name": T.STADIUM_CAMPAIGN_NAME, "channel": "display",
        "channel_i": ALL_CHANNELS.index("display"), "objective": "brand", "product": "Core platform",
        "price_point": "list price", "place": "stadiums", "promotion": "brand story", "start_date": stadium_start,
        "end_date": stadium_start + (T.STADIUM_DAYS - 1) * DAY,
        "budget": float(np.round(STADIUM_BUDGET * max(scale, 0.2) ** 0.5, -3)), "owner": "Grace Hansen",
    }
    rng = np.random.default_rng([seed, STREAM_STADIUM])
    spends.append(_daily_spend(rng, np.array([stadium_start]), np.array([T.STADIUM_DAYS]),
                               np.array([stadium["budget"]]), np.array([stadium["channel_i"]]), len(campaigns)))
    campaigns = pd.concat([campaigns, pd.DataFrame([stadium])], ignore_index=True)
    campaigns["start_date"] = campaigns["start_date"].astype("datetime64[s]")
    campaigns["end_date"] = campaigns["end_date"].astype("datetime64[s]")
    spend = pd.DataFrame({k: np.concatenate([s[k] for s in spends]) for k in spends[0]})
    return campaigns, spend


def _stadium_start(cal: Calendar) -> np.datetime64:
    """The 1st of STADIUM_START_MONTH in the latest year where that is STADIUM_MIN_AGE_MONTHS or more before the end
    date's month (so the flight is the same all year long), or the sample's first day if that is later."""
    latest = cal.end_month - T.STADIUM_MIN_AGE_MONTHS
    start = latest.astype("datetime64[Y]").astype("datetime64[M]") + (T.STADIUM_START_MONTH - 1)
    if start > latest:
        start -= 12
    return max(start, cal.month_starts[0]).astype("datetime64[D]")


def _daily_spend(rng: np.random.Generator, start: np.ndarray, duration: np.ndarray, budget: np.ndarray,
                 channel_i: np.ndarray, first_idx: int) -> dict[str, np.ndarray]:
    """One row per campaign and day of its run: spend paced around budget / days, impressions, clicks, reach."""
    pacing = rng.uniform(*PACING_RANGE, len(start))
    local = np.repeat(np.arange(len(start)), duration)
    day = start[local] + (np.arange(len(local)) - np.repeat(np.cumsum(duration) - duration, duration)) * DAY
    daily = np.round(budget[local] * pacing[local] / duration[local] * rng.uniform(0.6, 1.4, len(local)), 2)
    row_channel = channel_i[local]
    cpm = CPM_BY_CHANNEL[row_channel] * rng.uniform(0.8, 1.2, len(local))
    impressions = np.floor(daily / cpm * 1000).astype(np.int64)
    clicks = rng.binomial(impressions, CTR_BY_CHANNEL[row_channel])
    reach = np.floor(impressions * rng.uniform(0.45, 0.7, len(local))).astype(np.int64)
    return {"campaign_idx": local + first_idx, "day": day.astype("datetime64[s]"), "spend": daily,
            "impressions": impressions, "clicks": clicks, "reach": reach}


def _monthly_spend(world: pd.DataFrame, spend: pd.DataFrame, months: np.ndarray,
                   objective: str | None = None) -> np.ndarray:
    """Spend per month of `months` on campaigns with this objective, or all (every day of every run, before any cut)."""
    chosen = world.objective.to_numpy()[spend.campaign_idx.to_numpy()] == objective if objective else True
    index = (spend.day.to_numpy().astype("datetime64[M]") - months[0]).astype(int)
    inside = chosen & (index >= 0) & (index < len(months))
    return np.bincount(index[inside], weights=spend.spend.to_numpy()[inside], minlength=len(months))


def _cut_campaigns(cal: Calendar, world: pd.DataFrame, world_spend: pd.DataFrame,
                   leads: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The campaigns the sample holds (running in it, or planned to start within PLANNED_DAYS after the end), in
    start order with their ids; their spend inside the sample; leads pointing at them."""
    planned_until = np.datetime64(cal.end, "D") + PLANNED_DAYS * DAY
    keep = ((world.end_date.to_numpy() >= cal.start)
            & (world.start_date.to_numpy() <= planned_until.astype("datetime64[s]")))
    is_stadium = np.arange(len(world)) == len(world) - 1
    order = np.flatnonzero(keep & ~is_stadium)
    order = order[np.argsort(world.start_date.to_numpy()[order], kind="stable")]
    order = np.concatenate([order, np.flatnonzero(is_stadium)])
    campaigns = world.iloc[order].reset_index(drop=True)
    campaigns["campaign_id"] = [f"C-{i:05d}" for i in range(1, len(campaigns) + 1)]
    campaigns.loc[len(campaigns) - 1, "campaign_id"] = T.STADIUM_CAMPAIGN_ID
    new_idx = np.full(len(world), -1)
    new_idx[order] = np.arange(len(order))
    day = world_spend.day.to_numpy()
    inside = (day >= cal.start) & (day <= cal.end_ts) & (new_idx[world_spend.campaign_idx.to_numpy()] >= 0)
    spend = world_spend[inside].copy()
    spend["campaign_idx"] = new_idx[spend.campaign_idx.to_numpy()]
    spend = spend.sort_values(["campaign_idx", "day"], kind="stable").reset_index(drop=True)
    leads = leads.copy()
    source = leads.campaign_idx.to_numpy()
    leads["campaign_idx"] = np.where(source >= 0, new_idx[np.maximum(source, 0)], -1)
    return campaigns, spend, leads


# --- brand ----------------------------------------------------------------------------------------------------

def adstock(series: np.ndarray, theta: float, initial: float = 0.0) -> np.ndarray:
    """Geometric carry-over: a[t] = x[t] + theta * a[t-1]."""
    out = np.empty(len(series))
    carry = initial
    for t, value in enumerate(series):
        carry = value + theta * carry
        out[t] = carry
    return out


def _brand_metrics(seed: int, cal: Calendar, world: pd.DataFrame, world_spend: pd.DataFrame,
                   scale: float) -> tuple[pd.DataFrame, np.ndarray]:
    """Brand readings per region and 'all' for the sample's months that have ended; returns them and aided awareness
    (all regions) per month from BRAND_TO_PIPELINE_LAG_MONTHS before the sample's first month through its end month."""
    lag = T.BRAND_TO_PIPELINE_LAG_MONTHS
    months = np.arange(cal.month_starts[0] - lag, cal.end_month + 1, dtype="datetime64[M]")
    spend_months = np.arange(months[0] - (ADSTOCK_MONTHS - 1), months[-1] + 1, dtype="datetime64[M]")
    spend = _monthly_spend(world, world_spend, spend_months, "brand")
    typical = expected_spend(scale, "brand")
    kernel = T.ADSTOCK_THETA ** np.arange(ADSTOCK_MONTHS)
    tail = T.ADSTOCK_THETA ** ADSTOCK_MONTHS * typical / (1 - T.ADSTOCK_THETA)
    stock = np.convolve(spend, kernel)[ADSTOCK_MONTHS - 1: len(spend)] + tail
    half = typical / (1 - T.ADSTOCK_THETA)
    hill = stock ** T.HILL_SHAPE / (stock ** T.HILL_SHAPE + half ** T.HILL_SHAPE)
    # Share of voice: all of the company's advertising (brand and demand) against its competitors'.
    advertising = _monthly_spend(world, world_spend, months)
    category = COMPETITOR_SPEND_RATIO * (typical + expected_spend(scale, "demand"))

    # Each month's noise, drawn in a fixed order from that month's own generator: the awareness shock, the
    # competitors' spend factor, then groups of five ('all' first, then each region; no offset noise for 'all').
    regions = ("all", *T.REGIONS)
    draws = []
    for month in months:
        rng = _month_rng(seed, month, STREAM_BRAND)
        draws.append(np.concatenate([
            [rng.normal(0, AWARENESS_SHOCK_PCT), rng.uniform(0.85, 1.15), 0.0], rng.normal(0, 0.6, 4),
            rng.normal(0, 0.4, 5), rng.normal(0, 0.5, 5), rng.normal(0, 0.5, 5), rng.uniform(0.95, 1.05, 5),
            rng.uniform(0.9, 1.1, 5)]))
    noise = np.array(draws)
    aided_all = T.AWARENESS_FLOOR_PCT + T.AWARENESS_LIFT_PCT * hill + noise[:, 0]
    competitor = category * noise[:, 1]
    region_noise, unaided_noise, consideration_noise, search_noise, branded_noise, web_noise = (
        noise[:, 2 + 5 * k: 7 + 5 * k] for k in range(6))

    shown = (months >= cal.month_starts[0]) & (months <= cal.last_reading)
    rows = []
    for r, region in enumerate(regions):
        weight = 1.0 if region == "all" else T.REGION_WEIGHTS[T.REGIONS.index(region)]
        offset = 0.0 if region == "all" else REGION_AWARENESS_OFFSET[region]
        aided = aided_all + offset + region_noise[:, r]
        values = {
            "aided_awareness": aided,
            "unaided_awareness": 0.42 * aided + unaided_noise[:, r],
            "consideration": 0.55 * np.concatenate([[aided[0]], aided[:-1]]) + consideration_noise[:, r],
            "share_of_voice": 100 * advertising / (advertising + competitor),
            "share_of_search": 12 + 0.6 * aided + search_noise[:, r],
            "branded_search": np.round(900 * scale * weight * aided * branded_noise[:, r]),
            "web_visits": np.round(5200 * scale * weight * aided * web_noise[:, r]),
        }
        for metric, series in values.items():
            rows.append(pd.DataFrame({"month": months[shown].astype("datetime64[s]"), "metric": metric,
                                      "region": region, "value": np.round(np.maximum(series[shown], 0), 2),
                                      "source": BRAND_SOURCES[metric]}))
    return pd.concat(rows, ignore_index=True), aided_all


# --- leads ----------------------------------------------------------------------------------------------------

def _random_times(rng: np.random.Generator, start: np.ndarray, length_days: np.ndarray) -> np.ndarray:
    seconds = (rng.random(len(start)) * length_days * 86_400).astype(np.int64)
    return start.astype("datetime64[s]") + seconds * SECOND


def _deal_draws(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """What decides a deal's product, size, length and outcome, drawn before it is known whether it happens."""
    return {"product_i": rng.choice(len(T.PRODUCTS), n, p=(0.6, 0.25, 0.15)), "amount_z": rng.normal(0, 0.45, n),
            "cycle_g": rng.gamma(4.0, 1.0, n), "won_u": rng.random(n), "no_date_u": rng.random(n),
            "loss_i": rng.integers(0, len(T.LOSS_REASONS), n)}


def _lead_draws(rng: np.random.Generator, n: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every random number a batch of n leads needs, in a fixed order: who they are, how far down the funnel they
    get, the deal they may become, and their further campaign touches (by position in the batch)."""
    draws = {
        "region_i": rng.choice(len(T.REGIONS), n, p=T.REGION_WEIGHTS),
        "segment_i": rng.choice(len(T.SEGMENTS), n, p=T.SEGMENT_WEIGHTS),
        "industry_i": rng.integers(0, len(T.INDUSTRIES), n), "company_i": rng.integers(0, N_COMPANIES, n),
        "rep_u": rng.random(n), "mql_u": rng.random(n), "mql_delay_d": rng.exponential(MQL_DELAY_DAYS, n),
        "response_z": rng.normal(0, 1.0, n), "fate_u": rng.random(n), "early_h": rng.uniform(1, 48, n),
        "accept_u": rng.random(n), "decision_h": rng.uniform(1, 48, n), "sql_u": rng.random(n),
        "skip_u": rng.random(n), "sql_delay_d": rng.exponential(SQL_DELAY_DAYS, n),
        "reject_i": rng.integers(0, len(T.REJECT_REASONS), n), "silent_attempts": rng.integers(0, 3, n),
        "more_attempts": rng.poisson(1.3, n), "owner_u": rng.random(n),
        "deal_u": rng.random(n), "deal_delay_d": rng.exponential(DEAL_DELAY_DAYS, n), "deal_rep_u": rng.random(n),
    }
    draws.update({f"deal.{k}": v for k, v in _deal_draws(rng, n).items()})
    extra = rng.poisson(1.3, n)
    total = int(extra.sum())
    touches = {"lead": np.repeat(np.arange(n), extra), "offset_d": rng.uniform(-20, 45, total),
               "pick": rng.integers(0, 40, total)}
    return draws, touches


def _leads(seed: int, cal: Calendar, world: pd.DataFrame, world_spend: pd.DataFrame, awareness: np.ndarray,
           reps: pd.DataFrame, scale: float) -> tuple[pd.DataFrame, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Leads created in the sample (campaign_idx: position in `world`, -1 for inbound), sorted by creation; the
    draws each one's deal takes; their further touches (lead: position in the returned frame)."""
    batches = []  # (created, campaign_idx, channel, draws, touches) per month and stream
    # Inbound: volume in a month follows aided awareness BRAND_TO_PIPELINE_LAG_MONTHS earlier (awareness[i] is that
    # of the sample's month i minus the lag).
    reference = T.AWARENESS_FLOOR_PCT + T.AWARENESS_LIFT_PCT / 2
    for month, lagged in zip(cal.month_starts, awareness, strict=False):
        rng = _month_rng(seed, month, STREAM_INBOUND)
        n = rng.poisson(INBOUND_LEADS_PER_MONTH * scale * (lagged / reference) ** T.INBOUND_AWARENESS_ELASTICITY)
        created = _random_times(rng, np.full(n, month.astype("datetime64[D]")), np.full(n, _days_in(month)))
        channel_i = len(T.CHANNELS) + rng.choice(len(T.INBOUND_CHANNELS), n, p=(0.5, 0.3, 0.2))
        batches.append((created, np.full(n, -1), channel_i, *_lead_draws(rng, n)))

    # Campaign leads: leads ∝ spend ** DEMAND_SPEND_EXPONENT (diminishing returns), spread over the whole run of the
    # campaign; brand campaigns yield few, the stadium none. Only campaigns that can reach the sample are drawn.
    total_spend = np.bincount(world_spend.campaign_idx, weights=world_spend.spend, minlength=len(world))
    # Leads per unit of spend ** exponent, so that a month's new demand campaigns bring DEMAND_LEADS_PER_MONTH on
    # average: E[budget ** e] = (median · exp(e · σ² / 2)) ** e for a lognormal budget.
    typical_budget = BUDGET_MEDIAN["demand"] * np.exp(T.DEMAND_SPEND_EXPONENT * BUDGET_SIGMA ** 2 / 2)
    per_response = DEMAND_LEADS_PER_MONTH / (
        DEMAND_CAMPAIGNS_PER_MONTH * (typical_budget * float(np.mean(PACING_RANGE))) ** T.DEMAND_SPEND_EXPONENT)
    per_response *= scale / _campaign_scale(scale)
    expected = per_response * total_spend ** T.DEMAND_SPEND_EXPONENT
    expected *= np.where(world.objective.to_numpy() == "demand", 1.0, BRAND_CAMPAIGN_LEAD_SHARE)
    expected[-1] = 0.0  # the stadium flight
    started = world.start_date.to_numpy().astype("datetime64[M]")
    for month in cal.campaign_months:
        if month < cal.month_starts[0] - MAX_CAMPAIGN_MONTHS or month > cal.end_month:
            continue  # its campaigns ended before the sample began, or start after it ends
        rng = _month_rng(seed, month, STREAM_CAMPAIGN_LEADS)
        chosen = np.flatnonzero(started[:-1] == month)
        counts = rng.poisson(expected[chosen])
        cidx = np.repeat(chosen, counts)
        c_start = world.start_date.to_numpy().astype("datetime64[D]")[cidx]
        c_days = ((world.end_date.to_numpy().astype("datetime64[D]")[cidx] - c_start) / DAY + 1).astype(float)
        created = _random_times(rng, c_start, c_days)
        batches.append((created, cidx, world.channel_i.to_numpy()[cidx], *_lead_draws(rng, len(cidx))))

    created = np.concatenate([b[0] for b in batches])
    keep = (created >= cal.start) & (created <= cal.end_ts)
    order = np.flatnonzero(keep)[np.argsort(created[keep], kind="stable")]
    draws = {k: np.concatenate([b[3][k] for b in batches])[order] for k in batches[0][3]}
    # Further touches: positions within each batch → positions in the concatenation → positions after the cut.
    sizes = np.array([len(b[0]) for b in batches])
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position = np.full(len(created), -1)
    position[order] = np.arange(len(order))
    touch_lead = np.concatenate([position[b[4]["lead"] + f] for b, f in zip(batches, first, strict=True)])
    kept = touch_lead >= 0
    touches = {"lead": touch_lead[kept],
               "offset_d": np.concatenate([b[4]["offset_d"] for b in batches])[kept],
               "pick": np.concatenate([b[4]["pick"] for b in batches])[kept]}
    created = created[order]
    campaign_idx = np.concatenate([b[1] for b in batches])[order]
    channel_i = np.concatenate([b[2] for b in batches])[order]
    return _funnel(cal, created, campaign_idx, channel_i, draws, reps), draws, touches


def _funnel(cal: Calendar, created: np.ndarray, campaign_idx: np.ndarray, channel_i: np.ndarray,
            d: dict[str, np.ndarray], reps: pd.DataFrame) -> pd.DataFrame:
    """Each lead's way down the funnel from its draws, with every event after the end date left out."""
    region_i = d["region_i"]
    team_sizes = reps.groupby("team", sort=False).size().reindex(list(T.REGIONS)).to_numpy()
    team_first = np.concatenate([[0], np.cumsum(team_sizes)[:-1]])
    rep_idx = team_first[region_i] + (d["rep_u"] * team_sizes[region_i]).astype(int)

    end_ts = cal.end_ts
    is_mql = d["mql_u"] < MQL_RATE_BY_CHANNEL[channel_i]
    mql_at = created + (d["mql_delay_d"] * 86_400).astype(np.int64) * SECOND

    # Response time from MQL to first contact: rep's median, lognormal spread; some never, some before MQL.
    response_h = reps.response_median_h.to_numpy()[rep_idx] * np.exp(d["response_z"])
    never = d["fate_u"] < 0.06
    early = (d["fate_u"] >= 0.06) & (d["fate_u"] < 0.10)
    contact = mql_at + (response_h * 3600).astype(np.int64) * SECOND
    early_contact = np.maximum(created, mql_at - (d["early_h"] * 3600).astype(np.int64) * SECOND)
    contact = np.where(early, early_contact, contact)
    contacted = is_mql & ~never
    within = contacted & ((contact - mql_at) / HOUR <= T.FAST_RESPONSE_HOURS)

    accepted = contacted & (d["accept_u"] < 0.80)
    rejected = is_mql & ~accepted & (d["accept_u"] < 0.96)
    decision_at = np.maximum(contact, mql_at) + (d["decision_h"] * 3600).astype(np.int64) * SECOND
    sql_p = np.where(within, T.SQL_RATE_FAST, T.SQL_RATE_SLOW)
    is_sql = accepted & (d["sql_u"] < sql_p)
    skips_sal = is_sql & (d["skip_u"] < 0.05)
    sql_at = decision_at + (d["sql_delay_d"] * 86_400).astype(np.int64) * SECOND

    def upto_end(flag: np.ndarray, when: np.ndarray) -> np.ndarray:
        return np.where(flag & (when <= end_ts), when, np.datetime64("NaT"))

    mql_col = upto_end(is_mql, mql_at)
    has_mql = ~np.isnat(mql_col)
    contact_col = upto_end(contacted | (early & is_mql), contact)
    sal_col = upto_end(accepted & ~skips_sal & has_mql, decision_at)
    rejected_col = upto_end(rejected & has_mql, decision_at)
    sql_col = upto_end(is_sql & has_mql & ~np.isnat(contact_col), sql_at)
    sal_col = np.where(~np.isnat(sql_col) | ~skips_sal, sal_col, np.datetime64("NaT"))
    reject_reason = np.where(np.isnat(rejected_col), None, np.asarray(T.REJECT_REASONS, dtype=object)[d["reject_i"]])
    attempts = np.where(np.isnat(contact_col), np.where(is_mql & never & has_mql, d["silent_attempts"], 0),
                        1 + d["more_attempts"])
    owner = np.where(is_mql | (d["owner_u"] < 0.85), rep_idx, -1)
    return pd.DataFrame({
        "created_at": created, "campaign_idx": campaign_idx,
        "channel": np.asarray(ALL_CHANNELS, dtype=object)[channel_i], "region": np.asarray(T.REGIONS)[region_i],
        "segment": np.asarray(T.SEGMENTS)[d["segment_i"]],
        "industry": np.asarray(T.INDUSTRIES)[d["industry_i"]], "company_i": d["company_i"], "rep_idx": owner,
        "mql_at": mql_col, "sal_at": sal_col, "sql_at": sql_col, "rejected_at": rejected_col,
        "reject_reason": reject_reason, "first_contact_at": contact_col, "contact_attempts": attempts,
    })


# --- touches -------------------------------------------------------------------------------------------------

def _touches(seed: int, cal: Calendar, leads: pd.DataFrame, draws: dict[str, np.ndarray],
             campaigns: pd.DataFrame) -> pd.DataFrame:
    created = leads.created_at.to_numpy()
    source = leads.campaign_idx.to_numpy()
    first = source >= 0
    parts = [pd.DataFrame({"lead_idx": np.flatnonzero(first), "campaign_idx": source[first],
                           "touched_at": created[first]})]
    # Further touches: campaigns running around the time the lead was created (before and after it).
    lead_idx = draws["lead"]
    touched = created[lead_idx] + (draws["offset_d"] * 86_400).astype(np.int64) * SECOND
    pool = campaigns.campaign_id.to_numpy() != T.STADIUM_CAMPAIGN_ID
    c_start = campaigns.start_date.to_numpy()[pool]
    c_ids = np.flatnonzero(pool)
    order = np.argsort(c_start, kind="stable")
    c_start, c_ids = c_start[order], c_ids[order]
    # Pick among the ~40 campaigns that started closest before the touch.
    position = np.clip(np.searchsorted(c_start, touched) - 1 - draws["pick"], 0, len(c_ids) - 1)
    touched = np.maximum(touched, c_start[position])
    keep = (touched >= cal.start) & (touched <= cal.end_ts)
    parts.append(pd.DataFrame({"lead_idx": lead_idx[keep], "campaign_idx": c_ids[position][keep],
                               "touched_at": touched[keep]}))
    # The stadium flight is hard to track: only a handful of scanned QR codes.
    stadium = int(np.flatnonzero(~pool)[0])
    s_start = campaigns.start_date.to_numpy()[stadium]
    s_leads = np.flatnonzero((created >= s_start) & (created <= campaigns.end_date.to_numpy()[stadium]))
    if len(s_leads):
        rng = np.random.default_rng([seed, STREAM_STADIUM, 1])
        chosen = rng.choice(s_leads, min(3, len(s_leads)), replace=False)
        parts.append(pd.DataFrame({"lead_idx": chosen, "campaign_idx": stadium, "touched_at": created[chosen]}))
    touches = pd.concat(parts, ignore_index=True)
    return touches.sort_values(["lead_idx", "touched_at"], kind="stable").reset_index(drop=True)


# --- deals -----------------------------------------------------------------------------------------------------

def _deals(seed: int, cal: Calendar, leads: pd.DataFrame, draws: dict[str, np.ndarray], reps: pd.DataFrame,
           scale: float) -> pd.DataFrame:
    sql_at = leads.sql_at.to_numpy()
    from_leads = np.flatnonzero(~np.isnat(sql_at) & (draws["deal_u"] < 0.8))
    created_m = sql_at[from_leads] + (draws["deal_delay_d"][from_leads] * 86_400).astype(np.int64) * SECOND
    keep = created_m <= cal.end_ts
    from_leads, created_m = from_leads[keep], created_m[keep]
    rep_m = leads.rep_idx.to_numpy()[from_leads]
    rep_m = np.where(rep_m >= 0, rep_m, (draws["deal_rep_u"][from_leads] * len(reps)).astype(int))
    deal_m = {k[len("deal."):]: v[from_leads] for k, v in draws.items() if k.startswith("deal.")}

    # Sales-sourced deals (no lead): outbound prospecting at a steady pace, month by month.
    outbound = []
    for month in cal.month_starts:
        rng = _month_rng(seed, month, STREAM_OUTBOUND)
        n = rng.poisson(OUTBOUND_DEALS_PER_MONTH * scale)
        created = _random_times(rng, np.full(n, month.astype("datetime64[D]")), np.full(n, _days_in(month)))
        outbound.append({"created": created, "rep": rng.integers(0, len(reps), n),
                         "segment_i": rng.choice(len(T.SEGMENTS), n, p=T.SEGMENT_WEIGHTS),
                         "company_i": rng.integers(0, N_COMPANIES, n), **_deal_draws(rng, n)})
    out = {k: np.concatenate([o[k] for o in outbound]) for k in outbound[0]}
    inside = out["created"] <= cal.end_ts
    out = {k: v[inside] for k, v in out.items()}
    n_out = len(out["created"])

    lead_idx = np.concatenate([from_leads, np.full(n_out, -1)])
    created = np.concatenate([created_m, out["created"]])
    rep_idx = np.concatenate([rep_m, out["rep"]])
    segment_i = np.concatenate([draws["segment_i"][from_leads], out["segment_i"]])
    company_i = np.concatenate([draws["company_i"][from_leads], out["company_i"]])
    d = {k: np.concatenate([deal_m[k], out[k]]) for k in deal_m}
    segment = np.asarray(T.SEGMENTS)[segment_i]
    skill = reps.skill.to_numpy()[rep_idx]
    median = np.array([T.DEAL_MEDIAN_AMOUNT[s] for s in T.SEGMENTS])[segment_i]
    amount = np.round(median * skill ** 0.5 * np.exp(d["amount_z"]) / 50) * 50
    cycle = d["cycle_g"] * np.array([T.DEAL_MEAN_CYCLE_DAYS[s] for s in T.SEGMENTS])[segment_i] / 4.0
    close = (created.astype("datetime64[D]") + np.ceil(cycle).astype(int) * DAY)
    win_p = np.clip(np.array([T.WIN_RATE[s] for s in T.SEGMENTS])[segment_i] * skill, 0.02, 0.9)
    won = d["won_u"] < win_p
    end_day = np.datetime64(cal.end, "D")
    closed = close <= end_day
    progress = ((end_day - created.astype("datetime64[D]")) / DAY) / np.maximum(cycle, 1)
    open_stage = np.select([progress < 0.25, progress < 0.5, progress < 0.75],
                           ["prospecting", "qualification", "proposal"], "negotiation")
    stage = np.where(closed, np.where(won, "won", "lost"), open_stage)
    no_date = ~closed & (d["no_date_u"] < 0.03)
    close_col = np.where(no_date, np.datetime64("NaT"), close).astype("datetime64[s]")
    loss = np.where(stage == "lost", np.asarray(T.LOSS_REASONS, dtype=object)[d["loss_i"]], None)
    order = np.argsort(created, kind="stable")
    deals = pd.DataFrame({
        "lead_idx": lead_idx, "company_i": company_i, "rep_idx": rep_idx,
        "product": np.asarray(T.PRODUCTS)[d["product_i"]], "segment": segment,
        "created_at": created, "close_date": close_col, "stage": stage, "amount": amount, "loss_reason": loss,
    })
    return deals.iloc[order].reset_index(drop=True)


# --- quotas, targets, feedback ------------------------------------------------------------------------------------

def _all_months(cal: Calendar) -> np.ndarray:
    return np.arange(cal.month_starts[0], cal.month_starts[-1] + 1 + T.QUOTA_FUTURE_MONTHS, dtype="datetime64[M]")


def _quotas(seed: int, cal: Calendar, reps: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    won = deals[deals.stage == "won"]
    # A full quota month per rep is set at what an average rep books, so skill decides who beats it.
    full_months = cal.months - 1
    per_rep_month = won.amount.sum() / max(len(reps) * full_months, 1) * 1.02
    months = _all_months(cal)
    month_num = (months.astype(int) % 12) + 1
    season = np.array([T.QUOTA_SEASONALITY[m] for m in month_num])
    season = season / np.mean(list(T.QUOTA_SEASONALITY.values()))
    # Each month's spread around the level, one per rep (rows: months, columns: reps).
    spread = np.array([_month_rng(seed, m, STREAM_QUOTAS).uniform(0.95, 1.05, len(reps)) for m in months])
    rep_i = np.repeat(np.arange(len(reps)), len(months))
    month_i = np.tile(np.arange(len(months)), len(reps))
    amount = np.round(per_rep_month * season[month_i] * spread[month_i, rep_i] / 500) * 500
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
