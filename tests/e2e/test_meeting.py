"""Planning meeting in Chromium: open a meeting from a link, present the agenda, download the PDF brief."""

from __future__ import annotations

import subprocess

from e2e.browser import assert_healthy, wait_ready

TIMEOUT_MS = 60_000


def settle(tab) -> None:
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    tab.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)


def test_meeting_presentation_mode_and_brief_download(server, page, tmp_path):
    # A fresh server serves a direct page URL as a legacy pages/ app until some session has run dashboard.py's
    # st.navigation; open the root first so this test does not depend on running after another.
    page.goto(server.url)
    wait_ready(page)
    page.goto(f"{server.url}/meeting?meeting=M-0002")
    wait_ready(page)
    assert_healthy(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h1").first.inner_text().strip() == "Planning meeting"
    main.get_by_text("1. Joint scorecard").wait_for(timeout=TIMEOUT_MS)
    assert "meeting=M-0002" in page.url
    assert page.locator('[data-testid="stSidebar"]').is_visible()

    # Presentation mode: no sidebar or header, one agenda section per screen, next / previous.
    page.get_by_text("Presentation mode").click()
    main.get_by_text("section 1 of 4: Scorecard").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    assert_healthy(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert main.get_by_text("2. What changed since the last meeting").count() == 0
    size = main.get_by_text("section 1 of 4").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 22  # enlarged from the default 16 px
    page.get_by_role("button", name="Next ▶").click()
    main.get_by_text("2. What changed since the last meeting").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    assert main.get_by_text("1. Joint scorecard").count() == 0
    page.get_by_role("button", name="◀ Previous").click()
    main.get_by_text("1. Joint scorecard").wait_for(timeout=TIMEOUT_MS)
    settle(page)

    # Back to the full page, then download the brief (built on click: kaleido draws the charts).
    page.get_by_text("Presentation mode").click()
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=TIMEOUT_MS)
    settle(page)
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Download brief (PDF)").click()
    download = info.value
    assert download.suggested_filename == "brief-M-0002.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    assert pages > 4  # four pages of agenda, then the definitions appendix
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert [int(line.split()[0]) for line in images] == [1, 2, 2, 3]  # scorecard; pacing, awareness; feedback
    # Each page renders to an image (the PDF is well formed for a viewer).
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Monthly revenue council" in text and "4. Open and overdue action items" in text
    assert "Appendix: definitions" in text
    assert_healthy(page)
