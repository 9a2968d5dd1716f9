"""An in-memory chain for runtime tests: genesis from the dev preset, blocks built by the executive."""

from __future__ import annotations

from dataclasses import dataclass, field

from runtime.assembly import Assembly, build_assembly
from runtime.executive import FinishedBlock
from runtime.genesis import build_genesis_storage
from runtime.presets import development
from runtime.primitives.extrinsic import encode_unsigned
from runtime.primitives.hashing import EMPTY_TRIE_ROOT
from runtime.primitives.header import Header, aura_pre_digest
from runtime.primitives.trie import MemoryNodeStore, apply_changes
from runtime.support.overlay import DictReader

_ASSEMBLY: Assembly | None = None


def assembly() -> Assembly:
    """One assembled runtime per test session (assembling is pure, so sharing it is safe)."""
    global _ASSEMBLY
    if _ASSEMBLY is None:
        _ASSEMBLY = build_assembly()
    return _ASSEMBLY


@dataclass
class MemoryChain:
    """Storage of the best block in a dict, plus headers by number."""

    assembly: Assembly
    storage: dict[bytes, bytes]
    headers: list[Header] = field(default_factory=list)
    nodes: MemoryNodeStore = field(default_factory=MemoryNodeStore)
    timestamp: int = 1_700_000_000_000

    @classmethod
    def dev(cls) -> MemoryChain:
        """A fresh dev chain at genesis."""
        a = assembly()
        storage = build_genesis_storage(a, development())
        chain = cls(a, storage)
        update = apply_changes(chain.nodes, EMPTY_TRIE_ROOT, storage)
        chain.nodes.insert_nodes(update.new_nodes)
        chain.headers.append(Header(bytes(32), 0, update.root, EMPTY_TRIE_ROOT, ()))
        return chain

    @property
    def best(self) -> Header:
        """The best header."""
        return self.headers[-1]

    @property
    def genesis_hash(self) -> bytes:
        """Hash of block 0."""
        return self.headers[0].hash()

    def reader(self) -> DictReader:
        """The best block's state."""
        return DictReader(self.storage)

    def build(self, extrinsics: list[bytes]) -> FinishedBlock:
        """Build and import one block with a timestamp inherent and `extrinsics`; refusals propagate."""
        ex = self.assembly.executive
        rt = self.assembly.runtime
        parent = self.best
        self.timestamp += 6000
        block = ex.initialize_block(self.reader(), parent.number + 1, parent.hash(),
                                    (aura_pre_digest(self.timestamp // 6000),))
        ex.apply_extrinsic(block, encode_unsigned(rt.encode_call(rt.make_call("Timestamp", "set", now=self.timestamp))))
        for xt in extrinsics:
            ex.apply_extrinsic(block, xt)
        finished = ex.finalize_block(block)
        update = apply_changes(self.nodes, parent.state_root, finished.changes)
        self.nodes.insert_nodes(update.new_nodes)
        for key, value in finished.changes.items():
            if value is None:
                self.storage.pop(key, None)
            else:
                self.storage[key] = value
        h = finished.header
        self.headers.append(Header(h.parent_hash, h.number, update.root, h.extrinsics_root, h.digest))
        return finished
