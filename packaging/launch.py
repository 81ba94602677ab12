"""The frozen bundle's entry point: exactly the `sunodesk` console script."""

from sunodesk.cli import main

raise SystemExit(main())
