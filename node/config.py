"""`NodeConfig`: everything the service needs to start a node, resolved once from the command line.

The CLI turns flags into a `NodeConfig` and does nothing else; `node.service.run_node(config)` reads it.
Substrate's resolution rules live here: `--dev` implies `--chain=dev`, `--force-authoring`,
`--rpc-cors=all`, `--alice` and a temporary base path; `--alice` … `--ferdie` imply `--validator`, the
dev key and the node name; `--rpc-methods=auto` means unsafe when RPC listens on localhost only and safe
when external; `--rpc-external` with an explicit `--validator` needs `--rpc-methods=unsafe` (or
`--unsafe-rpc-external`). Paths follow Substrate's layout under the base path:
`chains/<id>/{db/full,keystore,network}`.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from chain_spec import ChainSpec

if TYPE_CHECKING:
    from runtime.assembly import Assembly

Sealing = Literal["instant", "manual", "aura"] | int
"""Block authoring: one block per transaction, on RPC demand, Aura slots, or every N milliseconds."""

RpcMethods = Literal["safe", "unsafe"]

DEFAULT_RPC_PORT = 9944
DEFAULT_PROMETHEUS_PORT = 9615
DEFAULT_P2P_PORT = 30333
RPC_DEFAULT_MAX_CONNECTIONS = 100
NODE_NAME_MAX_LENGTH = 64
DEFAULT_RPC_CORS: tuple[str, ...] = ("http://localhost:*", "http://127.0.0.1:*", "https://localhost:*",
                                     "https://127.0.0.1:*", "https://polkadot.js.org")
DEV_ACCOUNTS = ("alice", "bob", "charlie", "dave", "eve", "ferdie")
LOCALHOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class ConfigError(Exception):
    """Flags that cannot be combined or a value out of range; the message names the failed check."""


@dataclass(frozen=True)
class NodeConfig:
    """A fully resolved node configuration (frozen: the service never changes it)."""

    chain_spec: ChainSpec
    base_path: Path
    tmp: bool = False
    dev: bool = False
    name: str = "phala-node"
    validator: bool = False
    authority_key: str | None = None
    force_authoring: bool = False
    sealing: Sealing = "aura"
    finalize_instantly: bool = False
    rpc_host: str = "127.0.0.1"
    rpc_port: int = DEFAULT_RPC_PORT
    rpc_cors: tuple[str, ...] | Literal["all"] = DEFAULT_RPC_CORS
    rpc_methods: RpcMethods = "unsafe"
    rpc_max_connections: int = RPC_DEFAULT_MAX_CONNECTIONS
    prometheus_port: int | None = DEFAULT_PROMETHEUS_PORT
    prometheus_external: bool = False
    log_filters: tuple[str, ...] = ()
    detailed_log_output: bool = False
    port: int = DEFAULT_P2P_PORT
    bootnodes: tuple[str, ...] = ()
    assembly: Assembly | None = field(default=None, compare=False, repr=False)

    @property
    def chain_dir(self) -> Path:
        """`<base>/chains/<chain id>`."""
        return self.base_path / "chains" / self.chain_spec.id

    @property
    def database_path(self) -> Path:
        """Where the chain database lives (`<base>/chains/<id>/db/full`, as Substrate)."""
        return self.chain_dir / "db" / "full"

    @property
    def keystore_path(self) -> Path | None:
        """The on-disk keystore directory; None when keys stay in memory (`--tmp` / `--dev`)."""
        return None if self.tmp else self.chain_dir / "keystore"

    @property
    def network_path(self) -> Path:
        """Where the p2p node key would live (`<base>/chains/<id>/network`)."""
        return self.chain_dir / "network"

    @property
    def prometheus_host(self) -> str:
        """The Prometheus listen address: all interfaces with `--prometheus-external`."""
        return "0.0.0.0" if self.prometheus_external else "127.0.0.1"

    @property
    def role(self) -> str:
        """"AUTHORITY" or "FULL", as `system_nodeRoles` reports it."""
        return "AUTHORITY" if self.validator else "FULL"


def default_base_path() -> Path:
    """Substrate's default: the platform data dir plus the executable name (`~/.local/share/phala-node`)."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "phala-node"


def check_node_name(name: str) -> str:
    """Substrate's `is_node_name_valid`: non-empty, < 64 chars, no '.', '@' or '\\', not a URL."""
    problem = None
    if not name:
        problem = "Node name cannot be empty"
    elif len(name) >= NODE_NAME_MAX_LENGTH:
        problem = "Node name too long"
    elif re.search(r"[\\.@]", name):
        problem = "Node name should not contain invalid chars such as '.' and '@'"
    elif re.match(r"^https?:", name):
        problem = "Node name should not contain urls"
    if problem is not None:
        raise ConfigError(f"Invalid node name '{name}'. Reason: {problem}. If unsure, use none.")
    return name


_ADJECTIVES = ("able", "bright", "calm", "clever", "cool", "eager", "fancy", "gentle", "happy", "jolly",
               "kind", "lively", "mellow", "nimble", "obedient", "proud", "quick", "quiet", "rapid",
               "shiny", "silent", "steady", "swift", "tidy", "vivid", "warm", "wise", "zany")
_NOUNS = ("ant", "badger", "bee", "cat", "crane", "deer", "dolphin", "eagle", "falcon", "fox", "gecko",
          "heron", "ibis", "jaguar", "koala", "lemur", "lynx", "moose", "newt", "otter", "owl", "panda",
          "quail", "raven", "seal", "tiger", "walrus", "yak", "zebra")


def generate_node_name() -> str:
    """A random "adjective-noun-NNNN" name, like Substrate's `generate_node_name`."""
    return f"{secrets.choice(_ADJECTIVES)}-{secrets.choice(_NOUNS)}-{secrets.randbelow(9000) + 1000}"


def parse_sealing(text: str) -> Sealing:
    """`--sealing`: instant | manual | aura | <interval in ms>."""
    lowered = text.strip().lower()
    if lowered in ("instant", "manual", "aura"):
        return lowered  # type: ignore[return-value]
    try:
        ms = int(lowered)
    except ValueError:
        raise ConfigError(f"--sealing: expected instant, manual, aura or a positive interval in ms, got {text!r}")\
            from None
    if ms <= 0:
        raise ConfigError(f"--sealing: interval must be positive, got {ms}")
    return ms


def parse_cors(text: str) -> tuple[str, ...] | Literal["all"]:
    """`--rpc-cors`: "all" or a comma-separated list of origins (or `null`)."""
    if text.strip().lower() == "all":
        return "all"
    origins = tuple(o.strip() for o in text.split(",") if o.strip())
    if not origins:
        raise ConfigError("--rpc-cors: expected 'all' or a comma-separated list of origins")
    return origins


def resolve_rpc(external: bool, unsafe_external: bool, methods: str, explicit_validator: bool
                ) -> tuple[str, RpcMethods]:
    """Listen host and method set, with Substrate's `rpc_interface` check and `auto` resolution."""
    if methods not in ("auto", "safe", "unsafe"):
        raise ConfigError(f"--rpc-methods: expected auto, safe or unsafe, got {methods!r}")
    if external and explicit_validator and methods != "unsafe":
        raise ConfigError(
            "--rpc-external option shouldn't be used if the node is running as a validator. Use "
            "`--unsafe-rpc-external` or `--rpc-methods=unsafe` if you understand the risks. See the "
            "options description for more information.")
    host = "0.0.0.0" if external or unsafe_external else "127.0.0.1"
    if methods == "auto":
        return host, "unsafe" if host in LOCALHOSTS else "safe"
    return host, methods  # type: ignore[return-value]


def check_port(value: int, flag: str) -> int:
    """A TCP port (0 lets the OS choose, useful in tests)."""
    if not 0 <= value <= 65535:
        raise ConfigError(f"{flag}: port {value} out of range 0..65535")
    return value


def config_summary(config: NodeConfig) -> dict[str, Any]:
    """The few facts the service logs at start-up (name, chain, role, base path, RPC and metrics)."""
    return {
        "name": config.name,
        "chain": config.chain_spec.name,
        "role": config.role,
        "base_path": str(config.base_path),
        "rpc": f"{config.rpc_host}:{config.rpc_port} ({config.rpc_methods})",
        "prometheus": None if config.prometheus_port is None
        else f"{config.prometheus_host}:{config.prometheus_port}",
        "sealing": config.sealing,
    }
