"""For property tests of the harness (tests/hypothesis): Hypothesis strategies for transfers and scenario
files, a model ledger of what transfers should do, and the scenario file a failing run is written as.

    strategies.py           accounts(), amounts(), routes(), transfers(); the `hypothesis` entry point
    scenario_strategies.py  valid, broken and damaged scenario files, for fuzzing the loader
    model_chains.py         the chains, assets and routes the strategies and the ledger talk about
    ledger.py               the model ledger and its invariants
    found.py                a transfer machine's run as a replayable scenario file
"""
