"""Light and dark themes both render every section readably (screenshots of every page: bench/screenshots.py)."""

from __future__ import annotations

import shutil

import pytest
from e2e.browser import ARTIFACTS, DARK_THEME, Server, assert_healthy, free_port, wait_ready


@pytest.fixture(scope="module")
def dark_server(sample_path, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("dark") / "dark.duckdb"
    shutil.copy(sample_path, db_path)
    srv = Server(db_path, free_port(), extra_env=DARK_THEME)
    yield srv
    srv.stop()


def luminance(css_color: str) -> float:
    channels = [int(c) for c in css_color[css_color.index("(") + 1:css_color.index(")")].split(",")[:3]]
    return sum(w * c / 255 for w, c in zip((0.2126, 0.7152, 0.0722), channels, strict=True))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("url_path", ["", "settings"])
def test_themes_render_readably(request, page, theme, url_path):
    srv = request.getfixturevalue("server" if theme == "light" else "dark_server")
    page.goto(f"{srv.url}/{url_path}")
    wait_ready(page)
    assert_healthy(page)
    title = page.locator('[data-testid="stMain"] h1').first
    app_bg = page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor")
    text = title.evaluate("e => getComputedStyle(e).color")
    # Contrast between the title and the background, as a projector needs it.
    assert abs(luminance(app_bg) - luminance(text)) > 0.6
    assert (luminance(app_bg) > 0.5) == (theme == "light")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"theme-{theme}-{url_path or 'leadership'}.png"
    page.screenshot(path=str(shot), full_page=True)
