import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSigV4Header } from './auth.js';
import { AwsServiceError, coralError } from './errors.js';
import type { AwsFaults } from './faults.js';
import type { OperationTable } from './operation.js';
import { requestId } from './random.js';
import { type AwsCallInfo, type AwsServiceName, TARGET_PREFIXES } from './services.js';
import type { AwsEmulatorStats } from './stats.js';
import { BodyTooLargeError, parseJsonBody, readBody, sendError, sendJson } from './wire.js';

/** Events an emulator emits, for tests that wait on what the server saw instead of sleeping. */
export interface AwsEmulatorEvents {
  /** A routed, authenticated call arrived (before faults apply). */
  call: [AwsCallInfo];
  /** A call is being held open by a `hang` fault. */
  hang: [AwsCallInfo];
  /** The client closed the connection before the answer to this call was sent. */
  clientAbort: [AwsCallInfo];
}

/** @internal What the HTTP layer needs. */
export interface ServerParts {
  operations: Readonly<Record<AwsServiceName, OperationTable>>;
  faults: AwsFaults;
  stats: AwsEmulatorStats;
  events: EventEmitter<AwsEmulatorEvents>;
  maxBodyBytes: number;
}

/** @internal The node:http server speaking AWS JSON 1.1 for the emulator. */
export class EmulatorHttpServer {
  readonly #server: Server;
  readonly #parts: ServerParts;
  readonly #wakeUps = new Set<() => void>();
  #stopping = false;

  constructor(parts: ServerParts) {
    this.#parts = parts;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed)
          sendError(res, requestId(), coralError('InternalFailure', 'Internal failure', 500));
      });
    });
    this.#server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Closes every connection (idle, active and hung) and stops listening. */
  close(): Promise<void> {
    this.#stopping = true;
    for (const wakeUp of this.#wakeUps) wakeUp();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    return closed;
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        this.#wakeUps.delete(wakeUp);
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      this.#wakeUps.add(wakeUp);
    });
  }

  #route(req: IncomingMessage): { service: AwsServiceName; operation: string } | AwsServiceError {
    const target = req.headers['x-amz-target'];
    const dot = typeof target === 'string' ? target.indexOf('.') : -1;
    const service = dot > 0 ? TARGET_PREFIXES[(target as string).slice(0, dot)] : undefined;
    const operation = dot > 0 ? (target as string).slice(dot + 1) : '';
    if (req.method !== 'POST' || service === undefined || !Object.hasOwn(this.#parts.operations[service], operation)) {
      return coralError('UnknownOperationException', 'The requested operation is not recognized by the service.');
    }
    return { service, operation };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = requestId();
    let call: AwsCallInfo | undefined;
    res.on('close', () => {
      if (res.writableFinished || this.#stopping) return;
      this.#parts.stats.recordClientAbort();
      if (call) this.#parts.events.emit('clientAbort', call);
    });

    let body: Buffer;
    try {
      body = await readBody(req, this.#parts.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError && !res.destroyed) {
        res.on('finish', () => req.destroy());
        sendError(res, id, coralError('RequestEntityTooLargeException', 'Request body too large', 413), true);
      }
      return;
    }

    const route = this.#route(req);
    if (route instanceof AwsServiceError) return sendError(res, id, route);
    const authError = checkSigV4Header(req.headers);
    if (authError) return sendError(res, id, authError);

    call = { ...route, key: `${route.service}.${route.operation}`, requestId: id };
    this.#parts.stats.recordCall(call.key);
    this.#parts.events.emit('call', call);

    const decision = this.#parts.faults.decide(call, () => {
      try {
        return parseJsonBody(body);
      } catch {
        return {};
      }
    });
    if (decision.delayMs > 0 || decision.outcome) this.#parts.stats.recordFault();
    if (decision.delayMs > 0) await this.#delay(decision.delayMs);
    if (res.destroyed || this.#stopping) return;
    if (decision.outcome?.kind === 'hang') {
      this.#parts.events.emit('hang', call);
      return;
    }
    if (decision.outcome?.kind === 'error') return sendError(res, id, decision.outcome.error);

    try {
      const handler = this.#parts.operations[route.service][route.operation];
      sendJson(res, id, handler?.(parseJsonBody(body)));
    } catch (error) {
      if (error instanceof AwsServiceError) return sendError(res, id, error);
      sendError(
        res,
        id,
        coralError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
      );
    }
  }
}
