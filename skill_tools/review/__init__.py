"""The review report a clinician reads and signs (``recovery-skill review``)."""
