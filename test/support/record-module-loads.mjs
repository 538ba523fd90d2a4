// Preloaded with `node --import` into a process: records every module URL resolved while it runs and, when the
// process exits (however it exits), writes them as JSON to the file named by RXSECRETS_MODULE_LOADS.
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
  if (file) writeFileSync(file, JSON.stringify([...seen]));
});
