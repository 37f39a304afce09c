import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Clock, Endpoint } from '../engine/types.js';
import type { HeaderMap } from '../http/headers.js';
import type { ClusterRuntime } from '../upstream/cluster-runtime.js';
import { UpstreamConnectError } from '../upstream/upstream-errors.js';
import type { RequestBody } from './request-body.js';
import type { AttemptFailure } from './retry-policy.js';

export interface AttemptRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: HeaderMap;
  readonly body: RequestBody;
  /** 0: none (the route timeout still bounds the attempt). */
  readonly perTryTimeoutMs: number;
}

export type AttemptResult =
  /** Response headers arrived; `finished` is called once the response is consumed or dropped. */
  | { readonly kind: 'response'; readonly response: IncomingMessage }
  | { readonly kind: 'failure'; readonly failure: AttemptFailure; readonly error: unknown }
  /** The body could not be sent again (it outgrew the retry buffer). */
  | { readonly kind: 'not-replayable' };

/** One try of a request on one endpoint, until response headers or a failure. */
export interface Attempt {
  readonly result: Promise<AttemptResult>;
  /** Stops the attempt (route timeout, client gone); its result, if not yet settled, is a reset. */
  abort(): void;
}

/**
 * Sends one attempt over the cluster's pool. Counts it on the endpoint (for
 * LEAST_REQUEST) until the response ends, and tells outlier detection how it went. A
 * keep-alive connection that the upstream closed just as it was reused fails without
 * a response: that attempt is sent once more on a fresh connection, as Envoy's HTTP/1
 * pool would never have picked a closed connection.
 */
export function sendAttempt(cluster: ClusterRuntime, endpoint: Endpoint, hostCount: number, request: AttemptRequest, clock: Clock): Attempt {
  let current: ClientRequest | undefined;
  let aborted = false;
  const result = new Promise<AttemptResult>((resolve) => {
    cluster.beginAttempt(endpoint.uid);
    let counted = true;
    const uncount = (): void => {
      if (counted) cluster.endAttempt(endpoint.uid);
      counted = false;
    };
    const timer = request.perTryTimeoutMs > 0 ? clock.setTimer(request.perTryTimeoutMs, () => fail('per-try-timeout', undefined)) : undefined;
    let settled = false;
    const settle = (value: AttemptResult): void => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      resolve(value);
    };
    const fail = (failure: AttemptFailure, error: unknown): void => {
      if (settled) return;
      const req = current;
      if (req !== undefined) request.body.detach(req);
      req?.destroy();
      uncount();
      if (!aborted) cluster.report(endpoint.uid, { localFailure: true }, hostCount);
      settle({ kind: 'failure', failure, error });
    };
    const send = (again: boolean): void => {
      const req = cluster.pool.request(endpoint, { method: request.method, path: request.path, headers: request.headers });
      current = req;
      req.on('error', (error: Error) => {
        if (settled || current !== req) return;
        if (!again && req.reusedSocket && isReset(error) && request.body.replayable) {
          request.body.detach(req);
          send(true);
          return;
        }
        fail(classify(error), error);
      });
      req.once('response', (response: IncomingMessage) => {
        if (settled) {
          response.destroy();
          return;
        }
        cluster.report(endpoint.uid, { status: response.statusCode ?? 502 }, hostCount);
        response.once('close', uncount);
        settle({ kind: 'response', response });
      });
      if (!request.body.attach(req)) {
        req.destroy();
        uncount();
        settle({ kind: 'not-replayable' });
      }
    };
    send(false);
  });
  return {
    result,
    abort() {
      aborted = true;
      current?.destroy(new Error('aborted'));
    },
  };
}

function isReset(error: Error & { code?: string }): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}

function classify(error: Error & { code?: string }): AttemptFailure {
  if (error instanceof UpstreamConnectError) return 'connect-failure';
  if (typeof error.code === 'string' && error.code.startsWith('HPE_')) return 'protocol-error';
  return 'reset';
}
