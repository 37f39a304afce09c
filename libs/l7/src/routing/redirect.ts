import type { l7V1 } from '@ambit/xds';
import type { RequestView } from './request-view.js';

const DEFAULT_PORT: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * The Location of a redirect, as Envoy builds it from Istio's HTTPRedirect: scheme,
 * host, port and path each replaced when set; the query string kept; the port left out
 * when it is the scheme's default (or, with port 0, unless taken from the request).
 */
export function redirectLocation(redirect: l7V1.Redirect, request: RequestView): string {
  const scheme = redirect.scheme === '' ? request.scheme : redirect.scheme.toLowerCase();
  const host = redirect.authority === '' ? request.host : redirect.authority;
  let port = redirect.port;
  if (port === 0 && redirect.portFromRequest) port = requestPort(request) ?? 0;
  const portText = port === 0 || port === DEFAULT_PORT[scheme] ? '' : `:${port}`;
  const path = redirect.uri === '' ? request.path : redirect.uri;
  const query = request.query === '' || path.includes('?') ? '' : `?${request.query}`;
  return `${scheme}://${host}${portText}${path}${query}`;
}

function requestPort(request: RequestView): number | undefined {
  const authority = request.authority;
  const colon = authority.lastIndexOf(':');
  if (colon < 0 || authority.endsWith(']')) return DEFAULT_PORT[request.scheme];
  const port = Number(authority.slice(colon + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}
