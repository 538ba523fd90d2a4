/** The AWS services the emulator speaks, by the prefix of their `service.Operation` stats keys. */
export type AwsServiceName = 'ssm' | 'secretsmanager';

/** The `X-Amz-Target` prefix each service's SDK client sends. */
export const TARGET_PREFIXES: Readonly<Record<string, AwsServiceName>> = {
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
};

/** What the emulator knows about one routed call; passed to events and fault matching. */
export interface AwsCallInfo {
  /** The service called. */
  service: AwsServiceName;
  /** The operation name, e.g. `GetParameter`. */
  operation: string;
  /** `service.Operation`, the key used by `stats.calls`. */
  key: string;
  /** The `x-amzn-RequestId` the emulator answers (or would answer) with. */
  requestId: string;
}
