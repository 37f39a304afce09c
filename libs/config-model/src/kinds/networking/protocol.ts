import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { report } from '../../schema/object.js';
import { didYouMean } from '../../schema/suggest.js';

/**
 * The port protocols Istio knows (istio/istio pkg/config/protocol), by the name Istio
 * gives them. Istio compares protocol names case-insensitively: `http`, `Http` and
 * `HTTP` are the same protocol.
 */
export const ISTIO_PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'GRPC',
  'GRPC-WEB',
  'HTTP2',
  'HTTP_PROXY',
  'MONGO',
  'MYSQL',
  'REDIS',
  'TCP',
  'TLS',
  'UDP',
] as const;
export type IstioProtocol = (typeof ISTIO_PROTOCOLS)[number];

const BY_LOWER: ReadonlyMap<string, IstioProtocol> = new Map(ISTIO_PROTOCOLS.map((p) => [p.toLowerCase(), p]));

/** The protocol a port's `protocol` string names (case-insensitive), or undefined if Istio does not know it. */
export function parseProtocol(name: string): IstioProtocol | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** Protocols carried over HTTP (Istio's IsHTTP). */
export function isHttpProtocol(p: IstioProtocol | undefined): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-WEB';
}

/** Protocols on top of TLS (Istio's IsTLS). */
export function isTlsProtocol(p: IstioProtocol | undefined): boolean {
  return p === 'HTTPS' || p === 'TLS';
}

/** Protocols carried over plain TCP (Istio's IsTCP). */
export function isTcpProtocol(p: IstioProtocol | undefined): boolean {
  return p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'MONGO' || p === 'REDIS' || p === 'MYSQL';
}

/** Error message for a protocol name Istio does not know, or undefined when it is known. */
export function checkProtocol(name: string): { message: string; hint: string } | undefined {
  if (parseProtocol(name) !== undefined) return undefined;
  return {
    message: name === '' ? 'protocol must be set' : `unsupported protocol "${name}"`,
    hint: didYouMean(name, ISTIO_PROTOCOLS) ?? `use one of ${ISTIO_PROTOCOLS.join(', ')} (any case)`,
  };
}

/**
 * A port protocol name. With `allowEmpty`, "" (or leaving the field out) means the
 * protocol is sniffed, as ServiceEntry and Sidecar ports allow.
 */
export function protocolName(options: { allowEmpty?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    if (value === '' && options.allowEmpty === true) return;
    const err = checkProtocol(value);
    if (err !== undefined) report(ctx, IssueCode.Value, err.message, { hint: err.hint });
  });
}
