// Shared helpers for the polkadot.js interop flows: connecting with a bounded wait, printing one
// JSON object (BigInt-safe) on stdout, and timing out any promise with a message that names the step.
import { ApiPromise, WsProvider } from '@polkadot/api';

/** Reject with `Error("timeout: <what>")` when `promise` has not settled within `ms`. */
export function withTimeout (promise, ms, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Connect to `url` (no auto-reconnect) and wait for the API to decorate metadata. */
export async function connect (url, ms = 30000) {
  const provider = new WsProvider(url, false);
  await withTimeout(provider.connect(), ms, `ws connect ${url}`);
  const api = await withTimeout(ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true }), ms, 'ApiPromise.create');
  return api;
}

/** JSON.stringify replacer that renders BigInt as a decimal string. */
export function jsonReplacer (_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Print one JSON object on stdout, then exit with `code` (0 on success). */
export function emit (obj, code = 0) {
  process.stdout.write(JSON.stringify(obj, jsonReplacer) + '\n');
  process.exit(code);
}

/** Run `main(url)` and emit its result; on error emit `{ok:false,error,...partial}` with exit code 1. */
export function runMain (main) {
  const url = process.argv[2];
  if (!url) {
    emit({ ok: false, error: 'usage: node <script> ws://127.0.0.1:PORT [args...]' }, 2);
  }
  const partial = {};
  main(url, partial, process.argv.slice(3))
    .then((result) => emit({ ok: true, ...result }, 0))
    .catch((err) => emit({ ok: false, error: String(err && err.stack ? err.stack : err), ...partial }, 1));
}
