"""Network topologies: which chains a scenario needs, their roles, and provider settings."""
