// What the metadata conformance test compares, decoded by @polkadot/types (the decoder wallets use):
// per pallet its index; its calls, events and errors (name, index, field names); its storage item
// names; its constants (name, SCALE value as hex).
// Usage: node metadata_summary.mjs FILE   where FILE holds the metadata as 0x-hex (raw V15 bytes, or
// the Option<OpaqueMetadata> form @polkadot/types-support ships), alone or as `export default '0x..'`.
// Prints one JSON object: {"version": 15, "pallets": {name: {...}}}.
import { readFileSync } from 'node:fs';
import { Metadata, TypeRegistry } from '@polkadot/types';

const text = readFileSync(process.argv[2], 'utf8');
const found = text.match(/0x[0-9a-fA-F]+/)[0];
// the Option<OpaqueMetadata> form: 0x01, a compact length, then the metadata from its magic "meta"
const magic = found.indexOf('6d657461');
if (magic < 0 || magic > 14) throw new Error(`no metadata magic at the start of ${process.argv[2]}`);
const hex = `0x${found.slice(magic)}`;
const registry = new TypeRegistry();
const metadata = new Metadata(registry, hex);
if (metadata.version !== 15) throw new Error(`expected metadata V15, got V${metadata.version}`);
const v15 = metadata.asV15;
const lookup = v15.lookup;

const variants = (opt) => {
  if (opt.isNone) return null;
  const def = lookup.getSiType(opt.unwrap().type).def;
  if (!def.isVariant) return [];
  return def.asVariant.variants.map((v) => ({
    name: v.name.toString(),
    index: v.index.toNumber(),
    fields: v.fields.map((f) => (f.name.isSome ? f.name.unwrap().toString() : null)),
  }));
};

const pallets = {};
for (const p of v15.pallets) {
  pallets[p.name.toString()] = {
    index: p.index.toNumber(),
    calls: variants(p.calls),
    events: variants(p.events),
    errors: variants(p.errors),
    storage: p.storage.isSome ? p.storage.unwrap().items.map((i) => i.name.toString()) : [],
    constants: Object.fromEntries(p.constants.map((c) => [c.name.toString(), c.value.toHex()])),
  };
}
process.stdout.write(JSON.stringify({ version: 15, pallets }) + '\n');
