"""noxtui.storage."""
