"""``python -m noxtui.sandbox.nox_cli``: the fake ``noxinfluencer`` without its console script."""

from noxtui.sandbox.nox_cli.main import console

console()
