"""Put on PYTHONPATH of a harness subprocess by tests/test_providers.py.

The harness starts chopsticks with PR_SET_PDEATHSIG, so the kernel kills chopsticks whenever the
harness process dies, whatever its cleanup did. To test the cleanup itself, this turns that safety
net off in the subprocess: children still get their own session, but no death signal. Each child
started that way appends a line to the file named by TEST_PROVIDERS_NO_DEATHSIG, so the test can
check the switch took effect.
"""
import os

_MARKER = os.environ.get("TEST_PROVIDERS_NO_DEATHSIG")

if _MARKER:
    from harness.providers import process as _process

    def _session_only() -> None:  # runs in the child, between fork and exec
        os.setsid()
        with open(_MARKER, "a") as marker:
            marker.write(f"{os.getpid()}\n")

    _process._die_with_parent = _session_only
