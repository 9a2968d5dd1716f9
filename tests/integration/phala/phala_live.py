"""A py-substrate-interface driver for the Phala pallets on a manual-seal node: submit, seal, read back.

Owns what the live Phala tests share: composing and signing calls with py-substrate-interface
(`compose_call`, `create_signed_extrinsic`), submitting without waiting and sealing the block with
`engine_createBlock`, turning the extrinsic's events into plain `(module, event, attributes)` tuples and
its `ExtrinsicFailed` into `Module.Error`, storage reads at a given block, `PhalaMq.OutboundMessages`
decoded with the pallets' own payload codecs, `pha_getMqNextSequence`, and the conversion of a
`SignedMessage` built by `pallets/mq/signing.py` into the argument form `compose_call` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.base import ExtrinsicReceipt
from substrateinterface.exceptions import SubstrateRequestException

from pallets.mq.types import Message, MessageOrigin, normalize_origin
from runtime.scale import Vec


class LiveError(Exception):
    """An RPC answered with an error, or an extrinsic did not end the way the test required."""


def hx(data: bytes) -> str:
    """0x-prefixed hex."""
    return "0x" + bytes(data).hex()


def unhex(text: str) -> bytes:
    """Bytes of a 0x-prefixed hex string."""
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def origin_arg(origin: Any) -> Any:
    """A MessageOrigin value in the form scalecodec's enum encoder takes (`{"Worker": "0x.."}`, `"Gatekeeper"`)."""
    name, payload = normalize_origin(origin)
    if payload is None:
        return name
    return {name: hx(payload)}


def signed_message_arg(signed: dict[str, Any]) -> dict[str, Any]:
    """A SignedMessage value (pallets/mq/signing.py) as the `signed_message` argument of compose_call."""
    message = signed["message"]
    return {
        "message": {"sender": origin_arg(message["sender"]), "destination": hx(message["destination"]),
                    "payload": hx(message["payload"])},
        "sequence": int(signed["sequence"]),
        "signature": hx(signed["signature"]),
    }


@dataclass
class Receipt:
    """What one included extrinsic did: its block, events and (when it failed) the named module error."""

    block: str
    events: list[tuple[str, str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the extrinsic ended with ExtrinsicSuccess."""
        return any(m == "System" and e == "ExtrinsicSuccess" for m, e, _ in self.events)

    def find(self, module: str, event: str) -> list[Any]:
        """The attributes of every `module.event` this extrinsic emitted, in order."""
        return [attrs for m, e, attrs in self.events if m == module and e == event]

    def one(self, module: str, event: str) -> Any:
        """The attributes of the single `module.event`; LiveError when there is not exactly one."""
        found = self.find(module, event)
        if len(found) != 1:
            raise LiveError(f"expected one {module}.{event}, got {len(found)} in {self.names()}")
        return found[0]

    def names(self) -> list[str]:
        """`Module.Event` of every event, in order."""
        return [f"{m}.{e}" for m, e, _ in self.events]


class Live:
    """One py-substrate-interface connection to a manual-seal node, with the helpers the tests need."""

    def __init__(self, url: str) -> None:
        self.si = SubstrateInterface(url=url, ss58_format=42)
        self.alice = Keypair.create_from_uri("//Alice")

    def close(self) -> None:
        """Close the websocket."""
        self.si.close()

    # -- raw RPC -----------------------------------------------------------------------------------

    def rpc(self, method: str, params: list[Any]) -> Any:
        """Call `method`; LiveError carrying the error object when the node answers with one."""
        try:
            reply = self.si.rpc_request(method, params)
        except SubstrateRequestException as exc:
            raise LiveError(f"{method} failed: {exc}") from None
        if "error" in reply:
            raise LiveError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def seal(self) -> str:
        """Build, import and finalize one block (`engine_createBlock(true, true)`); its hash."""
        block: str = self.rpc("engine_createBlock", [True, True])["hash"]
        return block

    def number(self, block: str) -> int:
        """The number of `block`."""
        return int(self.rpc("chain_getHeader", [block])["number"], 16)

    def next_sequence(self, origin: Any) -> int:
        """`pha_getMqNextSequence(SCALE(origin))`: on-chain ingress plus ready pool messages."""
        value: int = self.rpc("pha_getMqNextSequence", [hx(MessageOrigin.encode(origin))])
        return value

    # -- extrinsics --------------------------------------------------------------------------------

    def call(self, module: str, function: str, **params: Any) -> Any:
        """`compose_call(module, function, params)`."""
        return self.si.compose_call(call_module=module, call_function=function, call_params=params)

    def submit(self, call: Any, signer: Keypair) -> str:
        """Sign (`create_signed_extrinsic`, nonce from the pool) and submit without waiting; the hash."""
        extrinsic = self.si.create_signed_extrinsic(call=call, keypair=signer)
        result = self.si.submit_extrinsic(extrinsic, wait_for_inclusion=False)
        return str(result.extrinsic_hash)

    def receipt(self, extrinsic_hash: str, block: str) -> Receipt:
        """The events (and module error) of `extrinsic_hash` in `block`."""
        raw = ExtrinsicReceipt(self.si, extrinsic_hash=extrinsic_hash, block_hash=block)
        out = Receipt(block)
        for record in raw.triggered_events:
            value = record.value
            out.events.append((value["module_id"], value["event_id"], value["attributes"]))
        for attrs in out.find("System", "ExtrinsicFailed"):
            out.error = self.error_name(attrs["dispatch_error"])
        return out

    def error_name(self, dispatch_error: Any) -> str:
        """`Pallet.Error` of a `{"Module": {"index", "error"}}` DispatchError (else its variant name)."""
        if not (isinstance(dispatch_error, dict) and "Module" in dispatch_error):
            return str(dispatch_error)
        module = dispatch_error["Module"]
        index, error = int(module["index"]), unhex(module["error"])[0]
        self.si.init_runtime()
        for pallet in self.si.metadata.pallets:
            if pallet["index"].value == index:
                errors = pallet.errors or []
                names = [e.name for e in errors if e.value["index"] == error]
                return f"{pallet.name}.{names[0] if names else error}"
        return f"pallet#{index}.{error}"

    def run(self, call: Any, signer: Keypair) -> Receipt:
        """Submit `call`, seal a block and return the receipt (the block holds only what the pool had)."""
        extrinsic_hash = self.submit(call, signer)
        return self.receipt(extrinsic_hash, self.seal())

    def run_included(self, call: Any, signer: Keypair) -> Receipt:
        """Sign, `submit_extrinsic(wait_for_inclusion=True)` (a node that seals by itself) and read the receipt."""
        extrinsic = self.si.create_signed_extrinsic(call=call, keypair=signer)
        result = self.si.submit_extrinsic(extrinsic, wait_for_inclusion=True)
        return self.receipt(str(result.extrinsic_hash), str(result.block_hash))

    def must(self, call: Any, signer: Keypair) -> Receipt:
        """`run` and require ExtrinsicSuccess."""
        receipt = self.run(call, signer)
        if not receipt.ok:
            raise LiveError(f"extrinsic failed with {receipt.error}: {receipt.names()}")
        return receipt

    def sudo(self, module: str, function: str, **params: Any) -> Receipt:
        """Alice's `Sudo.sudo(call)`; requires `Sudid(Ok)`."""
        receipt = self.must(self.call("Sudo", "sudo", call=self.call(module, function, **params)), self.alice)
        result = receipt.one("Sudo", "Sudid")["sudo_result"]
        if result != "Ok" and not (isinstance(result, dict) and "Ok" in result):
            raise LiveError(f"sudo {module}.{function} dispatched with {result}")
        return receipt

    # -- storage -----------------------------------------------------------------------------------

    def query(self, module: str, item: str, params: list[Any] | None = None, block: str | None = None) -> Any:
        """`query(module, item, params, block_hash)`.value (None when absent without a default)."""
        return self.si.query(module, item, params or [], block_hash=block).value

    def free(self, who: str | bytes, block: str | None = None) -> int:
        """Free balance of `who` (SS58 or 32 raw bytes) at `block`."""
        account = hx(who) if isinstance(who, bytes) else who
        info = self.query("System", "Account", [account], block)
        return int(info["data"]["free"])

    def now_ms(self, block: str) -> int:
        """`Timestamp.Now` at `block`."""
        return int(self.query("Timestamp", "Now", [], block))

    def outbound(self, block: str) -> list[dict[str, Any]]:
        """`PhalaMq.OutboundMessages` at `block`: `{"sender", "destination": bytes, "payload": bytes}` each."""
        key = self.si.create_storage_key("PhalaMq", "OutboundMessages").to_hex()
        raw = self.rpc("state_getStorage", [key, block])
        if raw is None:
            return []
        # scalecodec shows a Vec<u8> as text when it happens to be UTF-8: decode the raw value instead.
        messages: tuple[dict[str, Any], ...] = Vec(Message).decode(unhex(raw))
        return [{"sender": m["sender"], "destination": bytes(m["destination"]), "payload": bytes(m["payload"])}
                for m in messages]
