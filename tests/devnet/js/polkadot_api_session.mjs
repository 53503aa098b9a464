// An unmodified @polkadot/api session against one endpoint: connect, read metadata, query a
// balance, sign and send a transfer, and see it in a block. Prints one JSON line; exits non-zero
// on any failure. Usage: node polkadot_api_session.mjs ws://127.0.0.1:PORT [timeout_ms]
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const [url, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg || 30000);
const fail = (message) => { console.log(JSON.stringify({ ok: false, error: String(message) })); process.exit(1); };
setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs).unref();

const api = await ApiPromise.create({ provider: new WsProvider(url, false), throwOnConnect: true, noInitWarn: true })
  .catch(fail);
try {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const amount = 10n ** BigInt(api.registry.chainDecimals[0]);
  const result = await new Promise((resolve, reject) => {
    api.tx.balances.transferKeepAlive(bob.address, amount).signAndSend(alice, (status) => {
      if (status.dispatchError) reject(new Error(status.dispatchError.toString()));
      if (status.status.isInBlock) {
        const events = status.events.map(({ event }) => `${event.section}.${event.method}`);
        resolve({ block: status.status.asInBlock.toHex(), events });
      }
      if (status.isError) reject(new Error(`status ${status.status.type}`));
    }).catch(reject);
  });
  const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
  console.log(JSON.stringify({
    ok: true,
    chain: (await api.rpc.system.chain()).toString(),
    metadataVersion: api.runtimeMetadata.version,
    pallets: api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString()),
    specName: api.runtimeVersion.specName.toString(),
    credited: (after - before).toString(),
    amount: amount.toString(),
    ...result,
  }));
} catch (error) {
  fail(error.message || error);
} finally {
  await api.disconnect();
}
process.exit(0);
