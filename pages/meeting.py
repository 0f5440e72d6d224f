"""Planning meeting: open a meeting (every page freezes at its as-of date), step through the generated agenda,
record action items, feedback and notes as the room talks, and download the brief."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pandas as pd
import streamlit as st

import brief
from queries import brand, meeting, metrics, quota, scorecard, targets
from ui import auth, chart_view, data, filters, flash, format, needs, tables, widgets
from ui import meeting_actions as actions
from ui.charts import meeting as charts

AGENDA = ("Scorecard", "What changed", "Field feedback", "Action items")
CARD_VIEWS = {"goals": "Against the goals", "pacing": "Revenue pacing", "awareness": "Awareness trend"}
RECORD_VIEWS = {"notes": "Notes", "item": "Edit an action item", "feedback": "Add field feedback",
                "targets": "Joint targets"}
SENTIMENT_LABELS = {-1: "👎 negative", 0: "😐 neutral", 1: "👍 positive"}
# Presentation mode: a fixed stylesheet (no user text) that hides the sidebar and chrome and enlarges text.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] {display: none !important;}
[data-testid="stMain"] [data-testid="stMainBlockContainer"] {padding-top: 1.5rem; max-width: 1500px;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] [data-testid="stText"] {font-size: 1.45rem;}
[data-testid="stMain"] [data-testid="stMetricValue"] {font-size: 2.8rem;}
[data-testid="stMain"] h1 {font-size: 3rem;} [data-testid="stMain"] h2 {font-size: 2.3rem;}
</style>"""

f = filters.current()
settings = format.settings()
symbol = settings.currency_symbol
can_write = auth.can("member")
status_labels = {status: scorecard.status_label(status) for status in scorecard.STATUSES}


# --- which meeting is open ----------------------------------------------------------------------------------------

meetings = data.load(meeting.list_meetings)
ids = meetings.meeting_id.tolist()
by_id = meetings.set_index("meeting_id")


def meeting_label(meeting_id: str | None) -> str:
    if meeting_id is None:
        return "No meeting (live data)"
    row = by_id.loc[meeting_id]
    state = "open" if row.status == "open" else "closed"
    return f"{pd.Timestamp(row.held_on):%d %b %Y} · {row.title} ({state})"


meeting_id = actions.chosen(ids)
current = None if meeting_id is None else by_id.loc[meeting_id]
as_of = None if current is None else pd.Timestamp(current.as_of).date()
actions.freeze_pages(current)

presenting = bool(st.session_state.get("meeting_present")) and current is not None
if presenting:
    st.html(PRESENTATION_CSS)

st.title("Planning meeting")
st.caption(filters.scope_note("pages/meeting.py"))
flash.show(actions.FLASH_KEY)

top = st.columns([3, 1.2, 1.2])
top[0].selectbox("Meeting", [None, *ids], format_func=meeting_label, key=actions.CHOICE_KEY,
                 help="Opening a meeting freezes every page at its as-of date, so numbers do not move while the "
                      "room talks. Closing it, or choosing no meeting, returns to live data.")
filters.publish("meeting", meeting_id)
top[1].toggle("Presentation mode", key="meeting_present", disabled=current is None,
              help="Hides the sidebar and menus, enlarges text and shows one agenda section per screen.")
if current is not None:
    top[2].button("Leave meeting", key="meeting_leave", on_click=actions.on_leave, icon=":material/logout:",
                  help="Back to live data; the meeting stays as it is.")

if current is None:
    # What a meeting's scorecard cannot measure yet, said before anyone creates one.
    unmeasured = needs.missing(*dict.fromkeys(t for kpi in scorecard.NEEDS.values() for t in kpi))
    if unmeasured:
        needs.met(*unmeasured, what="The meeting's joint scorecard", key="meeting_list_scorecard")
    if meetings.empty:
        widgets.empty("No planning meetings yet. Create the first one below.")
    else:
        st.caption("Open a meeting above, or create one. Past meetings:")
        tables.show(meetings[["held_on", "title", "as_of", "status", "open_items", "meeting_id"]],
                    key="meeting_list_table", width="stretch")
    with st.form("meeting_new_form", clear_on_submit=True):
        st.subheader("New meeting")
        cols = st.columns(3)
        cols[0].date_input("Held on", value=date.today(), key="meeting_new_held_on")
        cols[1].text_input("Title", value="Monthly revenue council", max_chars=meeting.MAX_TITLE,
                           key="meeting_new_name")
        cols[2].date_input("Figures as of", value=f.as_of, key="meeting_new_as_of",
                           help="Every page treats this day as today while the meeting is open. It starts at the "
                                "sidebar's as-of date.")
        st.form_submit_button("Create and open meeting", type="primary", on_click=actions.on_create,
                              disabled=not can_write, key="meeting_new_submit")
    if not can_write:
        st.caption("Your role can read meetings but not create them (needs member).")
    st.stop()


# --- the agenda ---------------------------------------------------------------------------------------------------

# Every query of the agenda starts now and runs while the page draws (ui.data.start); the scorecard of the previous
# meeting's as-of date waits only for the (quick) lookup of that date. The forms below load what they need when
# their tab is open.
kpis = {"sla_hours": settings.sla_hours, "currency_symbol": symbol}
card_query = data.start(scorecard.scorecard, as_of=as_of, **kpis)
# Each tile's change: against the same days of the month before, never a part of this month against a whole one.
earlier = scorecard.a_month_earlier(as_of)
card_earlier_query = data.start(scorecard.scorecard, as_of=earlier, **kpis)
previous = data.load(meeting.previous_meeting, meeting_id=meeting_id)
then = None if previous.empty else pd.Timestamp(previous.as_of.iloc[0]).date()
card_then_query = None if then is None else data.start(scorecard.scorecard, as_of=then, **kpis)
# The feedback window from the two meetings' rows in hand (meeting.feedback_window would look both up again).
feedback_after, feedback_through = meeting.window_of(current, then)
feedback_counts_query = data.start(meeting.feedback_by_topic, after=feedback_after, through=feedback_through)
feedback_query = data.start(meeting.feedback_since, after=feedback_after, through=feedback_through)
open_items_query = data.start(meeting.list_action_items, status="open", as_of=as_of)


def section_scorecard() -> None:
    st.header("1. Joint scorecard")
    card = card_query.result()
    measured = card[card.missing == ""]
    if measured.empty:  # nothing imported the scorecard reads: one sentence, no tiles of dashes
        tables_missing = list(dict.fromkeys(t for names in card.missing for t in names.split(", ")))
        needs.met(*tables_missing, what="The joint scorecard", key="meeting_scorecard")
        return
    st.caption(f"Company-wide, this month to date as of {as_of:%d %b %Y}. Each change compares with the same days "
               f"of last month ({scorecard.to_date(earlier)}). Status is the icon and word; the colour only repeats "
               "it.")
    moves = scorecard.changes(card_earlier_query.result(), card).set_index("kpi")
    cols = st.columns(len(card))
    for col, row in zip(cols, card.itertuples(index=False), strict=True):
        metric = metrics.by_scorecard(row.kpi).key
        move = moves.loc[row.kpi]
        against = (f"vs {scorecard.to_date(earlier)}" if row.kpi in scorecard.MONTH_TO_DATE
                   else f"vs {earlier.day} {earlier:%b}")
        # The scorecard's labels are registry labels of these metrics (tests/unit/test_metrics.py checks it).
        col.metric(row.label, scorecard.format_value(row.value, row.unit, symbol),
                   help=metrics.help(metric, row.detail),
                   **format.delta(move.change, unit=move.change_unit, metric=metric, against=against))
        if row.missing:
            with col:
                needs.met(*row.missing.split(", "), what=row.label, key=f"meeting_scorecard_{row.kpi}")
            continue
        col.markdown(f"**{widgets.escape_markdown(scorecard.status_label(row.status))}**  \n"
                     f"Goal: {widgets.escape_markdown(scorecard.format_value(row.goal, row.unit, symbol))} "
                     f"({widgets.escape_markdown(row.goal_label)})")
        if row.left_out:
            col.caption(f":material/info: {widgets.escape_markdown(row.left_out)}")
    widgets.download_csv(card, file_name=f"scorecard-{meeting_id}.csv", key="meeting_scorecard_csv")
    # Three views beside the tiles as tabs, only the open one drawn (?card_view=…).
    view, tab = chart_view.tabs(CARD_VIEWS, key="meeting_card_view", param="card_view")
    with tab:
        if view == "goals":
            chart_view.draw(charts.scorecard(measured, status_labels=status_labels), key="meeting_scorecard_chart")
        elif view == "pacing" and needs.met("deals", "quotas", what="Revenue pacing", key="meeting_pacing"):
            pacing = data.load(quota.daily_pacing, as_of=as_of, by="all")
            if pacing.empty or pacing.expected_cumulative.isna().all():
                widgets.empty("No quota is set for this month, so there is no pace to draw.")
            else:
                chart_view.draw(charts.revenue_pacing(pacing, symbol=symbol), key="meeting_pacing_chart")
                st.caption(metrics.caption("pacing_line"))
                widgets.download_csv(pacing, file_name=f"revenue-pacing-{as_of}.csv", key="meeting_pacing_csv")
        elif view == "awareness" and needs.met("brand_metrics", what="The awareness trend", key="meeting_awareness"):
            awareness = data.load(brand.metric_series, metric="aided_awareness",
                                  start=date(as_of.year - 1, as_of.month, 1), end=as_of)
            if awareness.dropna(subset=["value"]).empty:
                widgets.empty("No awareness survey in the year to the meeting's as-of date.")
            else:
                chart_view.draw(charts.awareness_trend(awareness, through=as_of), key="meeting_awareness_chart")
                st.caption(metrics.caption("aided_awareness"))
                widgets.download_csv(awareness, file_name=f"awareness-{as_of}.csv", key="meeting_awareness_csv")


def section_changes() -> None:
    st.header("2. What changed since the last meeting")
    if card_then_query is None:
        widgets.empty("This is the first meeting: nothing to compare with yet.")
        return
    # scorecard.what_changed compares the same two scorecards; section 1 drew the one as of this meeting.
    changes = scorecard.compare(card_then_query.result(), card_query.result(),
                                before_label=f"the previous meeting (as of {then:%d %b %Y})", currency_symbol=symbol,
                                before_as_of=then, after_as_of=as_of)
    st.caption("Biggest movers first: how far each KPI moved against its goal to date between the two as-of dates "
               "(a goal to date, so two meetings at different days of their months compare fairly).")
    st.markdown("\n".join(f"- {widgets.escape_markdown(sentence)}" for sentence in changes.sentence))
    widgets.download_csv(changes, file_name=f"what-changed-{meeting_id}.csv", key="meeting_changes_csv")


def section_feedback() -> None:
    st.header("3. Field feedback since the last meeting")
    counts = feedback_counts_query.result()
    items = feedback_query.result()
    if items.empty:
        widgets.empty("No field feedback since the last meeting. Add what sales heard below.")
        return
    chart_view.draw(charts.feedback_by_topic(counts, topic_labels=meeting.TOPIC_LABELS),
                    key="meeting_feedback_chart")
    table = pd.DataFrame({
        "sentiment": items.sentiment.map(SENTIMENT_LABELS),
        "campaign": items.campaign_name.fillna("—"),
        "feedback": items.body,
        "from": items.author.fillna("—"),
        "when": pd.to_datetime(items.created_at),  # formatted by the browser (strftime is slow on many notes)
    })
    # One table per topic: each topic's row positions in one pass, not a filter and a copy per topic.
    positions = items.groupby("topic", sort=False).indices
    for topic in [t for t in meeting.TOPICS if t in positions]:
        rows = table.iloc[positions[topic]]
        st.subheader(f"{meeting.TOPIC_LABELS[topic]} ({len(rows)})")
        tables.show(rows, key=f"meeting_feedback_table_{topic}", width="stretch",
                    height=min(38 * (len(rows) + 1) + 3, 300), kinds={"when": "date"},
                    config_override={"feedback": st.column_config.TextColumn("Feedback", width="large")})
    widgets.download_csv(items, file_name=f"feedback-{meeting_id}.csv", key="meeting_feedback_csv")


def section_actions() -> None:
    st.header("4. Open and overdue action items")
    items = open_items_query.result()
    if items.empty:
        widgets.empty("No open action items. Add one below.")
    else:
        overdue = int(items.overdue.sum())
        st.markdown(f"**{len(items)} open**, **{overdue} overdue** (⚠) as of {as_of:%d %b %Y}.")
        shown = pd.DataFrame({
            "status": items.overdue.map({True: "⚠ Overdue", False: "○ Open"}),
            "action": items.title, "owner": items.owner, "team": items.team, "due": items.due_on,
            "raised in": items.meeting_title.fillna("—"),
        })
        tables.show(shown, key="meeting_items_table", width="stretch", kinds={"due": "date"},
                    config_override={"action": st.column_config.TextColumn("Action", width="large")})
        widgets.download_csv(items, file_name=f"action-items-{meeting_id}.csv", key="meeting_items_csv",
                             label="Download action items (CSV)")
        titles = {item_id: str(title) for item_id, title in zip(items.item_id, items.title, strict=True)}
        pick = st.selectbox("Action item", items.item_id.tolist(), key="meeting_item_pick",
                            format_func=titles.__getitem__)
        row = items.set_index("item_id").loc[pick]
        cols = st.columns(2)
        cols[0].button("Mark done", key="meeting_item_done", on_click=actions.on_item_status,
                       args=(pick, int(row.version), "done"), disabled=not can_write, icon=":material/check:")
        cols[1].button("Drop", key="meeting_item_drop", on_click=actions.on_item_status,
                       args=(pick, int(row.version), "dropped"), disabled=not can_write, icon=":material/close:")
    with st.form("meeting_item_form", clear_on_submit=True):
        st.markdown("**Add an action item**")
        cols = st.columns([3, 2, 1.3, 1.5])
        cols[0].text_input("Action", max_chars=meeting.MAX_TITLE, key="meeting_item_name")
        cols[1].text_input("Owner", max_chars=meeting.MAX_OWNER, key="meeting_item_owner")
        cols[2].selectbox("Team", meeting.TEAMS, index=2, key="meeting_item_team")
        cols[3].date_input("Due", value=as_of + timedelta(days=14), key="meeting_item_due")
        st.form_submit_button("Add action item", type="primary", on_click=actions.on_add_item, args=(meeting_id,),
                              disabled=not can_write, key="meeting_item_submit")


SECTIONS = (section_scorecard, section_changes, section_feedback, section_actions)


def controls() -> None:
    open_now = current.status == "open"
    cols = st.columns([2.2, 1.3, 1.6, 1.6])
    cols[0].markdown(f"**{widgets.escape_markdown(current.title)}** · held {pd.Timestamp(current.held_on):%d %b %Y}"
                     f" · figures as of {as_of:%d %b %Y} · {'🔓 open' if open_now else '🔒 closed'}")
    cols[1].button("Close meeting" if open_now else "Reopen meeting", key="meeting_status_button",
                   on_click=actions.on_status, args=(meeting_id, open_now), disabled=not can_write,
                   icon=":material/lock:" if open_now else ":material/lock_open:")
    with_definitions = st.session_state.get("meeting_brief_definitions", True)
    cols[2].download_button(
        "Download brief (PDF)", key="meeting_brief_pdf", on_click="ignore", mime="application/pdf",
        file_name=f"brief-{meeting_id}.pdf", icon=":material/picture_as_pdf:",
        data=functools.partial(brief.build_pdf, data.connection(), meeting_id=meeting_id, settings=settings,
                               definitions=with_definitions))
    items = open_items_query.result()
    with cols[3]:
        widgets.download_csv(items, file_name=f"action-items-{meeting_id}.csv", key="meeting_brief_csv",
                             label="Action items (CSV)")
    st.checkbox("Add the definitions appendix to the brief", key="meeting_brief_definitions", value=True,
                help="Every metric's definition and formula, the lifecycle stage rules, the attribution models and "
                     "the SLA in force, as on the Definitions page.")


if presenting:
    step = min(st.session_state.get(actions.STEP_KEY, 0), len(AGENDA) - 1)
    nav = st.columns([1, 4, 1])
    nav[0].button("◀ Previous", key="meeting_prev", on_click=actions.on_step, args=(-1, len(AGENDA)),
                  disabled=step == 0)
    nav[1].markdown(f"**{widgets.escape_markdown(current.title)}** · figures as of {as_of:%d %b %Y} · "
                    f"section {step + 1} of {len(AGENDA)}: {AGENDA[step]}")
    nav[2].button("Next ▶", key="meeting_next", on_click=actions.on_step, args=(1, len(AGENDA)),
                  disabled=step == len(AGENDA) - 1)
    SECTIONS[step]()
    st.stop()

controls()
for section in SECTIONS:
    section()
    st.divider()

# --- recording: notes, edits, feedback, targets ------------------------------------------------------------------


def record_notes() -> None:
    st.text(current.notes or "No notes yet.")
    st.text_area("Edit the notes", max_chars=meeting.MAX_NOTES, key=notes_key, height=160,
                 disabled=current.status != "open" or not can_write,
                 help="Shown as plain text everywhere. Closed meetings keep their notes; reopen to edit.")
    st.button("Save notes", key="meeting_notes_save", on_click=actions.on_notes,
              args=(meeting_id, int(current.version), notes_key), disabled=current.status != "open" or not can_write)


def record_item_edit() -> None:
    every_item = data.load(meeting.list_action_items, as_of=as_of)
    if every_item.empty:
        widgets.empty("No action items yet.")
        return
    indexed = every_item.set_index("item_id")
    pick = st.selectbox("Item", every_item.item_id.tolist(), key="meeting_edit_pick",
                        format_func=lambda i: f"{indexed.title[i]} ({indexed.status[i]}, {indexed.owner[i]})")
    row = indexed.loc[pick]
    # The version is part of the keys: after anyone's save the form starts again from the stored values.
    prefix = f"meeting_edit_{pick}_{int(row.version)}"
    with st.form(f"{prefix}_form"):
        cols = st.columns([3, 2, 1.3, 1.5, 1.3])
        cols[0].text_input("Action", value=row.title, max_chars=meeting.MAX_TITLE, key=f"{prefix}_name")
        cols[1].text_input("Owner", value=row.owner, max_chars=meeting.MAX_OWNER, key=f"{prefix}_owner")
        cols[2].selectbox("Team", meeting.TEAMS, index=meeting.TEAMS.index(row.team), key=f"{prefix}_team")
        cols[3].date_input("Due", value=None if pd.isna(row.due_on) else row.due_on, key=f"{prefix}_due")
        cols[4].selectbox("Status", meeting.ITEM_STATUSES, index=meeting.ITEM_STATUSES.index(row.status),
                          key=f"{prefix}_status")
        st.form_submit_button("Save item", on_click=actions.on_edit_item, args=(pick, int(row.version), prefix),
                              disabled=not can_write, key=f"{prefix}_submit")
    st.caption(f"Version {int(row.version)}, last changed by {row.updated_by or '—'}. If someone saves first, your "
               "save is refused and the form reloads their version.")


def record_feedback() -> None:
    campaigns = data.load(meeting.campaign_options, as_of=as_of)
    campaign_names = dict(zip(campaigns.campaign_id.tolist(), campaigns.label.tolist(), strict=True))
    with st.form("meeting_fb_form", clear_on_submit=True):
        cols = st.columns(4)
        cols[0].selectbox("Topic", meeting.TOPICS[:-1], format_func=meeting.TOPIC_LABELS.get, key="meeting_fb_topic")
        cols[1].radio("Sentiment", list(meeting.SENTIMENTS), index=1, format_func=SENTIMENT_LABELS.get,
                      key="meeting_fb_sentiment", horizontal=True)
        cols[2].selectbox("Campaign (optional)", [None, *campaign_names], key="meeting_fb_campaign",
                          format_func=lambda c: "No campaign" if c is None else campaign_names[c])
        cols[3].selectbox("Team", ("sales", "marketing"), key="meeting_fb_team")
        st.text_area("What did the field hear?", max_chars=meeting.MAX_BODY, key="meeting_fb_body")
        st.text_input("From (optional; defaults to you)", max_chars=meeting.MAX_OWNER, key="meeting_fb_author")
        st.form_submit_button("Add feedback", type="primary", on_click=actions.on_feedback, disabled=not can_write,
                              key="meeting_fb_submit")


def record_targets() -> None:
    first = as_of.replace(day=1)
    agreed = data.load(targets.monthly, start_month=first,
                       end_month=(pd.Timestamp(first) + pd.DateOffset(months=2)).date())
    if agreed.empty:
        widgets.empty("No joint targets for these months. Save them from the Joint plan page, or add them on the "
                      "Data page.")
        return
    st.caption("The monthly targets both teams agreed, for this month and the next two. Editing needs the admin role.")
    editable = agreed[["month", "metric", "team", "value"]]
    edited = st.data_editor(editable, key="meeting_targets_editor", hide_index=True, width="stretch",
                            disabled=["month", "metric", "team"],
                            column_config=tables.config(editable, kinds={"value": "number"},
                                                        labels={"value": "Target"}))
    if st.button("Save targets", key="meeting_targets_save", disabled=not auth.can("admin")):
        actions.save_targets(edited)


st.header("Notes and records")
# The version is part of the notes' key: after anyone's save the box starts again from the stored notes. Text typed
# and not saved yet stays while another tab is open (a run that does not draw a widget would drop it).
notes_key = f"meeting_notes_{meeting_id}_{int(current.version)}"
st.session_state[notes_key] = st.session_state.get(notes_key, current.notes)
# One form at a time, as tabs: only the open one is drawn (?record=…).
record, record_tab = chart_view.tabs(RECORD_VIEWS, key="meeting_record_view", param="record")
with record_tab:
    {"notes": record_notes, "item": record_item_edit, "feedback": record_feedback, "targets": record_targets}[record]()
