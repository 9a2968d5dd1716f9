// polkadot.js staking flow on the Phala pallets: PhalaPhatTokenomic.adjustStake (stake, lower, unstake) on
// a contract id, then PhalaStakePoolv2 create / contribute / contribute / withdraw, and two calls that must
// fail with a named module error. Every step records the signer's and the pot's free balance before and
// after (at the inclusion block), the fee, the events and the storage the pallet wrote; the Python test
// asserts the numbers. Usage: node phala_stake_flow.mjs ws://127.0.0.1:PORT [contractHex]
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { connect, runMain, withTimeout } from './common.mjs';

const PHA = 10n ** 12n;
const STEP_MS = Number(process.env.STEP_MS || 60000);

function eventRecord ({ event }) {
  return { name: `${event.section}.${event.method}`, data: event.data.toJSON() };
}

// signAndSend and resolve at InBlock with the block hash, the extrinsic's events and its dispatch error.
function send (api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      if (status.isInBlock || status.isFinalized) {
        if (unsub) unsub();
        let error = null;
        if (result.dispatchError) {
          const e = result.dispatchError;
          if (e.isModule) {
            const meta = api.registry.findMetaError(e.asModule);
            error = `${meta.section}.${meta.name}`;
          } else {
            error = e.toString();
          }
        }
        resolve({ block: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex(),
          events: result.events.map(eventRecord), error });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        if (unsub) unsub();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch(reject);
  });
}

async function free (api, block, who) {
  const at = await api.at(block);
  return (await at.query.system.account(who)).data.free.toBigInt();
}

// Run one step: balances of `watch` (name -> address) just before and at the inclusion block.
async function step (api, what, tx, signer, watch) {
  const parent = (await api.rpc.chain.getHeader()).hash.toHex();
  const before = {};
  for (const [name, who] of Object.entries(watch)) before[name] = await free(api, parent, who);
  const res = await withTimeout(send(api, tx, signer), STEP_MS, what);
  const after = {};
  for (const [name, who] of Object.entries(watch)) after[name] = await free(api, res.block, who);
  const feeEvent = res.events.find((e) => e.name === 'transactionPayment.TransactionFeePaid');
  return { what, ...res, before, after, fee: feeEvent ? String(feeEvent.data[1]) : null };
}

async function main (url, partial, args) {
  await cryptoWaitReady();
  const api = await connect(url);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const eve = keyring.addFromUri('//Eve');
  const ferdie = keyring.addFromUri('//Ferdie');
  const contract = args[0] || '0x' + 'a1'.repeat(32);
  const escrow = u8aToHex(u8aConcat(stringToU8a('modlphat/tok'), new Uint8Array(20)));
  const tok = api.tx.phalaPhatTokenomic;
  const pool = api.tx.phalaStakePoolv2;
  const steps = [];
  partial.steps = steps;

  // --- PhalaPhatTokenomic.adjustStake: absolute amounts 100, 40, 0 PHA
  const stakes = [];
  for (const amount of [100n * PHA, 40n * PHA, 0n]) {
    const s = await step(api, `adjustStake ${amount}`, tok.adjustStake(contract, amount), eve,
      { user: eve.address, escrow });
    const at = await api.at(s.block);
    s.userStake = (await at.query.phalaPhatTokenomic.contractUserStakes(eve.address, contract)).toString();
    s.totalStake = (await at.query.phalaPhatTokenomic.contractTotalStakes(contract)).toString();
    steps.push(s);
    stakes.push(s);
  }

  // --- PhalaStakePoolv2: create (Ferdie), contribute 1000 + 500 PHA and withdraw 600 PHA of shares (Eve)
  const created = await step(api, 'create', pool.create(), ferdie, { owner: ferdie.address });
  steps.push(created);
  const ev = created.events.find((e) => e.name === 'phalaStakePoolv2.PoolCreated');
  if (!ev) throw new Error(`no PoolCreated event: ${JSON.stringify(created.events)}`);
  const pid = BigInt(ev.data[1]);
  const poolAccount = ev.data[2];
  const readPool = async (block) => {
    const at = await api.at(block);
    const proxy = (await at.query.phalaStakePoolv2.pools(pid)).toJSON();
    const shares = (await at.query.phalaStakePoolv2.poolStakers(pid, eve.address)).toJSON();
    return { proxy, shares: shares === null ? null : String(shares) };
  };
  const flow = [];
  for (const [what, tx] of [
    ['contribute 1000', pool.contribute(pid, 1000n * PHA, null)],
    ['contribute 500', pool.contribute(pid, 500n * PHA, null)],
    ['withdraw 600', pool.withdraw(pid, 600n * PHA, null)]
  ]) {
    const s = await step(api, what, tx, eve, { user: eve.address, pool: poolAccount });
    s.state = await readPool(s.block);
    steps.push(s);
    flow.push(s);
  }

  // --- named module errors
  const tooSmall = await step(api, 'contribute 1 planck', pool.contribute(pid, 1n, null), eve, { user: eve.address });
  const tooMany = await step(api, 'withdraw too many', pool.withdraw(pid, 10000n * PHA, null), eve, { user: eve.address });
  steps.push(tooSmall, tooMany);
  await api.disconnect();
  return { contract, escrow, eve: eve.address, ferdie: ferdie.address, pid: String(pid), poolAccount,
    stakes, created, flow, errors: { tooSmall, tooMany } };
}

runMain(main);
