// polkadot.js decoration of the six Phala pallets: for each, the names ApiPromise put under api.tx /
// api.query / api.events / api.errors / api.consts (the Python test compares them with the metadata),
// plus spot checks: api.tx.phalaPhatTokenomic.adjustStake (its argument names and types, and the call
// bytes it builds) and api.query.phalaRegistry.workers (its storage key for a given worker key).
// Usage: node phala_decorate.mjs ws://127.0.0.1:PORT  -> {"ok":true,"pallets":{...},"spot":{...}}
import { connect, runMain } from './common.mjs';

const SECTIONS = ['phalaMq', 'phalaRegistry', 'phalaComputation', 'phalaStakePoolv2', 'phalaPhatContracts',
  'phalaPhatTokenomic'];
const CONTRACT = '0x' + '11'.repeat(32);
const WORKER = '0x' + '22'.repeat(32);

function names (obj) {
  return obj ? Object.keys(obj).filter((k) => !k.startsWith('$')).sort() : null;
}

async function main (url, partial) {
  const api = await connect(url);
  const pallets = {};
  for (const section of SECTIONS) {
    pallets[section] = {
      tx: names(api.tx[section]),
      query: names(api.query[section]),
      events: names(api.events[section]),
      errors: names(api.errors[section]),
      consts: names(api.consts[section])
    };
  }
  partial.pallets = pallets;
  const adjust = api.tx.phalaPhatTokenomic?.adjustStake;
  const workers = api.query.phalaRegistry?.workers;
  const spot = {
    adjustStakeIsFunction: typeof adjust === 'function',
    adjustStakeArgs: adjust ? adjust.meta.args.map((a) => [a.name.toString(), a.typeName.toString()]) : null,
    adjustStakeCallHex: adjust ? adjust(CONTRACT, 5n * 10n ** 12n).method.toHex() : null,
    workersIsFunction: typeof workers === 'function',
    workersKey: workers ? workers.key(WORKER) : null,
    workersPrefix: workers ? workers.keyPrefix() : null,
    workersValueOfUnknown: workers ? (await workers(WORKER)).toJSON() : 'missing',
    minContribution: api.consts.phalaStakePoolv2?.minContribution?.toString() ?? null,
    errorMeta: api.errors.phalaMq?.BadSequence ? api.errors.phalaMq.BadSequence.meta.index.toNumber() : null
  };
  await api.disconnect();
  return { pallets, spot };
}

runMain(main);
