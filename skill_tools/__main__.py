"""``python -m skill_tools`` is the ``recovery-skill`` command."""
import sys

from skill_tools.cli import main

sys.exit(main())
