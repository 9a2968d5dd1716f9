"""Test helper: py-substrate-interface 1.8.1 driven offline against an in-memory chain.

`OfflineSubstrate` is the real `SubstrateInterface` (its metadata loading, type registry, signing payload,
extrinsic and storage-key code all run unchanged); only `rpc_request`, the one method that would talk to a
node, is answered from a `MemoryChain` + its assembled runtime, the way our node answers these RPCs. It
stands in for the node, not for the client.
"""

from __future__ import annotations

from typing import Any

from chain_fixture import MemoryChain
from substrateinterface import SubstrateInterface

from runtime.apis import ApiContext
from runtime.support.overlay import DictReader


class OfflineSubstrate(SubstrateInterface):  # type: ignore[misc]
    """SubstrateInterface whose JSON-RPC is served by a MemoryChain; records every method it was asked."""

    def __init__(self, chain: MemoryChain) -> None:
        self.memory_chain = chain
        self.calls: list[str] = []
        # an http URL: the constructor builds an HttpTransport and connects nothing
        super().__init__(url="http://offline.invalid:9933", ss58_format=42, auto_discover=False)

    def _hash_of(self, number: int) -> str:
        return "0x" + self.memory_chain.headers[number].hash().hex()

    def _number_of(self, block_hash: str | None) -> int:
        if block_hash is None:
            return len(self.memory_chain.headers) - 1
        for i, h in enumerate(self.memory_chain.headers):
            if "0x" + h.hash().hex() == block_hash:
                return i
        raise KeyError(block_hash)

    def _header_json(self, number: int) -> dict[str, Any]:
        h = self.memory_chain.headers[number]
        return {"parentHash": "0x" + h.parent_hash.hex(), "number": hex(h.number),
                "stateRoot": "0x" + h.state_root.hex(), "extrinsicsRoot": "0x" + h.extrinsics_root.hex(),
                "digest": {"logs": []}}

    def _result(self, method: str, params: list[Any]) -> Any:
        a = self.memory_chain.assembly
        if method == "chain_getBlockHash":
            return self._hash_of(params[0] if params and params[0] is not None else len(self.memory_chain.headers) - 1)
        if method == "chain_getHead":
            return self._hash_of(len(self.memory_chain.headers) - 1)
        if method == "chain_getFinalizedHead":
            return self._hash_of(len(self.memory_chain.headers) - 1)
        if method == "chain_getHeader":
            return self._header_json(self._number_of(params[0] if params else None))
        if method == "state_getRuntimeVersion":
            return a.version.to_json()
        if method == "state_getMetadata":
            return "0x" + a.metadata_v14().hex()
        if method in ("state_getStorage", "state_getStorageAt"):
            value = self.memory_chain.storage.get(bytes.fromhex(params[0][2:]))
            return None if value is None else "0x" + value.hex()
        if method == "state_call":
            number = len(self.memory_chain.headers) - 1
            ctx = ApiContext(DictReader(self.memory_chain.storage), self.memory_chain.headers[number].hash(), number)
            return "0x" + a.apis.call(params[0], bytes.fromhex(params[1][2:]), ctx).hex()
        if method == "rpc_methods":
            return {"methods": ["chain_getBlockHash", "chain_getHead", "chain_getFinalizedHead", "chain_getHeader",
                                "state_getRuntimeVersion", "state_getMetadata", "state_getStorage",
                                "state_getStorageAt", "state_call", "rpc_methods"]}
        raise NotImplementedError(f"offline stand-in does not serve {method}")

    def rpc_request(self, method: str, params: list[Any], result_handler: Any = None) -> dict[str, Any]:
        """Answer one JSON-RPC request from the in-memory chain."""
        self.calls.append(method)
        return {"jsonrpc": "2.0", "id": 1, "result": self._result(method, params)}
