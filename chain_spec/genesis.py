"""From a chain spec to block 0: genesis storage, the runtime-code check, and the genesis header.

`genesis_storage` only reads the spec (a raw spec's top map is returned as is), so a foreign spec can be
inspected. `runnable_genesis_storage` is what a node starting a chain calls: it additionally insists
that `:code` is this node's Python runtime (`runtime_code(assembly)`) and raises `ForeignRuntimeError`
otherwise — a Substrate Wasm blob cannot be executed here. The genesis header is Substrate's
`construct_genesis_block`: parent 0x00…, number 0, state root = trie root of the storage, extrinsics root
= root of the empty trie, empty digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from runtime.primitives.header import Header
from runtime.primitives.trie import trie_root

from .errors import ChainSpecError, ForeignRuntimeError
from .spec import ChainSpec, RawGenesis

if TYPE_CHECKING:
    from runtime.assembly import Assembly

CODE_KEY = b":code"
WASM_MAGIC = b"\x00asm"
ZSTD_WASM_PREFIX = bytes.fromhex("52bc537646db8e05")  # sp-maybe-compressed-blob's ZSTD_PREFIX
PYTHON_RUNTIME_TAG = b"phala-node-python-runtime\x00"


def genesis_storage(spec: ChainSpec, assembly: Assembly) -> dict[bytes, bytes]:
    """The genesis top storage: a raw spec's map, or `build_genesis_storage` of a non-raw spec's patch."""
    if isinstance(spec.genesis, RawGenesis):
        return dict(spec.genesis.top)
    from runtime.genesis import GenesisError, build_genesis_storage

    try:
        return build_genesis_storage(assembly, spec.genesis.patch)
    except GenesisError as exc:
        raise ChainSpecError(f"chain spec {spec.id!r}: genesis patch rejected: {exc}") from exc


def describe_code(code: bytes | None) -> str:
    """A human description of a `:code` value, for error messages."""
    if code is None:
        return "no :code entry"
    if code.startswith(ZSTD_WASM_PREFIX):
        return f"a zstd-compressed Wasm runtime blob ({len(code)} bytes)"
    if code.startswith(WASM_MAGIC):
        return f"a Wasm runtime blob ({len(code)} bytes)"
    if code.startswith(PYTHON_RUNTIME_TAG):
        rest = code[len(PYTHON_RUNTIME_TAG):].split(b"\x00", 1)
        return f"a phala-node Python runtime of another build (spec_name {rest[0].decode(errors='replace')!r})"
    return f"an unrecognised {len(code)}-byte blob"


def check_runtime_code(spec: ChainSpec, code: bytes | None, assembly: Assembly) -> None:
    """Raise `ForeignRuntimeError` unless `code` is exactly this node's runtime code."""
    from runtime.genesis import runtime_code

    ours = runtime_code(assembly)
    if code == ours:
        return
    version = assembly.version
    raise ForeignRuntimeError(
        f"chain spec {spec.name!r} (id {spec.id!r}): genesis :code is {describe_code(code)}, not this node's "
        f"runtime ({version.spec_name} spec_version {version.spec_version}); phala-node executes only its "
        "own Python runtime and cannot run a foreign (Wasm) runtime")


def runnable_genesis_storage(spec: ChainSpec, assembly: Assembly) -> dict[bytes, bytes]:
    """Genesis storage of a chain this node can run; `ForeignRuntimeError` when `:code` is not ours."""
    if isinstance(spec.genesis, RawGenesis):
        storage = dict(spec.genesis.top)
        check_runtime_code(spec, storage.get(CODE_KEY), assembly)
        return storage
    check_runtime_code(spec, spec.genesis.code, assembly)
    return genesis_storage(spec, assembly)


def genesis_header(storage: Mapping[bytes, bytes], state_version: int = 1) -> tuple[Header, bytes]:
    """Block 0's header for `storage` and its hash."""
    header = Header(
        parent_hash=bytes(32),
        number=0,
        state_root=trie_root(storage.items(), state_version),
        extrinsics_root=trie_root((), state_version),
        digest=(),
    )
    return header, header.hash()
