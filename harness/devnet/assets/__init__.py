"""The Asset Hubs' fungible assets: pallet-assets (Assets, ForeignAssets) and the asset-conversion pools.

  pallet.py      pallet_assets instances 50 (Assets) and 53 (ForeignAssets)
  tables.py      their deposits, limits, call weights and metadata lists (data)
  pools.py       the pools' ids, accounts and swap math, and the genesis pool
  conversion.py  pallet_asset_conversion (AssetConversion) and its LP tokens (PoolAssets)
  bridged.py     the other network's native token held at genesis
"""
