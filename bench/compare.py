"""Whether a peer frame equals the queries frame: same columns, rows and order; dates compared as days, numbers
to a relative 1e-9 (DuckDB sums DECIMAL exactly, pandas sums doubles)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for name in out.columns:
        column = out[name]
        sample = column.dropna()
        if pd.api.types.is_datetime64_any_dtype(column) or (
                len(sample) and isinstance(sample.iloc[0], dt.date)):
            out[name] = pd.to_datetime(column).astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(column):
            out[name] = column.astype(bool)
        elif pd.api.types.is_numeric_dtype(column):
            out[name] = column.astype("Float64").astype(float)
        else:
            out[name] = column.astype(object).where(column.notna(), None)
    return out


def difference(expected: pd.DataFrame, actual: pd.DataFrame) -> str | None:
    """None when the frames agree, else a sentence saying where they differ."""
    if list(expected.columns) != list(actual.columns):
        return f"columns differ: {list(expected.columns)} vs {list(actual.columns)}"
    if len(expected) != len(actual):
        return f"row counts differ: {len(expected)} vs {len(actual)}"
    a, b = _normal(expected), _normal(actual)
    for name in a.columns:
        left, right = a[name], b[name]
        if pd.api.types.is_float_dtype(left) and pd.api.types.is_float_dtype(right):
            same = np.isclose(left.to_numpy(), right.to_numpy(), rtol=1e-9, atol=1e-9, equal_nan=True)
        else:
            same = ((left == right) | (left.isna() & right.isna())).to_numpy()
        if not same.all():
            row = int(np.argmin(same))
            return f"column {name} differs at row {row}: {left.iloc[row]!r} vs {right.iloc[row]!r}"
    return None
