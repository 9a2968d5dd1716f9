"""pallet_sudo: the `Key` account may dispatch any call as Root (`sudo`) or as another account (`sudo_as`).

`ensure_sudo` accepts Root or a signed origin equal to `Key` (RequireSudo otherwise, BadOrigin for
None), as current FRAME does. The inner call runs in its own transactional layer; its failure does
not fail the sudo call but is reported in `Sudid` / `SudoAsDone` as `Result<(), DispatchError>`.
FRAME's successful sudo calls return `Pays::No`; the framework has no way to return a post-dispatch
fee waiver yet, so that refund is the executive's to apply (see `FEELESS_ON_SUCCESS`).
"""

from __future__ import annotations

from typing import Any

from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.types import AccountId, DispatchResult
from runtime.scale import Field, Option
from runtime.support import (
    ROOT,
    Pallet,
    Root,
    Signed,
    StorageValue,
    call,
)
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support.errors import BadOrigin
from runtime.support.events import EventDef
from runtime.support.origin import Origin
from runtime.support.params import AccountIdLookup

from . import weights
from .dispatch import RuntimeCallParam, WeightParam, dispatch_result, inner_weight, lookup, to_weight

_RESULT_DOC = ("The result of the call made by the sudo user.",)


class Sudo(Pallet, name="Sudo", rust_module="pallet_sudo"):
    """A single superuser account, for development chains and bootstrapping."""

    FEELESS_ON_SUCCESS = ("sudo", "sudo_unchecked_weight", "set_key", "sudo_as", "remove_key")
    """Calls FRAME returns `Pays::No` from when they succeed: the executive should not charge them."""

    Key = StorageValue(AccountId, doc="The `AccountId` of the sudo key.")

    class Event(_Events):
        Sudid = EventDef((Field("sudo_result", DispatchResult, "DispatchResult", _RESULT_DOC),),
                         "A sudo call just took place.")
        KeyChanged = EventDef((Field("old", Option(AccountId), "Option<T::AccountId>",
                                     ("The old sudo key (if one was previously set).",)),
                               Field("new", AccountId, "T::AccountId", ("The new sudo key (if one was set).",))),
                              "The sudo key has been updated.")
        KeyRemoved = EventDef((), "The key was permanently removed.")
        SudoAsDone = EventDef((Field("sudo_result", DispatchResult, "DispatchResult", _RESULT_DOC),),
                              "A [sudo_as](Pallet::sudo_as) call just took place.")

    class Error(_Errors):
        """Error for the Sudo pallet."""

        RequireSudo: Any = "Sender must be the Sudo account."

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=lambda a: weights.SUDO.saturating_add(inner_weight(a["call"])))
    def sudo(self, origin: Origin, call: RuntimeCallParam) -> None:
        """Authenticates the sudo key and dispatches a function call with `Root` origin."""
        self.ensure_sudo(origin)
        result, _ = dispatch_result(self.rt, ROOT, call)
        self.deposit_event(self.Event.Sudid(sudo_result=result))

    @call(index=1, weight=lambda a: to_weight(a["weight"]))
    def sudo_unchecked_weight(self, origin: Origin, call: RuntimeCallParam, weight: WeightParam) -> None:
        """Authenticates the sudo key and dispatches a function call with `Root` origin.
        This function does not check the weight of the call, and instead allows the
        Sudo user to specify the weight of the call.

        The dispatch origin for this call must be _Signed_.
        """
        self.ensure_sudo(origin)
        result, _ = dispatch_result(self.rt, ROOT, call)
        self.deposit_event(self.Event.Sudid(sudo_result=result))

    @call(index=2, weight=weights.SET_KEY)
    def set_key(self, origin: Origin, new: AccountIdLookup) -> None:
        """Authenticates the current sudo key and sets the given AccountId (`new`) as the new sudo
        key.
        """
        self.ensure_sudo(origin)
        new_key = lookup(new)
        self.deposit_event(self.Event.KeyChanged(old=self.Key.get(), new=new_key))
        self.Key.put(new_key)

    @call(index=3, weight=lambda a: weights.SUDO_AS.saturating_add(inner_weight(a["call"])))
    def sudo_as(self, origin: Origin, who: AccountIdLookup, call: RuntimeCallParam) -> None:
        """Authenticates the sudo key and dispatches a function call with `Signed` origin from
        a given account.

        The dispatch origin for this call must be _Signed_.
        """
        self.ensure_sudo(origin)
        target = lookup(who)
        result, _ = dispatch_result(self.rt, Signed(target), call)
        self.deposit_event(self.Event.SudoAsDone(sudo_result=result))

    @call(index=4, weight=weights.REMOVE_KEY)
    def remove_key(self, origin: Origin) -> None:
        """Permanently removes the sudo key.

        **This cannot be un-done.**
        """
        self.ensure_sudo(origin)
        self.deposit_event(self.Event.KeyRemoved())
        self.Key.kill()

    # -- API ------------------------------------------------------------------------------------------

    def ensure_sudo(self, origin: Origin) -> None:
        """Pass for Root or the sudo key; RequireSudo for another signer; BadOrigin for None."""
        if isinstance(origin, Root):
            return
        if not isinstance(origin, Signed):
            raise BadOrigin("sudo: origin is neither Signed nor Root")
        if self.Key.get() != origin.who:
            raise self.Error.RequireSudo()

    def key(self) -> bytes | None:
        """The sudo key, if any."""
        key: bytes | None = self.Key.get()
        return key

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """Genesis: `{"key": ss58 / 0x-hex / bytes}`; no key leaves Sudo without a superuser."""
        from runtime.primitives.account import account_id

        write_storage_version(self, 0)
        key = (config or {}).get("key")
        if key is not None:
            self.Key.put(account_id(key))


