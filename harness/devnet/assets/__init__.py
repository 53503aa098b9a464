"""The Asset Hubs' fungible assets: pallet-assets (Assets, ForeignAssets) and the asset-conversion pools.

  pallet.py  pallet_assets instances 50 (Assets) and 53 (ForeignAssets)
  tables.py  their deposits, limits, call weights and metadata lists (data)
  pools.py   the pools' accounts and the swap math the XCM trader uses
"""
