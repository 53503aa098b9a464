"""Providers: the ways a network is brought up. Only this package knows which provider is which."""
