// Imports rxsecrets/secret-service, creates a provider and a client over it, and prints every module URL resolved
// on the way (as JSON): dbus-next must not be among them until a call is made.
import { registerHooks } from 'node:module';

const seen: string[] = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.push(result.url);
    return result;
  },
});
const { createSecrets } = await import('../../src/index.js');
const { secretService } = await import('../../src/providers/secret-service/index.js');
const secrets = createSecrets({ providers: [secretService({ bus: 'unix:path=/nonexistent/rxss-bus' })] });
await secrets.close();
process.stdout.write(JSON.stringify(seen));
