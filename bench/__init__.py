"""python -m bench: every page timed at scale, against the pandas way (see bench/RESULTS.md)."""
