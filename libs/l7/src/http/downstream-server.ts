import type { ServerOptions } from 'node:http';
import { DEFAULT_MAX_HEADER_BYTES } from '../engine/limits.js';

/**
 * node:http server options for the listeners that feed the engine, so that hostile
 * clients get Envoy-like answers from node's parser before the engine sees anything:
 * headers beyond 60 KiB (Envoy's default) → 431; a request without Host, conflicting
 * Content-Length/Transfer-Encoding, obs-fold or other malformed syntax → 400 (strict
 * parser); headers not complete within 10 s (slowloris) → 408.
 */
export const DOWNSTREAM_SERVER_OPTIONS: Readonly<ServerOptions> = Object.freeze({
  maxHeaderSize: DEFAULT_MAX_HEADER_BYTES,
  insecureHTTPParser: false,
  requireHostHeader: true,
  headersTimeout: 10_000,
  // The route's timeout bounds a request; slow uploads are the client's right, as in Envoy.
  requestTimeout: 0,
  keepAliveTimeout: 60_000,
});
