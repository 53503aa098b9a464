"""The xcm-builder pieces the runtimes' XcmConfig composes (polkadot-sdk polkadot/xcm/xcm-builder/src):

  barriers.py     barriers.rs and the origin aliasers (origin_aliases.rs, pallet-xcm's AuthorizedAliasers)
  transactors.py  fungible_adapter.rs / fungibles_adapter.rs over the runtime's XcmHooks
  ordering.py     the Ord of locations and assets the holding register and sorted lists rely on
xcm/config.py imports only these; the executor (xcm/executor/) runs what they configure.
"""
