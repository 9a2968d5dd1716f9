"""chain_spec package."""
