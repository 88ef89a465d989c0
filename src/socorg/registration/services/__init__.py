"""Every write of registration, one module per capability: ``applications`` (drafts, submission
checks, reserved names), ``opinions`` (acceptance and the joint review), ``decisions``
(approval and what it changes in the registry), ``certificates``, ``principals`` (vetting,
TT-4) and ``terms`` (term transitions, TT-1)."""
