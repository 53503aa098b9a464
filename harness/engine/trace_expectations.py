"""Final expectations on the traces: the fee at a hop within its bounds, and the lane nonces of bridge crossings."""
from __future__ import annotations

from ..scenario.amounts import PLANCK
from ..scenario.model import FeeExpect, LaneExpect, Scenario
from .result import ScenarioFailure
from .trace import BRIDGED, Trace
from .units import Units


def check_fee(scenario: Scenario, units: Units, expect: FeeExpect, traces: list[Trace]) -> None:
    """The delivery or execution fee that step's trace shows at the hop, within the bounds."""
    trace = next(t for t in traces if t.step == expect.step)
    hop = trace.hop(expect.chain)
    name = scenario.steps[expect.step].name
    if hop is None:
        raise ScenarioFailure(f"the message of step '{name}' has no hop on '{expect.chain}' (it reached: "
                              f"{', '.join(h.chain for h in trace.hops)})", path=expect.path + ("chain",))
    fee = hop.delivery_fee if expect.kind == "delivery" else hop.execution_fee
    symbol = scenario.network.chain(expect.chain).token if expect.kind == "delivery" else trace.asset
    if fee is None:
        raise ScenarioFailure(f"no execution fee is known at '{expect.chain}' for step '{name}': nothing was "
                              f"deposited to {trace.beneficiary} there", path=expect.path)
    for bound, key in ((expect.at_most, "at_most"), (expect.at_least, "at_least")):
        if bound is not None and bound.unit not in (PLANCK, symbol):
            raise ScenarioFailure(f"the {expect.kind} fee at '{expect.chain}' is paid in {symbol}, not "
                                  f"{bound.unit}", path=expect.path + (key,))
    high = units.planck(expect.at_most, expect.chain)
    low = units.planck(expect.at_least, expect.chain) if expect.at_least else 0
    if not low <= fee <= high:
        raise ScenarioFailure(f"the {expect.kind} fee of step '{name}' at '{expect.chain}' was "
                              f"{units.text(fee, expect.chain, symbol)}, expected "
                              f"{f'at least {expect.at_least} and ' if expect.at_least else ''}at most "
                              f"{expect.at_most}", path=expect.path)


def check_lane(scenario: Scenario, expect: LaneExpect, traces: list[Trace]) -> None:
    """The measured transfers that left `expect.chain` on the lane: consecutive nonces, each received and
    confirmed."""
    start = scenario.measure_from
    measured = [t for t in traces if start is not None and t.step >= start]
    crossings = [(t, i) for t in measured for i, hop in enumerate(t.hops)
                 if hop.chain == expect.chain and hop.lane == expect.lane and hop.what != BRIDGED]
    nonces = sorted(t.hops[i].nonce for t, i in crossings)
    if len(nonces) != expect.messages or nonces != list(range(nonces[0], nonces[0] + len(nonces))):
        raise ScenarioFailure(f"{len(nonces)} transfer(s) left '{expect.chain}' on lane {expect.lane}, with nonces "
                              f"{_ranges(nonces) or 'none'}; expected {expect.messages} consecutive ones",
                              path=expect.path)
    for trace, index in crossings:
        hop, received = trace.hops[index], trace.hops[index + 1] if index + 1 < len(trace.hops) else None
        name = trace.step_name or f"#{trace.step}"
        if received is None or received.what != BRIDGED:
            raise ScenarioFailure(f"step {name}'s message (nonce {hop.nonce}) was not received across the bridge",
                                  path=expect.path)
        if not received.success:
            raise ScenarioFailure(f"step {name}'s message (nonce {hop.nonce}) was received across the bridge but not "
                                  f"dispatched", path=expect.path)
        if hop.confirmed_block is None:
            raise ScenarioFailure(f"step {name}'s message (nonce {hop.nonce}) was received but its delivery "
                                  f"was not confirmed on '{expect.chain}'", path=expect.path)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
