"""The deprecated `payment_*` namespace (pallet-transaction-payment-rpc), answered through the runtime API."""

from __future__ import annotations

from typing import Any

from runtime.apis import ApiError
from runtime.scale import U32

from .api_state import StateError
from .context import RpcContext
from .params import hex_bytes, opt_hash, positional
from .registry import CallContext, Params, Registry

_CLASSES = ("normal", "operational", "mandatory")


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add payment_queryInfo and payment_queryFeeDetails."""
    client = ctx.client
    types = client.assembly.types

    def run(name: str, params: Params) -> Any:
        xt_hex, at = positional(params, ("extrinsic", "at"))
        xt = hex_bytes(xt_hex, "extrinsic")
        try:
            raw = client.call(name, xt + U32.encode(len(xt)), opt_hash(at))
        except ApiError as exc:
            raise StateError(f"Unable to query dispatch info: {exc}") from None
        return raw

    @registry.method("payment_queryInfo")
    async def query_info(params: Params, call: CallContext) -> Any:
        info = types.runtime_dispatch_info.decode(run("TransactionPaymentApi_query_info", params))
        cls = info["class"]
        return {"weight": {"ref_time": info["weight"]["ref_time"], "proof_size": info["weight"]["proof_size"]},
                "class": (cls[0] if isinstance(cls, tuple) else cls).lower(),
                "partialFee": str(info["partial_fee"])}

    @registry.method("payment_queryFeeDetails")
    async def query_fee_details(params: Params, call: CallContext) -> Any:
        details = types.fee_details.decode(run("TransactionPaymentApi_query_fee_details", params))
        inclusion = details["inclusion_fee"]
        if inclusion is None:
            return {"inclusionFee": None}
        return {"inclusionFee": {"baseFee": hex(inclusion["base_fee"]), "lenFee": hex(inclusion["len_fee"]),
                                 "adjustedWeightFee": hex(inclusion["adjusted_weight_fee"])}}
