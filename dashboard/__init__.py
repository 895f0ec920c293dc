"""The Streamlit dashboard: pages, components and the one cached wrapper around `metrics` (no SQL here)."""
