"""``python -m skill.validate``: the same as ``recovery-skill validate``."""
import sys

from skill.validate import run

if __name__ == "__main__":
    sys.exit(run(None))
