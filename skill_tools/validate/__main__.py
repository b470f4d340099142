"""``python -m skill_tools.validate``: the same as ``recovery-skill validate``."""
import sys

from skill_tools.validate import run

if __name__ == "__main__":
    sys.exit(run(None))
