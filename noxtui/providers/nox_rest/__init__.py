"""noxtui.providers.nox_rest."""
