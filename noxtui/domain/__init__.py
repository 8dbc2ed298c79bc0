"""noxtui.domain."""
