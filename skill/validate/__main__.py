"""``python -m skill.validate [package [OUT]]``: validate, or assemble the ASK CLI skill package."""
from __future__ import annotations

import sys
from pathlib import Path

from skill.validate import project_root, run
from skill.validate.package import build_skill_package


def main(argv: list[str]) -> int:
    if argv[:1] == ["package"]:
        root = project_root()
        out = Path(argv[1]) if len(argv) > 1 else root / "build" / "skill-package"
        for note in build_skill_package(root, out):
            print(f"skill-package: {note}")
        print(f"skill-package: wrote {out}")
        return 0
    if argv:
        print("usage: python -m skill.validate [package [OUT]]", file=sys.stderr)
        return 2
    return run(None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
