// Imports the module named on the command line and prints, as JSON, every module URL resolved on the way.
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const seen = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.push(result.url);
    return result;
  },
});
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(JSON.stringify(seen));
