"""The one method table the server answers from: each namespace module's methods, and rpc_methods.

To serve a new method, add it to the module of its namespace, or add a module and list it here.
"""
from __future__ import annotations

from harness.devnet.rpc import author, chain, dev, payment, state, system
from harness.devnet.rpc.errors import method_not_found
from harness.devnet.rpc.method import Context, Method, Namespace
from harness.devnet.rpc.params import Params

_rpc = Namespace()


# rpc_methods: substrate/client/service/src/builder.rs (gen_rpc_module) -> {"methods": [sorted]}
@_rpc.rpc("rpc_methods")
def _rpc_methods(ctx, p):
    return {"methods": method_names()}


def _merge(*namespaces: Namespace) -> dict[str, Method]:
    methods: dict[str, Method] = {}
    for namespace in namespaces:
        clash = methods.keys() & namespace.methods.keys()
        if clash:
            raise ValueError(f"RPC methods served by two modules: {sorted(clash)}")
        methods.update(namespace.methods)
    return methods


METHODS = _merge(_rpc, system.namespace, chain.namespace, state.namespace, author.namespace,
                 payment.namespace, dev.namespace)


def method_names() -> list[str]:
    return sorted(METHODS)


def call(ctx: Context, name: str, raw_params: object) -> object:
    method = METHODS.get(name)
    if method is None:
        raise method_not_found()
    return method.handler(ctx, Params(raw_params, method.params))
