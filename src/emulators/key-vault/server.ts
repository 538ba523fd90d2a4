/**
 * The https server: challenge, routing, stats, faults, then the operation. It tracks sockets and timers so
 * `stop()` ends everything at once, hung requests included.
 * @internal
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorTlsMaterial } from './certificates.js';
import { type ChallengeSettings, challengeHeader, hasBearerToken } from './challenge.js';
import { KeyVaultServiceError, serviceErrors } from './errors.js';
import type { FaultInjector, KeyVaultFault } from './faults.js';
import { readJsonBody, sendJson } from './http-io.js';
import { OPERATIONS } from './operations.js';
import { matchRoute } from './routes.js';
import type { SecretStore } from './secret-store.js';
import type { StatsRecorder } from './stats.js';

/** Everything the server serves from. */
export interface KeyVaultServerSettings {
  readonly store: SecretStore;
  readonly faults: FaultInjector;
  readonly stats: StatsRecorder;
  readonly challenge: ChallengeSettings;
  readonly paging: { readonly defaultPageSize: number; readonly trailingEmptyPage: boolean };
  /** Receives one line per answered request (method, path, status); never values or tokens. */
  readonly log?: ((line: string) => void) | undefined;
}

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** One listening emulator server. */
export class KeyVaultServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopping = false;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  #fallbackHost = '127.0.0.1';

  constructor(
    tls: EmulatorTlsMaterial,
    readonly settings: KeyVaultServerSettings,
  ) {
    this.#server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
      void this.#handle(request, response);
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        const address = this.#server.address() as AddressInfo;
        this.#fallbackHost = `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
        resolve(address);
      });
    });
  }

  /** Resolves when no request is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Closes the listener and destroys every connection, including hung requests. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { stats } = this.settings;
    stats.total += 1;
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'https://emulator.invalid');
    this.#inFlight += 1;
    response.once('close', () => {
      if (!response.writableFinished && !this.#stopping) stats.clientAborted += 1;
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    });
    response.once('finish', () => {
      stats.countStatus(response.statusCode);
      this.settings.log?.(`${method} ${url.pathname} ${response.statusCode}`);
    });
    try {
      if (!hasBearerToken(request)) {
        stats.challenges += 1;
        const error = serviceErrors.unauthorized();
        sendJson(request, response, error.status, error.toBody(), {
          'www-authenticate': challengeHeader(this.settings.challenge),
        });
        return;
      }
      const match = matchRoute(method, url.pathname);
      stats.calls[match.route] += 1;
      const fault = this.settings.faults.take(match.route, method);
      if (fault) {
        stats.faultsInjected += 1;
        const proceed = await this.#applyFault(fault, request, response);
        if (!proceed) return;
      }
      if (!url.searchParams.get('api-version')) {
        throw serviceErrors.badParameter('The api-version query parameter is required.');
      }
      const result = await OPERATIONS[match.route]({
        match,
        query: url.searchParams,
        origin: `https://${this.#hostOf(request)}`,
        store: this.settings.store,
        paging: this.settings.paging,
        readBody: () => readJsonBody(request),
      });
      sendJson(request, response, result.status, result.body);
    } catch (error) {
      const serviceError =
        error instanceof KeyVaultServiceError
          ? error
          : new KeyVaultServiceError(500, 'InternalServerError', 'The emulator failed to handle the request.');
      sendJson(request, response, serviceError.status, serviceError.toBody(), serviceError.headers);
    }
  }

  /** Applies a fault; returns whether the request should then be handled normally. */
  async #applyFault(fault: KeyVaultFault, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'hang':
        return false;
      case 'latency':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            resolve();
          }, fault.ms);
          this.#timers.add(timer);
        });
        return !this.#stopping;
      case 'throttle': {
        const error = new KeyVaultServiceError(
          fault.status ?? 429,
          'Throttled',
          'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
        );
        sendJson(request, response, error.status, error.toBody(), retryAfterHeaders(fault.retryAfter));
        return false;
      }
      case 'reject': {
        const body = await readJsonBody(request).catch(() => undefined);
        const quoted = (body as { value?: unknown } | undefined)?.value;
        const error = new KeyVaultServiceError(
          fault.status ?? 400,
          fault.code ?? 'BadParameter',
          fault.message
            ? fault.message(body)
            : `The value '${String(quoted)}' is not valid (injected by the emulator).`,
        );
        sendJson(request, response, error.status, error.toBody());
        return false;
      }
      case 'server-error': {
        const error = new KeyVaultServiceError(
          fault.status ?? 500,
          fault.code ?? 'InternalServerError',
          'The service encountered an internal error (injected by the Key Vault emulator).',
        );
        sendJson(request, response, error.status, error.toBody());
        return false;
      }
    }
  }

  #hostOf(request: IncomingMessage): string {
    const host = request.headers.host;
    return host && HOST_HEADER.test(host) ? host : this.#fallbackHost;
  }
}

function retryAfterHeaders(hint: Extract<KeyVaultFault, { kind: 'throttle' }>['retryAfter']): Record<string, string> {
  if (!hint) return {};
  if ('seconds' in hint) return { 'retry-after': String(hint.seconds) };
  return { [hint.header ?? 'retry-after-ms']: String(hint.ms) };
}
