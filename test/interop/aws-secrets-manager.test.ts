// The Secrets Manager provider against two implementations of the AWS API, held to one contract: moto (independent
// of this repo; skipped when moto_server is not installed) and our own emulator (always). Data is seeded with the
// real @aws-sdk/client-secrets-manager; the scenarios are in ./contracts.
import { withAwsBackend } from '../support/aws-interop-fixture.js';
import { smReadContract } from './contracts/sm-read-contract.js';
import { smWriteContract } from './contracts/sm-write-contract.js';

for (const backend of ['moto', 'emulator'] as const) {
  withAwsBackend(backend, (world) => {
    smReadContract(world);
    smWriteContract(world);
  });
}
