"""`python -m node`: the same entry point as the `phala-node` script."""

from __future__ import annotations

import sys

from node.cli import main

if __name__ == "__main__":
    sys.exit(main())
