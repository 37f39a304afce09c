import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { exclusive, isSet, obj, report, warn } from '../../../schema/object.js';
import { base64DecodedLength, duration, int32, percent, port, uint32 } from '../../../schema/primitives.js';
import { authorityHeaderPaths, checkCorsHeaderName, headers } from './headers.js';
import { httpMatchRequest } from './http-match.js';
import { destination } from '../destination.js';
import { httpRouteDestinations } from './route-destination.js';
import { RE2_HINT, checkIstioRegex, stringMatch } from './string-match.js';

// ---------------------------------------------------------------------------
// Redirect, direct response, rewrite

/** networking HTTPRedirect. */
export const httpRedirect = () =>
  obj({
    uri: z.string().optional(),
    authority: z.string().optional(),
    port: port().optional(),
    derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
    scheme: z.enum(['http', 'https']).optional(),
    redirectCode: uint32().optional(),
  }).superRefine((r, ctx) => {
    exclusive(ctx, r, ['port', 'derivePort']);
    if (!isSet(r.uri) && !isSet(r.authority) && r.scheme === undefined && r.port === undefined && r.derivePort === undefined) {
      report(ctx, IssueCode.Required, 'redirect must set at least one of uri, authority, scheme, port or derivePort');
    }
    if (r.redirectCode !== undefined && r.redirectCode !== 0 && (r.redirectCode < 300 || r.redirectCode > 399)) {
      report(ctx, IssueCode.Value, `redirectCode must be a 3xx status (300-399), got ${r.redirectCode}`, { path: ['redirectCode'] });
    }
  });

/** HTTP status codes Istio accepts for direct responses and aborts. */
export function checkHttpStatus(status: number): string | undefined {
  return status < 200 || status > 599 ? `HTTP status must be between 200 and 599, got ${status}` : undefined;
}

const MAX_DIRECT_RESPONSE_BYTES = 1024 * 1024;
/** Istio warns above this size: every proxy holds the body in its configuration. */
const LARGE_DIRECT_RESPONSE_BYTES = 100 * 1024;

/** networking HTTPBody: the body of a direct response, as a string or base64 bytes. */
const httpBody = () =>
  obj({
    string: z.string().optional(),
    bytes: z.string().optional(),
  }).superRefine((b, ctx) => {
    exclusive(ctx, b, ['string', 'bytes']);
    let size = 0;
    if (b.string !== undefined) size = Buffer.byteLength(b.string, 'utf8');
    else if (b.bytes !== undefined) {
      const decoded = base64DecodedLength(b.bytes);
      if (typeof decoded === 'string') {
        report(ctx, IssueCode.Value, 'bytes must be base64-encoded', { path: ['bytes'], hint: 'use "string" for a plain-text body' });
        return;
      }
      size = decoded;
    }
    const path = [b.string !== undefined ? 'string' : 'bytes'];
    if (size > MAX_DIRECT_RESPONSE_BYTES) {
      report(ctx, IssueCode.Value, `direct response body is ${size} bytes; it must be at most 1MB`, { path });
    } else if (size > LARGE_DIRECT_RESPONSE_BYTES) {
      warn(ctx, IssueCode.Value, `direct response body is ${size} bytes: large direct responses may impact control plane performance`, {
        path,
        hint: 'keep direct response bodies under 100KB',
      });
    }
  });

/** networking HTTPDirectResponse. */
export const httpDirectResponse = () =>
  obj({
    status: uint32(),
    body: httpBody().optional(),
  }).superRefine((r, ctx) => {
    const err = checkHttpStatus(r.status);
    if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['status'] });
  });

/** networking RegexRewrite. */
const regexRewrite = () =>
  obj({
    match: z.string().optional(),
    rewrite: z.string().optional(),
  }).superRefine((r, ctx) => {
    for (const field of ['match', 'rewrite'] as const) {
      if (r[field] === undefined || r[field] === '') {
        report(ctx, IssueCode.Required, `uriRegexRewrite needs both match and rewrite; ${field} is missing`, { path: r[field] === undefined ? [] : [field] });
      }
    }
    if (isSet(r.match)) {
      const err = checkIstioRegex(r.match);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['match'], hint: RE2_HINT });
    }
  });

/** networking HTTPRewrite. */
export const httpRewrite = () =>
  obj({
    uri: z.string().optional(),
    authority: z.string().optional(),
    uriRegexRewrite: regexRewrite().optional(),
  }).superRefine((r, ctx) => {
    const uri = isSet(r.uri);
    if (uri && r.uriRegexRewrite !== undefined) {
      report(ctx, IssueCode.Conflict, 'only one of uri and uriRegexRewrite may be set', { path: ['uriRegexRewrite'] });
    }
    if (!uri && r.uriRegexRewrite === undefined && !isSet(r.authority)) {
      report(ctx, IssueCode.Required, 'rewrite must set at least one of uri, uriRegexRewrite or authority');
    }
  });

// ---------------------------------------------------------------------------
// Retries

/** Retry conditions Envoy understands (x-envoy-retry-on and x-envoy-retry-grpc-on). */
export const RETRY_ON_POLICIES: readonly string[] = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];

/** Status codes with a standard reason phrase (the ones Istio accepts in retryOn). */
const KNOWN_STATUS_CODES: ReadonlySet<number> = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401,
  402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428,
  429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/**
 * `retryOn`: comma-separated retry conditions or HTTP status codes, no spaces.
 * Returns one message per bad entry.
 */
export function checkRetryOn(retryOn: string): string[] {
  const errors: string[] = [];
  for (const policy of retryOn.split(',')) {
    if (RETRY_ON_POLICIES.includes(policy)) continue;
    if (/^[+-]?\d+$/.test(policy) && KNOWN_STATUS_CODES.has(Number(policy))) continue;
    const spaced = policy.trim() !== policy && (RETRY_ON_POLICIES.includes(policy.trim()) || KNOWN_STATUS_CODES.has(Number(policy.trim())));
    errors.push(spaced ? `retryOn entry "${policy}" must not contain spaces` : `"${policy}" is not a retryOn condition or HTTP status code`);
  }
  return errors;
}

/** networking HTTPRetry. */
export const httpRetry = () =>
  obj({
    attempts: int32().min(0).optional(),
    perTryTimeout: duration().optional(),
    retryOn: z.string().optional(),
    retryRemoteLocalities: z.boolean().optional(),
    retryIgnorePreviousHosts: z.boolean().optional(),
    backoff: duration().optional(),
  }).superRefine((r, ctx) => {
    if (isSet(r.retryOn)) {
      for (const err of checkRetryOn(r.retryOn)) {
        report(ctx, IssueCode.Value, err, { path: ['retryOn'], hint: `e.g. "5xx,connect-failure,503"; known conditions: ${RETRY_ON_POLICIES.join(', ')}` });
      }
    }
    if ((r.attempts ?? 0) === 0) {
      const set = (['perTryTimeout', 'retryOn', 'retryRemoteLocalities'] as const).filter((f) => r[f] !== undefined && r[f] !== '');
      if (set.length > 0) {
        report(ctx, IssueCode.Conflict, `retries sets ${set.join(', ')} but attempts is ${r.attempts === undefined ? 'not set' : '0'}, which disables retries`, {
          path: r.attempts === undefined ? [set[0]!] : ['attempts'],
          hint: 'set attempts to 1 or more',
        });
      }
    }
  });

// ---------------------------------------------------------------------------
// Fault injection

/** Fault percentages: 0, or between 0.0001 and 100 (Envoy's precision). */
const faultPercentage = () =>
  percent().superRefine((p, ctx) => {
    if (p.value !== undefined && p.value > 0 && p.value < 0.0001) {
      report(ctx, IssueCode.Value, `percentage must be 0 or between 0.0001 and 100, got ${p.value}`, { path: ['value'] });
    }
  });

/** gRPC status names accepted by `fault.abort.grpcStatus`. */
export const GRPC_STATUS_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

const faultDelay = () =>
  obj({
    fixedDelay: duration().optional(),
    exponentialDelay: duration().optional(),
    percentage: faultPercentage().optional(),
    percent: int32().min(0).max(100).optional(),
  }).superRefine((d, ctx) => {
    exclusive(ctx, d, ['fixedDelay', 'exponentialDelay']);
    if (d.exponentialDelay !== undefined && d.fixedDelay === undefined) {
      report(ctx, IssueCode.Value, 'exponentialDelay is not supported by Istio', { path: ['exponentialDelay'], hint: 'use fixedDelay' });
    }
  });

const faultAbort = () =>
  obj({
    httpStatus: int32().optional(),
    grpcStatus: z.enum(GRPC_STATUS_CODES).optional(),
    http2Error: z.string().optional(),
    percentage: faultPercentage().optional(),
  }).superRefine((a, ctx) => {
    exclusive(ctx, a, ['httpStatus', 'grpcStatus', 'http2Error']);
    if (a.httpStatus !== undefined) {
      const err = checkHttpStatus(a.httpStatus);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['httpStatus'] });
    }
    if (a.http2Error !== undefined && a.httpStatus === undefined && a.grpcStatus === undefined) {
      report(ctx, IssueCode.Value, 'http2Error aborts are not supported by Istio', { path: ['http2Error'], hint: 'use httpStatus or grpcStatus' });
    }
    if (a.httpStatus === undefined && a.grpcStatus === undefined && a.http2Error === undefined) {
      warn(ctx, IssueCode.Required, 'abort configured, but error type not set: requests are not aborted', { hint: 'set httpStatus or grpcStatus' });
    }
  });

/** networking HTTPFaultInjection. */
export const httpFaultInjection = () =>
  obj({
    delay: faultDelay().optional(),
    abort: faultAbort().optional(),
  }).superRefine((f, ctx) => {
    if (f.delay === undefined && f.abort === undefined) report(ctx, IssueCode.Required, 'fault must set delay, abort or both');
  });

// ---------------------------------------------------------------------------
// CORS, mirrors

export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'] as const;

function corsHeaderNames() {
  return z.array(z.string()).superRefine((names, ctx) => {
    names.forEach((name, i) => {
      const err = checkCorsHeaderName(name);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [i] });
    });
  });
}

const corsOrigin = () =>
  stringMatch().superRefine((m, ctx) => {
    const value = m.exact ?? m.prefix ?? m.regex;
    if (value === undefined || value === '') {
      report(ctx, IssueCode.Required, 'an allowed origin needs a non-empty exact, prefix or regex', { hint: 'e.g. exact: https://example.com' });
    }
  });

/** networking CorsPolicy. */
export const corsPolicy = () =>
  obj({
    allowOrigin: z.array(z.string()).optional(),
    allowOrigins: z.array(corsOrigin()).optional(),
    allowMethods: z.array(z.enum(CORS_METHODS)).optional(),
    allowHeaders: corsHeaderNames().optional(),
    exposeHeaders: corsHeaderNames().optional(),
    maxAge: duration()
      .superRefine((ms, ctx) => {
        if (typeof ms === 'number' && ms % 1000 !== 0) report(ctx, IssueCode.Value, 'maxAge must be a whole number of seconds', { hint: 'e.g. 24h or 600s' });
      })
      .optional(),
    allowCredentials: z.boolean().optional(),
    unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
  });

/** networking HTTPMirrorPolicy. */
export const httpMirrorPolicy = () =>
  obj({
    destination: destination(),
    percentage: percent().optional(),
  });

// ---------------------------------------------------------------------------
// HTTPRoute

/** networking Delegate: the VirtualService whose HTTP routes this route takes. */
export const delegate = () =>
  obj({
    name: z.string().optional(),
    namespace: z.string().optional(),
  });

const httpRouteShape = {
  name: z.string().optional(),
  match: z.array(httpMatchRequest()).optional(),
  route: httpRouteDestinations().optional(),
  redirect: httpRedirect().optional(),
  directResponse: httpDirectResponse().optional(),
  delegate: delegate().optional(),
  rewrite: httpRewrite().optional(),
  timeout: duration().optional(),
  retries: httpRetry().optional(),
  fault: httpFaultInjection().optional(),
  mirror: destination().optional(),
  mirrors: z.array(httpMirrorPolicy()).optional(),
  /** Deprecated (Istio warns); `mirror_percent` is the proto spelling Istio's CRD also accepts. */
  mirrorPercent: uint32().max(100).optional(),
  mirror_percent: uint32().max(100).optional(),
  mirrorPercentage: percent().optional(),
  corsPolicy: corsPolicy().optional(),
  headers: headers().optional(),
};

type HttpRouteValue = z.output<z.ZodObject<typeof httpRouteShape>>;

/** The cross-field rules of one HTTP route (what it does with a request, and where). */
export function refineHttpRoute(r: HttpRouteValue, ctx: z.RefinementCtx): void {
  const conflict = (field: string, message: string, hint?: string): void => report(ctx, IssueCode.Conflict, message, { path: [field], hint });
  const hasRoute = (r.route?.length ?? 0) > 0;
  if (r.delegate !== undefined) {
    if (r.redirect !== undefined) conflict('redirect', 'a route with delegate cannot also set redirect');
    if (hasRoute) conflict('route', 'a route with delegate cannot also set route', 'the delegate VirtualService chooses the destinations');
  } else if (r.redirect !== undefined) {
    if (hasRoute) conflict('route', 'a route cannot set both redirect and route');
    if (r.directResponse !== undefined) conflict('directResponse', 'a route cannot set both redirect and directResponse');
    if (r.fault !== undefined) conflict('fault', 'a route cannot set both redirect and fault');
    if (r.rewrite !== undefined) conflict('rewrite', 'a route cannot set both redirect and rewrite', 'the redirect itself says where the request goes');
  } else if (r.directResponse !== undefined) {
    if (hasRoute) conflict('route', 'a route cannot set both directResponse and route');
    if (r.fault !== undefined) conflict('fault', 'a route cannot set both directResponse and fault');
    if (r.rewrite !== undefined) conflict('rewrite', 'a route cannot set both directResponse and rewrite');
  } else if (!hasRoute) {
    report(ctx, IssueCode.Required, 'an HTTP route needs one of route, redirect, directResponse or delegate', {
      hint: 'add route: [{destination: {host: ...}}]',
    });
  }
  if (r.mirror !== undefined && (r.mirrors?.length ?? 0) > 0) conflict('mirrors', 'only one of mirror and mirrors may be set');
  exclusive(ctx, r, ['mirrorPercent', 'mirror_percent']);
  for (const field of ['mirrorPercent', 'mirror_percent'] as const) {
    if (r[field] !== undefined) {
      warn(ctx, IssueCode.Value, `using deprecated setting "${field}", use "mirrorPercentage" instead`, {
        path: [field],
        hint: `write mirrorPercentage: {value: ${r[field]}}`,
      });
    }
  }

  // The authority may be rewritten in one place only.
  const authority: PropertyKey[][] = [];
  if (isSet(r.rewrite?.authority)) authority.push(['rewrite', 'authority']);
  for (const p of authorityHeaderPaths(r.headers)) authority.push(['headers', ...p]);
  if (authority.length > 1) {
    report(ctx, IssueCode.Conflict, 'the authority (Host) is rewritten in more than one place', {
      path: authority[1]!,
      hint: 'use either rewrite.authority or one :authority/Host header in headers.request',
    });
  }
}

/** networking HTTPRoute. `mirror_percent` is folded into `mirrorPercent` in the output. */
export const httpRoute = () =>
  obj(httpRouteShape)
    .superRefine(refineHttpRoute)
    .transform(({ mirror_percent, ...route }) => ({ ...route, mirrorPercent: route.mirrorPercent ?? mirror_percent }));

export type HttpRouteOutput = z.output<ReturnType<typeof httpRoute>>;
