"""The six runtimes' parameters as data: fees, block limits, call and extension weights, slots.

A declared data table. Sources, each per runtime in polkadot-fellows/runtimes (spec 2_003_002):
relay/{kusama,polkadot}/src/lib.rs and their constants crates,
system-parachains/asset-hubs/asset-hub-{kusama,polkadot}/src/lib.rs,
system-parachains/bridge-hubs/bridge-hub-{kusama,polkadot}/src/lib.rs.
Weights: each runtime's src/weights/*.rs (call weights with its DbWeight: RocksDb on the relays
and the Bridge Hubs, InMemory on the Asset Hubs, as `type DbWeight` says),
constants/src/weights/extrinsic_weights.rs.
"""
from __future__ import annotations

from ..runtime.extrinsic import (ASSET_HUB_EXTENSIONS, BRIDGE_HUB_EXTENSIONS, RELAY_KUSAMA_EXTENSIONS,
                                 RELAY_POLKADOT_EXTENSIONS)
from ..runtime.payment import BlockRatioFee, FeeSchedule, PolynomialFee, pallet_id_account
from ..runtime.system import SystemLimits

WEIGHT_REF_TIME_PER_SECOND = 10 ** 12
MAX_POV_SIZE = 10 * 1024 * 1024           # polkadot_primitives::MAX_POV_SIZE

# --- currency and fee constants -------------------------------------------------------------
# relay/kusama/constants/src/lib.rs: UNITS 1e12, CENTS = UNITS / 30 / 100, ED = CENTS,
# TRANSACTION_BYTE_FEE = 10 * MILLICENTS; weights/extrinsic_weights.rs 124_706 ns.
KSM_CENTS = 10 ** 12 // 30 // 100
KSM_EXTRINSIC_BASE = 124_706_000
# relay/polkadot/constants/src/lib.rs: UNITS 1e10, CENTS = UNITS / 100, ED = 100 * CENTS,
# TRANSACTION_BYTE_FEE = 10 * MILLICENTS; weights/extrinsic_weights.rs 126_045 ns.
DOT_CENTS = 10 ** 10 // 100
DOT_EXTRINSIC_BASE = 126_045_000
# system-parachains/asset-hubs/asset-hub-*/src/weights/extrinsic_weights.rs: 125_000 ns
AH_EXTRINSIC_BASE = 125_000_000
TREASURY = pallet_id_account(b"py/trsry")                    # TreasuryPalletId
STAKING_POT = pallet_id_account(b"PotStake")                 # CollatorSelection PotId
DAP_STAGING = pallet_id_account(b"dap/buff", b"staging")     # sp_dap DAP_PALLET_ID, "staging" sub-account

RELAY_MAX_BLOCK = (2 * WEIGHT_REF_TIME_PER_SECOND, 2 ** 64 - 1)   # polkadot_runtime_common MAXIMUM_BLOCK_WEIGHT
AH_MAX_BLOCK = (2 * WEIGHT_REF_TIME_PER_SECOND, MAX_POV_SIZE)     # system_parachains_constants async_backing
BH_MAX_BLOCK = (WEIGHT_REF_TIME_PER_SECOND // 2, MAX_POV_SIZE)    # system_parachains_constants (no async backing)

FEES = {
    "kusama": FeeSchedule(PolynomialFee(KSM_CENTS, 10 * KSM_EXTRINSIC_BASE), KSM_EXTRINSIC_BASE,
                          10 * (KSM_CENTS // 1000), RELAY_MAX_BLOCK, treasury_share=(TREASURY, 80)),
    "polkadot": FeeSchedule(PolynomialFee(DOT_CENTS, 10 * DOT_EXTRINSIC_BASE), DOT_EXTRINSIC_BASE,
                            10 * (DOT_CENTS // 1000), RELAY_MAX_BLOCK, treasury_share=(TREASURY, 80)),
    # system-parachains/constants/src/kusama.rs fee: BlockRatioFee<CENTS, 100 * relay base>,
    # TRANSACTION_BYTE_FEE = MILLICENTS; polkadot.rs: <CENTS, 200 * relay base>, MILLICENTS / 2
    "statemine": FeeSchedule(BlockRatioFee(KSM_CENTS, 100 * KSM_EXTRINSIC_BASE, AH_MAX_BLOCK), AH_EXTRINSIC_BASE,
                             KSM_CENTS // 1000, AH_MAX_BLOCK, fee_account=STAKING_POT),
    "statemint": FeeSchedule(BlockRatioFee(DOT_CENTS, 200 * DOT_EXTRINSIC_BASE, AH_MAX_BLOCK), AH_EXTRINSIC_BASE,
                             DOT_CENTS // 1000 // 2, AH_MAX_BLOCK, fee_account=DAP_STAGING),
    # the same constants crates; both Bridge Hubs pay to ResolveTo<StakingPot> and their max block
    # is the non-async-backing one (bridge-hub-*/src/lib.rs pallet_transaction_payment::Config)
    "bridge-hub-kusama": FeeSchedule(BlockRatioFee(KSM_CENTS, 100 * KSM_EXTRINSIC_BASE, BH_MAX_BLOCK),
                                     AH_EXTRINSIC_BASE, KSM_CENTS // 1000, BH_MAX_BLOCK, fee_account=STAKING_POT),
    "bridge-hub-polkadot": FeeSchedule(BlockRatioFee(DOT_CENTS, 200 * DOT_EXTRINSIC_BASE, BH_MAX_BLOCK),
                                       AH_EXTRINSIC_BASE, DOT_CENTS // 1000 // 2, BH_MAX_BLOCK,
                                       fee_account=STAKING_POT),
}

LIMITS = {
    # BlockExecutionWeight from each constants/src/weights/block_weights.rs; RocksDb / InMemory
    # read-write weights from rocksdb_weights.rs / inmemorydb_weights.rs
    "kusama": SystemLimits(14_278_073_000, KSM_EXTRINSIC_BASE, RELAY_MAX_BLOCK, 75,
                           db_read=25_000_000, db_write=100_000_000, init_ratio_percent=1),
    "polkadot": SystemLimits(13_806_190_000, DOT_EXTRINSIC_BASE, RELAY_MAX_BLOCK, 75,
                             db_read=20_499_000, db_write=83_471_000, init_ratio_percent=1),
    "statemine": SystemLimits(5_000_000_000, AH_EXTRINSIC_BASE, AH_MAX_BLOCK, 85,
                              block_length={"normal": 4456448, "operational": 5242880, "mandatory": 5242880},
                              db_read=13_701_000, db_write=33_060_000),
    "statemint": SystemLimits(5_000_000_000, AH_EXTRINSIC_BASE, AH_MAX_BLOCK, 85,
                              block_length={"normal": 4456448, "operational": 5242880, "mandatory": 5242880},
                              db_read=13_701_000, db_write=33_060_000),
    # bridge-hub-*/src/weights/block_weights.rs, rocksdb_weights.rs; NORMAL_DISPATCH_RATIO 75%
    "bridge-hub-kusama": SystemLimits(5_000_000_000, AH_EXTRINSIC_BASE, BH_MAX_BLOCK, 75),
    "bridge-hub-polkadot": SystemLimits(5_000_000_000, AH_EXTRINSIC_BASE, BH_MAX_BLOCK, 75),
}

# Call weights (ref_time with the DbWeight reads/writes folded in, proof_size), from
# relay/kusama/src/weights/pallet_balances_native.rs, relay/polkadot/src/weights/pallet_balances.rs,
# asset-hub-*/src/weights/pallet_balances.rs, bridge-hub-*/src/weights/pallet_balances.rs and
# pallet_timestamp.rs (force_set_balance: the _creating case).
CALL_WEIGHTS = {
    "kusama": {
        "Balances": {"transfer_allow_death": (200_139_000, 3593), "transfer_keep_alive": (185_831_000, 3593),
                     "force_transfer": (325_490_000, 6196), "transfer_all": (197_849_000, 3593),
                     "force_unreserve": (152_629_000, 3593), "force_set_balance": (158_640_000, 3593),
                     "force_adjust_total_issuance": (9_620_000, 0), "burn": (43_290_000, 0)},
        "Timestamp": {"set": (157_814_000, 1493)},
    },
    "polkadot": {
        "Balances": {"transfer_allow_death": (155_900_000, 3593), "transfer_keep_alive": (144_810_000, 3593),
                     "force_transfer": (259_230_000, 6196), "transfer_all": (155_530_000, 3593),
                     "force_unreserve": (123_550_000, 3593), "force_set_balance": (125_440_000, 3593),
                     "force_adjust_total_issuance": (6_190_000, 0), "burn": (31_890_000, 0)},
        "Timestamp": {"set": (133_799_000, 1493)},
    },
    "statemine": {
        "Balances": {"transfer_allow_death": (270_643_000, 3838), "transfer_keep_alive": (150_552_000, 3593),
                     "force_transfer": (323_633_000, 6196), "transfer_all": (267_453_000, 3838),
                     "force_unreserve": (67_281_000, 3593), "force_set_balance": (177_632_000, 3838),
                     "force_adjust_total_issuance": (5_280_000, 0), "burn": (139_801_000, 3838)},
        "Timestamp": {"set": (70_242_000, 1493)},
    },
    "statemint": {
        "Balances": {"transfer_allow_death": (254_877_000, 3748), "transfer_keep_alive": (142_223_000, 3593),
                     "force_transfer": (307_277_000, 6196), "transfer_all": (253_038_000, 3748),
                     "force_unreserve": (65_167_000, 3593), "force_set_balance": (169_235_000, 3748),
                     "force_adjust_total_issuance": (4_737_000, 0), "burn": (129_049_000, 3748)},
        "Timestamp": {"set": (68_640_000, 1493)},
    },
    "bridge-hub-kusama": {
        "Balances": {"transfer_allow_death": (161_826_000, 3593), "transfer_keep_alive": (153_830_000, 3593),
                     "force_transfer": (288_624_000, 6196), "transfer_all": (161_020_000, 3593),
                     "force_unreserve": (138_767_000, 3593), "force_set_balance": (141_203_000, 3593),
                     "force_adjust_total_issuance": (4_903_000, 0), "burn": (23_675_000, 0)},
        "Timestamp": {"set": (155_823_000, 1493)},
    },
    "bridge-hub-polkadot": {
        "Balances": {"transfer_allow_death": (161_966_000, 3593), "transfer_keep_alive": (153_524_000, 3593),
                     "force_transfer": (288_786_000, 6196), "transfer_all": (160_525_000, 3593),
                     "force_unreserve": (138_138_000, 3593), "force_set_balance": (140_688_000, 3593),
                     "force_adjust_total_issuance": (4_391_000, 0), "burn": (23_677_000, 0)},
        "Timestamp": {"set": (155_672_000, 1493)},
    },
}

# Transaction extension weights: each runtime's weights/frame_system_extensions.rs,
# pallet_transaction_payment.rs / pallet_asset_conversion_tx_payment.rs (native) and
# cumulus_pallet_weight_reclaim.rs. AuthorizeCall, PrevalidateAttests (outside `attest`),
# CheckMetadataHash, EthSetOrigin and the Bridge Hubs' two bridge extensions (no benchmarked
# weight of their own) weigh nothing here.
EXTENSION_WEIGHTS = {
    "kusama": {"CheckNonZeroSender": (499_000, 0), "CheckSpecVersion": (396_000, 0), "CheckTxVersion": (397_000, 0),
               "CheckGenesis": (4_633_000, 0), "check_mortality_mortal": (6_796_000, 0),
               "check_mortality_immortal": (6_795_000, 0), "CheckNonce": (132_274_000, 3593),
               "CheckWeight": (2_819_000, 0), "ChargeTransactionPayment": (168_330_000, 3593)},
    "polkadot": {"CheckNonZeroSender": (650_000, 0), "CheckSpecVersion": (490_000, 0), "CheckTxVersion": (590_000, 0),
                 "CheckGenesis": (6_200_000, 0), "check_mortality_mortal": (9_020_000, 0),
                 "check_mortality_immortal": (8_890_000, 0), "CheckNonce": (112_690_000, 3593),
                 "CheckWeight": (3_870_000, 0), "ChargeTransactionPayment": (158_900_000, 3593)},
    "statemine": {"CheckNonZeroSender": (710_000, 0), "CheckSpecVersion": (520_000, 0), "CheckTxVersion": (530_000, 0),
                  "CheckGenesis": (4_050_000, 0), "check_mortality_mortal": (7_040_000, 0),
                  "check_mortality_immortal": (7_019_000, 0), "CheckNonce": (58_511_000, 3593),
                  "CheckWeight": (3_550_000, 0), "ChargeAssetTxPayment": (152_642_000, 6196),
                  "StorageWeightReclaim": (2_240_000, 0)},
    "statemint": {"CheckNonZeroSender": (490_000, 0), "CheckSpecVersion": (375_000, 0), "CheckTxVersion": (382_000, 0),
                  "CheckGenesis": (3_424_000, 0), "check_mortality_mortal": (5_602_000, 0),
                  "check_mortality_immortal": (5_636_000, 0), "CheckNonce": (56_478_000, 3593),
                  "CheckWeight": (2_957_000, 0), "ChargeAssetTxPayment": (142_351_000, 6196),
                  "StorageWeightReclaim": (1_992_000, 0)},
    "bridge-hub-kusama": {"CheckNonZeroSender": (510_000, 0), "CheckSpecVersion": (405_000, 0),
                          "CheckTxVersion": (397_000, 0), "CheckGenesis": (3_183_000, 0),
                          "check_mortality_mortal": (5_235_000, 0), "check_mortality_immortal": (5_310_000, 0),
                          "CheckNonce": (131_094_000, 3593), "CheckWeight": (2_827_000, 0),
                          "ChargeTransactionPayment": (292_712_000, 6196), "StorageWeightReclaim": (1_981_000, 0)},
    "bridge-hub-polkadot": {"CheckNonZeroSender": (566_000, 0), "CheckSpecVersion": (443_000, 0),
                            "CheckTxVersion": (443_000, 0), "CheckGenesis": (3_981_000, 0),
                            "check_mortality_mortal": (6_575_000, 0), "check_mortality_immortal": (6_592_000, 0),
                            "CheckNonce": (132_409_000, 3593), "CheckWeight": (3_574_000, 0),
                            "ChargeTransactionPayment": (292_695_000, 6196), "StorageWeightReclaim": (1_897_000, 0)},
}

EXTENSIONS = {"kusama": RELAY_KUSAMA_EXTENSIONS, "polkadot": RELAY_POLKADOT_EXTENSIONS,
              "statemine": ASSET_HUB_EXTENSIONS, "statemint": ASSET_HUB_EXTENSIONS,
              "bridge-hub-kusama": BRIDGE_HUB_EXTENSIONS, "bridge-hub-polkadot": BRIDGE_HUB_EXTENSIONS}

# Timestamp MinimumPeriod and the slot: relays SLOT_DURATION 6000 ms, MinimumPeriod 3000;
# Asset Hubs SLOT_DURATION 24_000 ms (asset-hub-*/src/lib.rs), MinimumPeriod 0; Bridge Hubs
# system_parachains_constants::SLOT_DURATION 12_000 ms, MinimumPeriod 0.
SLOT_DURATION = {"kusama": 6000, "polkadot": 6000, "statemine": 24_000, "statemint": 24_000,
                 "bridge-hub-kusama": 12_000, "bridge-hub-polkadot": 12_000}
MINIMUM_PERIOD = {"kusama": 3000, "polkadot": 3000, "statemine": 0, "statemint": 0,
                  "bridge-hub-kusama": 0, "bridge-hub-polkadot": 0}

# pallet_utility WeightInfo: each runtime's src/weights/pallet_utility.rs (v2.3.2; no proof size).
# batch/batch_all/force_batch: (base, per call c); the others: (base, 0).
UTILITY_WEIGHTS = {
    "kusama": {"batch": (4_825_566, 2_295_032), "as_derivative": (3_819_000, 0),
               "batch_all": (3_371_085, 2_444_522), "dispatch_as": (5_764_000, 0),
               "force_batch": (5_070_762, 2_260_823), "dispatch_as_fallible": (5_787_000, 0),
               "if_else": (7_077_000, 0)},
    "polkadot": {"batch": (109_790_453, 2_939_425), "as_derivative": (4_190_000, 0),
                 "batch_all": (41_906_852, 2_888_683), "dispatch_as": (6_160_000, 0),
                 "force_batch": (99_130_708, 2_954_291), "dispatch_as_fallible": (5_970_000, 0),
                 "if_else": (7_591_000, 0)},
    "statemine": {"batch": (35_301_174, 2_893_853), "as_derivative": (4_210_000, 0),
                  "batch_all": (3_990_000, 3_432_455), "dispatch_as": (6_190_000, 0),
                  "force_batch": (18_014_518, 2_910_301), "dispatch_as_fallible": (5_900_000, 0),
                  "if_else": (7_171_000, 0)},
    "statemint": {"batch": (5_860_458, 2_243_847), "as_derivative": (3_232_000, 0),
                  "batch_all": (7_112_575, 2_424_575), "dispatch_as": (4_873_000, 0),
                  "force_batch": (4_429_829, 2_269_863), "dispatch_as_fallible": (4_889_000, 0),
                  "if_else": (6_015_000, 0)},
    "bridge-hub-kusama": {"batch": (4_310_774, 2_133_523), "as_derivative": (3_616_000, 0),
                          "batch_all": (3_369_391, 2_262_160), "dispatch_as": (5_293_000, 0),
                          "force_batch": (3_614_332, 2_133_622), "dispatch_as_fallible": (5_229_000, 0),
                          "if_else": (6_337_000, 0)},
    "bridge-hub-polkadot": {"batch": (1_277_473, 2_294_812), "as_derivative": (3_251_000, 0),
                            "batch_all": (1_908_893, 2_456_239), "dispatch_as": (4_810_000, 0),
                            "force_batch": (650_580, 2_339_236), "dispatch_as_fallible": (4_814_000, 0),
                            "if_else": (5_909_000, 0)},
}

# pallet_asset_conversion_tx_payment charge_asset_tx_payment_asset (a fee paid in another asset):
# (ref_time, proof_size, reads, writes), asset-hub-*/src/weights/pallet_asset_conversion_tx_payment.rs v2.3.2
ASSET_FEE_WEIGHTS = {"statemine": (134_681_000, 7404, 5, 5), "statemint": (103_911_000, 7404, 5, 5)}
