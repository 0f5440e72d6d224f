"""The sample company: `generate(path)` writes a deterministic DuckDB database with planted truths."""

from sample_data.generator import GenerationError, generate

__all__ = ["GenerationError", "generate"]
