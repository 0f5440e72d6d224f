"""The first-paint measurement's parts that need no browser: the URLs, the websocket payload, the CPU meter and the
report."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import paint, screenshots, workload
from bench.workload import END
from ui import meeting_actions
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_paint_url_opens_each_variant_as_the_benchmark_runs_it():
    for variant in workload.VARIANTS:
        parts = urlsplit(paint.url_path(variant))
        spec = next(p for p in PAGES if p.path == variant.path)
        assert parts.path == ("" if spec.default else spec.url_path)
        params = dict(parse_qsl(parts.query))
        assert params.pop("as_of") == END.isoformat()
        assert params == {paint.URL_PARAMS[key]: str(value) for key, value in variant.state if value is not None}


def test_paint_smoke_page_is_a_variant():
    assert paint.SMOKE_PAGE in {v.name for v in workload.VARIANTS}


def test_paint_url_params_are_the_ones_the_pages_seed_their_widgets_from():
    seeded = {}
    for page in (ROOT / "pages").glob("*.py"):
        seeded |= dict(re.findall(r'filters\.seed\("(\w+)", "(\w+)"', page.read_text()))
    # The Meeting selectbox is seeded by the page's helpers, through their name for its key.
    seeded[meeting_actions.CHOICE_KEY] = re.search(r'filters\.seed\(CHOICE_KEY, "(\w+)"',
                                                   (ROOT / "ui" / "meeting_actions.py").read_text()).group(1)
    for key, param in paint.URL_PARAMS.items():
        assert seeded.get(key) == param, key


def _frame(kind: str, **fields) -> bytes:
    msg = ForwardMsg()
    element = msg.delta.new_element
    if kind == "plotly_chart":
        element.plotly_chart.spec = fields["spec"]
    elif kind == "dataframe":
        element.dataframe.arrow_data.data = fields["data"]
    else:
        element.markdown.body = fields["body"]
    return msg.SerializeToString()


def test_paint_payload_counts_each_element_kind_and_its_bytes():
    frames = [_frame("plotly_chart", spec='{"data": []}' * 100), _frame("plotly_chart", spec="{}"),
              _frame("dataframe", data=b"\x00" * 5000), _frame("markdown", body="Hello"), b"\xff\xfe not a message",
              "a text frame"]
    found = paint.payload(frames)
    assert found["counts"] == {"plotly_chart": 2, "dataframe": 1, "markdown": 1}
    assert 1200 < found["bytes"]["plotly_chart"] < 1300
    assert 5000 < found["bytes"]["dataframe"] < 5100
    assert found["ws_bytes"] == sum(len(f) for f in frames if isinstance(f, bytes))


def test_cpu_meter_counts_new_processes_from_zero_and_leaves_out_ended_ones():
    before = {("renderer", 1): 2.0, ("browser", 2): 5.0, ("GPU", 3): 1.0, ("server", 9): 10.0}
    after = {("renderer", 4): 0.5, ("browser", 2): 5.25, ("GPU", 3): 1.5, ("server", 9): 10.25}
    assert paint.CpuMeter.spent(before, after) == {"renderer": 0.5, "browser": 0.75, "server": 0.25}


def test_process_cpu_reads_this_process_and_zero_for_none():
    sum(i * i for i in range(200_000))  # at least a clock tick of CPU
    assert paint.process_cpu(os.getpid()) > 0
    assert paint.process_cpu(2**22 + 17) == 0.0


def _load(complete: float, charts: int = 1) -> dict:
    return {"complete": complete, "script_end": complete / 3, "last_chart": complete - 100 if charts else None,
            "elements": 20, "sidebar_elements": 7, "charts": charts, "js_files": 120, "js_bytes": 9_000_000,
            "cpu": {"renderer": 1.0, "browser": 0.5, "server": 0.25},
            "payload": {"ws_bytes": 60_000, "counts": {"plotly_chart": charts},
                        "bytes": {"plotly_chart": 40_960 * charts, "dataframe": 2048}}}


def _results(slowest_ms: float, *, scale: float = 1.0) -> dict:
    pages = [{"name": name, "url": "x", "first": _load(ms * 2), "cold": [_load(ms), _load(ms + 200)],
              "warm": [_load(ms / 2), _load(ms / 2 + 10)], "load": "1.0 1.0 1.0"}
             for name, ms in (("Brand & quota", slowest_ms), ("Settings", 900.0))]
    paint_result = {"loads": 2, "settle_ms": 500, "viewport": {"width": 1600, "height": 1000},
                    "chromium": "Chromium 1", "load_before": "0.5 0.5 0.5", "load_after": "0.7 0.6 0.5",
                    "seconds": 90.0, "pages": pages}
    return {"scales": [{"scale": scale, "paint": paint_result}]}


def test_paint_target_row_names_the_slowest_page_and_says_met_or_missed():
    met = paint.target_row(_results(2000.0))
    assert "2 of 2 pages" in met and "slowest Brand & quota 2,100 ms" in met and "**met**" in met
    missed = paint.target_row(_results(2500.0))  # cold median 2,600
    assert "1 of 2 pages" in missed and "**missed**" in missed
    assert paint.target_row(_results(2000.0, scale=20.0)).endswith("| not run | — |")
    skipped = {"scales": [{"scale": 1.0, "paint": {"skipped": "no Chromium at /usr/bin/chromium"}}]}
    assert "skipped: no Chromium" in paint.target_row(skipped)


def test_paint_section_has_a_row_per_page_with_medians_and_ranges():
    lines = paint.section(_results(2000.0)["scales"][0])
    assert lines[0] == "### First paint in Chromium (scale 1)"
    row = next(line for line in lines if line.startswith("| Brand & quota |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "2,100 (2,000–2,200)"  # cold: complete
    assert cells[2] == "1,005 (1,000–1,010)"  # warm: complete
    assert cells[5] == "1,750 (1,750–1,750)"  # CPU, every process
    assert cells[9] == "1" and cells[10] == "40.0" and cells[11] == "2.0"  # charts, figures KB, tables KB
    assert any(line.startswith("| Settings |") for line in lines)
    assert paint.section({"scale": 1.0}) == []
    assert "Not measured: no Chromium" in "\n".join(paint.section({"scale": 1.0, "paint": {"skipped": "no Chromium"}}))


def test_screenshot_file_names_are_plain_and_distinct():
    stems = [screenshots.file_stem(v) for v in workload.VARIANTS]
    assert len(set(stems)) == len(stems)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem) for stem in stems)
    assert "campaigns-spend-sales" in stems and "brand-quota" in stems


def test_paint_report_names_a_page_that_never_completed():
    results = _results(1000.0)
    results["scales"][0]["paint"]["pages"][0] = {"name": "Brand & quota", "url": "x", "load": "9.0 9.0 9.0",
                                                 "error": "incomplete after 120 s: 1 chart(s) not drawn"}
    assert "1 of 2 pages; slowest Brand & quota not complete" in paint.target_row(results)
    row = next(line for line in paint.section(results["scales"][0]) if line.startswith("| Brand & quota |"))
    assert "**not complete**: incomplete after 120 s: 1 chart(s) not drawn" in row
    assert row.count("|") == paint.section(results["scales"][0])[-3].count("|")  # as many cells as a full row
    assert "not complete" in paint.summary_line(results["scales"][0]["paint"]["pages"][0])
