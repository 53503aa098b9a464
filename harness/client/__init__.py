"""The chain client: substrate-interface with timeouts, decoded events and named dispatch errors."""
