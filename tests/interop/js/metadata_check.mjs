// Decode a runtime metadata blob with @polkadot/types (the codec polkadot.js clients use) and print, as one
// JSON object, what it sees: per pallet the calls/events/errors/storage/constants with their docs counts,
// plus the checks polkadot.js itself performs when it decorates an API (expandMetadata, extrinsic type
// discovery through sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic).
//
// usage: node metadata_check.mjs FILE      (FILE holds the 0x-hex of `meta ++ version ++ body`)
// Exit 0 with {ok:true,...}; exit 1 with {ok:false,error} when decoding or decorating fails.
import { readFileSync } from 'node:fs';

import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';

import { emit } from './common.mjs';

function variants (registry, holder) {
  if (holder.isNone) return [];
  const ty = registry.lookup.getSiType(holder.unwrap().type);
  return ty.def.asVariant.variants.map((v) => ({
    name: v.name.toString(),
    index: v.index.toNumber(),
    fields: v.fields.map((f) => ({
      name: f.name.isSome ? f.name.unwrap().toString() : null,
      typeName: f.typeName.isSome ? f.typeName.unwrap().toString() : null
    })),
    docs: v.docs.length
  }));
}

function storage (pallet) {
  if (pallet.storage.isNone) return [];
  return pallet.storage.unwrap().items.map((e) => ({
    name: e.name.toString(),
    modifier: e.modifier.type,
    kind: e.type.type,
    hashers: e.type.isMap ? e.type.asMap.hashers.map((h) => h.type) : [],
    docs: e.docs.length
  }));
}

function enumDocs (registry, holder) {
  return holder.isNone ? null : registry.lookup.getSiType(holder.unwrap().type).docs.length;
}

function main () {
  const file = process.argv[2];
  if (!file) emit({ ok: false, error: 'usage: node metadata_check.mjs FILE' }, 2);
  const hex = readFileSync(file, 'utf8').trim();
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, hex);
  registry.setMetadata(metadata);
  const version = metadata.version;
  const latest = metadata.asLatest;
  const pallets = latest.pallets.map((p) => ({
    name: p.name.toString(),
    index: p.index.toNumber(),
    docs: p.docs ? p.docs.length : null,
    calls: variants(registry, p.calls),
    events: variants(registry, p.events),
    errors: variants(registry, p.errors),
    storage: storage(p),
    constants: p.constants.map((c) => ({ name: c.name.toString(), docs: c.docs.length, value: c.value.toHex() })),
    enumDocs: { calls: enumDocs(registry, p.calls), events: enumDocs(registry, p.events), errors: enumDocs(registry, p.errors) }
  }));
  // what ApiPromise.create does with the metadata: decorate tx/query/consts/errors/events
  const decorated = expandMetadata(registry, metadata);
  const alice = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
  const transfer = decorated.tx.balances.transferKeepAlive(alice, 10n ** 12n);
  // the extrinsic types polkadot.js derives from the UncheckedExtrinsic type params
  const signature = registry.createType('ExtrinsicSignature').toRawType();
  emit({
    ok: true,
    version,
    pallets,
    extrinsic: {
      versions: Array.from(latest.extrinsic.versions ?? []),
      signedExtensions: registry.signedExtensions
    },
    decorated: {
      existentialDeposit: decorated.consts.balances.existentialDeposit.toString(),
      ss58Prefix: decorated.consts.system.ss58Prefix.toNumber(),
      systemAccountPrefix: decorated.query.system.account.keyPrefix(),
      transferKeepAlive: transfer.toHex(),
      errorRequireSudo: decorated.errors.sudo.RequireSudo.meta.docs.map((d) => d.toString()),
      eventTransferFields: decorated.events.balances.Transfer.meta.fields.map((f) => f.name.unwrap().toString())
    },
    lookupTypes: registry.lookup.types.length,
    callAlias: registry.getDefinition('Call') ?? null,
    signature
  });
}

try {
  main();
} catch (err) {
  emit({ ok: false, error: String(err && err.stack ? err.stack : err) }, 1);
}
