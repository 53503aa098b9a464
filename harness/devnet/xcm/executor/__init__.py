"""The XCM executor (XCVM) over a chain's State, as polkadot-sdk polkadot/xcm/xcm-executor is.

  vm.py            the registers, fees and the trader (XcmExecutor)
  instructions.py  one i_<Name> method per instruction (process_instruction)
  holding.py       the holding register (assets.rs AssetsInHolding)
  weigher.py       WeightInfoBounds over the benchmarked instruction weights
  sending.py       SendXcm from inside the executor
  entry.py         prepare_and_execute, charge_fees, and execute as the message queue calls it
The configurable parts (barriers, transactors, ordering) are in xcm/builder/; the xcm crate's plain
values (Outcome, XcmFailure, SendFailure, Weight arithmetic) in xcm/primitives.py. The names below
are what pallet-xcm, the message queue and the runtime APIs use.
"""
from __future__ import annotations

from ..primitives import WEIGHT_MAX, ZERO, Outcome, SendFailure, XcmFailure, split_instruction, w
from .entry import charge_fees, execute, prepare_and_execute
from .holding import Holding
from .sending import deliver, validate_send
from .vm import Vm
from .weigher import Unweighable, Weigher

__all__ = ["WEIGHT_MAX", "ZERO", "Holding", "Outcome", "SendFailure", "Unweighable", "Vm", "Weigher", "XcmFailure",
           "charge_fees", "deliver", "execute", "prepare_and_execute", "split_instruction", "validate_send", "w"]
