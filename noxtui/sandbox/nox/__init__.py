"""noxtui.sandbox.nox."""
