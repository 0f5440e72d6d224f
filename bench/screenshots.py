"""python -m bench.screenshots [--out docs/screenshots] [PAGE …]: every page, light and dark, as PNG files.

Each view the benchmark lists (every registered page, the Campaigns sections, the Data views, the planning meeting
listed and opened), on the sample company (seed 7, scale 1, ending on the benchmark's date, so a refresh changes a
picture only when the page changed), as of that date, in Chromium at a projector's 1600 × 1000, the whole page
(the window made as tall as the page), written as <view>-light.png and <view>-dark.png.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import tempfile
from pathlib import Path

from bench import browser, paint, workload

OUT = browser.ROOT / "docs" / "screenshots"
MAX_HEIGHT = 8000  # px: a page taller than this is cut (none is today)
COLOURS = 256  # a palette PNG: a few hundred KB where full colour takes a few MB

# The tallest scrolling box of the page: Streamlit scrolls its main area, not the document.
_PAGE_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
        .map((e) => e.scrollHeight + e.getBoundingClientRect().top))"""


def file_stem(variant: workload.Variant) -> str:
    """'Campaigns · spend ≠ sales' → 'campaigns-spend-sales'."""
    return re.sub(r"[^a-z0-9]+", "-", variant.name.lower()).strip("-")


def compact_png(png: bytes) -> bytes:
    """The screenshot as a palette PNG (adaptive, 256 colours): flat UI colours survive; a few MB become a few
    hundred KB."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(tab, url: str, path: Path) -> None:
    """Open `url` at the projector size, wait until the page is complete, grow the window to the page's height,
    wait again (charts redraw at the new size), and save the picture."""
    tab.set_viewport_size(browser.VIEWPORT)
    tab.goto(url, wait_until="commit")
    browser.wait_complete(tab)
    height = min(int(tab.evaluate(_PAGE_HEIGHT)), MAX_HEIGHT)
    if height > browser.VIEWPORT["height"]:
        tab.set_viewport_size({"width": browser.VIEWPORT["width"], "height": height})
        browser.wait_complete(tab)
    path.write_bytes(compact_png(tab.screenshot(full_page=False, animations="disabled", caret="hide")))


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from bench.__main__ import database, log

    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("pages", nargs="*", help="views by name or prefix (default: every one)")
    args = parser.parse_args(argv)
    variants = [v for v in workload.VARIANTS if not args.pages or any(v.name.startswith(p) for p in args.pages)]
    if not Path(browser.CHROMIUM).exists():
        log(f"no Chromium at {browser.CHROMIUM} (apt-get install -y chromium)")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    sample, _ = database(1.0, smoke=False)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
        try:
            for theme, env in (("light", {}), ("dark", browser.DARK_THEME)):
                path = Path(folder) / f"{theme}.duckdb"
                shutil.copy(sample, path)
                server = browser.Server(path, browser.free_port(), extra_env=env)
                try:
                    context = chromium.new_context(viewport=browser.VIEWPORT)
                    context.add_init_script(browser.TRACKER)
                    tab = context.new_page()
                    # A server's first visit runs Streamlit's legacy pages/ mode once (ui.filters.current leaves it);
                    # a link to a page whose address is not its file's name (joint-plan) would show a "Page not
                    # found" notice over the page in that visit: open the landing page first.
                    tab.goto(server.url, wait_until="commit")
                    browser.wait_complete(tab)
                    for variant in variants:
                        target = args.out / f"{file_stem(variant)}-{theme}.png"
                        shoot(tab, f"{server.url}/{paint.url_path(variant)}", target)
                        log(f"{target.relative_to(browser.ROOT) if target.is_relative_to(browser.ROOT) else target}"
                            f" ({target.stat().st_size / 1024:,.0f} KB)")
                    context.close()
                finally:
                    server.stop()
        finally:
            chromium.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
