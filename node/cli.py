"""The `phala-node` command line: Substrate's flags and subcommands, turned into a `NodeConfig`.

No subcommand runs the node (`phala-node --dev`, as Substrate; a leading `run` is accepted too).
Subcommands: `build-spec` (chain spec JSON on stdout), `purge-chain` (delete the database, asking
first unless `-y`), `key generate | inspect | insert` (subkey-compatible output). This module parses and
resolves flags and nothing else: the node itself is `node.service.run_node`, imported only on the run
path so that the other subcommands stay light.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from chain_spec import ChainSpec, ChainSpecError, chain_id_of, load
from runtime.primitives.account import AddressError, ss58_decode_with_prefix, ss58_encode
from runtime.primitives.crypto import CryptoError, Keypair, Scheme

from .config import (
    DEFAULT_P2P_PORT,
    DEFAULT_PROMETHEUS_PORT,
    DEFAULT_RPC_CORS,
    DEFAULT_RPC_PORT,
    DEV_ACCOUNTS,
    RPC_DEFAULT_MAX_CONNECTIONS,
    ConfigError,
    NodeConfig,
    check_node_name,
    check_port,
    default_base_path,
    generate_node_name,
    parse_cors,
    parse_sealing,
    resolve_rpc,
)
from .keystore import KEY_TYPE_SCHEMES, Keystore, KeystoreError, generate_phrase, key_type_bytes

DESCRIPTION = ("phala-node: a Substrate-compatible blockchain node written in Python, with Phala-style pallets. "
               "Without a subcommand it runs the node.")
EPILOG = """examples:
  phala-node --dev                         run a throw-away development chain (Alice authors)
  phala-node --chain local --alice -d /tmp/a
  phala-node build-spec --chain dev --raw > dev-raw.json
  phala-node key inspect //Alice
  phala-node purge-chain --chain dev -d /tmp/a -y"""
SCHEMES: tuple[Scheme, ...] = ("sr25519", "ed25519", "ecdsa")
NETWORK_ID = "substrate"  # the SS58 registry name of prefix 42


def _shared(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("chain and storage")
    g.add_argument("--chain", metavar="CHAIN_SPEC", help="dev, local, or a path to a chain spec JSON file")
    g.add_argument("--dev", action="store_true",
                   help="development chain: implies --chain=dev --force-authoring --rpc-cors=all --alice and "
                        "--tmp unless -d is given")
    g.add_argument("-d", "--base-path", type=Path, metavar="PATH", help="custom base path (default ~/.local/share/phala-node)")
    g = p.add_argument_group("logging")
    g.add_argument("-l", "--log", action="append", default=[], metavar="LOG_PATTERN",
                   help="log filter, e.g. 'debug' or 'error,rpc=debug,txpool=trace' (repeatable)")
    g.add_argument("--detailed-log-output", action="store_true", help="show level, thread and target on every line")


def _run_options(p: argparse.ArgumentParser) -> None:
    _shared(p)
    g = p.add_argument_group("chain and storage")
    g.add_argument("--tmp", action="store_true", help="run with a temporary base path, deleted on exit")
    g = p.add_argument_group("RPC server")
    g.add_argument("--rpc-port", type=int, default=DEFAULT_RPC_PORT, metavar="PORT",
                   help=f"JSON-RPC (HTTP + WebSocket) port (default {DEFAULT_RPC_PORT})")
    g.add_argument("--rpc-external", action="store_true", help="listen on all interfaces (default: localhost)")
    g.add_argument("--unsafe-rpc-external", action="store_true", help="same as --rpc-external, without the check")
    g.add_argument("--rpc-cors", metavar="ORIGINS",
                   help="'all' or comma-separated allowed origins (default: localhost and polkadot.js.org; "
                        "all with --dev)")
    g.add_argument("--rpc-methods", choices=("auto", "safe", "unsafe"), default="auto", type=str.lower,
                   help="method set: auto = unsafe on localhost, safe when external (default auto)")
    g.add_argument("--rpc-max-connections", type=int, default=RPC_DEFAULT_MAX_CONNECTIONS, metavar="COUNT",
                   help=f"maximum RPC connections (default {RPC_DEFAULT_MAX_CONNECTIONS})")
    g = p.add_argument_group("Prometheus metrics")
    g.add_argument("--prometheus-port", type=int, default=DEFAULT_PROMETHEUS_PORT, metavar="PORT",
                   help=f"metrics endpoint port (default {DEFAULT_PROMETHEUS_PORT})")
    g.add_argument("--prometheus-external", action="store_true", help="serve metrics on all interfaces")
    g.add_argument("--no-prometheus", action="store_true", help="do not serve metrics")
    g = p.add_argument_group("node identity and authoring")
    g.add_argument("--name", help="human-readable node name (default: random)")
    g.add_argument("--validator", action="store_true", help="author blocks (authority role)")
    g.add_argument("--force-authoring", action="store_true", help="author even when offline")
    who = g.add_mutually_exclusive_group()
    for account in DEV_ACCOUNTS:
        who.add_argument(f"--{account}", action="store_true",
                         help=f"shortcut for --name {account.capitalize()} --validator with //{account.capitalize()}'s keys")
    g.add_argument("--sealing", help="instant | manual | aura | <ms interval> (default: instant with --dev, else aura)")
    g = p.add_argument_group("networking")
    g.add_argument("--port", type=int, default=DEFAULT_P2P_PORT, help=f"p2p TCP port (default {DEFAULT_P2P_PORT})")
    g.add_argument("--bootnodes", nargs="+", default=[], metavar="ADDR", help="boot node multiaddrs")


def _key_parsers(sub: Any) -> None:
    key = sub.add_parser("key", help="key utilities (subkey)", description="Generate, inspect and insert keys.")
    ksub = key.add_subparsers(dest="key_command", required=True, metavar="{generate,inspect,insert}")
    gen = ksub.add_parser("generate", help="generate a random account")
    gen.add_argument("--scheme", choices=SCHEMES, default="sr25519", type=str.lower)
    gen.add_argument("-w", "--words", type=int, choices=(12, 15, 18, 21, 24), default=12)
    gen.add_argument("--output-type", choices=("text", "json"), default="text", type=str.lower)
    ins = ksub.add_parser("inspect", help="show the keys of a secret URI, phrase or public key")
    ins.add_argument("uri", help="secret URI / phrase, or with --public a hex or SS58 public key")
    ins.add_argument("--scheme", choices=SCHEMES, default="sr25519", type=str.lower)
    ins.add_argument("--public", action="store_true", help="the argument is a public key")
    ins.add_argument("--output-type", choices=("text", "json"), default="text", type=str.lower)
    put = ksub.add_parser("insert", help="insert a key into the node's keystore")
    put.add_argument("--suri", required=True, help="secret URI of the key")
    put.add_argument("--key-type", required=True, help="4-character key type, e.g. aura, gran")
    put.add_argument("--scheme", choices=SCHEMES, type=str.lower, help="default: by key type")
    put.add_argument("--chain", metavar="CHAIN_SPEC")
    put.add_argument("--dev", action="store_true")
    put.add_argument("-d", "--base-path", type=Path, metavar="PATH")
    put.add_argument("--keystore-path", type=Path, metavar="PATH", help="explicit keystore directory")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (run options at top level, subcommands beneath)."""
    parser = argparse.ArgumentParser(prog="phala-node", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _run_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="{build-spec,purge-chain,key}")
    spec = sub.add_parser("build-spec", help="print the chain spec as JSON")
    _shared(spec)
    spec.add_argument("--raw", action="store_true", help="raw genesis storage instead of the genesis patch")
    spec.add_argument("--disable-default-bootnode", action="store_true",
                      help="do not add a local boot node to a spec that has none")
    purge = sub.add_parser("purge-chain", help="remove the chain database")
    _shared(purge)
    purge.add_argument("-y", action="store_true", dest="yes", help="do not ask for confirmation")
    _key_parsers(sub)
    return parser


def _chain_arg(args: argparse.Namespace) -> str:
    return str(args.chain) if args.chain is not None else ("dev" if args.dev else "")


def config_from_args(args: argparse.Namespace, *, load_spec: Callable[[str], ChainSpec] = load,
                     make_tmp: Callable[[], Path] | None = None) -> NodeConfig:
    """Resolve run flags into a `NodeConfig` with Substrate's implications (see `node.config`)."""
    dev: bool = args.dev
    keyring = next((a for a in DEV_ACCOUNTS if getattr(args, a)), None)
    if keyring is None and dev:
        keyring = "alice"
    tmp = bool(args.tmp) or (dev and args.base_path is None)
    if args.tmp and args.base_path is not None:
        raise ConfigError("--tmp cannot be used with --base-path")
    if tmp:
        base = (make_tmp or (lambda: Path(tempfile.mkdtemp(prefix="phala-node-"))))()
    else:
        base = args.base_path if args.base_path is not None else default_base_path()
    host, methods = resolve_rpc(args.rpc_external, args.unsafe_rpc_external, args.rpc_methods, args.validator)
    if args.rpc_cors is not None:
        cors = parse_cors(args.rpc_cors)
    else:
        cors = "all" if dev else DEFAULT_RPC_CORS
    sealing = parse_sealing(args.sealing) if args.sealing else ("instant" if dev else "aura")
    explicit_key = next((a for a in DEV_ACCOUNTS if getattr(args, a)), None)
    name = args.name or (explicit_key.capitalize() if explicit_key else generate_node_name())
    if args.rpc_max_connections <= 0:
        raise ConfigError("--rpc-max-connections: must be positive")
    return NodeConfig(
        chain_spec=load_spec(_chain_arg(args)),
        base_path=Path(base),
        tmp=tmp,
        dev=dev,
        name=check_node_name(name),
        validator=bool(args.validator or dev or explicit_key),
        authority_key=f"//{keyring.capitalize()}" if keyring else None,
        force_authoring=bool(args.force_authoring or dev),
        sealing=sealing,
        finalize_instantly=dev,
        rpc_host=host,
        rpc_port=check_port(args.rpc_port, "--rpc-port"),
        rpc_cors=cors,
        rpc_methods=methods,
        rpc_max_connections=args.rpc_max_connections,
        prometheus_port=None if args.no_prometheus else check_port(args.prometheus_port, "--prometheus-port"),
        prometheus_external=args.prometheus_external,
        log_filters=tuple(args.log),
        detailed_log_output=args.detailed_log_output,
        port=check_port(args.port, "--port"),
        bootnodes=tuple(args.bootnodes),
    )


# --- subcommands -----------------------------------------------------------------------------------


def _b58(data: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n, out = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def peer_id(ed25519_public: bytes) -> str:
    """libp2p PeerId of an ed25519 key: base58(identity multihash of the protobuf PublicKey)."""
    proto = b"\x08\x01\x12\x20" + ed25519_public
    return _b58(b"\x00" + bytes([len(proto)]) + proto)


def cmd_build_spec(args: argparse.Namespace, out: Any) -> int:
    """`build-spec`: print the spec (non-raw unless --raw), adding a local boot node as Substrate does."""
    from dataclasses import replace

    spec = load(_chain_arg(args))
    if not spec.boot_nodes and not args.disable_default_bootnode:
        node_key = Keypair.from_seed(generate_secret(), "ed25519")
        spec = replace(spec, boot_nodes=(f"/ip4/127.0.0.1/tcp/{DEFAULT_P2P_PORT}/p2p/{peer_id(node_key.public)}",))
    out.write(spec.to_json(raw=args.raw) + "\n")
    return 0


def generate_secret() -> bytes:
    """32 random bytes (a fresh node key)."""
    import secrets

    return secrets.token_bytes(32)


def cmd_purge_chain(args: argparse.Namespace, out: Any, stdin: Any) -> int:
    """`purge-chain`: delete `<base>/chains/<id>/db`, after a y/N prompt unless -y."""
    base = args.base_path if args.base_path is not None else default_base_path()
    db_path = base / "chains" / chain_id_of(_chain_arg(args)) / "db"
    if not args.yes:
        if stdin is None or getattr(stdin, "closed", False):
            print(f"purge-chain: refusing to remove {db_path} without confirmation: no stdin to ask on; "
                  "pass -y to confirm", file=sys.stderr)
            return 1
        out.write(f'Are you sure to remove "{db_path}"? [y/N]: ')
        out.flush()
        answer = stdin.readline()
        if not answer:
            out.write("\n")
            print(f"purge-chain: refusing to remove {db_path}: stdin closed before an answer; pass -y to confirm",
                  file=sys.stderr)
            return 1
        if answer.strip()[:1] not in ("y", "Y"):
            out.write("Aborted\n")
            return 0
    if not db_path.exists():
        print(f'"{db_path}" did not exist.', file=sys.stderr)
        return 0
    shutil.rmtree(db_path)
    out.write(f'"{db_path}" removed.\n')
    return 0


def _key_report(kind: str, uri: str, seed: bytes | None, pair_public: bytes, account: bytes,
                output: str) -> str:
    seed_text = "0x" + seed.hex() if seed is not None else "n/a"
    fields = {"networkId": NETWORK_ID, "secretSeed": seed_text, "publicKey": "0x" + pair_public.hex(),
              "ss58PublicKey": ss58_encode(pair_public), "accountId": "0x" + account.hex(),
              "ss58Address": ss58_encode(account)}
    if output == "json":
        key = "secretPhrase" if kind == "phrase" else "secretKeyUri"
        return json.dumps({key: uri, **fields}, indent=2)
    head = f"Secret phrase:       {uri}" if kind == "phrase" else f"Secret Key URI `{uri}` is account:"
    return (f"{head}\n  Network ID:        {NETWORK_ID}\n  Secret seed:       {seed_text}\n"
            f"  Public key (hex):  {fields['publicKey']}\n  Account ID:        {fields['accountId']}\n"
            f"  Public key (SS58): {fields['ss58PublicKey']}\n  SS58 Address:      {fields['ss58Address']}")


def _public_report(uri: str | None, public: bytes, scheme: Scheme, output: str) -> str:
    account = Keypair(scheme, public, b"").account_id
    fields = {"networkId": NETWORK_ID, "publicKey": "0x" + public.hex(), "accountId": "0x" + account.hex(),
              "ss58PublicKey": ss58_encode(public), "ss58Address": ss58_encode(account)}
    if output == "json":
        return json.dumps(({"publicKeyUri": uri} if uri else {}) | fields, indent=2)
    head = f"Public Key URI `{uri}` is account:\n  " if uri else ""
    return (f"{head}Network ID/Version: {NETWORK_ID}\n  Public key (hex):   {fields['publicKey']}\n"
            f"  Account ID:         {fields['accountId']}\n  Public key (SS58):  {fields['ss58PublicKey']}\n"
            f"  SS58 Address:       {fields['ss58Address']}")


def inspect_uri(uri: str, scheme: Scheme, output: str = "text") -> str:
    """subkey's `inspect` text/JSON for a phrase, a secret URI or (failing those) an SS58 public key."""
    from runtime.primitives.keyring import keypair_from_uri, mini_secret_from_phrase, parse_suri

    try:
        phrase, junctions, password = parse_suri(uri)
        pair = keypair_from_uri(uri, scheme)
    except CryptoError:
        try:
            _, public = ss58_decode_with_prefix(uri)
        except (AddressError, ValueError):
            raise KeystoreError("Invalid phrase/URI given") from None
        return _public_report(uri, public, scheme, output)
    if not junctions and password is None and phrase == uri and not phrase.startswith("0x"):
        root_seed = mini_secret_from_phrase(phrase, password or "")
        return _key_report("phrase", uri, root_seed, pair.public, pair.account_id, output)
    return _key_report("uri", uri, _derived_seed(phrase, junctions, password, scheme), pair.public,
                       pair.account_id, output)


def _derived_seed(phrase: str, junctions: Sequence[Any], password: str | None, scheme: Scheme) -> bytes | None:
    """The seed `from_string_with_seed` reports: root seed, then hard-derived seeds (ed25519/ecdsa)."""
    from runtime.primitives.hashing import blake2_256
    from runtime.primitives.keyring import mini_secret_from_phrase
    from runtime.scale.compact import encode_compact

    seed = bytes.fromhex(phrase[2:]) if phrase.startswith("0x") else mini_secret_from_phrase(phrase, password or "")
    if not junctions:
        return seed
    if scheme == "sr25519" or any(not j.hard for j in junctions):
        return None  # schnorrkel's hard-derived mini secret is not exposed by the bindings
    context = b"Ed25519HDKD" if scheme == "ed25519" else b"Secp256k1HDKD"
    for j in junctions:
        seed = blake2_256(encode_compact(len(context)) + context + seed + j.chain_code)
    return seed


def cmd_key(args: argparse.Namespace, out: Any) -> int:
    """`key generate | inspect | insert`."""
    if args.key_command == "generate":
        out.write(inspect_uri(generate_phrase(args.words), args.scheme, args.output_type) + "\n")
        return 0
    if args.key_command == "inspect":
        if args.public:
            text = args.uri.strip()
            try:
                public = bytes.fromhex(text[2:] if text.startswith("0x") else text)
            except ValueError:
                _, public = ss58_decode_with_prefix(text)
            out.write(_public_report(None, public, args.scheme, args.output_type) + "\n")
            return 0
        out.write(inspect_uri(args.uri, args.scheme, args.output_type) + "\n")
        return 0
    kt = key_type_bytes(args.key_type)
    scheme: Scheme = args.scheme or KEY_TYPE_SCHEMES.get(kt, "sr25519")
    if args.keystore_path is not None:
        store = Keystore(args.keystore_path)
    else:
        base = args.base_path if args.base_path is not None else default_base_path()
        store = Keystore.for_chain(base, chain_id_of(_chain_arg(args)))
    store.insert_suri(kt, args.suri, scheme)
    return 0


async def run_until_signalled(config: NodeConfig) -> None:
    """Run the node until it returns or SIGINT/SIGTERM arrives (then cancel it cleanly, as Substrate)."""
    import logging
    import signal

    import trio

    from .service import run_node  # the service owns all wiring; imported only when running

    async with trio.open_nursery() as nursery:

        async def watch_signals() -> None:
            with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                async for signum in signals:
                    logging.getLogger("substrate").info("Received %s, shutting down", signal.Signals(signum).name)
                    nursery.cancel_scope.cancel()
                    return

        nursery.start_soon(watch_signals)
        await run_node(config)
        nursery.cancel_scope.cancel()


def _run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    import trio

    from runtime.assembly import build_assembly

    from .logging_setup import configure_logging

    assembly = build_assembly()
    config = replace(config_from_args(args, load_spec=lambda chain: load(chain, assembly)), assembly=assembly)
    configure_logging(config.log_filters, detailed=config.detailed_log_output)
    try:
        trio.run(run_until_signalled, config)
    finally:
        if config.tmp:
            shutil.rmtree(config.base_path, ignore_errors=True)
    return 0


def main(argv: Sequence[str] | None = None, *, stdin: Any = None, stdout: Any = None) -> int:
    """Entry point of `phala-node` / `python -m node`; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["run"]:
        args_list = args_list[1:]
    out = stdout if stdout is not None else sys.stdout
    args = build_parser().parse_args(args_list)
    try:
        if args.command == "build-spec":
            return cmd_build_spec(args, out)
        if args.command == "purge-chain":
            return cmd_purge_chain(args, out, sys.stdin if stdin is None else stdin)
        if args.command == "key":
            return cmd_key(args, out)
        return _run(args)
    except (ChainSpecError, ConfigError, KeystoreError, CryptoError, AddressError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
