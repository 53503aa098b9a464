"""The pytest plugins, one per feature, each registered through its own pytest11 entry point."""
