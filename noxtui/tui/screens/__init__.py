"""noxtui.tui.screens."""
