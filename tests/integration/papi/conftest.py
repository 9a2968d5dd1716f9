"""The new-JSON-RPC-spec tests use the shared live-node fixtures of tests/integration/conftest.py.

The raw protocol tests drive `manual_node` block by block (`engine_createBlock`, `engine_finalizeBlock`);
the polkadot-api flow runs against `instant_node`.
"""
