import type { IncomingMessage } from 'node:http';
import type { Endpoint } from '../engine/types.js';
import type { HeaderMap } from '../http/headers.js';
import type { ClusterRuntime } from '../upstream/cluster-runtime.js';
import type { RequestBody } from './request-body.js';

const NO_EXCLUSIONS: ReadonlySet<string> = new Set();

/**
 * Sends a copy of the request to a mirror cluster, fire and forget, as Envoy's request
 * mirroring: the host gets "-shadow" appended (before any port), the answer is read
 * and dropped, failures are ignored, and the client never waits for it. The copy obeys
 * the mirror cluster's circuit breakers and is skipped when they are full.
 */
export function sendMirror(cluster: ClusterRuntime, endpoints: readonly Endpoint[], method: string, target: string, headers: HeaderMap, body: RequestBody): void {
  const endpoint = cluster.pick(endpoints, undefined, NO_EXCLUSIONS);
  if (endpoint === undefined || cluster.pool.wouldOverflow(endpoint) || !cluster.tryBeginRequest()) return;
  cluster.beginAttempt(endpoint.uid);
  const host = typeof headers.host === 'string' ? shadowHost(headers.host) : undefined;
  const req = cluster.pool.request(endpoint, { method, path: target, headers: host === undefined ? headers : { ...headers, host } });
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    cluster.endAttempt(endpoint.uid);
    cluster.endRequest();
  };
  req.on('error', () => {
    if (!done) cluster.report(endpoint.uid, { localFailure: true }, endpoints.length);
    finish();
  });
  req.once('response', (response: IncomingMessage) => {
    cluster.report(endpoint.uid, { status: response.statusCode ?? 502 }, endpoints.length);
    response.once('close', finish);
    response.resume();
  });
  body.mirror(req);
}

/** `host[:port]` → `host-shadow[:port]`, as Envoy names a mirrored request's authority. */
export function shadowHost(authority: string): string {
  const bracket = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > bracket && /^\d+$/.test(authority.slice(colon + 1))) return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`;
  return `${authority}-shadow`;
}
