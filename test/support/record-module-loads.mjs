// Records every module URL resolved in this process from the moment it is imported: `loadedModules()` returns them.
// Preloaded with `node --import` into a process, it also writes them as JSON, when the process exits (however it
// exits), to the file named by RXSECRETS_MODULE_LOADS.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.RXSECRETS_MODULE_LOADS;
const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify(loadedModules()));
});

/** The module URLs resolved so far, each once, in the order first resolved. */
export function loadedModules() {
  return [...seen];
}
