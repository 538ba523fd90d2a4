// The Parameter Store provider against two implementations of the AWS API, held to one contract: moto (independent
// of this repo; skipped when moto_server is not installed) and our own emulator (always). Data is seeded with the
// real @aws-sdk/client-ssm; the scenarios are in ./contracts.
import { withAwsBackend } from '../support/aws-interop-fixture.js';
import { ssmReadContract } from './contracts/ssm-read-contract.js';
import { ssmWriteContract } from './contracts/ssm-write-contract.js';

for (const backend of ['moto', 'emulator'] as const) {
  withAwsBackend(backend, (world) => {
    ssmReadContract(world);
    ssmWriteContract(world);
  });
}
