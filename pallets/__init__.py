"""pallets package."""
