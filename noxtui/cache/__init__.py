"""noxtui.cache."""
