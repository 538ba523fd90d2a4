// Fetches and finds what the suites need beyond npm packages, before the tests run: libsecret's mock services (into
// the cache the tests read, see secret-service-mock.ts) and moto's server (see moto-server.ts). `.ci/run` runs it;
// contributors can too (`npm run test:deps`). Exits 1 when one is missing, naming it and how to get it.

import { findMotoServer, MOTO_MISSING } from './moto-server.js';
import { fetchLibsecretMocks } from './secret-service-mock.js';

let missing = 0;
const mocks = await fetchLibsecretMocks();
if ('dir' in mocks) console.log(`libsecret mock services: ${mocks.dir}`);
else {
  console.error(mocks.unavailable);
  missing += 1;
}
const moto = findMotoServer();
if (moto) console.log(`moto: ${[moto.command, ...moto.args].join(' ')}`);
else {
  console.error(MOTO_MISSING);
  missing += 1;
}
process.exitCode = missing ? 1 : 0;
