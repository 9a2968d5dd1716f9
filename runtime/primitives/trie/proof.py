"""Reading values and storage proofs over a node store (state_getReadProof / sp_trie proof checks).

`read_value` walks from a root to a key. `generate_proof` does the same walks and returns every
node it had to fetch by hash (root, hashed children, V1 value nodes), deduplicated and sorted, as
Substrate's StorageProof holds them. `verify_proof` re-runs the walks against only those nodes and
raises an `InvalidProofError` subclass naming the key and the check that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..hashing import EMPTY_TRIE_ROOT, blake2_256
from .codec import HASH_LEN, decode_node
from .errors import (
    IncompleteDatabaseError,
    ProofMalformedNodeError,
    ProofMissingNodeError,
    ProofValueMismatchError,
    TrieDecodeError,
    TrieError,
)
from .root import NIBBLE_INDEX
from .store import NodeStore

Fetch = Callable[[bytes], bytes]


def _lookup(fetch: Fetch, root: bytes, key: bytes) -> bytes | None:
    """Walk from `root` to `key`, fetching hashed nodes and value nodes with `fetch`."""
    if root == EMPTY_TRIE_ROOT:
        return None
    if len(root) != HASH_LEN:
        raise TrieError(f"root must be {HASH_LEN} bytes, got {len(root)}")
    enc = fetch(root)
    k = key.hex()
    size = len(k)
    depth = 0
    while True:
        node = decode_node(enc)
        if node is None:
            if depth:
                raise TrieDecodeError("lookup: empty-trie node used as a child")
            return None
        partial = node.partial
        if not k.startswith(partial, depth):
            return None
        depth += len(partial)
        if depth == size:
            if node.value is None:
                return None
            return fetch(node.value) if node.value_hashed else node.value
        if node.children is None:
            return None
        ref = node.children[NIBBLE_INDEX[k[depth]]]
        if ref is None:
            return None
        depth += 1
        enc = fetch(ref) if len(ref) == HASH_LEN else ref


def _store_fetch(store: NodeStore) -> Fetch:
    def fetch(node_hash: bytes) -> bytes:
        enc = store.get_node(node_hash)
        if enc is None:
            raise IncompleteDatabaseError(f"node store lacks node 0x{node_hash.hex()}")
        return enc

    return fetch


def read_value(store: NodeStore, root: bytes, key: bytes) -> bytes | None:
    """The value stored under `key` in the trie at `root`, or None if the key is absent."""
    return _lookup(_store_fetch(store), root, key)


def generate_proof(store: NodeStore, root: bytes, keys: Iterable[bytes]) -> list[bytes]:
    """The unique encoded nodes (incl. V1 value nodes) on the paths to `keys`, sorted bytewise.

    Absent keys are proven too: the path down to where the key leaves the trie is included.
    """
    fetch_store = _store_fetch(store)
    recorded: set[bytes] = set()

    def fetch(node_hash: bytes) -> bytes:
        enc = fetch_store(node_hash)
        recorded.add(enc)
        return enc

    for key in keys:
        _lookup(fetch, root, key)
    return sorted(recorded)


def verify_proof(root: bytes, proof: Iterable[bytes], items: Mapping[bytes, bytes | None]) -> None:
    """Check that `proof` proves each key of `items` has that value (None: absent) under `root`.

    Raises ProofMissingNodeError, ProofMalformedNodeError or ProofValueMismatchError (all
    InvalidProofError, a TrieError) naming the key. Nodes not needed by any item are ignored.
    """
    db = {blake2_256(node): node for node in proof}
    for key, expected in items.items():

        def fetch(node_hash: bytes, key: bytes = key) -> bytes:
            enc = db.get(node_hash)
            if enc is None:
                raise ProofMissingNodeError(
                    f"proof lacks node 0x{node_hash.hex()} on the path of key 0x{key.hex()}"
                )
            return enc

        try:
            actual = _lookup(fetch, root, key)
        except TrieDecodeError as exc:
            raise ProofMalformedNodeError(f"proof node on the path of key 0x{key.hex()}: {exc}") from exc
        if actual != expected:
            raise ProofValueMismatchError(
                f"proof value mismatch for key 0x{key.hex()}: expected {_show(expected)}, proven {_show(actual)}"
            )


def _show(value: bytes | None) -> str:
    return "absent" if value is None else f"0x{value.hex()}"
