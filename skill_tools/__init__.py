"""The tools around the skill: the simulator, the browser console, the clinicians' review, the
certification checks and the ``recovery-skill`` command. They use the runtime package ``skill``
(what the Lambda zip holds); nothing in ``skill`` imports them."""
