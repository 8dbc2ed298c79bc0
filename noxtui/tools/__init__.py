"""noxtui.tools."""
