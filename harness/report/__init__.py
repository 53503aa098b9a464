"""Run reports: one JSON result per scenario (result.schema.json) and one self-contained HTML page."""
