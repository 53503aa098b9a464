"""Type declarations for the devnet runtimes, one module per family (primitives, xcm, ...)."""
