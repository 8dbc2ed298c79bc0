"""Where noxtui's log goes, and the filter that keeps secrets out of it.

Why a file at all: a TUI owns the terminal, so warnings (retries, dropped connections) cannot go to
stderr without tearing the screen. They go to ``paths.log_file`` in the state dir instead, a file
only the rep can read (0600), rotated so it never grows without bound.

Why a redacting filter when the client already avoids logging headers: defence in depth. A future
log line, a third-party library or an exception message (``httpx`` errors carry the request; a
server may echo what it was sent) could carry ``Authorization: Bearer …``. Every record that reaches
the file passes through :class:`RedactingFilter`, which rewrites the message, its arguments and the
formatted traceback before anything is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from collections.abc import Iterable
from io import TextIOWrapper
from pathlib import Path
from typing import TYPE_CHECKING, cast

from noxtui.paths import make_private_dir

if TYPE_CHECKING:
    from noxtui.paths import Paths

REDACTED = "***"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
# Shorter values are too likely to occur in ordinary text: replacing them would garble the log
# without protecting anything a rep would call a secret.
MIN_SECRET_LENGTH = 6
# A secret is recognised by its first characters, not only whole: an error may quote it cut short
# ("tok_SECRET_12…"), with an escaped tail (``repr`` turns a pasted zero-width space into
# ``\u200b``) or glued to other text. From such a prefix to the end of the word is masked.
SECRET_PREFIX = 8
_WORD_CHAR = r"""[^\s'"<>,;()\[\]{}]"""

# ``Authorization: <anything>`` up to the end of the value (quote, comma, brace or line end), and a
# bare ``Bearer <token>`` wherever it appears (reprs of header dicts, curl lines, error texts).
_AUTH_HEADER = re.compile(r"""(?i)(authorization["']?\s*[:=]\s*["']?)[^"',}\r\n]+""")
_BEARER = re.compile(r"(?i)\b(bearer\s+)" + _WORD_CHAR + "+")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_HANDLER_NAME = "noxtui-file"


def register_secret(value: str | None) -> None:
    """Remember a value (a token) that must never appear in a log record, however it got there."""
    if value is None:
        return
    value = value.strip()
    if len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def forget_secrets() -> None:
    """Drop every registered secret (tests, or after ``logout``)."""
    with _secrets_lock:
        _secrets.clear()


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with registered secrets, ``extra`` secrets, auth header values and bearer tokens masked."""
    with _secrets_lock:
        secrets = sorted({*_secrets, *(s for s in extra if len(s) >= MIN_SECRET_LENGTH)}, key=len, reverse=True)
    for secret in secrets:  # longest first, so a secret containing another is masked whole
        text = text.replace(secret, REDACTED)
        text = re.sub(re.escape(secret[:SECRET_PREFIX]) + _WORD_CHAR + "*", REDACTED, text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record in place so that no formatter downstream can reintroduce a secret.

    The message is rendered (``msg % args``) and redacted once; ``args`` is cleared so a later
    ``getMessage`` cannot re-render the raw values. The traceback is formatted here, redacted, and
    stored in ``exc_text``, which ``logging.Formatter`` uses instead of re-formatting ``exc_info``.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose every file (the first and each after a rollover) is 0600.

    ``RotatingFileHandler`` opens new files with the process umask (often 0644); a log that records
    which creators a rep wrote to is private, so the file is created with ``os.open(..., 0o600)``.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        """A record that cannot be written (disk full, file too large) is dropped quietly: logging's
        default prints a traceback to stderr, which is the TUI's screen."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # an older file may have been created wider
        stream = os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding, errors=self.errors)
        return cast(TextIOWrapper, stream)  # a text mode (the handler's own), so a text wrapper


def configure_logging(paths: Paths, *, level: int = logging.INFO, secrets: Iterable[str] = ()) -> logging.Handler:
    """Send noxtui's log (and third-party warnings) to ``paths.log_file``, 0600, secrets redacted.

    Calling it again replaces the previous file handler instead of adding a second one, so tests
    and a re-launch never double every line. Returns the handler (``reset_logging`` removes it).
    """
    for secret in secrets:
        register_secret(secret)
    log_file: Path = paths.log_file
    make_private_dir(log_file.parent)
    handler = PrivateRotatingFileHandler(
        log_file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=False
    )
    handler.set_name(_HANDLER_NAME)
    handler.setLevel(level)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    reset_logging()
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("noxtui").setLevel(level)
    # httpx logs every request line at INFO and httpcore every socket step at DEBUG: noise, and the
    # surest way to put a URL with a pasted token into a file if one ever appears in a query string.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def log_file_in_use() -> Path | None:
    """The file ``configure_logging`` is writing to, if any (what a crash message points at)."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


CRASH_SUMMARY_LENGTH = 200


def report_crash(error: BaseException, *, where: str = "") -> str:
    """Log ``error`` in full (its traceback, never its frames' locals; secrets masked) and return
    the few lines to show the rep instead: what broke, in one line, and where the details are.

    Why not the traceback on screen: the one Textual and Rich print by default shows every frame's
    local variables, which at start-up include the token, the headers and the client.
    """
    logging.getLogger("noxtui.crash").error(
        "noxtui stopped after an unexpected error%s", f" ({where})" if where else "",
        exc_info=(type(error), error, error.__traceback__),
    )
    lines = redact(str(error)).strip().splitlines()
    summary = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in (lines[0] if lines else ""))
    if len(summary) > CRASH_SUMMARY_LENGTH:
        summary = summary[:CRASH_SUMMARY_LENGTH] + "…"
    log = log_file_in_use()
    details = f"The details are in {log}" if log else "No log file is open, so the details were not kept"
    what = f"{type(error).__name__}: {summary}" if summary else type(error).__name__
    return f"noxtui stopped after an unexpected error ({what}).\n{details}; please include it when you report this."


def reset_logging() -> None:
    """Remove (and close) the handler ``configure_logging`` installed, if any."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()


__all__ = [
    "RedactingFilter",
    "configure_logging",
    "forget_secrets",
    "log_file_in_use",
    "redact",
    "register_secret",
    "report_crash",
    "reset_logging",
]
