"""The JSON API of registration: applications and the workflow items of its processes
(``applications``), and the public, rate-limited name check (``names``)."""
