"""The live-node tests use the shared fixtures of tests/integration/conftest.py (`instant_node`,
`manual_node`, `node_log_dir`); nothing is specific to this directory."""
