"""Message backends behind one protocol."""

from noxtui.providers.base import Capabilities, Provider
from noxtui.providers.nox import NoxProvider

__all__ = ["Capabilities", "NoxProvider", "Provider"]
