"""The PDF brief and `python -m brief`: pages, images and text of a fixture meeting's brief; the CLI's exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import brief
from queries import db, meeting, settings

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '<script>alert("x")</script> [link](javascript:alert(1))'


def require_chromium() -> None:
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.environ.get("CI"):
        pytest.fail("Chromium not found: CI must install it (apt-get install -y chromium) for the brief's charts")
    pytest.skip("Chromium is not installed; the brief's chart images cannot be drawn here")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_images(path: Path) -> list[tuple[int, int, int]]:
    """(page, width, height) of each image, from `pdfimages -list`."""
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return [(int(cols[0]), int(cols[3]), int(cols[4])) for cols in (line.split() for line in out.splitlines()[2:])]


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    from conftest import build_db

    path = build_db(tmp_path_factory.mktemp("brief") / "brief.duckdb", "base.sql", "meeting.sql")
    con = db.connect(path)
    meeting.update_notes(con, meeting_id="M-2", notes=f"Decided: pause C2.\n{PAYLOAD}", expected_version=1)
    meeting.add_action_item(con, title="Fix webinar scoring", owner="Joint ops", team="joint", due_on=None,
                            meeting_id="M-2")
    con.close()
    return path


@pytest.fixture(scope="module")
def brief_pdf(fixture_db, tmp_path_factory) -> Path:
    require_chromium()
    con = db.connect(fixture_db, read_only=True)
    try:
        content = brief.build_pdf(con, meeting_id="M-2", settings=settings.Settings(currency="EUR"))
    finally:
        con.close()
    path = tmp_path_factory.mktemp("out") / "brief.pdf"
    path.write_bytes(content)
    return path


@pytest.mark.slow
def test_brief_has_four_sections_on_four_pages_with_four_chart_images(brief_pdf):
    assert brief_pdf.read_bytes().startswith(b"%PDF")
    # Four pages of agenda, then the definitions appendix from page 5 on.
    assert pdf_pages(brief_pdf) > 4
    page5 = subprocess.run(["pdftotext", "-f", "5", "-l", "5", str(brief_pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert page5.lstrip().startswith("Appendix: definitions")
    # Scorecard on page 1; revenue pacing and awareness on page 2; feedback by topic on page 3.
    assert [page for page, _, _ in pdf_images(brief_pdf)] == [1, 2, 2, 3]
    assert all(width == 2 * brief.IMAGE_WIDTH_PX for _, width, _ in pdf_images(brief_pdf))


@pytest.mark.slow
def test_brief_text_has_the_scorecard_changes_feedback_and_items(brief_pdf):
    text = pdf_text(brief_pdf)
    for heading in ("Planning brief: April council", "1. Joint scorecard", "Key charts",
                    "2. What changed since the last meeting", "3. Field feedback since the last meeting",
                    "4. Open and overdue action items", "Notes"):
        assert heading in text
    assert "€1,000" in text                                          # revenue in the company currency
    # Each KPI's change against the same days of last month (1–29 March), as on the page's tiles.
    assert "+€400" in text and "−16.7 pp" in text and "+180%" in text and "(1–29 Mar;" in " ".join(text.split())
    assert "€600 in 1–31 Mar, €1,000 in 1–29 Apr" in " ".join(text.split())  # which days each value covers
    assert "✗ Off track" in text and "⚠ At risk" in text           # status as icon and word
    assert "Pipeline coverage of the remaining quota rose from 25% to 93%" in " ".join(text.split())
    assert "Lead quality (2)" in text and "Webinars" in text         # feedback grouped by topic, with campaign
    assert "Billboards are in the wrong city" not in text            # F6 comes after the meeting
    assert "⚠ Overdue" in text and "Call back inbound MQLs" in text   # A-2 was due 15 Apr
    assert "Fix webinar scoring" in text
    assert PAYLOAD in " ".join(text.split())                         # notes as literal text


@pytest.mark.slow
def test_brief_without_a_browser_is_still_made_and_says_why(fixture_db, tmp_path, monkeypatch):
    def no_browser(fig):
        raise RuntimeError("Kaleido requires Google Chrome to be installed")

    monkeypatch.setattr(brief, "render_png", no_browser)
    con = db.connect(fixture_db, read_only=True)
    try:
        path = tmp_path / "plain.pdf"
        path.write_bytes(brief.build_pdf(con, meeting_id="M-2"))
    finally:
        con.close()
    assert pdf_images(path) == []
    assert "Charts could not be drawn here (Kaleido requires Google Chrome" in " ".join(pdf_text(path).split())


@pytest.mark.slow
def test_brief_without_dejavu_falls_back_to_latin1_words(fixture_db, tmp_path, monkeypatch):
    monkeypatch.setattr(brief, "render_png", lambda fig: (_ for _ in ()).throw(RuntimeError("no browser")))
    monkeypatch.setattr(brief, "FONT_DIR", tmp_path / "no-fonts")
    con = db.connect(fixture_db, read_only=True)
    try:
        path = tmp_path / "latin1.pdf"
        path.write_bytes(brief.build_pdf(con, meeting_id="M-2"))
    finally:
        con.close()
    text = pdf_text(path)
    assert "[x] Off track" in text and "[!] Overdue" in text


@pytest.mark.slow
def test_brief_names_the_import_a_kpi_needs_instead_of_a_zero(fixture_db, tmp_path, monkeypatch):
    monkeypatch.setattr(brief, "render_png", lambda fig: (_ for _ in ()).throw(RuntimeError("no browser")))
    path = tmp_path / "no-leads.duckdb"
    shutil.copy(fixture_db, path)
    con = db.connect(path)
    try:
        for table in ("leads", "brand_metrics"):
            con.execute(f"DELETE FROM {table}")
        data = brief.collect(con, meeting_id="M-2")
        out = tmp_path / "no-leads.pdf"
        out.write_bytes(brief.build_pdf(con, meeting_id="M-2", definitions=False))
    finally:
        con.close()
    card = data.scorecard.set_index("kpi")
    assert card.value[["mqls", "sla", "awareness"]].isna().all()
    # The scorecard chart leaves out the KPIs not measured; the table says what to import for each.
    assert brief.figures(data)["scorecard"].data[0].y.tolist() == ["Pipeline coverage of the remaining quota",
                                                                   "Revenue booked this month"]
    text = " ".join(pdf_text(out).split())
    assert text.count("Import leads on the Data page to measure it.") >= 2  # MQLs and the SLA
    assert "Import brand metrics on the Data page to measure it." in text
    assert "MQLs delivered this month: not measured." in text  # what changed since M-1
    assert " 0% " not in text


@pytest.mark.slow
def test_brief_of_an_unknown_meeting_is_refused(fixture_db):
    con = db.connect(fixture_db, read_only=True)
    try:
        with pytest.raises(brief.BriefError, match="no meeting 'M-404'"):
            brief.build_pdf(con, meeting_id="M-404")
        csv = brief.action_items_csv(con, meeting_id="M-2").decode()
    finally:
        con.close()
    assert csv.splitlines()[0].startswith("item_id,meeting_id,meeting_title,title,owner")
    assert "Fix webinar scoring" in csv and "Share the brand-lift survey" not in csv  # open items only


@pytest.mark.slow
def test_figures_are_the_pages_charts_with_titles(fixture_db):
    con = db.connect(fixture_db, read_only=True)
    try:
        figs = brief.figures(brief.collect(con, meeting_id="M-2"), currency_symbol="€")
    finally:
        con.close()
    assert list(figs) == ["scorecard", "revenue_pacing", "awareness", "feedback"]
    assert figs["scorecard"].data[0].text[-1] == "✗ Off track · 52%"   # revenue, first KPI, drawn at the top
    assert figs["revenue_pacing"].layout.yaxis.title.text == "Revenue, cumulative (€)"
    assert list(figs["feedback"].data[0].x) == [0, 1, 1]               # negative: product, promotion, lead quality


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "brief", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=180)


@pytest.mark.slow
def test_cli_writes_the_brief_and_prints_its_path(fixture_db, tmp_path):
    require_chromium()
    out = tmp_path / "cli.pdf"
    result = run_cli("--db", str(fixture_db), "--meeting", "M-2", "--out", str(out), "--csv", str(tmp_path / "a.csv"),
                     "--no-definitions")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert pdf_pages(out) == 4 and len(pdf_images(out)) == 4
    assert "Fix webinar scoring" in (tmp_path / "a.csv").read_text()


@pytest.mark.slow
def test_cli_refuses_a_bad_meeting_in_one_line(fixture_db, tmp_path):
    result = run_cli("--db", str(fixture_db), "--meeting", "M-404", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "there is no meeting 'M-404'" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_cli_refuses_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    result = run_cli("--db", str(junk), "--meeting", "M-2", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "cannot open the database" in result.stderr


@pytest.mark.slow
def test_cli_refuses_a_missing_database_in_one_line(tmp_path):
    result = run_cli("--db", str(tmp_path / "nope.duckdb"), "--meeting", "M-2", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no such database file" in result.stderr


@pytest.mark.slow
def test_cli_usage_error_exits_2(tmp_path):
    result = run_cli("--meeting", "M-2")
    assert result.returncode == 2
    assert "--db" in result.stderr and "--out" in result.stderr
