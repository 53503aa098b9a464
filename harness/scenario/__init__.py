"""The scenario language: loading, schema, model. Nothing here talks to a chain."""
