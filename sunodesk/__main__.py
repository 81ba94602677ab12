"""Allow ``python -m sunodesk``."""

from sunodesk.cli import main

raise SystemExit(main())
