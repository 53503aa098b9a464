"""A user's scenario project: `harness init` scaffolds one, `harness schema` writes its editor schema."""
