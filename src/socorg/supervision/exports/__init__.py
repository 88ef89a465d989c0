"""Spreadsheet exports of supervision, one module per capability (``core.exports`` writes)."""
