"""Streamlit-side helpers: cached data access, filters kept in the URL, charts, navigation."""
