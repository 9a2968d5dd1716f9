"""pallet_balances: the native currency."""
