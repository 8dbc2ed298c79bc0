"""noxtui: a keyboard-driven terminal inbox for creator-outreach message threads."""

__version__ = "0.1.0"
