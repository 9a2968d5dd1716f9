"""The client: the node's single gateway to the runtime and the chain database."""
