"""Party-building API, one module per capability, each with its own ``router``."""
