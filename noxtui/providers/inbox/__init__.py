"""noxtui.providers.inbox."""
