"""pallet-xcm's parameters: the XCM version it advertises, the transfer bound and its call weights per
chain (each runtime's weights/pallet_xcm.rs with the DB reads/writes folded in). A declared data table."""
from __future__ import annotations

from ..primitives import WEIGHT_MAX

XCM_VERSION = 5
MAX_ASSETS_FOR_TRANSFER = 2
_M = WEIGHT_MAX
CALL_WEIGHTS = {
    "kusama": {"send": (354081000, 3572), "teleport_assets": (431898000, 3572), "reserve_transfer_assets": (_M, 0), "transfer_assets": (433364000, 3572), "execute": (31595000, 1485), "force_xcm_version": (106512000, 0), "force_default_xcm_version": (2000000, 0), "force_subscribe_version_notify": (710023000, 3572), "force_unsubscribe_version_notify": (587171000, 3752), "force_suspension": (102050000, 0), "claim_assets": (184987000, 3488), "add_authorized_alias": (_M, 0), "remove_authorized_alias": (_M, 0)},  # noqa: E501
    "polkadot": {"send": (304017000, 3606), "teleport_assets": (398786000, 3606), "reserve_transfer_assets": (_M, 0), "transfer_assets": (396486000, 3606), "execute": (27539000, 1485), "force_xcm_version": (90621000, 0), "force_default_xcm_version": (2030000, 0), "force_subscribe_version_notify": (609587000, 3606), "force_unsubscribe_version_notify": (504118000, 3786), "force_suspension": (85620000, 0), "claim_assets": (172479000, 3488), "add_authorized_alias": (_M, 0), "remove_authorized_alias": (_M, 0)},  # noqa: E501
    "kusama-asset-hub": {"send": (151185000, 3696), "teleport_assets": (436529000, 7902), "reserve_transfer_assets": (607173000, 8217), "transfer_assets": (770115000, 10496), "execute": (20691000, 1485), "force_xcm_version": (40470000, 0), "force_default_xcm_version": (2120000, 0), "force_subscribe_version_notify": (282826000, 3696), "force_unsubscribe_version_notify": (253846000, 108971), "force_suspension": (35230000, 0), "claim_assets": (6331142000, 54690), "add_authorized_alias": (154252000, 5270), "remove_authorized_alias": (154242000, 5658)},  # noqa: E501
    "polkadot-asset-hub": {"send": (144386000, 3696), "teleport_assets": (415606000, 8171), "reserve_transfer_assets": (584765000, 8485), "transfer_assets": (732765000, 10864), "execute": (19370000, 1485), "force_xcm_version": (38911000, 0), "force_default_xcm_version": (1767000, 0), "force_subscribe_version_notify": (278005000, 3696), "force_unsubscribe_version_notify": (250222000, 108971), "force_suspension": (34780000, 0), "claim_assets": (6331142000, 54690), "add_authorized_alias": (142816000, 5369), "remove_authorized_alias": (142706000, 5757)},  # noqa: E501
    "kusama-bridge-hub": {"send": (321686000, 3597), "teleport_assets": (556277000, 3681), "reserve_transfer_assets": (_M, 0), "transfer_assets": (558408000, 3681), "execute": (31221000, 1485), "force_xcm_version": (106079000, 0), "force_default_xcm_version": (1876000, 0), "force_subscribe_version_notify": (678027000, 3597), "force_unsubscribe_version_notify": (583315000, 108971), "force_suspension": (101937000, 0), "claim_assets": (184310000, 3488), "add_authorized_alias": (287543000, 3593), "remove_authorized_alias": (288515000, 3981)},  # noqa: E501
    "polkadot-bridge-hub": {"send": (321452000, 3663), "teleport_assets": (450021000, 3784), "reserve_transfer_assets": (_M, 0), "transfer_assets": (451123000, 3784), "execute": (30787000, 1485), "force_xcm_version": (105611000, 0), "force_default_xcm_version": (1660000, 0), "force_subscribe_version_notify": (677774000, 3663), "force_unsubscribe_version_notify": (584652000, 108971), "force_suspension": (101668000, 0), "claim_assets": (182858000, 3489), "add_authorized_alias": (290523000, 3594), "remove_authorized_alias": (290880000, 3982)},  # noqa: E501
}
# call name -> weight function of weights/pallet_xcm.rs (the limited_* calls share the base one)
WEIGHT_OF = {"limited_teleport_assets": "teleport_assets", "limited_reserve_transfer_assets": "reserve_transfer_assets",
              "transfer_assets_using_type_and_then": "transfer_assets", "remove_all_authorized_aliases":
              "remove_authorized_alias"}
