"""The JSON Schema of one scenario's result (json_result.py writes it; --report puts a copy beside the results
as result.schema.json). Kept as Python so that it ships with the package."""

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "harness-result/1",
    "title": "One scenario's result, as harness --report writes it",
    "type": "object",
    "required": [
        "schema",
        "scenario",
        "outcome",
        "message",
        "position",
        "seconds",
        "chains",
        "tokens",
        "balances",
        "extrinsics",
        "traces"
    ],
    "additionalProperties": False,
    "properties": {
        "schema": {
            "const": "harness-result/1"
        },
        "scenario": {
            "type": "object",
            "required": [
                "name",
                "file",
                "line",
                "network",
                "row",
                "tags"
            ],
            "additionalProperties": False,
            "properties": {
                "name": {
                    "type": "string"
                },
                "file": {
                    "type": "string"
                },
                "line": {
                    "type": "integer",
                    "minimum": 1
                },
                "network": {
                    "type": "string"
                },
                "row": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "tags": {
                    "type": "array",
                    "items": {
                        "type": "string"
                    }
                }
            }
        },
        "outcome": {
            "enum": [
                "passed",
                "failed",
                "error"
            ]
        },
        "message": {
            "type": [
                "string",
                "null"
            ]
        },
        "position": {
            "type": [
                "string",
                "null"
            ]
        },
        "seconds": {
            "type": [
                "number",
                "null"
            ]
        },
        "chains": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": [
                    "decimals",
                    "symbol"
                ],
                "additionalProperties": False,
                "properties": {
                    "decimals": {
                        "type": "integer"
                    },
                    "symbol": {
                        "type": "string"
                    }
                }
            }
        },
        "tokens": {
            "type": "object",
            "additionalProperties": {
                "type": "integer"
            }
        },
        "balances": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/balance"
            }
        },
        "extrinsics": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/extrinsic"
            }
        },
        "traces": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/trace"
            }
        }
    },
    "$defs": {
        "planck": {
            "type": "integer"
        },
        "event": {
            "type": "object",
            "required": [
                "name",
                "block",
                "attributes"
            ],
            "additionalProperties": False,
            "properties": {
                "name": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+$"
                },
                "block": {
                    "type": "integer"
                },
                "attributes": {}
            }
        },
        "balance": {
            "type": "object",
            "required": [
                "chain",
                "account",
                "address",
                "field",
                "asset",
                "expected",
                "low",
                "high",
                "before",
                "after",
                "actual",
                "before_block",
                "after_block",
                "min_balance",
                "ok"
            ],
            "additionalProperties": False,
            "properties": {
                "chain": {
                    "type": "string"
                },
                "account": {
                    "type": "string"
                },
                "address": {
                    "type": "string"
                },
                "field": {
                    "enum": [
                        "free",
                        "reserved",
                        "frozen"
                    ]
                },
                "asset": {
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "expected": {
                    "type": "string"
                },
                "low": {
                    "$ref": "#/$defs/planck"
                },
                "high": {
                    "$ref": "#/$defs/planck"
                },
                "before": {
                    "$ref": "#/$defs/planck"
                },
                "after": {
                    "$ref": "#/$defs/planck"
                },
                "actual": {
                    "$ref": "#/$defs/planck"
                },
                "before_block": {
                    "type": "integer"
                },
                "after_block": {
                    "type": "integer"
                },
                "min_balance": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "ok": {
                    "type": "boolean"
                }
            }
        },
        "extrinsic": {
            "type": "object",
            "required": [
                "chain",
                "hash",
                "block",
                "success",
                "error",
                "fee",
                "events"
            ],
            "additionalProperties": False,
            "properties": {
                "chain": {
                    "type": "string"
                },
                "hash": {
                    "type": "string",
                    "pattern": "^0x[0-9a-f]+$"
                },
                "block": {
                    "type": "integer"
                },
                "success": {
                    "type": "boolean"
                },
                "error": {
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "fee": {
                    "$ref": "#/$defs/planck"
                },
                "events": {
                    "type": "array",
                    "items": {
                        "$ref": "#/$defs/event"
                    }
                }
            }
        },
        "hop": {
            "type": "object",
            "required": [
                "chain",
                "block",
                "what",
                "success",
                "message_id",
                "delivery_fee",
                "deposited",
                "execution_fee",
                "lane",
                "nonce",
                "confirmed_block",
                "events"
            ],
            "additionalProperties": False,
            "properties": {
                "chain": {
                    "type": "string"
                },
                "block": {
                    "type": "integer"
                },
                "what": {
                    "enum": [
                        "sent",
                        "executed",
                        "received over the bridge"
                    ]
                },
                "success": {
                    "type": [
                        "boolean",
                        "null"
                    ]
                },
                "message_id": {
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "delivery_fee": {
                    "$ref": "#/$defs/planck"
                },
                "deposited": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "execution_fee": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "lane": {
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "nonce": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "confirmed_block": {
                    "type": [
                        "integer",
                        "null"
                    ]
                },
                "events": {
                    "type": "array",
                    "items": {
                        "$ref": "#/$defs/event"
                    }
                }
            }
        },
        "trace": {
            "type": "object",
            "required": [
                "step",
                "step_name",
                "path",
                "asset",
                "amount",
                "beneficiary",
                "ids",
                "complete",
                "hops"
            ],
            "additionalProperties": False,
            "properties": {
                "step": {
                    "type": "integer",
                    "minimum": 0
                },
                "step_name": {
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "path": {
                    "type": "array",
                    "items": {
                        "type": "string"
                    },
                    "minItems": 2
                },
                "asset": {
                    "type": "string"
                },
                "amount": {
                    "$ref": "#/$defs/planck"
                },
                "beneficiary": {
                    "type": "string"
                },
                "ids": {
                    "type": "array",
                    "items": {
                        "type": "string"
                    }
                },
                "complete": {
                    "type": "boolean"
                },
                "hops": {
                    "type": "array",
                    "items": {
                        "$ref": "#/$defs/hop"
                    }
                }
            }
        }
    }
}

# The provider, the runtimes and the comparable record (report/comparable.py), added to the schema above.
_NULLABLE_INT = {"type": ["integer", "null"]}
_STRINGS_OR_NULL = {"type": ["string", "null"]}
COMPARED = {
    "type": "object",
    "required": ["outcome", "steps", "balances", "fees", "events", "hops"],
    "additionalProperties": False,
    "properties": {
        "outcome": {"enum": ["passed", "failed", "error"]},
        "steps": {"type": "array", "items": {
            "type": "object", "required": ["step", "kind", "outcome", "dispatched", "error"],
            "additionalProperties": False,
            "properties": {"step": {"type": "string"}, "kind": {"type": "string"},
                           "outcome": {"enum": ["ok", "failed", "not run"]},
                           "dispatched": {"type": ["boolean", "null"]}, "error": _STRINGS_OR_NULL}}},
        "balances": {"type": "array", "items": {
            "type": "object", "required": ["chain", "account", "asset", "field", "change", "fee_dependent"],
            "additionalProperties": False,
            "properties": {"chain": {"type": "string"}, "account": {"type": "string"}, "asset": _STRINGS_OR_NULL,
                           "field": {"type": "string"}, "change": {"type": "integer"},
                           "fee_dependent": {"type": "boolean"}}}},
        "fees": {"type": "array", "items": {
            "type": "object", "required": ["step", "chain", "kind", "hop", "amount"], "additionalProperties": False,
            "properties": {"step": {"type": "string"}, "chain": {"type": "string"},
                           "kind": {"enum": ["transaction", "delivery", "execution"]}, "hop": _NULLABLE_INT,
                           "amount": {"type": "integer"}}}},
        "events": {"type": "object", "additionalProperties": {"type": "array", "items": {
            "type": "object", "required": ["event", "fields"], "additionalProperties": False,
            "properties": {"event": {"type": "string"}, "fields": {}}}}},
        "hops": {"type": "array", "items": {
            "type": "object", "required": ["step", "path", "complete", "hops"], "additionalProperties": False,
            "properties": {"step": {"type": "string"}, "path": {"type": "array", "items": {"type": "string"}},
                           "complete": {"type": "boolean"},
                           "hops": {"type": "array", "items": {
                               "type": "object", "required": ["chain", "what", "success", "lane", "nonce"],
                               "additionalProperties": False,
                               "properties": {"chain": {"type": "string"}, "what": {"type": "string"},
                                              "success": {"type": ["boolean", "null"]}, "lane": _STRINGS_OR_NULL,
                                              "nonce": _NULLABLE_INT}}}}}}},
}
RUNTIME = {
    "type": "object", "required": ["spec_name", "spec_version", "transaction_version", "code_hash"],
    "additionalProperties": False,
    "properties": {"spec_name": {"type": "string"}, "spec_version": {"type": "integer"},
                   "transaction_version": {"type": "integer"}, "code_hash": _STRINGS_OR_NULL},
}
UPGRADE = {
    "type": "object", "additionalProperties": False,
    "required": ["step", "chain", "spec_before", "spec_after", "code_hash", "blocks", "last_runtime_upgrade"],
    "properties": {"step": {"type": "integer"}, "chain": {"type": "string"}, "spec_before": {"type": "integer"},
                   "spec_after": {"type": "integer"}, "code_hash": _STRINGS_OR_NULL,
                   "blocks": {"type": "array", "items": {"type": "integer"}},
                   "last_runtime_upgrade": {"oneOf": [{"type": "null"}, {
                       "type": "object", "required": ["spec_version", "spec_name"], "additionalProperties": False,
                       "properties": {"spec_version": {"type": "integer"}, "spec_name": {"type": "string"}}}]}},
}
SCHEMA["required"] += ["provider", "runtimes", "upgrades", "compared"]
SCHEMA["properties"].update({"provider": _STRINGS_OR_NULL,
                             "runtimes": {"type": "object", "additionalProperties": RUNTIME},
                             "upgrades": {"type": "array", "items": UPGRADE},
                             "compared": COMPARED})
