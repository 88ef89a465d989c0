"""Reads of supervision for pages and the API, one module per capability."""
