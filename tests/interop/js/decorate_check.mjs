// polkadot.js decoration check: for each pallet named on the command line (all pallets of the metadata
// when none is named), print what ApiPromise decorated (api.tx / query / events / errors / consts) next
// to what the metadata declares, so a pallet whose items do not reach the client shows up at once.
// Usage: node decorate_check.mjs ws://127.0.0.1:PORT [PalletName ...]
//   -> {"ok":true,"metadataVersion":14,"pallets":{"Balances":{"found":true,"index":4,"calls":{...},...}},
//       "missing":[], "mismatched":[]}; exit 0 when every named pallet is found and fully decorated.
import { stringCamelCase } from '@polkadot/util';

import { connect, runMain } from './common.mjs';

function names (obj) {
  return obj ? Object.keys(obj).filter((k) => !k.startsWith('$')).sort() : [];
}

// What the metadata itself declares for one pallet, counted per kind.
function declared (api, pallet) {
  const lookup = api.registry.lookup;
  const variants = (opt) => {
    if (opt.isNone) return 0;
    const def = lookup.getSiType(opt.unwrap().type).def;
    return def.isVariant ? def.asVariant.variants.length : 0;
  };
  return {
    calls: variants(pallet.calls),
    storage: pallet.storage.isSome ? pallet.storage.unwrap().items.length : 0,
    events: variants(pallet.events),
    errors: variants(pallet.errors),
    consts: pallet.constants.length
  };
}

async function main (url, partial, args) {
  const api = await connect(url);
  const meta = api.runtimeMetadata.asLatest;
  const byName = new Map(meta.pallets.map((p) => [p.name.toString(), p]));
  const wanted = args.length ? args.flatMap((a) => a.split(',')).filter(Boolean) : [...byName.keys()];
  partial.wanted = wanted;
  const pallets = {};
  const missing = [];
  const mismatched = [];
  for (const name of wanted) {
    const pallet = byName.get(name);
    if (!pallet) {
      missing.push(name);
      pallets[name] = { found: false };
      continue;
    }
    const section = stringCamelCase(name);
    // polkadot.js adds a synthetic `palletVersion` query to every pallet with storage; not in metadata.
    const storageNames = names(api.query[section]);
    const got = {
      calls: names(api.tx[section]),
      storage: storageNames.filter((n) => n !== 'palletVersion'),
      events: names(api.events[section]),
      errors: names(api.errors[section]),
      consts: names(api.consts[section])
    };
    const want = declared(api, pallet);
    const entry = { found: true, index: pallet.index.toNumber(), section, declared: want, palletVersionQuery: storageNames.includes('palletVersion') };
    for (const kind of Object.keys(got)) {
      entry[kind] = { count: got[kind].length, names: got[kind] };
      if (got[kind].length !== want[kind]) mismatched.push(`${name}.${kind}: decorated ${got[kind].length}, declared ${want[kind]}`);
    }
    pallets[name] = entry;
  }
  const result = { metadataVersion: api.runtimeMetadata.version, palletNames: [...byName.keys()], pallets, missing, mismatched };
  await api.disconnect();
  if (missing.length || mismatched.length) {
    Object.assign(partial, result);
    throw new Error(`decoration check failed: missing ${JSON.stringify(missing)}, mismatched ${JSON.stringify(mismatched)}`);
  }
  return result;
}

runMain(main);
