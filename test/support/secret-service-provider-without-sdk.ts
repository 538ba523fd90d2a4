// Runs a get through the Secret Service provider in a process where dbus-next cannot be resolved, as if it were
// not installed, and prints the error as JSON.
import { registerHooks } from 'node:module';
import { firstValueFrom } from 'rxjs';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'dbus-next') {
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return nextResolve(specifier, context);
  },
});

const { createSecrets, isProviderUnavailableError } = await import('../../src/index.js');
const { secretService } = await import('../../src/providers/secret-service/index.js');
const secrets = createSecrets({ providers: [secretService({ bus: 'unix:path=/nonexistent/rxss-bus' })] });
try {
  await firstValueFrom(secrets.get('secret-service:default?a=b'));
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (error) {
  const e = error as { code?: string; transient?: boolean; message?: string };
  process.stdout.write(
    JSON.stringify({ unavailable: isProviderUnavailableError(error), transient: e.transient, message: e.message }),
  );
}
await secrets.close();
