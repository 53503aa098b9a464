"""pallet_bridge_relayers: rewards owed to relayers, and how they are claimed.

S bridges/modules/relayers/src/lib.rs (RelayerRewards double map keyed Blake2_128Concat
relayer / Identity reward kind, then RegisteredRelayers; calls claim_rewards 0, register 1,
deregister 2, claim_rewards_to 3; events and errors in declaration order), payment_adapter.rs
(DeliveryConfirmationPaymentsAdapter: DeliveryRewardInBalance per delivered message, reward kind
RewardsAccountParams(lane, bridged chain id, BridgedChain)), bp_relayers PayRewardFromAccount
(a claim transfers from the lane's rewards account, accounts.rewards_account).
The reward kind differs per runtime: Kusama's Bridge Hub keys rewards by RewardsAccountParams,
Polkadot's by BridgeReward { PolkadotKusamaBridge(params), Snowbridge }
(F bridge-hub-polkadot/src/bridge_common_config.rs) with BridgeRewardBeneficiaries.
Registration (stake and lease) is declared but not emulated: calls answer Unavailable.
"""
from __future__ import annotations

from typing import Any

from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from .accounts import rewards_account
from .types import declare_bridge_types


class BridgeRelayers(Pallet):
    NAME = "BridgeRelayers"
    WRAPPED_REWARD = False      # Polkadot: BridgeReward::PolkadotKusamaBridge(params)

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.bt = bt = declare_bridge_types(r, t, self.runtime.call_enum)
        acc = t.account_id
        crate = self.runtime.config.crate
        if self.WRAPPED_REWARD:
            self.reward_kind = r.variant(f"{crate}::bridge_common_config::BridgeReward", [
                ("PolkadotKusamaBridge", 0, [(None, bt.rewards_params, "RewardsAccountParams<LegacyLaneId>")]),
                ("Snowbridge", 1, [])])
            beneficiary = r.variant(f"{crate}::bridge_common_config::BridgeRewardBeneficiaries", [
                ("LocalAccount", 0, [(None, acc, "AccountId")]),
                ("AssetHubLocation", 1, [(None, self._versioned_location(), "Box<VersionedLocation>")])])
        else:
            self.reward_kind, beneficiary = bt.rewards_params, acc
        self.rewards = self.item("RelayerRewards", t.u128, (acc, self.reward_kind), ("Blake2_128Concat", "Identity"),
                                 optional=True)
        self.item("RegisteredRelayers", bt.registration, (acc,), ("Blake2_128Concat",), optional=True)
        params = [("T", None), ("I", None)]
        kind = ("reward_kind", self.reward_kind, "T::Reward")
        self.calls = r.variant("pallet_bridge_relayers::pallet::Call", [
            ("claim_rewards", 0, [kind]),
            ("register", 1, [("valid_till", t.u32, "BlockNumberFor<T>")]),
            ("deregister", 2, []),
            ("claim_rewards_to", 3, [kind, ("beneficiary", beneficiary, "BeneficiaryOf<T, I>")]),
        ], params=params)
        relayer = ("relayer", acc, "T::AccountId")
        balance = ("reward_balance", t.u128, "T::RewardBalance")
        registration = ("registration", bt.registration, "Registration<BlockNumberFor<T>, T::Balance>")
        self.events = r.variant("pallet_bridge_relayers::pallet::Event", [
            ("RewardRegistered", 0, [relayer, kind, balance]),
            ("RewardPaid", 1, [relayer, kind, balance, ("beneficiary", beneficiary, "BeneficiaryOf<T, I>")]),
            ("RegistrationUpdated", 2, [relayer, registration]),
            ("Deregistered", 3, [relayer]),
            ("SlashedAndDeregistered", 4, [relayer, registration]),
        ], params=params)
        self.errors = r.variant("pallet_bridge_relayers::pallet::Error", [(n, i, []) for i, n in enumerate((
            "NoRewardForRelayer", "FailedToPayReward", "InvalidRegistrationLease", "CannotReduceRegistrationLease",
            "FailedToReserve", "FailedToUnreserve", "NotRegistered", "RegistrationIsStillActive"))], params=params)

    def _versioned_location(self) -> int:
        from ..types.xcm import declare_xcm
        return declare_xcm(self.reg, self.runtime.call_enum).versioned_location

    def kind_of(self, params: dict) -> Any:
        return {"PolkadotKusamaBridge": params} if self.WRAPPED_REWARD else params

    def _params_of(self, kind: Any) -> dict | None:
        if not self.WRAPPED_REWARD:
            return kind
        return kind.get("PolkadotKusamaBridge") if isinstance(kind, dict) else None

    def register_reward(self, ctx: Ctx, relayer: bytes, params: dict, amount: int) -> None:
        """register_relayer_reward: accumulates and emits RewardRegistered (a zero reward is ignored)."""
        if amount == 0:
            return
        kind = self.kind_of(params)
        self.rewards.put(ctx.state, relayer, kind, (self.rewards.get(ctx.state, relayer, kind) or 0) + amount)
        self.emit(ctx, "RewardRegistered", {"relayer": relayer, "reward_kind": kind, "reward_balance": amount})

    def reward_delivery(self, ctx: Ctx, lane_id: bytes, bridged_chain_id: bytes, delivered: dict[bytes, int],
                        per_message: int) -> None:
        """DeliveryConfirmationPaymentsAdapter::pay_reward for the messages `delivered` by each relayer."""
        params = {"owner": "BridgedChain", "bridged_chain_id": bridged_chain_id, "lane_id": lane_id}
        for relayer, count in delivered.items():
            self.register_reward(ctx, relayer, params, count * per_message)

    def call_claim_rewards(self, ctx: Ctx, origin: Origin, reward_kind: Any) -> None:
        relayer = origin.ensure_signed()
        self._claim(ctx, relayer, reward_kind, relayer, relayer)

    def call_claim_rewards_to(self, ctx: Ctx, origin: Origin, reward_kind: Any, beneficiary: Any) -> None:
        relayer = origin.ensure_signed()
        account = beneficiary.get("LocalAccount") if self.WRAPPED_REWARD and isinstance(beneficiary, dict) else beneficiary
        if not isinstance(account, (bytes, bytearray)):
            raise self.error("FailedToPayReward")
        self._claim(ctx, relayer, reward_kind, bytes(account), beneficiary)

    def _claim(self, ctx: Ctx, relayer: bytes, kind: Any, to: bytes, beneficiary: Any) -> None:
        amount = self.rewards.get(ctx.state, relayer, kind)
        if amount is None:
            raise self.error("NoRewardForRelayer")
        params = self._params_of(kind)
        if params is None:   # Snowbridge rewards are paid on Asset Hub, not emulated
            raise self.error("FailedToPayReward")
        source = rewards_account(bytes(params["lane_id"]), bytes(params["bridged_chain_id"]), params["owner"])
        try:
            self.runtime.by_name["Balances"].transfer(ctx, source, to, amount, "expendable")
        except DispatchError:
            raise self.error("FailedToPayReward") from None
        self.rewards.remove(ctx.state, relayer, kind)
        self.emit(ctx, "RewardPaid", {"relayer": relayer, "reward_kind": kind, "reward_balance": amount,
                                      "beneficiary": beneficiary})


class BridgeRelayersPolkadot(BridgeRelayers):
    WRAPPED_REWARD = True


def relayers_pallet(network: str) -> type[BridgeRelayers]:
    return BridgeRelayersPolkadot if network == "Polkadot" else BridgeRelayers
