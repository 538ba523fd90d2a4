/**
 * Options of {@link startKeyVaultEmulator} and their defaults.
 * @module
 */
import { MAX_PAGE_SIZE } from './paging.js';

/** How to start a Key Vault emulator. Every option is optional. */
export interface KeyVaultEmulatorOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). The certificate covers `127.0.0.1`, `::1`, `localhost` and this host. */
  host?: string;
  /**
   * How long (ms) a deletion takes to settle. Until then `GET /deletedsecrets/{name}` answers 404
   * "Deleted Secret not found", recover and purge answer 409 `ObjectIsBeingDeleted`, and the delete poller keeps
   * polling, as with a real vault (which takes a few seconds). Default `0`: settled at once.
   */
  deletionDelayMs?: number;
  /** How long (ms) a recovered secret still answers 404 before it is readable again. Default: `deletionDelayMs`. */
  recoveryDelayMs?: number;
  /**
   * Soft-delete retention in days, 7–90 (default 7). Sets `attributes.recoverableDays`, `scheduledPurgeDate`, and
   * `recoveryLevel` (`Recoverable+Purgeable` at 90, `CustomizedRecoverable+Purgeable` below).
   */
  recoverableDays?: number;
  /** Page size of list operations when the client sends no `maxresults` (1–25, default 25, as Key Vault). */
  pageSize?: number;
  /**
   * End each list with an extra empty page (the last non-empty page carries a nextLink), as the real service
   * often does. Default `false`.
   */
  trailingEmptyPage?: boolean;
  /** Tenant named in the authentication challenge (default: a fixed example GUID). */
  tenantId?: string;
  /** Resource named in the challenge (default `https://vault.azure.net`); clients ask for `<resource>/.default`. */
  challengeResource?: string;
  /** Clock in milliseconds used for timestamps and delays (default `Date.now`). */
  now?: () => number;
  /**
   * Receives one line per request (method, path, status). Nothing is logged by default; lines never contain
   * secret values or tokens.
   */
  log?: (line: string) => void;
}

/** Options with defaults applied. @internal */
export type ResolvedKeyVaultEmulatorOptions = Required<Omit<KeyVaultEmulatorOptions, 'log'>> & {
  log: ((line: string) => void) | undefined;
};

/** The tenant used when none is given (any GUID works: the emulator issues no tokens). */
export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-00000000e1e1';

/** Applies defaults and checks ranges. @internal */
export function resolveOptions(options: KeyVaultEmulatorOptions = {}): ResolvedKeyVaultEmulatorOptions {
  const deletionDelayMs = options.deletionDelayMs ?? 0;
  const resolved: ResolvedKeyVaultEmulatorOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    deletionDelayMs,
    recoveryDelayMs: options.recoveryDelayMs ?? deletionDelayMs,
    recoverableDays: options.recoverableDays ?? 7,
    pageSize: options.pageSize ?? MAX_PAGE_SIZE,
    trailingEmptyPage: options.trailingEmptyPage ?? false,
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    challengeResource: options.challengeResource ?? 'https://vault.azure.net',
    now: options.now ?? Date.now,
    log: options.log,
  };
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(`startKeyVaultEmulator: ${message}`);
  };
  check(Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535, 'port must be 0–65535');
  check(resolved.deletionDelayMs >= 0 && resolved.recoveryDelayMs >= 0, 'delays must not be negative');
  check(
    Number.isInteger(resolved.recoverableDays) && resolved.recoverableDays >= 7 && resolved.recoverableDays <= 90,
    'recoverableDays must be an integer within 7–90',
  );
  check(
    Number.isInteger(resolved.pageSize) && resolved.pageSize >= 1 && resolved.pageSize <= MAX_PAGE_SIZE,
    `pageSize must be within 1–${MAX_PAGE_SIZE}`,
  );
  return resolved;
}
