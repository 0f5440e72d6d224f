"""The planning meeting's PDF brief: scorecard, key charts as images, what changed, feedback, action items, notes,
and the definitions appendix from the metric registry (queries/metrics.toml).

Used by the meeting page's download button and by `python -m brief`. No Streamlit here: money is formatted with the
company currency from the database's settings (queries.settings). Charts are the page's own figures
(ui.charts.meeting), drawn to PNG by kaleido with Debian's Chromium; without a browser the brief is still made, with a
line saying so.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from queries import brand, meeting, metrics, quota, scorecard
from queries import settings as settings_module
from ui.charts import meeting as meeting_charts

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
IMAGE_WIDTH_PX, IMAGE_HEIGHT_PX = 1000, 420
# Feedback is listed in full in the app; the brief keeps each topic to a readable handful.
FEEDBACK_PER_TOPIC = 8
# Core PDF fonts know only Latin-1: the few symbols the brief uses get words instead when DejaVu is missing.
ASCII_FALLBACK = {"✓": "[ok]", "⚠": "[!]", "✗": "[x]", "–": "-", "—": "-", "→": "->", "×": "x", "−": "-",
                  "·": "-", "’": "'", "…": "..."}

_kaleido_lock = threading.Lock()
_kaleido_started = False


class BriefError(meeting.MeetingError):
    """The brief cannot be made as asked (e.g. an unknown meeting); the message says what to do."""


@dataclass(frozen=True)
class BriefData:
    meeting: pd.Series
    previous: pd.Series | None
    scorecard: pd.DataFrame
    month_earlier: pd.DataFrame  # the scorecard as of the same day of the month before (each KPI's change)
    changes: pd.DataFrame
    feedback: pd.DataFrame
    feedback_counts: pd.DataFrame
    action_items: pd.DataFrame
    pacing: pd.DataFrame
    awareness: pd.DataFrame


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()


def collect(con: duckdb.DuckDBPyConnection, *, meeting_id: str,
            settings: settings_module.Settings | None = None) -> BriefData:
    """Everything the brief shows, read through the queries layer at the meeting's as-of date."""
    settings = settings or settings_module.load(con)
    found = meeting.get_meeting(con, meeting_id=meeting_id)
    if found.empty:
        raise BriefError(f"there is no meeting {meeting_id!r}; list them on the Planning meeting page")
    row = found.iloc[0]
    as_of = _as_date(row.as_of)
    previous = meeting.previous_meeting(con, meeting_id=meeting_id)
    options = {"sla_hours": settings.sla_hours, "currency_symbol": settings.currency_symbol}
    return BriefData(
        meeting=row,
        previous=None if previous.empty else previous.iloc[0],
        scorecard=scorecard.scorecard(con, as_of=as_of, **options),
        month_earlier=scorecard.scorecard(con, as_of=scorecard.a_month_earlier(as_of), **options),
        changes=scorecard.what_changed(con, meeting_id=meeting_id, **options),
        feedback=meeting.meeting_feedback(con, meeting_id=meeting_id),
        feedback_counts=meeting.meeting_feedback_by_topic(con, meeting_id=meeting_id),
        action_items=meeting.list_action_items(con, status="open", as_of=as_of),
        pacing=quota.daily_pacing(con, as_of=as_of, by="all"),
        awareness=brand.metric_series(con, metric="aided_awareness", start=date(as_of.year - 1, as_of.month, 1),
                                      end=as_of),
    )


def figures(data: BriefData, *, currency_symbol: str = "$") -> dict[str, object]:
    """The brief's charts by name (only those with data to draw)."""
    labels = {status: scorecard.status_label(status) for status in scorecard.STATUSES}
    measured = data.scorecard[data.scorecard.missing == ""]
    figs: dict[str, object] = {}
    if not measured.empty:  # a KPI not measured has its import named in the table, not an empty bar
        figs["scorecard"] = meeting_charts.scorecard(measured, status_labels=labels)
    if not data.pacing.empty and data.pacing.expected_cumulative.notna().any():
        figs["revenue_pacing"] = meeting_charts.revenue_pacing(data.pacing, symbol=currency_symbol)
    if not data.awareness.dropna(subset=["value"]).empty:
        figs["awareness"] = meeting_charts.awareness_trend(data.awareness)
    if not data.feedback_counts.empty:
        figs["feedback"] = meeting_charts.feedback_by_topic(data.feedback_counts, topic_labels=meeting.TOPIC_LABELS)
    return figs


def render_png(fig) -> bytes:
    """One figure as PNG through kaleido's shared browser (started once per process)."""
    global _kaleido_started
    import kaleido
    import plotly.io as pio

    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        with warnings.catch_warnings():
            # plotly notes that per-call browser options are ignored once the shared server runs: expected.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            return pio.to_image(fig, format="png", width=IMAGE_WIDTH_PX, height=IMAGE_HEIGHT_PX, scale=2)


class _Brief(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVuSans-Bold.ttf").exists()
        if self.unicode:
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family_name = "Body"
        else:
            self.family_name = "Helvetica"
        self.brief_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Tandem")

    def clean(self, text: object) -> str:
        value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
        if self.unicode:
            return value
        for symbol, words in ASCII_FALLBACK.items():
            value = value.replace(symbol, words)
        return value.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family_name, "", 8)
        self.set_text_color(110)
        self.cell(0, 6, self.clean(f"{self.brief_title} · page {self.page_no()}"), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font(self.family_name, "B", size)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(self.family_name, "", 10)

    def para(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 10)

    def image_png(self, png: bytes) -> None:
        width = self.epw
        height = width * IMAGE_HEIGHT_PX / IMAGE_WIDTH_PX
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()
        self.image(io.BytesIO(png), w=width)
        self.ln(3)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        self.set_font(self.family_name, "", 9)
        with super().table(col_widths=widths, text_align="LEFT", line_height=5,
                           headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))) as grid:
            for values in [header, *rows]:
                line = grid.row()
                for value in values:
                    line.cell(self.clean(value))
        self.set_font(self.family_name, "", 10)
        self.ln(3)


def _item_rows(items: pd.DataFrame) -> list[list[str]]:
    rows = []
    for item in items.itertuples(index=False):
        due = "—" if pd.isna(item.due_on) else f"{_as_date(item.due_on):%d %b %Y}"
        state = "⚠ Overdue" if item.overdue else "Open"
        rows.append([state, item.title, item.owner, item.team, due])
    return rows


def _definitions_appendix(pdf: _Brief, settings: settings_module.Settings) -> None:
    """Every definition the room may ask about, from the metric registry: the scorecard's metrics first, then the
    SLA, the lifecycle stages, the attribution models and every metric by owning team."""
    pdf.add_page()
    pdf.heading("Appendix: definitions")
    pdf.para("The same definitions as the app's Definitions page and its tiles' help (queries/metrics.toml).", size=9)
    pdf.ln(2)
    pdf.para("The scorecard's metrics", size=11, bold=True)
    rows = []
    for kpi in scorecard.KPIS:
        metric = metrics.by_scorecard(kpi)
        rows.append([metric.name, metric.definition, metric.formula])
    pdf.table(["Metric", "Definition", "Formula"], rows, [34, 68, 88])
    pdf.para("SLA in force", size=11, bold=True)
    pdf.para(metrics.sla_sentence(settings), size=9)
    pdf.ln(2)
    pdf.para("Lifecycle stages", size=11, bold=True)
    stages = metrics.lifecycle()
    pdf.table(["Stage", "Rule", "Recorded in"], stages[["name", "rule", "field"]].values.tolist(), [36, 112, 42])
    pdf.table(["How the funnel counts", "Rule"], metrics.counting_rules().values.tolist(), [36, 154])
    pdf.para("Attribution models", size=11, bold=True)
    models = metrics.attribution_models()
    pdf.table(["Model", "Rule", "Weights"], models[["name", "rule", "weights"]].values.tolist(), [26, 120, 44])
    for owner, group in metrics.table().groupby("owner", sort=False):
        pdf.para(f"{owner} metrics", size=11, bold=True)
        pdf.table(["Metric", "Definition", "Formula", "Unit"],
                  group[["name", "definition", "formula", "unit"]].values.tolist(), [36, 60, 70, 24])


def build_pdf(con: duckdb.DuckDBPyConnection, *, meeting_id: str,
              settings: settings_module.Settings | None = None, definitions: bool = True) -> bytes:
    """The brief of one meeting as PDF bytes; the definitions appendix follows the notes unless definitions=False."""
    settings = settings or settings_module.load(con)
    data = collect(con, meeting_id=meeting_id, settings=settings)
    symbol = settings.currency_symbol
    images: dict[str, bytes] = {}
    chart_problem = None
    try:
        for name, fig in figures(data, currency_symbol=symbol).items():
            images[name] = render_png(fig)
    except Exception as exc:  # a missing or broken browser must not cost the room its brief
        chart_problem = f"Charts could not be drawn here ({str(exc).splitlines()[0][:160]})."

    m = data.meeting
    as_of, held_on = _as_date(m.as_of), _as_date(m.held_on)
    pdf = _Brief(f"{settings.company_name}: {m.title}, {held_on:%d %b %Y}")

    pdf.add_page()
    pdf.heading(f"Planning brief: {m.title}", size=18)
    pdf.para(f"{settings.company_name} · held on {held_on:%d %b %Y} · figures as of {as_of:%d %b %Y} · "
             f"meeting {m.meeting_id} ({m.status})")
    if data.previous is not None:
        pdf.para(f"Previous meeting: {data.previous.title}, {_as_date(data.previous.held_on):%d %b %Y} "
                 f"(as of {_as_date(data.previous.as_of):%d %b %Y}).")
    pdf.ln(3)
    pdf.heading("1. Joint scorecard")
    earlier = scorecard.a_month_earlier(as_of)
    pdf.para(f"Company-wide, this month to date as of {as_of:%d %b %Y}. Each change compares with the same days of "
             f"last month ({scorecard.to_date(earlier)}; coverage and awareness as of {earlier:%d %b}).", size=9)
    pdf.ln(1)
    moves = scorecard.changes(data.month_earlier, data.scorecard).set_index("kpi")
    rows = [[r.label, scorecard.format_value(r.value, r.unit, symbol),
             scorecard.format_change(moves.change[r.kpi], moves.change_unit[r.kpi], symbol),
             "—" if r.missing else f"{scorecard.format_value(r.goal, r.unit, symbol)} ({r.goal_label})",
             "—" if r.missing else scorecard.status_label(r.status), r.detail]
            for r in data.scorecard.itertuples(index=False)]
    pdf.table(["KPI", "Now", "Change", "Goal", "Status", "Detail"], rows, [34, 18, 20, 36, 22, 60])
    if "scorecard" in images:
        pdf.image_png(images["scorecard"])
    if chart_problem:
        pdf.para(chart_problem)

    pdf.add_page()
    pdf.heading("Key charts")
    for name in ("revenue_pacing", "awareness"):
        if name in images:
            pdf.image_png(images[name])
    if not {"revenue_pacing", "awareness"} & set(images):
        pdf.para(chart_problem or "No revenue pacing or awareness data for this month.")

    pdf.add_page()
    pdf.heading("2. What changed since the last meeting")
    if data.changes.empty:
        pdf.para("This is the first meeting: nothing to compare with yet.")
    for sentence in data.changes.sentence:
        pdf.para(f"• {sentence}")
        pdf.ln(1)
    pdf.ln(3)
    pdf.heading("3. Field feedback since the last meeting")
    if data.feedback.empty:
        pdf.para("No field feedback since the last meeting.")
    else:
        if "feedback" in images:
            pdf.image_png(images["feedback"])
        for topic, group in data.feedback.groupby("topic", sort=False):
            pdf.para(f"{meeting.TOPIC_LABELS.get(topic, topic)} ({len(group)})", size=11, bold=True)
            for item in group.head(FEEDBACK_PER_TOPIC).itertuples(index=False):
                campaign = item.campaign_name if isinstance(item.campaign_name, str) else "no campaign"
                mood = meeting.SENTIMENTS.get(int(item.sentiment), "")
                pdf.para(f"• [{mood}] {campaign}: {item.body} ({item.author or 'unknown'}, "
                         f"{pd.Timestamp(item.created_at):%d %b})", size=9)
            if len(group) > FEEDBACK_PER_TOPIC:
                pdf.para(f"… and {len(group) - FEEDBACK_PER_TOPIC} more in the app.", size=9)
            pdf.ln(1)

    pdf.add_page()
    pdf.heading("4. Open and overdue action items")
    if data.action_items.empty:
        pdf.para("No open action items.")
    else:
        overdue = int(data.action_items.overdue.sum())
        pdf.para(f"{len(data.action_items)} open, {overdue} overdue as of {as_of:%d %b %Y}.")
        pdf.ln(1)
        pdf.table(["Status", "Action", "Owner", "Team", "Due"], _item_rows(data.action_items), [24, 80, 38, 22, 26])
    pdf.heading("Notes")
    pdf.para(m.notes if isinstance(m.notes, str) and m.notes.strip() else "No notes.")
    if definitions:
        _definitions_appendix(pdf, settings)
    return bytes(pdf.output())


def action_items_csv(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> bytes:
    """The open action items at the meeting's as-of date, as CSV (the same rows as the brief's table)."""
    found = meeting.get_meeting(con, meeting_id=meeting_id)
    if found.empty:
        raise BriefError(f"there is no meeting {meeting_id!r}; list them on the Planning meeting page")
    items = meeting.list_action_items(con, status="open", as_of=_as_date(found.as_of.iloc[0]))
    return items.to_csv(index=False).encode("utf-8")
