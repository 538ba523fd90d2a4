// Imports the module named on the command line and prints, as JSON, every module URL resolved on the way.
import { pathToFileURL } from 'node:url';
import { loadedModules } from './record-module-loads.mjs';

await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(JSON.stringify(loadedModules()));
