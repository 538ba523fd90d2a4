/**
 * The Key Vault emulator in a process of its own, for benchmarks that measure the client's CPU alone: started with
 * `fork`, it seeds `item-0000…` secrets (as many as its first argument), sends `{ vaultUrl, ca }` to its parent and
 * stops when the parent sends `'stop'` or disconnects.
 */
import { startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';

const count = Number(process.argv[2] ?? 100);
const kv = await startKeyVaultEmulator();
for (let i = 0; i < count; i++) kv.store.setSecret(`item-${String(i).padStart(4, '0')}`, `value-${i}`);
const stop = () => {
  void kv.stop().finally(() => process.exit(0));
};
process.on('message', (message) => {
  if (message === 'stop') stop();
});
process.on('disconnect', stop);
process.send?.({ vaultUrl: kv.vaultUrl, ca: kv.ca });
