"""Regression reports: two `--report` folders compared under tolerance rules (docs/compare.md)."""
