"""JSON-RPC error objects: the one exception root (`RpcError`) for everything the RPC layer reports.

Handlers raise an `RpcError` (or a subclass) to answer a call with `{"code", "message", "data"?}`; the
server turns it into the error member of the response. Codes and messages follow jsonrpsee (the library
Substrate's RPC server is built on) so clients that compare messages, such as polkadot-api's
`"Method not found"` fallback, behave as against a Substrate node.

Room is left for Substrate's application codes (`author_*`: 1001, 1002, 1010-1016, ...); the constants
below name them so that the modules that raise them do not repeat magic numbers.
"""

from __future__ import annotations

from typing import Any, Final

# --- JSON-RPC 2.0 / jsonrpsee codes -------------------------------------------------------------------
PARSE_ERROR: Final = -32700
INVALID_REQUEST: Final = -32600
METHOD_NOT_FOUND: Final = -32601
INVALID_PARAMS: Final = -32602
INTERNAL_ERROR: Final = -32603
CALL_EXECUTION_FAILED: Final = -32000
TOO_MANY_SUBSCRIPTIONS: Final = -32006
OVERSIZED_REQUEST: Final = -32007
OVERSIZED_RESPONSE: Final = -32008
SERVER_IS_BUSY: Final = -32009
TOO_BIG_BATCH_REQUEST: Final = -32010

# --- Substrate author_* codes (substrate/client/rpc-api/src/author/error.rs) ------------------------------
AUTHOR_BAD_FORMAT: Final = 1001
AUTHOR_VERIFICATION_ERROR: Final = 1002
AUTHOR_POOL_INVALID_TX: Final = 1010
AUTHOR_POOL_UNKNOWN_VALIDITY: Final = 1011
AUTHOR_POOL_TEMPORARILY_BANNED: Final = 1012
AUTHOR_POOL_ALREADY_IMPORTED: Final = 1013
AUTHOR_POOL_TOO_LOW_PRIORITY: Final = 1014
AUTHOR_POOL_CYCLE_DETECTED: Final = 1015
AUTHOR_POOL_IMMEDIATELY_DROPPED: Final = 1016
AUTHOR_UNSUPPORTED_KEY_TYPE: Final = 1017

UNSAFE_RPC_MESSAGE: Final = "RPC call is unsafe to be called externally"


class RpcError(Exception):
    """A JSON-RPC error: `code`, `message` and optional JSON-serialisable `data`.

    Raise it (or a subclass) from a method handler to answer the call with this error.
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        """Return the JSON error object; `data` is omitted when it is None (as jsonrpsee does)."""
        obj: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            obj["data"] = self.data
        return obj

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r}, data={self.data!r})"


class ParseError(RpcError):
    """-32700: the payload is not valid JSON."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(PARSE_ERROR, "Parse error", data)


class InvalidRequest(RpcError):
    """-32600: the JSON is not a valid JSON-RPC 2.0 request object (or an empty batch)."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(INVALID_REQUEST, "Invalid request", data)


class MethodNotFound(RpcError):
    """-32601 with the exact message "Method not found" (clients compare the message)."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(METHOD_NOT_FOUND, "Method not found", data)


class UnsafeRpcError(RpcError):
    """-32601 "RPC call is unsafe to be called externally": Substrate's `UnsafeRpcError` (rpc-api policy.rs)."""

    def __init__(self) -> None:
        super().__init__(METHOD_NOT_FOUND, UNSAFE_RPC_MESSAGE)


class InvalidParams(RpcError):
    """-32602: the params do not fit the method; `data` may say which check failed."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(INVALID_PARAMS, "Invalid params", data)


class InternalError(RpcError):
    """-32603: the handler failed unexpectedly (the traceback is logged, the node keeps running)."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(INTERNAL_ERROR, "Internal error", data)


class TooManySubscriptions(RpcError):
    """-32006: the connection already holds its maximum number of subscriptions."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_MANY_SUBSCRIPTIONS, "Too many subscriptions on the connection",
                         f"Exceeded max limit of {limit}")


class OversizedRequest(RpcError):
    """-32007: the request body exceeds the configured maximum size."""

    def __init__(self, limit: int) -> None:
        super().__init__(OVERSIZED_REQUEST, "Request is too big", f"Exceeded max limit of {limit}")


class OversizedResponse(RpcError):
    """-32008: the serialised response exceeds the configured maximum size."""

    def __init__(self, limit: int) -> None:
        super().__init__(OVERSIZED_RESPONSE, "Response is too big", f"Exceeded max limit of {limit}")


class TooBigBatch(RpcError):
    """-32010: the batch holds more requests than the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_BIG_BATCH_REQUEST, "The batch request was too large",
                         f"Exceeded max limit of {limit}")
