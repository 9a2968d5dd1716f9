"""Substrate-style logging: `2026-11-26 09:24:00 🏆 Imported #12 (0xabcd…1234 → 0xef01…5678)`.

`configure_logging(filters)` installs one stderr handler on the root logger and applies `-l/--log`
directives (`info`, `sync=debug`, `error,rpc=trace`: a bare level is the global level, `target=level`
sets a logger; levels error, warn, info, debug, trace). Targets are logger names (`substrate`, `rpc`,
`txpool`, `aura`, ...). Lines are `<date> <time> <message>`; with `--detailed-log-output`, or as soon
as any filter enables debug/trace (as Substrate does), they become
`<date> <time>.<ms> <LEVEL> <thread> <target>: <message>`. The string helpers (`short_hash`,
`imported_line`, `idle_line`) reproduce the informant's wording.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

TRACE = 5
logging.addLevelName(TRACE, "TRACE")

LEVELS: dict[str, int] = {"error": logging.ERROR, "warn": logging.WARNING, "warning": logging.WARNING,
                          "info": logging.INFO, "debug": logging.DEBUG, "trace": TRACE,
                          "off": logging.CRITICAL + 10}
_HANDLER_FLAG = "_phala_node_handler"


class LogFilterError(ValueError):
    """A `-l/--log` directive that does not parse."""


def parse_log_filters(filters: Iterable[str]) -> tuple[int, dict[str, int]]:
    """(global level, {target: level}) from `-l` values, each a comma-separated list of directives."""
    default = logging.INFO
    targets: dict[str, int] = {}
    for entry in filters:
        for directive in entry.split(","):
            directive = directive.strip()
            if not directive:
                continue
            target, sep, level_text = directive.rpartition("=")
            level = LEVELS.get(level_text.strip().lower())
            if level is None:
                if not sep:  # a bare target means "trace" for it, as env_logger does
                    targets[directive] = TRACE
                    continue
                raise LogFilterError(f"--log: unknown level {level_text!r} in {directive!r} "
                                     "(expected error, warn, info, debug or trace)")
            if sep:
                targets[target.strip()] = level
            else:
                default = level
    return default, targets


class SubstrateFormatter(logging.Formatter):
    """Formats records as Substrate's default (`time message`) or detailed log output."""

    def __init__(self, detailed: bool = False) -> None:
        super().__init__()
        self.detailed = detailed

    def format(self, record: logging.LogRecord) -> str:
        """One line; exceptions appended below it."""
        stamp = self.formatTime(record, "%Y-%m-%d %H:%M:%S")
        message = record.getMessage()
        if self.detailed:
            level = "WARN" if record.levelno == logging.WARNING else record.levelname
            line = f"{stamp}.{int(record.msecs):03d} {level:>5} {record.threadName} {record.name}: {message}"
        else:
            line = f"{stamp} {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(filters: Iterable[str] = (), *, detailed: bool = False,
                      stream: TextIO | None = None) -> logging.Handler:
    """Apply `-l` filters and install (or replace) the node's stderr handler; returns the handler."""
    default, targets = parse_log_filters(filters)
    detailed = detailed or default < logging.INFO or any(level < logging.INFO for level in targets.values())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_FLAG, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    setattr(handler, _HANDLER_FLAG, True)
    handler.setFormatter(SubstrateFormatter(detailed))
    root.addHandler(handler)
    root.setLevel(default)
    for target, level in targets.items():
        logging.getLogger(target).setLevel(level)
    return handler


def short_hash(h: bytes) -> str:
    """A 32-byte hash as Substrate's `Display` prints it: `0xabcd…1234`."""
    if len(h) < 4:
        return "0x" + h.hex()
    return f"0x{h[:2].hex()}…{h[-2:].hex()}"


def imported_line(number: int, parent_hash: bytes, block_hash: bytes, *, is_new_best: bool = True) -> str:
    """The informant's import line: `🏆 Imported #12 (0xabcd…1234 → 0xef01…5678)` (🆕 when not best)."""
    marker = "🏆" if is_new_best else "🆕"
    return f"{marker} Imported #{number} ({short_hash(parent_hash)} → {short_hash(block_hash)})"


def idle_line(peers: int, best: int, best_hash: bytes, finalized: int, finalized_hash: bytes,
              down: str = "0", up: str = "0") -> str:
    """The informant's periodic status line: `💤 Idle (0 peers), best: #5 (0x…), finalized #3 (0x…), ⬇ 0 ⬆ 0`."""
    return (f"💤 Idle ({peers} peers), best: #{best} ({short_hash(best_hash)}), "
            f"finalized #{finalized} ({short_hash(finalized_hash)}), ⬇ {down} ⬆ {up}")


def prepared_line(number: int, millis: int, block_hash: bytes, parent_hash: bytes, extrinsics: int) -> str:
    """The proposer's line: `🎁 Prepared block for proposing at 3 (2 ms) hash: 0x…, parent_hash: 0x…, extrinsics_count: 2`."""
    return (f"🎁 Prepared block for proposing at {number} ({millis} ms) hash: 0x{block_hash.hex()}, "
            f"parent_hash: 0x{parent_hash.hex()}, extrinsics_count: {extrinsics}")
