"""Runtime metadata: one IR, emitted as V14 and V15."""
