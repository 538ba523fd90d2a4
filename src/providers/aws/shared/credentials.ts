import type { AssumeRoleOptions, AwsCredentials } from './aws-options.js';
import { loadOptionalModule } from './load-module.js';

interface CredentialProvidersModule {
  fromTemporaryCredentials(options: {
    params: { RoleArn: string; RoleSessionName?: string; DurationSeconds?: number; ExternalId?: string };
    masterCredentials?: AwsCredentials;
    clientConfig?: Record<string, unknown>;
  }): AwsCredentials;
}

/**
 * The credentials a new SDK client gets: the caller's, or (with `assumeRole`) a fresh STS temporary-credentials
 * provider whose source credentials are the caller's. A fresh provider per client, so that replacing the client
 * after `ExpiredTokenException` really assumes the role again.
 */
export async function resolveCredentials(
  scheme: string,
  credentials: AwsCredentials | undefined,
  assumeRole: AssumeRoleOptions | undefined,
  region: string | undefined,
): Promise<AwsCredentials | undefined> {
  if (!assumeRole) return credentials;
  const { fromTemporaryCredentials } = await loadOptionalModule<CredentialProvidersModule>(
    '@aws-sdk/credential-providers',
    scheme,
  );
  return fromTemporaryCredentials({
    params: {
      RoleArn: assumeRole.roleArn,
      ...(assumeRole.sessionName === undefined ? {} : { RoleSessionName: assumeRole.sessionName }),
      ...(assumeRole.durationSeconds === undefined ? {} : { DurationSeconds: assumeRole.durationSeconds }),
      ...(assumeRole.externalId === undefined ? {} : { ExternalId: assumeRole.externalId }),
    },
    ...(credentials === undefined ? {} : { masterCredentials: credentials }),
    clientConfig: { ...(region === undefined ? {} : { region }), ...assumeRole.clientConfig },
  });
}
