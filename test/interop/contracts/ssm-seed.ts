// Seeding helpers of the Parameter Store interop contract: the real @aws-sdk/client-ssm, straight to the backend.
import {
  DescribeParametersCommand,
  type DescribeParametersCommandOutput,
  LabelParameterVersionCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { firstValueFrom } from 'rxjs';
import type { Secret } from '../../../src/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';

type ParameterMetadata = NonNullable<DescribeParametersCommandOutput['Parameters']>[number];

/** The seeding and reading helpers one Parameter Store contract file uses. */
export interface SsmSeed {
  /** PutParameter with `Overwrite` (a SecureString unless `extra.Type` says otherwise). */
  put(name: string, value: string, extra?: Partial<PutParameterCommandInput>): Promise<unknown>;
  /** LabelParameterVersion. */
  label(name: string, version: number, ...labels: string[]): Promise<unknown>;
  /** The metadata of one parameter (DescribeParameters, paging past empty filtered pages as AWS may return). */
  describe(name: string): Promise<ParameterMetadata | undefined>;
  /** The facade's `get`, as a promise. */
  get(ref: string): Promise<Secret>;
}

/** The helpers of {@link SsmSeed} for one world (usable once its `test.before` ran). */
export function ssmSeed(world: AwsInteropWorld): SsmSeed {
  return {
    put: (Name, Value, extra = {}) =>
      world.ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true, ...extra })),
    label: (Name, ParameterVersion, ...Labels) =>
      world.ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion, Labels })),
    async describe(name) {
      let NextToken: string | undefined;
      do {
        const filter = { Key: 'Name', Option: 'Equals', Values: [name] };
        const out = await world.ssm.send(new DescribeParametersCommand({ ParameterFilters: [filter], NextToken }));
        const found = out.Parameters?.find((p) => p.Name === name);
        if (found) return found;
        NextToken = out.NextToken || undefined;
      } while (NextToken);
      return undefined;
    },
    get: (ref) => firstValueFrom(world.secrets.get(ref)),
  };
}
