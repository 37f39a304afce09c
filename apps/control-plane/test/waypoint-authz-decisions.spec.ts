import { fileURLToPath } from 'node:url';
import { AuthorizationEngine, PolicyStore, type Decision, type HttpRequest } from '@ambit/authz';
import { loadResources } from '@ambit/config-model/testing';
import { SpiffeId } from '@ambit/crypto';
import { describe, expect, it } from 'vitest';
import { translate, waypointAuthorizationPrefix, ALL_WAYPOINTS_AUTHORIZATION_PREFIX } from '../src/translator/index.js';

/**
 * The translator's real output for a golden input, as the waypoint `shop/waypoint`
 * receives it (its prefix and every waypoint's), enforced by the authorization engine's
 * `decideHttp`: what the waypoint answers to each request. This checks the two halves
 * agree on the encoding of HTTP attributes and scopes.
 */
const GOLDEN = fileURLToPath(new URL('../src/translator/__golden__/authorization-waypoint.in.yaml', import.meta.url));
const ORDERS = 'shop/orders.shop.svc.cluster.local';
const METRICS = 'shop/metrics.shop.svc.cluster.local';
const PAYMENTS = 'shop/payments.example.com';

function engine(): AuthorizationEngine {
  const prefix = waypointAuthorizationPrefix('shop/waypoint');
  const received = translate(loadResources(GOLDEN)).authorizations.filter((a) => a.name.startsWith(prefix) || a.name.startsWith(ALL_WAYPOINTS_AUTHORIZATION_PREFIX));
  const store = new PolicyStore();
  expect(store.apply({ upserted: received, removed: [] }).rejected).toEqual([]);
  return new AuthorizationEngine(store);
}

const TOKEN = { principal: 'https://issuer.example/alice', claims: { aud: 'payments', groups: ['payments'], org: { team: 'core' } } };

interface Call {
  readonly from?: string;
  readonly service?: string;
  readonly method?: string;
  readonly path?: string;
  readonly port?: number;
  readonly host?: string;
  readonly headers?: HttpRequest['headers'];
  readonly jwt?: HttpRequest['jwt'];
  readonly remoteIp?: string;
}

function decide(call: Call): Decision {
  const [namespace = '', serviceAccount = ''] = call.from?.split('/') ?? [];
  return engine().decideHttp({
    identity: call.from === undefined ? undefined : SpiffeId.of({ trustDomain: 'cluster.local', namespace, serviceAccount }),
    sourceIp: '10.200.0.1',
    remoteIp: call.remoteIp,
    destinationIp: '10.96.5.1',
    destinationPort: call.port ?? 80,
    service: 'service' in call ? call.service : ORDERS,
    host: call.host ?? 'orders.shop.svc.cluster.local',
    method: call.method ?? 'GET',
    path: call.path ?? '/api/orders/1',
    headers: call.headers ?? {},
    jwt: 'jwt' in call ? call.jwt : TOKEN,
  });
}

describe('waypoint authorization, translated and enforced', () => {
  it('lets named service accounts GET/POST /api/orders*, and only Prometheus read /metrics', () => {
    expect(decide({ from: 'shop/frontend' })).toMatchObject({ allowed: true, policy: 'shop/orders-api', rule: 0 });
    expect(decide({ from: 'shop/checkout', method: 'POST', path: '/api/orders' })).toMatchObject({ allowed: true, policy: 'shop/orders-api' });
    expect(decide({ from: 'shop/frontend', method: 'PUT' })).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched' });
    expect(decide({ from: 'shop/other' })).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched' });
    expect(decide({ from: 'monitoring/prometheus', service: METRICS, port: 9090, path: '/metrics' })).toMatchObject({ allowed: true, rule: 1 });
    expect(decide({ from: 'shop/frontend', service: METRICS, port: 9090, path: '/metrics' }).allowed).toBe(false);
  });

  it('refuses requests without a token at the whole waypoint, except /healthz and internal hosts', () => {
    expect(decide({ from: 'shop/frontend', jwt: undefined })).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: 'shop/require-jwt' });
    expect(decide({ from: 'shop/frontend', jwt: undefined, service: undefined })).toMatchObject({ allowed: false, policy: 'shop/require-jwt' });
    expect(decide({ from: 'shop/frontend', jwt: undefined, path: '/healthz' }).reason).toBe('no-allow-policy-matched');
    expect(decide({ from: 'shop/frontend', jwt: undefined, host: 'orders.svc.internal' })).toMatchObject({ allowed: true, policy: 'shop/orders-api' });
  });

  it('refuses DELETE on orders outright, its path template being unsupported (a DENY errs on refusing)', () => {
    expect(decide({ from: 'shop/frontend', method: 'DELETE', path: '/anything' })).toMatchObject({ allowed: false, policy: 'shop/deny-unsupported', rule: 0 });
  });

  it('evaluates header, claim, audience and remote-IP conditions', () => {
    const ok: Call = { from: 'shop/checkout', service: PAYMENTS, host: 'payments.example.com', headers: { 'x-tenant': 'acme' }, remoteIp: '203.0.113.7' };
    expect(decide(ok)).toMatchObject({ allowed: true, policy: 'shop/payments-conditions', rule: 0 });
    expect(decide({ ...ok, headers: { 'x-tenant': 'eu-test' } }).allowed).toBe(true);
    expect(decide({ ...ok, headers: { 'x-tenant': 'acme', 'x-debug': '' } }).allowed).toBe(false);
    expect(decide({ ...ok, headers: {} }).allowed).toBe(false);
    expect(decide({ ...ok, remoteIp: '198.51.100.1' }).allowed).toBe(false);
    expect(decide({ ...ok, jwt: { ...TOKEN, claims: { ...TOKEN.claims, org: { team: 'intern' } } } }).allowed).toBe(false);
    expect(decide({ ...ok, jwt: { ...TOKEN, claims: { ...TOKEN.claims, aud: ['web'] } } }).allowed).toBe(false);
    // The ALLOW rules with a path template and an Envoy-internal key were dropped: they admit nothing.
    expect(decide({ ...ok, from: 'shop/frontend', path: '/v1/x/refund' }).allowed).toBe(false);
  });

  it('reports the root namespace AUDIT on admin paths of orders, matching hosts without regard to case', () => {
    expect(decide({ from: 'shop/frontend', path: '/admin/x', host: 'ORDERS.shop.svc.cluster.local' }).audits).toEqual([{ policy: 'istio-system/audit-admin', action: 'AUDIT', rule: 0 }]);
  });
});
