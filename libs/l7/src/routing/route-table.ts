import type { l7V1 } from '@ambit/xds';
import { InvalidL7ResourceError } from '../errors.js';
import { compileCors, type Cors } from '../filters/cors.js';
import { grpcStatusCode } from '../filters/fault.js';
import { compileHeaderOperations, type HeaderOperations } from '../filters/header-operations.js';
import { RetryPolicy } from '../router/retry-policy.js';
import type { RequestView } from './request-view.js';
import { compileRewrite, matchedUris, type PathRewrite } from './rewrite.js';
import { compileRouteMatches } from './route-matcher.js';
import type { Invalid } from './string-matcher.js';
import { VirtualHostSelector } from './virtual-host-selector.js';
import { WeightedPick } from './weighted-pick.js';

export interface WeightedDestination {
  /** Empty: no such service or subset (answered 503 NC). */
  readonly cluster: string;
  readonly requestHeaders: HeaderOperations | undefined;
  readonly responseHeaders: HeaderOperations | undefined;
}

export interface ForwardAction {
  readonly kind: 'forward';
  readonly destinations: WeightedPick<WeightedDestination>;
  readonly rewrite: PathRewrite | undefined;
  readonly timeoutMs: number;
  readonly retries: RetryPolicy | undefined;
  readonly mirrors: readonly l7V1.Mirror[];
}

export type RouteAction =
  | ForwardAction
  | { readonly kind: 'redirect'; readonly redirect: l7V1.Redirect }
  | { readonly kind: 'directResponse'; readonly status: number; readonly body: Buffer; readonly responseFlag: string };

export interface CompiledRoute {
  readonly name: string;
  readonly match: (request: RequestView) => number;
  readonly action: RouteAction;
  readonly requestHeaders: HeaderOperations | undefined;
  readonly responseHeaders: HeaderOperations | undefined;
  readonly fault: l7V1.FaultInjection | undefined;
  readonly cors: Cors | undefined;
}

/** The route that took a request, and which of its matches matched (for uri rewrites). */
export interface RouteSelection {
  readonly route: CompiledRoute;
  readonly matchIndex: number;
}

/** A RouteTable compiled once per xDS update: virtual host by host, then the first matching route. */
export class CompiledRouteTable {
  readonly #hosts: VirtualHostSelector<readonly CompiledRoute[]>;

  private constructor(hosts: VirtualHostSelector<readonly CompiledRoute[]>) {
    this.#hosts = hosts;
  }

  /** Throws InvalidL7ResourceError naming the table and the field. */
  static compile(name: string, table: l7V1.RouteTable): CompiledRouteTable {
    const invalid: Invalid = (field, reason) => {
      throw new InvalidL7ResourceError(`RouteTable ${name}`, field, reason);
    };
    const hosts = table.virtualHosts.map((vhost, v) => ({
      domains: vhost.domains,
      value: vhost.routes.map((route, r) => compileRoute(route, `virtualHosts[${v}].routes[${r}]`, invalid)),
    }));
    return new CompiledRouteTable(new VirtualHostSelector(hosts));
  }

  /** Undefined: no virtual host or no route for the request (404 NR). */
  route(request: RequestView): RouteSelection | undefined {
    const routes = this.#hosts.select(request.host);
    if (routes === undefined) return undefined;
    for (const route of routes) {
      const matchIndex = route.match(request);
      if (matchIndex >= 0) return { route, matchIndex };
    }
    return undefined;
  }
}

function compileRoute(route: l7V1.Route, field: string, invalid: Invalid): CompiledRoute {
  return {
    name: route.name,
    match: compileRouteMatches(route.matches, `${field}.matches`, invalid),
    action: compileAction(route, field, invalid),
    requestHeaders: compileHeaderOperations(route.requestHeaders),
    responseHeaders: compileHeaderOperations(route.responseHeaders),
    fault: route.fault === null ? undefined : checkFault(route.fault, `${field}.fault`, invalid),
    cors: compileCors(route.cors, `${field}.cors`, invalid),
  };
}

function compileAction(route: l7V1.Route, field: string, invalid: Invalid): RouteAction {
  switch (route.action) {
    case 'forward': {
      const forward = route.forward;
      const f = `${field}.forward`;
      if (forward.clusters.length === 0) invalid(`${f}.clusters`, 'is empty');
      const total = forward.clusters.reduce((sum, c) => sum + c.weight, 0);
      // One destination needs no weight; a split needs a positive total (the control plane sends 100).
      if (forward.clusters.length > 1 && total <= 0) invalid(`${f}.clusters`, 'weights add up to 0');
      const destinations = new WeightedPick(
        forward.clusters.map((c) => ({
          weight: forward.clusters.length === 1 ? 1 : c.weight,
          value: { cluster: c.cluster, requestHeaders: compileHeaderOperations(c.requestHeaders), responseHeaders: compileHeaderOperations(c.responseHeaders) },
        })),
      );
      forward.mirrors.forEach((m, i) => {
        if (!(m.percent >= 0 && m.percent <= 100)) invalid(`${f}.mirrors[${i}].percent`, `${m.percent} is not within 0-100`);
      });
      return {
        kind: 'forward',
        destinations,
        rewrite: compileRewrite(forward.rewrite, matchedUris(route.matches), `${f}.rewrite`, invalid),
        timeoutMs: forward.timeoutMs,
        retries: forward.retries === null || forward.retries.attempts === 0 ? undefined : new RetryPolicy(forward.retries),
        mirrors: forward.mirrors.filter((m) => m.cluster !== '' && m.percent > 0),
      };
    }
    case 'redirect':
      if (route.redirect.scheme !== '' && !['http', 'https'].includes(route.redirect.scheme.toLowerCase())) {
        invalid(`${field}.redirect.scheme`, `${JSON.stringify(route.redirect.scheme)} is not http or https`);
      }
      checkStatus(route.redirect.status === 0 ? 301 : route.redirect.status, 300, 399, `${field}.redirect.status`, invalid);
      return { kind: 'redirect', redirect: route.redirect };
    case 'directResponse':
      checkStatus(route.directResponse.status, 200, 599, `${field}.directResponse.status`, invalid);
      return {
        kind: 'directResponse',
        status: route.directResponse.status,
        body: Buffer.from(route.directResponse.body),
        responseFlag: route.directResponse.responseFlag,
      };
    default:
      return invalid(field, 'has no action (forward, redirect or directResponse)');
  }
}

function checkFault(fault: l7V1.FaultInjection, field: string, invalid: Invalid): l7V1.FaultInjection {
  const percents: [string, number | undefined][] = [
    ['delay', fault.delay?.percent],
    ['abort', fault.abort?.percent],
  ];
  for (const [name, percent] of percents) {
    if (percent !== undefined && !(percent >= 0 && percent <= 100)) invalid(`${field}.${name}.percent`, `${percent} is not within 0-100`);
  }
  const abort = fault.abort;
  if (abort?.error === 'httpStatus') checkStatus(abort.httpStatus, 200, 599, `${field}.abort.httpStatus`, invalid);
  if (abort?.error === 'grpcStatus' && grpcStatusCode(abort.grpcStatus) === undefined) {
    invalid(`${field}.abort.grpcStatus`, `${JSON.stringify(abort.grpcStatus)} is not a gRPC status name`);
  }
  return fault;
}

function checkStatus(status: number, min: number, max: number, field: string, invalid: Invalid): void {
  if (!(Number.isInteger(status) && status >= min && status <= max)) invalid(field, `${status} is not a status within ${min}-${max}`);
}
