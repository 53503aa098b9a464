"""The engine: runs a Scenario against a RunningNetwork. It works without pytest."""
