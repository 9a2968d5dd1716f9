"""Manual sealing RPCs, as Substrate's manual-seal: `engine_createBlock` and `engine_finalizeBlock`."""

from __future__ import annotations

from typing import Any

from node.consensus.authoring import Author

from .context import RpcContext
from .errors import RpcError
from .params import InvalidParams, opt_hash, positional, to_hex
from .registry import CallContext, Params, Registry


def register(registry: Registry, ctx: RpcContext, author: Author) -> None:
    """Add engine_createBlock and engine_finalizeBlock."""
    client = ctx.client

    @registry.method("engine_createBlock", unsafe=True, concurrent=True)
    async def create_block(params: Params, call: CallContext) -> Any:
        create_empty, finalize, parent = positional(params, ("createEmpty", "finalize", "parentHash"))
        if not isinstance(create_empty, bool) or not isinstance(finalize, bool):
            raise InvalidParams("createEmpty and finalize must be booleans")
        parent_hash = opt_hash(parent, "parentHash")
        if parent_hash is not None and client.header(parent_hash) is None:
            raise RpcError(-32000, "Consensus error: parent block not found")
        result = await author.seal(create_empty=create_empty, finalize=finalize, parent_hash=parent_hash)
        if result is None:
            raise RpcError(-32000, "Consensus error: no transactions to include and createEmpty is false")
        return {"hash": to_hex(result.imported.hash), "aux": {"header_only": False, "clear_justification_requests": False,
                "needs_justification": False, "bad_justification": False, "is_new_best": True}}

    @registry.method("engine_finalizeBlock", unsafe=True)
    async def finalize_block(params: Params, call: CallContext) -> Any:
        block, _justification = positional(params, ("hash", "justification"))
        block_hash = opt_hash(block)
        if block_hash is None:
            raise InvalidParams("hash: the block hash to finalize is required")
        if client.header(block_hash) is None:
            raise RpcError(-32000, "Consensus error: block not found")
        client.finalize(block_hash)
        author.finalize_pending()
        author.pool.on_finalized(block_hash)
        return True
