// One contract for the Secret Service provider, run against every implementation (one test file per service, so
// each file starts one daemon and the files run in parallel).
import { withSecretService } from '../../support/secret-service-contract-fixture.js';
import type { SecretServiceKind } from '../../support/secret-service-peers.js';
import { crudContract } from './crud-contract.js';
import { interopContract } from './interop-contract.js';
import { lockedContract } from './locked-contract.js';
import { watchContract } from './watch-contract.js';

/** Registers every contract scenario against one service. */
export function registerSecretServiceContract(kind: SecretServiceKind): void {
  withSecretService(kind, (world) => {
    crudContract(world);
    interopContract(world);
    watchContract(world);
    lockedContract(world);
  });
}
