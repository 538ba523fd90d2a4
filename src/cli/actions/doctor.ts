/**
 * What `rxs doctor` does (its options and help: commands/doctor.ts), loaded only when the command runs.
 * @module
 */
import type { SchemeConfig } from '../../auto/index.js';
import type { CliContext } from '../context.js';
import { ExitCode, errorCodeOf } from '../exit-codes.js';

interface SchemeReport {
  scheme: string;
  provider: string;
  origin: string;
  settings: Record<string, string>;
  credentials: string;
  probe: { ok: boolean; skipped?: string; error?: string; ms?: number };
}

function awsCredentials(env: NodeJS.ProcessEnv): string {
  if (env.AWS_ACCESS_KEY_ID) return 'environment (AWS_ACCESS_KEY_ID)';
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)';
  return 'the AWS SDK default chain (shared config and credentials files, SSO, container or instance role)';
}

function describeScheme(config: SchemeConfig, sources: Record<string, string>, env: NodeJS.ProcessEnv) {
  const settings: Record<string, string> = {};
  const from = (key: string, fallback: string) => sources[key] ?? fallback;
  const options = config.options as Record<string, unknown>;
  let credentials = 'none needed';
  let skipped: string | undefined;
  if (config.provider === 'aws-ssm' || config.provider === 'aws-sm') {
    settings.region = options.region
      ? `${options.region} (${from('region', 'config file')})`
      : env.AWS_REGION
        ? `${env.AWS_REGION} (AWS_REGION)`
        : 'the SDK default';
    if (options.endpoint) settings.endpoint = `${options.endpoint} (${from('endpoint', 'config file')})`;
    else if (env.AWS_ENDPOINT_URL) settings.endpoint = `${env.AWS_ENDPOINT_URL} (AWS_ENDPOINT_URL)`;
    credentials = awsCredentials(env);
  } else if (config.provider === 'azure-kv') {
    if (options.vaultUrl) settings.vaultUrl = `${options.vaultUrl} (${from('vaultUrl', 'config file')})`;
    else skipped = 'no vault URL (--vault-url, RXSECRETS_AZURE_VAULT_URL)';
    credentials =
      options.credential === 'emulator'
        ? 'the emulator token (RXSECRETS_AZURE_CREDENTIAL=emulator)'
        : env.AZURE_CLIENT_ID
          ? 'DefaultAzureCredential, environment (AZURE_CLIENT_ID)'
          : 'DefaultAzureCredential (workload / managed identity, Azure CLI…)';
  } else if (config.provider === 'secret-service') {
    settings.bus = options.bus
      ? String(options.bus)
      : env.DBUS_SESSION_BUS_ADDRESS
        ? 'the session bus (DBUS_SESSION_BUS_ADDRESS)'
        : 'none';
    if (!options.bus && !env.DBUS_SESSION_BUS_ADDRESS) skipped = 'no session bus (DBUS_SESSION_BUS_ADDRESS unset)';
    credentials = options.nonInteractive
      ? 'the unlocked keyring (non-interactive)'
      : 'the keyring (may prompt to unlock)';
  }
  return { settings, credentials, skipped };
}

async function probe(context: CliContext, scheme: string): Promise<SchemeReport['probe']> {
  const started = Date.now();
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(10_000)]);
  try {
    const pages = context.secrets.list(`${scheme}:`, { signal, retry: { retries: 0 } }).pages();
    for await (const _page of pages) break;
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error: `${errorCodeOf(error)}: ${(error as Error).message}`, ms: Date.now() - started };
  }
}

/** Runs `rxs doctor`; resolves to its exit code. */
export async function doctor(context: CliContext, options: { probe: boolean }): Promise<number> {
  const { config } = context;
  const reports: SchemeReport[] = [];
  for (const scheme of config.schemes.values()) {
    const { settings, credentials, skipped } = describeScheme(scheme, config.sources, process.env);
    const result = !options.probe
      ? { ok: true, skipped: '--no-probe' }
      : skipped
        ? { ok: true, skipped }
        : await probe(context, scheme.scheme);
    reports.push({
      scheme: scheme.scheme,
      provider: scheme.provider,
      origin: scheme.origin,
      settings,
      credentials,
      probe: result,
    });
  }
  if (context.json) await context.out.json({ configFile: config.configFile ?? null, schemes: reports });
  else {
    const lines = [`config file: ${config.configFile ?? 'none (rxsecrets.config.json not found)'}`];
    for (const r of reports) {
      const status = r.probe.skipped
        ? `skipped: ${r.probe.skipped}`
        : r.probe.ok
          ? `ok (${r.probe.ms} ms)`
          : `FAILED ${r.probe.error}`;
      lines.push(`${r.scheme}: (${r.provider}, ${r.origin})`);
      for (const [key, value] of Object.entries(r.settings)) lines.push(`  ${key}: ${value}`);
      lines.push(`  credentials: ${r.credentials}`, `  probe: ${status}`);
    }
    await context.out.write(`${lines.join('\n')}\n`);
  }
  return reports.every((r) => r.probe.ok) ? ExitCode.ok : ExitCode.unavailable;
}
