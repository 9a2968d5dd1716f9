"""pallet_sudo: one superuser key that may dispatch any call as Root (or as any signed account)."""

from .pallet import Sudo as Sudo
