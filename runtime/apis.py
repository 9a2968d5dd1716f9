"""Runtime APIs, declared once: name, SCALE inputs and output, and the handler behind `state_call`.

Each entry feeds three consumers: the node's `state_call` routing (by `Trait_method` name), the V15
metadata `apis` section, and (through runtime/version.py) the runtime version's API list. Handlers
take the state of the block being queried (a StorageReader), its hash and number, and the raw SCALE
arguments, and return raw SCALE bytes, as a Wasm runtime's exports do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from runtime.metadata.ir import ApiIR, ApiMethodIR
from runtime.scale import U32, U64, Bytes, Option, ScaleDecodeError, ScaleType, Str, Tuple, Unit, Vec
from runtime.scale.compact import encode_compact
from runtime.support.overlay import StorageReader
from runtime.validity import TransactionValidityError, TransactionValidityType

if TYPE_CHECKING:
    from .assembly import Assembly


class ApiError(Exception):
    """A runtime-API call failed: unknown method, undecodable arguments or a runtime refusal."""


@dataclass(frozen=True)
class ApiContext:
    """The block a runtime-API call runs against."""

    state: StorageReader
    block_hash: bytes
    block_number: int


Handler = Callable[["Assembly", ApiContext, bytes], bytes]


@dataclass(frozen=True)
class ApiMethod:
    """One runtime-API method: metadata (inputs, output, docs) plus its handler."""

    name: str
    inputs: tuple[tuple[str, ScaleType[Any]], ...]
    output: ScaleType[Any]
    handler: Handler | None
    docs: str = ""


def _decode_args(method: ApiMethod, data: bytes) -> list[Any]:
    types = Tuple(tuple(t for _, t in method.inputs))
    try:
        return list(types.decode(data))
    except ScaleDecodeError as exc:
        raise ApiError(f"{method.name}: cannot decode arguments: {exc}") from None


class RuntimeApis:
    """The API table of an assembled runtime."""

    def __init__(self, assembly: Assembly, table: dict[str, tuple[str, tuple[ApiMethod, ...]]]) -> None:
        self.assembly = assembly
        self.table = table
        self._methods: dict[str, ApiMethod] = {}
        for trait, (_, methods) in table.items():
            for m in methods:
                self._methods[f"{trait}_{m.name}"] = m

    def names(self) -> list[str]:
        """Every callable `Trait_method` name."""
        return sorted(k for k, m in self._methods.items() if m.handler is not None)

    def call(self, name: str, args: bytes, ctx: ApiContext) -> bytes:
        """Run `name` (e.g. "Core_version") with SCALE `args` at `ctx`; ApiError when it cannot."""
        method = self._methods.get(name)
        if method is None or method.handler is None:
            raise ApiError(f"Exported method {name} is not found")
        return method.handler(self.assembly, ctx, args)

    def metadata_ir(self) -> tuple[ApiIR, ...]:
        """The V15 `apis` section."""
        return tuple(
            ApiIR(trait, tuple(ApiMethodIR(m.name, m.inputs, m.output, (m.docs,) if m.docs else ()) for m in methods),
                  (doc,) if doc else ())
            for trait, (doc, methods) in self.table.items()
        )


# -- handlers ------------------------------------------------------------------------------------------


def _core_version(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return a.version.encode()


def _metadata(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    v14 = a.metadata_v14()
    return encode_compact(len(v14)) + v14


def _metadata_at_version(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    try:
        version = U32.decode(args)
    except ScaleDecodeError as exc:
        raise ApiError(f"metadata_at_version: {exc}") from None
    blob = a.metadata_v14() if version == 14 else a.metadata_v15() if version == 15 else None
    return b"\x00" if blob is None else b"\x01" + encode_compact(len(blob)) + blob


def _metadata_versions(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return Vec(U32).encode((14, 15))


def _validate_transaction(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    from runtime.executive import ExtrinsicFormatError
    from runtime.validity import TransactionSource

    if len(args) < 1 + 32:
        raise ApiError("validate_transaction: arguments truncated")
    source, raw, block_hash = args[0], args[1:-32], args[-32:]
    if source > 2:
        raise ApiError("validate_transaction: invalid TransactionSource")
    try:
        valid = a.executive.validate_transaction(ctx.state, TransactionSource(source), raw, block_hash, ctx.block_number)
    except TransactionValidityError as err:
        return b"\x01" + err.encode()
    except ExtrinsicFormatError as exc:
        raise ApiError(f"validate_transaction: {exc}") from None
    return b"\x00" + valid.encode()


def _account_nonce(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    if len(args) != 32:
        raise ApiError("account_nonce: expected a 32-byte AccountId")
    rt = a.view(ctx.state, ctx.block_number)
    return rt.System.account(args).nonce.to_bytes(4, "little")  # type: ignore[no-any-return]


def _apply_extrinsic(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return a.dry_run(ctx, args)


def _query_info(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return a.query_info(ctx, args, details=False)


def _query_fee_details(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return a.query_info(ctx, args, details=True)


def _slot_duration(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return a.view(ctx.state, ctx.block_number).Aura.SlotDuration.to_bytes(8, "little")  # type: ignore[no-any-return]


def _aura_authorities(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    rt = a.view(ctx.state, ctx.block_number)
    return Vec(a.types.aura_id).encode(tuple(rt.Aura.authorities()))


def _grandpa_authorities(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    rt = a.view(ctx.state, ctx.block_number)
    return Vec(Tuple((a.types.grandpa_id, U64))).encode(tuple(rt.Grandpa.authorities()))


def _grandpa_set_id(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    rt = a.view(ctx.state, ctx.block_number)
    return U64.encode(rt.Grandpa.current_set_id())


def _none(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return b"\x00"


def _unit(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return b""


def _preset_names(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    return Vec(Str).encode(tuple(a.preset_names()))


def _get_preset(a: Assembly, ctx: ApiContext, args: bytes) -> bytes:
    try:
        name = Option(Str).decode(args)
    except ScaleDecodeError as exc:
        raise ApiError(f"get_preset: {exc}") from None
    blob = a.preset_json(name or "development")
    return Option(Bytes).encode(blob)


def build_api_table(a: Assembly) -> dict[str, tuple[str, tuple[ApiMethod, ...]]]:
    """The runtime's APIs with their metadata types (V15 `apis`)."""
    t = a.types
    xt = t.extrinsic
    block = t.block
    return {
        "Core": ("The `Core` runtime api that every Substrate runtime needs to implement.", (
            ApiMethod("version", (), t.runtime_version, _core_version, "Returns the version of the runtime."),
            ApiMethod("execute_block", (("block", block),), Unit, None, "Execute the given block."),
            ApiMethod("initialize_block", (("header", t.header),), t.inclusion_mode, None,
                      "Initialize a block with the given header and return the runtime executive mode."),
        )),
        "Metadata": ("The `Metadata` api trait that returns metadata for the runtime.", (
            ApiMethod("metadata", (), t.opaque_metadata, _metadata, "Returns the metadata of a runtime."),
            ApiMethod("metadata_at_version", (("version", U32),), Option(t.opaque_metadata), _metadata_at_version,
                      "Returns the metadata at a given version."),
            ApiMethod("metadata_versions", (), Vec(U32), _metadata_versions,
                      "Returns the supported metadata versions."),
        )),
        "BlockBuilder": ("The `BlockBuilder` api trait that provides the required functionality for building a block.", (
            ApiMethod("apply_extrinsic", (("extrinsic", xt),), t.apply_result, _apply_extrinsic,
                      "Apply the given extrinsic."),
            ApiMethod("finalize_block", (), t.header, None, "Finish the current block."),
            ApiMethod("inherent_extrinsics", (("inherent", t.inherent_data),), Vec(xt), None,
                      "Generate inherent extrinsics."),
            ApiMethod("check_inherents", (("block", block), ("data", t.inherent_data)), t.check_inherents_result,
                      None, "Check that the inherents are valid."),
        )),
        "TaggedTransactionQueue": ("The `TaggedTransactionQueue` api trait for interfering with the transaction queue.", (
            ApiMethod("validate_transaction", (("source", t.tx_source), ("tx", xt), ("block_hash", t.hash)),
                      TransactionValidityType, _validate_transaction, "Validate the transaction."),
        )),
        "OffchainWorkerApi": ("The offchain worker api.", (
            ApiMethod("offchain_worker", (("header", t.header),), Unit, _unit, "Starts the off-chain task for given block header."),
        )),
        "AuraApi": ("API necessary for block authorship with aura.", (
            ApiMethod("slot_duration", (), t.slot_duration, _slot_duration, "Returns the slot duration for Aura."),
            ApiMethod("authorities", (), Vec(t.aura_id), _aura_authorities, "Return the current set of authorities."),
        )),
        "SessionKeys": ("Session keys runtime api.", (
            ApiMethod("generate_session_keys", (("seed", Option(Bytes)),), Bytes, None,
                      "Generate a set of session keys with optionally using the given seed."),
            ApiMethod("decode_session_keys", (("encoded", Bytes),), Option(Vec(Tuple((Bytes, t.key_type_id)))),
                      None, "Decode the given public session keys."),
        )),
        "GrandpaApi": ("APIs for integrating the GRANDPA finality gadget into runtimes.", (
            ApiMethod("grandpa_authorities", (), Vec(Tuple((t.grandpa_id, U64))), _grandpa_authorities,
                      "Get the current GRANDPA authorities and weights."),
            ApiMethod("current_set_id", (), U64, _grandpa_set_id, "Get current GRANDPA authority set id."),
            ApiMethod("generate_key_ownership_proof", (("set_id", U64), ("authority_id", t.grandpa_id)),
                      Option(t.opaque_key_ownership_proof), _none, "Generates a proof of key ownership."),
        )),
        "AccountNonceApi": ("The API to query account nonce.", (
            ApiMethod("account_nonce", (("account", t.account_id),), U32, _account_nonce, "Get current account nonce of given `AccountId`."),
        )),
        "TransactionPaymentApi": ("", (
            ApiMethod("query_info", (("uxt", xt), ("len", U32)), t.runtime_dispatch_info, _query_info),
            ApiMethod("query_fee_details", (("uxt", xt), ("len", U32)), t.fee_details, _query_fee_details),
            ApiMethod("query_weight_to_fee", (("weight", t.weight),), t.balance, None),
            ApiMethod("query_length_to_fee", (("length", U32),), t.balance, None),
        )),
        "GenesisBuilder": ("API to interact with RuntimeGenesisConfig for the runtime", (
            ApiMethod("build_state", (("json", Bytes),), t.string_result, None, "Build `RuntimeGenesisConfig` from a JSON blob."),
            ApiMethod("get_preset", (("id", Option(Str)),), Option(Bytes), _get_preset,
                      "Returns a JSON blob representation of the built-in `RuntimeGenesisConfig` identified by `id`."),
            ApiMethod("preset_names", (), Vec(Str), _preset_names, "Returns a list of identifiers for available builtin `RuntimeGenesisConfig` presets."),
        )),
    }

