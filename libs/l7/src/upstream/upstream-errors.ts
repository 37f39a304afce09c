import { AmbitError } from '@ambit/errors';
import type { Endpoint } from '../engine/types.js';

/**
 * The connection to an endpoint could not be opened within the cluster's connect timeout
 * (or the connector failed). The request sees it as Envoy's UF (upstream connection failure).
 */
export class UpstreamConnectError extends AmbitError {
  readonly timedOut: boolean;

  constructor(endpoint: Endpoint, timedOut: boolean, cause?: unknown) {
    const what = timedOut ? 'timed out' : `failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    super('AMBIT_ERR_L7_UPSTREAM_CONNECT', `connecting to ${endpoint.uid} (${endpoint.ip}:${endpoint.port}) ${what}`, {
      hint: 'is the endpoint running and its node reachable? The cluster connect timeout comes from the DestinationRule connectionPool.tcp.connectTimeout',
      cause,
    });
    this.timedOut = timedOut;
  }
}
