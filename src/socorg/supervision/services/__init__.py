"""Writes of supervision, one module per capability."""
