"""system_*: substrate/client/rpc-api/src/system/mod.rs, helpers.rs (Health, NodeRole), and the
account nonce and dry run of substrate/utils/frame/rpc/system/src/lib.rs."""
from __future__ import annotations

import hashlib

from harness.devnet.node import Node
from harness.devnet.rpc.method import Namespace
from harness.devnet.rpc.params import parse_account, parse_hex, to_hex
from harness.devnet.rpc.ss58 import b58encode

namespace = Namespace()



def _answered_by_node(name: str) -> None:
    """A method the Node answers itself, under the same name."""
    namespace.rpc(name)(lambda ctx, p: getattr(ctx.node, name)())


for _name in ("system_chain", "system_name", "system_version", "system_properties"):
    _answered_by_node(_name)
namespace.constant("system_chainType", "Development")   # sc_chain_spec::ChainType: the variant name
namespace.constant("system_health", {"peers": 0, "isSyncing": False, "shouldHavePeers": False})
namespace.constant("system_nodeRoles", ["Authority"])
namespace.constant("system_peers", [])
namespace.constant("system_reservedPeers", [])


def local_peer_id(node: Node) -> str:
    """A well-formed libp2p ed25519 PeerId (identity multihash of the protobuf public key),
    derived from the chain name so it is stable across runs; the key itself is made up."""
    key = hashlib.blake2b(f"devnet-peer:{node.name}".encode(), digest_size=32).digest()
    return b58encode(bytes([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]) + key)


@namespace.rpc("system_localPeerId")
def _system_local_peer_id(ctx, p):
    return local_peer_id(ctx.node)


@namespace.rpc("system_localListenAddresses")
def _system_local_listen_addresses(ctx, p):
    return [f"/ip4/127.0.0.1/tcp/30333/p2p/{local_peer_id(ctx.node)}"]


@namespace.rpc("system_syncState")
def _system_sync_state(ctx, p):
    best = ctx.node.head().number
    return {"startingBlock": 0, "currentBlock": best, "highestBlock": best}


# frame/rpc/system lib.rs: the nonce as a JSON number
@namespace.rpc("system_accountNextIndex", "account", aliases=("account_nextIndex",))
def _system_account_next_index(ctx, p):
    return ctx.node.account_next_index(p.get(0, parse_account, required=True))


# frame/rpc/system lib.rs: dry_run runs BlockBuilder_apply_extrinsic and returns the SCALE
# ApplyExtrinsicResult.
@namespace.rpc("system_dryRun", "extrinsic", "at", aliases=("system_dryRunAt",))
def _system_dry_run(ctx, p):
    xt = p.get(0, parse_hex, required=True)
    return to_hex(ctx.node.state_call("BlockBuilder_apply_extrinsic", xt, p.at(1)))
