"""The chain-spec layer's typed errors: a spec file that does not parse, and a spec we cannot run.

`ChainSpecError` is the root; `ForeignRuntimeError` means the spec parsed fine (name, id, properties and
genesis storage are readable) but its runtime is not this node's Python runtime, so it cannot be executed.
"""

from __future__ import annotations


class ChainSpecError(Exception):
    """A chain spec could not be found, parsed or built; the message names the failed check."""


class ForeignRuntimeError(ChainSpecError):
    """The spec's genesis `:code` is not this node's runtime (e.g. a Substrate Wasm blob)."""
