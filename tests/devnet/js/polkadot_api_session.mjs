// An unmodified @polkadot/api session against one endpoint: connect (metadata through the
// Metadata runtime API), read metadata and constants, query balances (plain, multi, at a block and
// through a storage subscription), estimate a fee, sign and send a transfer, follow it to
// finalization, then find it again in the block and its events.
//
// Prints exactly one JSON line on stdout ({"ok": true, ...} or {"ok": false, "error": ...}) and
// exits 0 / 1. Everything the library logs (console.*) is captured into "warnings" rather than
// printed, so the caller can assert that the API found nothing odd about the node.
// Usage: node polkadot_api_session.mjs ws://127.0.0.1:PORT [timeout_ms]
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const [url, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg || 30000);
const started = Date.now();
const steps = {};          // step name -> ms since start, to see where the time goes
const mark = (name) => { steps[name] = Date.now() - started; };

const warnings = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => {
    const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
    warnings.push(`${level}: ${text}`);
    process.stderr.write(`[${level}] ${text}\n`);
  };
}

let finished = false;
const emit = (payload, code) => {
  if (finished) return;
  finished = true;
  process.stdout.write(`${JSON.stringify({ ...payload, warnings, steps })}\n`, () => process.exit(code));
};
const fail = (error) => emit({ ok: false, error: String(error?.stack || error?.message || error) }, 1);
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);
// Not unref()'d: a hang must end in a JSON failure, not in node's silent exit 13.
const watchdog = setTimeout(() => fail(`timed out after ${timeoutMs} ms (last step: ${
  Object.keys(steps).at(-1) ?? 'none'})`), timeoutMs);

// Waits for predicate() to hold, re-checked whenever poke() is called; rejects after ms.
const waiter = () => {
  const pending = [];
  return {
    poke: () => pending.splice(0).forEach((w) => (w.predicate() ? w.resolve() : pending.push(w))),
    until: (predicate, what, ms = 10000) => new Promise((resolve, reject) => {
      if (predicate()) return resolve();
      const timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
      pending.push({ predicate, resolve: () => { clearTimeout(timer); resolve(); } });
    }),
  };
};

const rpcMethods = new Set();
const stateCalls = new Set();     // runtime API functions called through state_call
const provider = new WsProvider(url, false, {}, timeoutMs);
const send = provider.send.bind(provider);
provider.send = (method, params, isCacheable, subscription) => {
  rpcMethods.add(method);
  if (method === 'state_call') stateCalls.add(params[0]);
  return send(method, params, isCacheable, subscription);
};

let api;
try {
  await provider.connect();    // autoConnect is off: one attempt, no silent retry loop
  mark('connected');
  api = await ApiPromise.create({ provider, throwOnConnect: true, throwOnUnknown: true });
  mark('api ready');

  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const free = (info) => info.data.free.toBigInt();
  const [chain, nodeName, nodeVersion, properties, health, genesisHash] = await Promise.all([
    api.rpc.system.chain(), api.rpc.system.name(), api.rpc.system.version(),
    api.rpc.system.properties(), api.rpc.system.health(), api.rpc.chain.getBlockHash(0),
  ]);
  const metadata = api.runtimeMetadata;
  const latest = metadata.asLatest;
  const result = {
    chain: chain.toString(),
    nodeName: nodeName.toString(),
    nodeVersion: nodeVersion.toString(),
    properties: properties.toJSON(),
    health: health.toJSON(),
    genesisHash: genesisHash.toHex(),
    apiGenesisHash: api.genesisHash.toHex(),
    specName: api.runtimeVersion.specName.toString(),
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    transactionVersion: api.runtimeVersion.transactionVersion.toNumber(),
    metadataVersion: metadata.version,
    pallets: latest.pallets.map((p) => p.name.toString()),
    runtimeApis: metadata.version >= 15 ? latest.apis.map((a) => a.name.toString()) : [],
    signedExtensions: api.registry.signedExtensions,
    ss58: api.registry.chainSS58,
    decimals: api.registry.chainDecimals[0],
    token: api.registry.chainTokens[0],
    existentialDeposit: api.consts.balances.existentialDeposit.toString(),
  };
  mark('metadata read');

  // Balances: single queries, a multi query (state_queryStorageAt) and a live subscription.
  const [aliceBefore, bobBefore] = (await api.query.system.account.multi([alice.address, bob.address])).map(free);
  result.aliceBefore = aliceBefore.toString();
  result.singleQueryMatches = free(await api.query.system.account(alice.address)) === aliceBefore;
  const bobSeen = [];
  const bobWatch = waiter();
  const unsubBob = await api.query.system.account(bob.address, (info) => {
    bobSeen.push(free(info));
    bobWatch.poke();
  });
  const heads = [];
  const headWatch = waiter();
  const unsubHeads = await api.rpc.chain.subscribeNewHeads((h) => {
    heads.push(h.number.toNumber());
    headWatch.poke();
  });
  const finalizedHeads = [];
  const unsubFinalized = await api.rpc.chain.subscribeFinalizedHeads((h) => finalizedHeads.push(h.number.toNumber()));
  await bobWatch.until(() => bobSeen.length > 0, 'the first storage notification');
  await headWatch.until(() => heads.length > 0, 'the first new head');
  mark('balances read');

  // A transfer: fee estimate (TransactionPaymentApi), nonce (AccountNonceApi), mortal era, watch.
  const amount = 10n ** BigInt(result.decimals);
  const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
  const info = await tx.paymentInfo(alice);
  result.paymentInfo = { partialFee: info.partialFee.toString(), refTime: info.weight.refTime.toString(),
    class: info.class.toString() };
  result.nonceBefore = (await api.call.accountNonceApi.accountNonce(alice.address)).toNumber();
  mark('fee estimated');
  // Follows the watch to Finalized. InBlock is recorded when the API delivers it: it fetches the
  // block's events before emitting a status and drops that work (rxjs switchMap) when the next
  // status arrives first, so a node must leave time between InBlock and Finalized.
  const statuses = [];
  let inBlockHash = null;
  const outcome = await new Promise((resolve, reject) => {
    tx.signAndSend(alice, (status) => {
      statuses.push(status.status.type);
      if (status.isError) reject(new Error(`transaction status ${status.status.type}`));
      if (status.dispatchError) reject(new Error(`dispatch error ${status.dispatchError.toString()}`));
      if (status.status.isInBlock) inBlockHash = status.status.asInBlock.toHex();
      if (status.status.isFinalized) {
        resolve({
          block: status.status.asFinalized.toHex(),
          txHash: status.txHash.toHex(),
          txIndex: status.txIndex,
          events: status.events.map(({ event }) => ({
            name: `${event.section}.${event.method}`,
            data: event.data.toJSON(),
          })),
        });
      }
    }).catch(reject);
  });
  result.inBlockHash = inBlockHash;
  result.statuses = statuses;
  mark('transfer finalized');
  Object.assign(result, outcome);
  result.events = outcome.events.map((e) => e.name);
  const byName = (name) => outcome.events.find((e) => e.name === name)?.data;
  const transfer = byName('balances.Transfer');
  const feePaid = byName('transactionPayment.TransactionFeePaid');
  result.transferEvent = transfer && { from: transfer[0], to: transfer[1], amount: BigInt(transfer[2]).toString() };
  result.feePaid = feePaid && BigInt(feePaid[1]).toString();
  result.tip = feePaid && BigInt(feePaid[2]).toString();

  // After: balances now and at the block, the subscription's view, nonce, the block itself.
  const [aliceAfter, bobAfter] = (await api.query.system.account.multi([alice.address, bob.address])).map(free);
  await bobWatch.until(() => bobSeen.at(-1) === bobAfter, 'the storage notification of the credit');
  const apiAt = await api.at(outcome.block);
  result.bobAtBlock = (free(await apiAt.query.system.account(bob.address)) - bobBefore).toString();
  result.bobAtParent = (free(await (await api.at((await api.rpc.chain.getHeader(outcome.block)).parentHash))
    .query.system.account(bob.address)) - bobBefore).toString();
  result.credited = (bobAfter - bobBefore).toString();
  result.debited = (aliceBefore - aliceAfter).toString();
  result.amount = amount.toString();
  result.bobSubscription = bobSeen.map((v) => (v - bobBefore).toString());
  result.nonceAfter = (await api.call.accountNonceApi.accountNonce(alice.address)).toNumber();
  result.accountNextIndex = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();

  const signed = await api.rpc.chain.getBlock(outcome.block);
  const block = signed.block;
  result.blockNumber = block.header.number.toNumber();
  result.blockHashMatches = block.header.hash.toHex() === outcome.block;
  const found = block.extrinsics.find((x) => x.hash.toHex() === outcome.txHash);
  result.inBlock = Boolean(found);
  if (found) {
    result.extrinsic = {
      signer: found.signer.toString(),
      call: `${found.method.section}.${found.method.method}`,
      dest: found.method.args[0].toString(),
      value: found.method.args[1].toString(),
      nonce: found.nonce.toNumber(),
      mortal: found.era.isMortalEra,
      index: block.extrinsics.findIndex((x) => x.hash.toHex() === outcome.txHash),
    };
  }
  result.blockExtrinsics = block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`);
  result.eventsAtBlock = (await apiAt.query.system.events()).map(({ event }) => `${event.section}.${event.method}`);
  result.finalizedHead = (await api.rpc.chain.getFinalizedHead()).toHex();
  await headWatch.until(() => heads.includes(result.blockNumber), `new head #${result.blockNumber}`);
  result.newHeads = heads;
  result.finalizedHeads = finalizedHeads;
  mark('block read');

  unsubBob(); unsubHeads(); unsubFinalized();
  result.alice = alice.address;
  result.bob = bob.address;
  result.rpcMethods = [...rpcMethods].sort();
  result.stateCalls = [...stateCalls].sort();
  clearTimeout(watchdog);
  await api.disconnect();
  mark('disconnected');
  emit({ ok: true, ...result }, 0);
} catch (error) {
  fail(error);
}
