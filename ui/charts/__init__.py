"""Figures: DataFrame → Plotly figure, pure functions (no Streamlit, no queries); one module per domain.

This module holds what every chart shares: the palette, the base layout, `plot` (graph_objects' constructors) and
`figure`, which builds every chart and gives it the shared finish: the legend under the plot with room made for it,
long category labels wrapped (the full text in hover). Helpers for what several charts draw: names along a time axis
thinned so none collide (`spread_labels`), the month still running marked as partial (`partial_months`).
Built for speed: each figure in one `figure([…], layout(…))` call, because every later `update_layout`,
`add_shape` or `update_xaxes` re-validates the figure (each time most of a small figure's cost); trace
data given as NumPy arrays (`arrays(frame)`); and Plotly's property checks left out (`plot`).
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# Plotly checks every property of a figure as it is built (its name, type and range): about half of what building
# one of these charts costs. The builders set fixed property names to values of fixed types, so at run time the
# checks find nothing, and figures are built without them. Tests build them with CHECKED set: every chart test runs
# both ways, and every page's charts are compared as JSON, checked and not (tests/pages/test_chart_checks.py).
CHECKED = False


class _Constructors:
    """plotly.graph_objects' figure and trace classes, `plot.Bar(x=…, y=…)`, built with Plotly's property checks
    only when CHECKED is set. Without them a value goes out as given, not coerced, so a builder passes what the
    checks would leave as it is: NumPy arrays of numbers (labels as strings), titles as {"text": …} dicts, never a
    `marker=` dict together with `marker_*` keywords (they would write into the caller's dict). A misspelt property
    is kept instead of raising, which the checked tests catch."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        cls = getattr(go, name)

        def build(*args: Any, **kwargs: Any) -> Any:
            return cls(*args, _validate=CHECKED, **kwargs)

        build.__name__ = build.__qualname__ = name
        return build


plot = _Constructors()

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#8C8C8C"


# The legend sits under the plot, at the bottom of the figure: a legend of a dozen entries wraps onto more rows
# instead of growing over the title. Placed on the container, Plotly reserves the room it takes and sets the axes'
# labels above it (figure() makes the chart taller by its estimated rows, so the plot keeps its height).
LEGEND = {"orientation": "h", "xref": "paper", "x": 0, "xanchor": "left", "yref": "container", "y": 0,
          "yanchor": "bottom"}
# Room around the plot for the title, the axes' tick labels and titles, as most charts need it: Plotly widens a margin
# a chart's labels need more of (axis automargin), but then draws the chart a second time at the new size, so the
# margins start at what most charts take. A right-hand y axis and each row of legend under the plot add theirs.
MARGIN = {"l": 80, "r": 20, "t": 50, "b": 70}
RIGHT_AXIS_MARGIN_PX = 60
# Text on bars (values, shares) that would have to shrink below this size to fit is left out, not drawn over its
# neighbours: the hover still gives it.
UNIFORM_TEXT = {"minsize": 10, "mode": "hide"}


def layout(*, title: str, x_title: str | None = None, y_title: str | None = None, height: int = 360,
           **more: Any) -> dict[str, Any]:
    """The look every chart shares as a layout dict: title, axis titles (with units), readable fonts, the palette,
    the legend under the plot.

    `more` adds layout keys or replaces the shared ones (legend, hovermode…); an `xaxis` or `yaxis` given there is
    merged with its title. Only `xaxis` and `yaxis` get the titles: name the others' titles in their own dicts.
    """
    spec: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left"}, "height": height, "colorway": list(OKABE_ITO),
        "margin": dict(MARGIN), "font": {"size": 14}, "legend": dict(LEGEND),
        "uniformtext": dict(UNIFORM_TEXT), "hovermode": "x unified"}
    for axis, text in (("xaxis", x_title), ("yaxis", y_title)):
        if text is not None:
            spec[axis] = {**more.pop(axis, {}), "title": {"text": text}}
    return spec | more


class Columns:
    """A frame's columns as NumPy arrays (`Columns(frame).month`), each converted on first use, optionally only the
    rows a mask selects. Trace data goes in as arrays: Plotly checks a pandas column through narwhals, several
    times slower than an array, and the figure's JSON is the same."""

    def __init__(self, frame: pd.DataFrame, rows: np.ndarray | None = None) -> None:
        self._frame, self._rows = frame, rows

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_"):
            raise AttributeError(name)
        values = self._frame[name].to_numpy()
        if self._rows is not None:
            values = values[self._rows]
        setattr(self, name, values)
        return values


def arrays(frame: pd.DataFrame) -> Columns:
    """The frame's columns as NumPy arrays, for trace data (see Columns)."""
    return Columns(frame)


def groups(frame: pd.DataFrame, key: str) -> Iterator[tuple[Any, Columns]]:
    """(value, its rows' columns as arrays) for each value of `key`, sorted, nulls left out: what
    `frame.groupby(key, sort=True)` yields, without building a DataFrame per group."""
    keys = frame[key].to_numpy()
    for value in sorted(pd.unique(frame[key].dropna())):
        yield value, Columns(frame, keys == value)


# A ranking chart shows at most this many bars (half from each end); the table beside it lists every row.
RANKED_BARS = 30


def ranked_ends(ranked: pd.DataFrame, *, limit: int = RANKED_BARS, noun: str = "rows") -> tuple[pd.DataFrame, str]:
    """The first and last limit/2 rows of a ranked frame when it has more than `limit` (an 800-bar chart is
    unreadable on a projector), and a title suffix saying so ("" when every row is kept)."""
    if len(ranked) <= limit:
        return ranked, ""
    half = limit // 2
    return (pd.concat([ranked.head(half), ranked.tail(half)]),
            f": top {half} and bottom {half} of {len(ranked):,} {noun} (all in the table)")


def vline(x: Any, *, line: dict[str, Any], text: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """A vertical line across the plot at `x` with an optional label at its top right, as layout `shapes` and
    `annotations` (what `fig.add_vline(x, line=…, annotation_text=…)` draws)."""
    drawn: dict[str, list[dict[str, Any]]] = {"shapes": [{"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0,
                                                          "y1": 1, "yref": "y domain", "line": line}]}
    if text is not None:
        drawn["annotations"] = [{"text": text, "showarrow": False, "x": x, "xanchor": "left", "xref": "x", "y": 1,
                                 "yanchor": "top", "yref": "y domain"}]
    return drawn


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` updated with `over` the way update_layout does it: nested dicts merged, everything else replaced."""
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def base_layout(fig: go.Figure, *, title: str, x_title: str | None = None, y_title: str | None = None,
                height: int = 360) -> go.Figure:
    """Title, axis titles (with units), readable fonts and the palette on a built figure (every x and every y axis
    gets the axis title). Prefer `plot.Figure(data, layout(…))` for a new figure.

    The figure gets its new layout in one assignment: update_layout and update_xaxes each re-validate their
    changes (about ten times what building a small figure costs). The layout's template is left out of that
    assignment (the figure sets the default one again without re-validating it) unless it is not the default.
    """
    spec = fig.layout.to_plotly_json()
    template = spec.pop("template", None)
    spec = _merged(spec, layout(title=title, height=height))
    for prefix, text in (("xaxis", x_title), ("yaxis", y_title)):
        if text is not None:
            # What update_xaxes selects: the first axis, always there, and every numbered one in the layout.
            for name in {prefix, *(key for key in spec if re.fullmatch(prefix + r"\d*", key))}:
                spec[name] = _merged(spec.get(name, {}), {"title": {"text": text}})
    fig.layout = spec
    if template is not None and template != fig.layout.template.to_plotly_json():
        fig.layout.template = template
    return fig


# ── The shared finish: every chart is built by figure() ─────────────────────────────────────────────────────────────

# Text is sized before any browser draws it, so by estimate, a character taken a third wider than an average one.
# Labels that must not overlap are placed for the narrowest plot these charts are drawn in (a half-width column on a
# laptop screen). A legend's rows are counted at a typical plot's width: only the plot's height depends on the count,
# as Plotly takes the room a legend needs from the plot whatever was estimated.
NARROW_PLOT_PX = 400
LEGEND_WIDTH_PX = 700
CHAR_EM = 0.6
LEGEND_ROW_PX = 24
LEGEND_ENTRY_PX = 46  # an entry's symbol and the gaps around it
LEGEND_GAP_PX = 12  # between the x axis's title and the legend
# Category labels (campaigns, reasons, channels) longer than this wrap onto a second line, and a second line that is
# still too long loses its middle to "…"; the hover shows the whole label.
LABEL_CHARS = 24
LABEL_LINES = 2
_SEPARATORS = " ·-–—,;:|/"
# Trace types Plotly leaves out of the legend unless a trace asks for it.
_UNLISTED = frozenset({"heatmap", "histogram2d", "contour"})


def figure(data: Sequence[Any], spec: dict[str, Any]) -> go.Figure:
    """A chart: these traces with this layout (from layout()), given the shared finish: the figure made taller by the
    rows its legend takes under the plot (the plot keeps its height), and every category axis with a label longer
    than LABEL_CHARS given wrapped labels (the data, and so the hover, keep the full text)."""
    # What was set on each trace, read without Plotly's lookup per property (built with or without its checks).
    props = [trace._props for trace in data]
    spec = dict(spec)
    rows = legend_rows(props, spec)
    margin = dict(spec.get("margin", {}))
    if rows:
        spec["height"] = spec.get("height", 360) + rows * LEGEND_ROW_PX + LEGEND_GAP_PX
        margin["b"] = margin.get("b", MARGIN["b"]) + rows * LEGEND_ROW_PX + LEGEND_GAP_PX
    if any(isinstance(value, dict) and value.get("side") == "right" for name, value in spec.items()
           if name.startswith("yaxis")):
        margin["r"] = max(margin.get("r", MARGIN["r"]), RIGHT_AXIS_MARGIN_PX)
    spec["margin"] = margin
    for axis, labels in _category_labels(props).items():
        if max(map(len, labels)) > LABEL_CHARS:
            spec[axis] = {**spec.get(axis, {}), "tickmode": "array", "tickvals": labels,
                          "ticktext": [wrap(label) for label in labels]}
    return plot.Figure(data, spec)


def legend_rows(props: Sequence[dict[str, Any]], spec: dict[str, Any], *, width_px: float = LEGEND_WIDTH_PX) -> int:
    """How many rows the legend of these traces takes, laid out as Plotly lays out a horizontal legend: the entries of
    a legend group stacked in one column, columns side by side until a row is full. 0 when there is no legend."""
    listed = [(p.get("legendgroup") or i, str(p.get("name", ""))) for i, p in enumerate(props)
              if p.get("showlegend", p.get("type") not in _UNLISTED)]
    if spec.get("showlegend") is False or (len(listed) < 2 and not spec.get("showlegend")):
        return 0
    font = spec.get("legend", {}).get("font", {}).get("size") or spec.get("font", {}).get("size", 14)
    columns: dict[Any, list[str]] = {}
    for group, name in listed:
        columns.setdefault(group, []).append(name)
    rows = line_px = line_rows = 0
    for names in columns.values():
        width = max(map(len, names)) * CHAR_EM * font + LEGEND_ENTRY_PX
        if line_px and line_px + width > width_px:
            rows, line_px, line_rows = rows + line_rows, 0, 0
        line_px, line_rows = line_px + width, max(line_rows, len(names))
    return rows + line_rows


def _category_labels(props: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """The labels on each category axis (layout name → distinct labels in order of appearance)."""
    found: dict[str, list[np.ndarray]] = {}
    for p in props:
        for coord in ("x", "y"):
            values = p.get(coord)
            if values is None or not len(values):
                continue
            values = np.asarray(values)
            if values.dtype.kind == "U" or (values.dtype.kind == "O" and isinstance(values[0], str)):
                ref = p.get(f"{coord}axis") or coord
                found.setdefault(f"{coord}axis{ref[1:]}", []).append(values)
    return {axis: [str(v) for v in pd.unique(np.concatenate(parts))] for axis, parts in found.items()}


def wrap(label: str, *, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> str:
    """A label as at most `lines` lines of about `width` characters; a longer one loses the middle of its last line,
    not its end, which often tells similar labels apart (campaigns that differ only in their month). Escaped:
    Plotly reads tick labels as markup, and names come from imports."""
    kept = textwrap.wrap(label, width) or [""]
    if len(kept) > lines:
        rest = " ".join(kept[lines - 1:])
        end = rest[-(width // 2):]
        tail = end[end.find(" ") + 1:].lstrip(_SEPARATORS) or end  # from a word's start where there is one
        head = rest[:max(width - len(tail) - 2, 1)].rstrip(_SEPARATORS)
        kept = [*kept[:lines - 1], f"{head}… {tail}"]
    return "<br>".join(html.escape(line) for line in kept)


def spread_labels(x: Sequence[Any], texts: Sequence[str], priority: Sequence[float], *, span: tuple[Any, Any],
                  keep: int = 4, rows: int = 3, font_size: float = 11, width_px: float = NARROW_PLOT_PX) -> np.ndarray:
    """For labels centred at `x` on an axis from span[0] to span[1] (numbers or dates), drawn in up to `rows`
    staggered rows: the row each label takes (0 the top one), or -1 for a label left out. Labels are placed highest
    priority first, each in the first row where it overlaps no label already there; at most `keep` are placed. Left
    out, a label is still on its marker's hover: a label that cannot be read helps nobody."""
    at = _as_numbers(x)
    low, high = _as_numbers(list(span))
    centre = (at - low) / ((high - low) or 1) * width_px
    half = np.array([len(text) for text in texts]) * CHAR_EM * font_size / 2 + 4  # a few px of air either side
    row_of = np.full(len(at), -1)
    taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    for i in np.argsort(-np.asarray(priority, dtype=float), kind="stable"):
        if (row_of >= 0).sum() == keep:
            break
        left, right = centre[i] - half[i], centre[i] + half[i]
        for row, spans in enumerate(taken):
            if all(right <= a or left >= b for a, b in spans):
                spans.append((left, right))
                row_of[i] = row
                break
    return row_of


def _as_numbers(values: Sequence[Any]) -> np.ndarray:
    """Numbers as floats; dates and times as nanoseconds (only differences between them matter)."""
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        return array.astype(float)
    return array.astype("datetime64[ns]").astype("int64").astype(float)


# How a month not complete as of the data's last day is drawn: bars lighter and hatched, line points hollow, a band
# behind it; the hover says how far its data goes.
PARTIAL_OPACITY = 0.45
PARTIAL_HATCH = "/"
PARTIAL_FILL = "rgba(140, 140, 140, 0.12)"


class PartialMonths:
    """Which points of a monthly series (x = the months' first days) are months not complete by `through`, the last
    day the data covers, and the trace and layout settings that mark them. With `through` None, or every month
    complete, every setting is what an unmarked chart has."""

    def __init__(self, months: Sequence[Any], through: date | None) -> None:
        self.mask: np.ndarray | None = None
        if through is None or not len(months):
            return
        starts = np.asarray(months, dtype="datetime64[D]").astype("datetime64[M]")  # dates, Timestamps or datetime64
        ends = (starts + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
        mask = ends > np.datetime64(through, "D")
        if mask.any():
            self.mask, self.starts = mask, starts.astype("datetime64[D]")
            started = self.starts <= np.datetime64(through, "D")
            self.note = np.where(mask, np.where(started, f" (partial: through {through.day} {through:%b})",
                                                f" (no data yet: data through {through.day} {through:%b})"), "")

    def __bool__(self) -> bool:
        return self.mask is not None

    def bar(self, colour: Any, hovertemplate: str) -> dict[str, Any]:
        """A bar trace's marker and hover: a partial month's bar lighter and hatched, its hover saying so."""
        if self.mask is None:
            return {"marker": {"color": colour}, "hovertemplate": hovertemplate}
        return {"marker": {"color": colour, "opacity": np.where(self.mask, PARTIAL_OPACITY, 1.0),
                           "pattern": {"shape": np.where(self.mask, PARTIAL_HATCH, "").tolist(), "fillmode": "overlay",
                                       "solidity": 0.3}},
                **self._hover(hovertemplate)}

    def line(self, hovertemplate: str, *, mode: str = "lines+markers", marker: dict[str, Any] | None = None
             ) -> dict[str, Any]:
        """A line (or points) trace's mode, marker and hover: a partial month's point a hollow marker (a line drawn
        without markers gets that one), its hover saying so."""
        marker = dict(marker or {})
        if self.mask is None:
            return {"mode": mode, "hovertemplate": hovertemplate, **({"marker": marker} if marker else {})}
        size = marker.get("size", 6)
        marker |= {"symbol": np.where(self.mask, "circle-open", "circle").tolist(),
                   "size": np.where(self.mask, max(size, 6) + 4, size if "markers" in mode else 0),
                   "line": {"width": np.where(self.mask, 2, 0)}}
        return {"mode": mode if "markers" in mode else "lines+markers", "marker": marker, **self._hover(hovertemplate)}

    def band(self) -> dict[str, list[dict[str, Any]]]:
        """Layout shapes and annotations: a light band behind the months not complete, "partial" above it."""
        if self.mask is None:
            return {}
        half = np.timedelta64(15, "D")
        first, last = self.starts[self.mask].min() - half, self.starts[self.mask].max() + half + 1
        middle = first + (last - first) // 2
        return {"shapes": [{"type": "rect", "xref": "x", "x0": str(first), "x1": str(last), "yref": "paper", "y0": 0,
                            "y1": 1, "fillcolor": PARTIAL_FILL, "line": {"width": 0}, "layer": "below"}],
                "annotations": [{"text": "partial", "showarrow": False, "xref": "x", "x": str(middle),
                                 "xanchor": "center", "yref": "paper", "y": 1, "yanchor": "bottom",
                                 "font": {"size": 11, "color": GREY}}]}

    def _hover(self, template: str) -> dict[str, Any]:
        at = template.find("<extra>")
        marked = template + "%{hovertext}" if at < 0 else template[:at] + "%{hovertext}" + template[at:]
        return {"hovertext": self.note, "hovertemplate": marked}


def partial_months(months: Sequence[Any], through: date | None) -> PartialMonths:
    """The months of `months` (first days) not complete by `through`; see PartialMonths."""
    return PartialMonths(months, through)


def marks(*parts: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Layout shapes and annotations from several sources (vline, PartialMonths.band…) in one dict."""
    out: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        for key, items in part.items():
            out.setdefault(key, []).extend(items)
    return out


def has_data(fig: go.Figure) -> bool:
    """Whether a figure has anything to draw: a trace with a value in each of its coordinates (x, y, z, values)."""
    for trace in fig.data:
        props = trace._props
        coordinates = [props[c] for c in ("x", "y", "z", "values") if props.get(c) is not None]
        if coordinates and not any(_all_missing(c) for c in coordinates):
            return True
    return False


def _all_missing(values: Any) -> bool:
    array = np.asarray(values)
    if array.size == 0:
        return True
    if array.dtype.kind in "fc":
        return bool(np.isnan(array).all())
    if array.dtype.kind in "Mm":
        return bool(np.isnat(array).all())
    return array.dtype.kind == "O" and bool(pd.isna(array).all())
