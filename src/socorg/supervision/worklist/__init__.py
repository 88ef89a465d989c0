"""Supervision's sections and counts of the home worklist, one module per capability."""
