"""``python -m noxtui`` runs the same command as the ``noxtui`` script."""

from noxtui.cli import main

raise SystemExit(main())
