"""noxtui.sandbox.inbox."""
