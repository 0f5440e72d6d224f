"""Tandem's data layer: named, parameterised queries over DuckDB returning DataFrames. No Streamlit here."""
