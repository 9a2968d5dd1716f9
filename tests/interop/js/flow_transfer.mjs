// polkadot.js transfer flow: connect, check decorated metadata, read System.Account, estimate the fee
// (TransactionPaymentApi.query_info), signAndSend Balances.transfer_keep_alive(Bob, 10^12) from //Alice
// recording every status, read the extrinsic's events and fee, and receive >= 2 new heads.
// Usage: node flow_transfer.mjs ws://127.0.0.1:PORT   -> one JSON object on stdout, exit 0 on success.
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { connect, runMain, withTimeout } from './common.mjs';

const AMOUNT = 10n ** 12n;
const FINALIZED_GRACE_MS = Number(process.env.FINALIZED_GRACE_MS || 10000);
const STEP_MS = Number(process.env.STEP_MS || 60000);

function eventRecord ({ phase, event }) {
  return {
    name: `${event.section}.${event.method}`,
    phase: phase.toJSON(),
    fields: event.data.names || null,
    data: event.data.toJSON()
  };
}

// Submit `tx` and record statuses until Finalized (or InBlock + grace period when none comes).
function sendAndWatch (tx, signer) {
  return new Promise((resolve, reject) => {
    const statuses = [];
    let inBlock = null;
    let events = [];
    let dispatchError = null;
    let graceTimer = null;
    let unsub = null;
    const finish = (finalized) => {
      if (graceTimer) clearTimeout(graceTimer);
      if (unsub) unsub();
      resolve({ statuses, inBlock, finalized, events, dispatchError });
    };
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      statuses.push(status.type);
      if (status.isInBlock) {
        inBlock = status.asInBlock.toHex();
        events = result.events.map(eventRecord);
        dispatchError = result.dispatchError ? result.dispatchError.toJSON() : null;
        graceTimer = setTimeout(() => finish(null), FINALIZED_GRACE_MS);
      } else if (status.isFinalized) {
        if (!inBlock) events = result.events.map(eventRecord);
        finish(status.asFinalized.toHex());
      } else if (status.isDropped || status.isInvalid || status.isUsurped || status.isFinalityTimeout) {
        if (unsub) unsub();
        reject(new Error(`transaction ${status.type}; statuses so far ${statuses.join(',')}`));
      }
    }).then((u) => { unsub = u; }).catch(reject);
  });
}

async function main (url, partial) {
  await cryptoWaitReady();
  const t0 = Date.now();
  const api = await connect(url);
  partial.connectMs = Date.now() - t0;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const charlie = keyring.addFromUri('//Charlie');

  const metadata = {
    version: api.runtimeMetadata.version,
    pallets: api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString()),
    decorated: {
      systemAccount: typeof api.query.system?.account === 'function',
      balancesTransferKeepAlive: typeof api.tx.balances?.transferKeepAlive === 'function',
      balancesTransferEvent: !!api.events.balances?.Transfer,
      existentialDeposit: api.consts.balances?.existentialDeposit?.toString() ?? null,
      transactionPaymentApi: typeof api.call.transactionPaymentApi?.queryInfo === 'function'
    },
    signedExtensions: api.registry.signedExtensions,
    specName: api.runtimeVersion.specName.toString(),
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    transactionVersion: api.runtimeVersion.transactionVersion.toNumber()
  };
  partial.metadata = metadata;
  if (!metadata.decorated.systemAccount || !metadata.decorated.balancesTransferKeepAlive) {
    throw new Error('metadata check failed: system.account / balances.transferKeepAlive not decorated');
  }

  const before = await api.query.system.account(alice.address);
  const accountBefore = before.toJSON();
  partial.accountBefore = accountBefore;

  // Fee estimate of a signed transfer through the runtime API (the same call paymentInfo uses).
  const probe = api.tx.balances.transferKeepAlive(bob.address, AMOUNT);
  await probe.signAsync(alice);
  const u8a = probe.toU8a();
  const info = await api.call.transactionPaymentApi.queryInfo(u8a, u8a.length);
  const queryInfo = { length: u8a.length, ...info.toJSON(), partialFee: info.partialFee.toString() };
  partial.queryInfo = queryInfo;

  const heads = [];
  const unsubHeads = await api.rpc.chain.subscribeNewHeads((h) => {
    heads.push({ number: h.number.toNumber(), hash: h.hash.toHex(), parentHash: h.parentHash.toHex() });
  });

  const tx = api.tx.balances.transferKeepAlive(bob.address, AMOUNT);
  const watched = await withTimeout(sendAndWatch(tx, alice), STEP_MS, 'signAndSend transfer');
  const transfer = {
    length: tx.encodedLength,
    hash: tx.hash.toHex(),
    era: tx.era.toJSON(),
    ...watched
  };
  partial.transfer = transfer;
  const feeEvent = watched.events.find((e) => e.name === 'transactionPayment.TransactionFeePaid');
  transfer.fee = feeEvent ? String(feeEvent.data[1]) : null;
  const success = watched.events.find((e) => e.name === 'system.ExtrinsicSuccess');
  transfer.weight = success ? success.data[0].weight : null;

  // Trigger further blocks until the subscription has delivered at least two headers.
  let extra = 0;
  while (heads.length < 2 && extra < 3) {
    extra += 1;
    await withTimeout(api.tx.balances.transferKeepAlive(charlie.address, AMOUNT).signAndSend(alice, { nonce: -1 }), STEP_MS, 'extra transfer');
    const deadline = Date.now() + 15000;
    const want = heads.length + 1;
    while (heads.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
  unsubHeads();

  const after = await api.query.system.account(alice.address);
  const accountAfter = after.toJSON();
  const spent = BigInt(before.data.free.toString()) - BigInt(after.data.free.toString());
  await api.disconnect();
  return {
    connectMs: partial.connectMs,
    metadata,
    accountBefore,
    accountAfter,
    queryInfo,
    transfer,
    extraTransfers: extra,
    heads,
    aliceSpentTotal: spent.toString(),
    elapsedMs: Date.now() - t0
  };
}

runMain(main);
