"""noxtui.tui."""
