/** The README's quick start, runnable: `npx tsx examples/quick-start.ts`. */
import { firstValueFrom, take } from 'rxjs';
import { createSecrets, memoryProvider } from '../src/index.js';

await using secrets = createSecrets({
  providers: [memoryProvider({ secrets: { 'db/config': { host: 'db', password: 's3cret' } } })],
  cache: { ttl: '15m', max: 1000 },
});

const password = await firstValueFrom(secrets.get('memory:db/config#password')); // one value
console.log(`${password} holds a ${typeof password.value}`); // the value itself is never printed by toString

secrets
  .watch('memory:db/config#password')
  .pipe(take(1))
  .subscribe((s) => console.log(`watch: ${s}`)); // every rotation (here: the first value only)

for await (const info of secrets.list('memory:db/', { recursive: true })) {
  console.log(info.name, info.version); // lazy listing
}
