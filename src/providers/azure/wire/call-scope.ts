/**
 * The one place that touches HTTP: a pipeline policy that ties every request of a provider call to that call,
 * through an AsyncLocalStorage scope.
 *
 * The SDK (4.12) forwards `abortSignal` only to the first request of a listing: follow-up pages and resumed
 * cursors go out with none, and its `byPage()` pages drop their `continuationToken`. The policy fixes both
 * without private APIs: it gives every request of the scope the call's signal, and it records the `nextLink`
 * of a list page, which becomes the listing's cursor. It also keeps Key Vault's inner error code
 * (`innererror.code`, e.g. `SecretDisabled`), which RestError drops, and puts back the high bit the SDK's 32-bit
 * date serializer drops from validity dates after 2038 (see `wire-dates.ts`).
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelinePolicy } from '../sdk.js';
import { repairWireDates } from './wire-dates.js';

/** The state of one provider call, shared with the policy. */
export interface CallScope {
  /** Aborts every request of the call. */
  readonly signal: AbortSignal;
  /** Whether list responses should be read for their `nextLink`. */
  readonly capturePaging: boolean;
  /** The `nextLink` of the last list page received in this scope (undefined on the last page). */
  nextLink: string | undefined;
}

/** The name under which the policy sits in a pipeline (a second install is skipped). */
export const CALL_SCOPE_POLICY_NAME = 'rxsecretsCallScope';

const storage = new AsyncLocalStorage<CallScope>();
const innerCodes = new WeakMap<object, string>();

/** Runs `work` in a new scope: every request it sends carries `signal`. */
export function inCallScope<T>(
  signal: AbortSignal,
  work: (scope: CallScope) => Promise<T>,
  capturePaging = false,
): Promise<T> {
  const scope: CallScope = { signal, capturePaging, nextLink: undefined };
  return storage.run(scope, () => work(scope));
}

/** Key Vault's inner error code for a failed request (`SecretDisabled`, `ObjectIsDeletedButRecoverable`…). */
export function innerErrorCode(error: unknown): string | undefined {
  const request = (error as { request?: unknown } | null)?.request;
  return typeof request === 'object' && request !== null ? innerCodes.get(request) : undefined;
}

/** The policy; add it per call (before retries) to every SecretClient the provider uses. */
export function callScopePolicy(): PipelinePolicy {
  return {
    name: CALL_SCOPE_POLICY_NAME,
    async sendRequest(request, next) {
      const scope = storage.getStore();
      if (scope && !request.abortSignal) request.abortSignal = scope.signal;
      if (request.method === 'PUT' || request.method === 'PATCH') {
        const repaired = repairWireDates(request.body);
        if (repaired !== undefined) request.body = repaired;
      }
      const response = await next(request);
      if (response.status >= 400) {
        const code = readJson(response.bodyAsText)?.error?.innererror?.code;
        if (typeof code === 'string') innerCodes.set(request, code);
      } else if (scope?.capturePaging && request.method === 'GET' && response.status === 200) {
        const nextLink = readJson(response.bodyAsText)?.nextLink;
        scope.nextLink = typeof nextLink === 'string' && nextLink.length > 0 ? nextLink : undefined;
      }
      return response;
    },
  };
}

interface WireBody {
  nextLink?: unknown;
  error?: { innererror?: { code?: unknown } };
}

function readJson(text: string | null | undefined): WireBody | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as WireBody) : undefined;
  } catch {
    return undefined;
  }
}
