// polkadot-api (PAPI) flow over the new JSON-RPC spec: connect with polkadot-api/ws (its middleware routes a
// group natively only when rpc_methods lists it), read chain-spec data, finalized and best blocks, the runtime
// (System.Version constant from the metadata PAPI fetched through chainHead_v1_call), System.Account of Alice
// (chainHead_v1_storage "value") and every System.Account entry (descendantsValues with continue), then sign
// Balances.transfer_keep_alive(Bob, 10^12) from //Alice and wait until PAPI reports it finalized with events.
//
// Usage: node flow_papi.mjs ws://127.0.0.1:PORT   -> one JSON object on stdout, exit 0 on success.
import { createClient, Enum } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { sr25519CreateDerive } from '@polkadot-labs/hdkd';
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy, ss58Address } from '@polkadot-labs/hdkd-helpers';
import WebSocket from 'ws';

const STEP_MS = 60000;
const AMOUNT = 10n ** 12n;

function withTimeout (promise, ms, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

function emit (obj, code = 0) {
  const text = JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  process.stdout.write(text + '\n');
  process.exit(code);
}

const url = process.argv[2];
if (!url) emit({ ok: false, error: 'usage: node flow_papi.mjs ws://host:port' }, 2);

const sent = new Set();
const logger = (event) => {
  if (event.type !== 'OUT') return;
  try {
    const parsed = JSON.parse(event.msg);
    for (const msg of Array.isArray(parsed) ? parsed : [parsed]) if (msg.method) sent.add(msg.method);
  } catch { /* not JSON: nothing to record */ }
};

const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)));
const alice = derive('//Alice');
const bob = derive('//Bob');
const aliceAddr = ss58Address(alice.publicKey, 42);
const bobAddr = ss58Address(bob.publicKey, 42);
const signer = getPolkadotSigner(alice.publicKey, 'Sr25519', alice.sign);

const client = createClient(getWsProvider(url, { websocketClass: globalThis.WebSocket ?? WebSocket, logger }));
const out = { ok: false, aliceAddr, bobAddr };
try {
  const spec = await withTimeout(client.getChainSpecData(), STEP_MS, 'getChainSpecData');
  out.chainName = spec.name;
  out.genesisHash = spec.genesisHash;
  out.properties = spec.properties;
  const finalized = await withTimeout(client.getFinalizedBlock(), STEP_MS, 'getFinalizedBlock');
  out.finalized = { hash: finalized.hash, number: finalized.number };
  const best = await withTimeout(client.getBestBlocks(), STEP_MS, 'getBestBlocks');
  out.best = best.map((b) => ({ hash: b.hash, number: b.number }));

  const api = client.getUnsafeApi();
  const version = await withTimeout(api.constants.System.Version(), STEP_MS, 'System.Version constant');
  out.runtime = { specName: version.spec_name, specVersion: version.spec_version, txVersion: version.transaction_version };
  out.ss58Prefix = await api.constants.System.SS58Prefix();

  const before = await withTimeout(api.query.System.Account.getValue(aliceAddr), STEP_MS, 'System.Account(Alice)');
  out.aliceBefore = { nonce: before.nonce, free: before.data.free };
  const bobBefore = await api.query.System.Account.getValue(bobAddr);
  const entries = await withTimeout(api.query.System.Account.getEntries(), STEP_MS, 'System.Account entries');
  out.accountEntries = entries.length;
  out.entriesHaveAlice = entries.some((e) => e.keyArgs[0] === aliceAddr);

  const tx = api.tx.Balances.transfer_keep_alive({ dest: Enum('Id', bobAddr), value: AMOUNT });
  const fees = await withTimeout(tx.getEstimatedFees(aliceAddr), STEP_MS, 'getEstimatedFees');
  out.estimatedFee = fees;

  const seen = [];
  const finalizedTx = await withTimeout(new Promise((resolve, reject) => {
    tx.signSubmitAndWatch(signer).subscribe({
      next: (ev) => {
        seen.push(ev.type);
        if (ev.type === 'finalized') resolve(ev);
      },
      error: reject,
    });
  }), STEP_MS, 'signSubmitAndWatch until finalized');
  out.txEvents = seen;
  out.txHash = finalizedTx.txHash;
  out.txOk = finalizedTx.ok;
  out.txBlock = { hash: finalizedTx.block.hash, number: finalizedTx.block.number, index: finalizedTx.block.index };
  out.txEventNames = finalizedTx.events.map((e) => `${e.type}.${e.value.type}`);

  const after = await api.query.System.Account.getValue(aliceAddr, { at: finalizedTx.block.hash });
  const bobAfter = await api.query.System.Account.getValue(bobAddr, { at: finalizedTx.block.hash });
  out.aliceAfter = { nonce: after.nonce, free: after.data.free };
  out.bobDelta = bobAfter.data.free - bobBefore.data.free;
  out.methodsSent = [...sent].sort();
  out.ok = true;
  client.destroy();
  emit(out, 0);
} catch (err) {
  out.error = String(err?.stack ?? err);
  out.methodsSent = [...sent].sort();
  client.destroy();
  emit(out, 1);
}
