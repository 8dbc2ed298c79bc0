"""The inbox screen, in parts: ``InboxScreen`` (``screen.py``) is put together from one mixin per
job; ``base.py`` says where the split is and why. Its styles stay in ``screens/inbox.tcss``."""

from noxtui.tui.screens.inbox.replies import default_schedule_text
from noxtui.tui.screens.inbox.screen import InboxScreen

__all__ = ["InboxScreen", "default_schedule_text"]
