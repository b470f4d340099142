"""``python -m skill`` is the ``recovery-skill`` command."""
import sys

from skill.cli import main

sys.exit(main())
