"""Core pages: sign-in and the home worklist (``accounts``), attachment downloads, task
progress, and the one way a page fires a workflow button (``workflow``)."""
