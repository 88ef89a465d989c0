"""Forms of supervision, one module per capability."""
