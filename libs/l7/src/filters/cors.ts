import type { l7V1 } from '@ambit/xds';
import type { HeaderMap } from '../http/headers.js';
import type { RequestView } from '../routing/request-view.js';
import { compileStringMatch, type Invalid, type StringMatcher } from '../routing/string-matcher.js';

/** A compiled CorsPolicy, as Envoy's CORS filter applies it. */
export interface Cors {
  /** The headers of the 200 answered to an allowed preflight; undefined: not an allowed preflight (forward it). */
  preflight(request: RequestView): HeaderMap | undefined;
  /** Headers added to the response of an allowed cross-origin request. */
  responseHeaders(request: RequestView): HeaderMap | undefined;
}

export function compileCors(policy: l7V1.CorsPolicy | null, field: string, invalid: Invalid): Cors | undefined {
  if (policy === null) return undefined;
  const origins: StringMatcher[] = policy.allowOrigins.map((m, i) => compileStringMatch(m, `${field}.allowOrigins[${i}]`, invalid));
  const allowedOrigin = (request: RequestView): string | undefined => {
    const origin = request.header('origin');
    return origin !== undefined && origins.some((match) => match(origin)) ? origin : undefined;
  };
  const common = (origin: string): HeaderMap => {
    const headers: HeaderMap = { 'access-control-allow-origin': origin };
    if (policy.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  };
  return {
    preflight(request) {
      if (request.method !== 'OPTIONS' || request.header('access-control-request-method') === undefined) return undefined;
      const origin = allowedOrigin(request);
      if (origin === undefined) return undefined;
      const headers = common(origin);
      if (policy.allowMethods.length > 0) headers['access-control-allow-methods'] = policy.allowMethods.join(',');
      if (policy.allowHeaders.length > 0) headers['access-control-allow-headers'] = policy.allowHeaders.join(',');
      if (policy.maxAgeS > 0) headers['access-control-max-age'] = String(policy.maxAgeS);
      return headers;
    },
    responseHeaders(request) {
      const origin = allowedOrigin(request);
      if (origin === undefined) return undefined;
      const headers = common(origin);
      if (policy.exposeHeaders.length > 0) headers['access-control-expose-headers'] = policy.exposeHeaders.join(',');
      return headers;
    },
  };
}
