"""noxtui.tui.widgets."""
