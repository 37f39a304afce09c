import type { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, connection, exact, keyed, match, prefix, presence, request, rule, suffix, upsert, type PolicySpec, type RequestSpec } from '../__support__/policies.js';
import { PolicyStore } from '../policy/policy-store.js';
import { AuthorizationEngine } from './authorization-engine.js';

const CART = 'shop/cart.shop.svc.cluster.local';
const PROMETHEUS = 'cluster.local/ns/monitoring/sa/prometheus';
const WAYPOINT = 'waypoint/shop/waypoint/';

/** A waypoint's engine over policies given as `namespace/name` → spec (SERVICE scope on cart unless told). */
function engineOf(policies: Record<string, PolicySpec>): AuthorizationEngine {
  const store = new PolicyStore();
  const upserted = Object.entries(policies).map(([key, spec]) =>
    upsert(authorization(key, { scope: 'SERVICE', services: spec.scope === undefined || spec.scope === 'SERVICE' ? (spec.services ?? [CART]) : [], ...spec }), 'v1', WAYPOINT),
  );
  expect(store.apply({ upserted, removed: [] }).rejected).toEqual([]);
  return new AuthorizationEngine(store);
}

const allow = (...matches: Partial<securityV1.Match>[]): PolicySpec => ({ groups: [rule(...matches.map((m) => [match(m)]))] });
const deny = (...matches: Partial<securityV1.Match>[]): PolicySpec => ({ ...allow(...matches), action: 'DENY' });

describe('AuthorizationEngine.decideHttp', () => {
  it('allows every request when no policy is attached', () => {
    expect(engineOf({}).decideHttp(request())).toMatchObject({ allowed: true, reason: 'no-allow-policies' });
  });

  // USER-STORIES story 6: named principals may GET/POST /api/orders*, only Prometheus reads /metrics.
  const orders = engineOf({
    'shop/orders': {
      groups: [
        rule([match({ principals: [exact('cluster.local/ns/shop/sa/frontend')] })], [match({ methods: [exact('GET'), exact('POST')], paths: [prefix('/api/orders')] })]),
        rule([match({ principals: [exact(PROMETHEUS)] })], [match({ methods: [exact('GET')], paths: [exact('/metrics')] })]),
      ],
    },
  });
  const cases: [string, RequestSpec, boolean, number | undefined][] = [
    ['frontend GETs an order', { from: 'shop/frontend', path: '/api/orders/7?full=1' }, true, 0],
    ['frontend POSTs an order', { from: 'shop/frontend', method: 'POST', path: '/api/orders' }, true, 0],
    ['frontend DELETEs an order', { from: 'shop/frontend', method: 'DELETE', path: '/api/orders/7' }, false, undefined],
    ['frontend reads another path', { from: 'shop/frontend', path: '/api/users' }, false, undefined],
    ['frontend reads /metrics', { from: 'shop/frontend', path: '/metrics' }, false, undefined],
    ['Prometheus reads /metrics', { from: 'monitoring/prometheus', path: '/metrics' }, true, 1],
    ['Prometheus reads an order', { from: 'monitoring/prometheus', path: '/api/orders/7' }, false, undefined],
    ['a plaintext client GETs an order', { path: '/api/orders/7' }, false, undefined],
  ];
  it.each(cases)('%s', (_what, spec, allowed, ruleIndex) => {
    const decision = orders.decideHttp(request(spec));
    expect(decision).toMatchObject(allowed ? { allowed, reason: 'allow-policy-matched', policy: 'shop/orders', rule: ruleIndex } : { allowed, reason: 'no-allow-policy-matched' });
  });

  describe('request principals (a JWT RequestAuthentication verified)', () => {
    const jwt = { principal: 'https://issuer.example/alice', claims: { iss: 'https://issuer.example', sub: 'alice', aud: ['orders', 'web'], azp: 'web-app', groups: ['admin', 'dev'], org: { team: 'payments', size: 12 } } };

    it('DENY notRequestPrincipals ["*"] refuses a request without a token and passes one with a token', () => {
      const engine = engineOf({ 'shop/require-jwt': deny({ notRequestPrincipals: [presence] }) });
      expect(engine.decideHttp(request())).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: 'shop/require-jwt' });
      expect(engine.decideHttp(request({ jwt }))).toMatchObject({ allowed: true, reason: 'no-allow-policies' });
    });

    it('a rule that needs a request principal does not match without a token', () => {
      const engine = engineOf({ 'shop/p': allow({ requestPrincipals: [presence] }) });
      expect(engine.decideHttp(request()).allowed).toBe(false);
      expect(engine.decideHttp(request({ jwt })).allowed).toBe(true);
      expect(engineOf({ 'shop/p': allow({ requestPrincipals: [suffix('/bob')] }) }).decideHttp(request({ jwt })).allowed).toBe(false);
    });

    it('matches claims by path, list claims by any element, audiences and presenter', () => {
      const yes: Partial<securityV1.Match>[] = [
        { claims: [keyed(['groups'], [exact('admin')])] },
        { claims: [keyed(['org', 'team'], [prefix('pay')])] },
        { claims: [keyed(['org', 'size'], [exact('12')])] },
        { claims: [keyed(['groups'], [], [exact('ops')])] },
        { claims: [keyed(['missing'], [], [exact('x')])] },
        { audiences: [exact('orders')] },
        { notPresenters: [exact('cli')] },
      ];
      const no: Partial<securityV1.Match>[] = [
        { claims: [keyed(['groups'], [exact('ops')])] },
        { claims: [keyed(['groups'], [], [exact('dev')])] },
        { claims: [keyed(['org'], [presence])] },
        { claims: [keyed(['missing'], [presence])] },
        { audiences: [exact('billing')] },
        { presenters: [exact('cli')] },
      ];
      for (const m of yes) expect(engineOf({ 'shop/p': allow(m) }).decideHttp(request({ jwt })).allowed, JSON.stringify(m)).toBe(true);
      for (const m of no) expect(engineOf({ 'shop/p': allow(m) }).decideHttp(request({ jwt })).allowed, JSON.stringify(m)).toBe(false);
      // Without a token no claim is present.
      expect(engineOf({ 'shop/p': allow({ claims: [keyed(['groups'], [exact('admin')])] }) }).decideHttp(request()).allowed).toBe(false);
    });
  });

  it('matches hosts without regard to case, and a host with a port only through a pattern', () => {
    const engine = engineOf({ 'shop/p': allow({ hosts: [exact('cart.shop.svc.cluster.local'), prefix('cart.shop.svc.cluster.local:')] }) });
    for (const host of ['Cart.Shop.svc.cluster.local', 'cart.shop.svc.cluster.local:80']) expect(engine.decideHttp(request({ host })).allowed, host).toBe(true);
    expect(engine.decideHttp(request({ host: 'cart' })).allowed).toBe(false);
  });

  it('matches headers: values on a present header, notValues also on an absent one', () => {
    const engine = engineOf({ 'shop/p': allow({ headers: [keyed(['x-canary'], [exact('1')]), keyed(['x-debug'], [], [presence])] }) });
    expect(engine.decideHttp(request({ headers: { 'x-canary': '1' } })).allowed).toBe(true);
    expect(engine.decideHttp(request({ headers: { 'x-canary': '1', 'x-debug': '' } })).allowed).toBe(false);
    expect(engine.decideHttp(request({ headers: { 'x-canary': '2' } })).allowed).toBe(false);
    expect(engine.decideHttp(request()).allowed).toBe(false);
    // Several values are joined with "," as Envoy joins them.
    const joined = engineOf({ 'shop/p': allow({ headers: [keyed(['x-tags'], [exact('a,b')])] }) });
    expect(joined.decideHttp(request({ headers: { 'x-tags': ['a', 'b'] } })).allowed).toBe(true);
  });

  it('reads source IPs from the original client, remote IPs from X-Forwarded-For (or the client), SNI when there is one', () => {
    const bySource = engineOf({ 'shop/p': allow({ sourceIps: [cidr('10.0.0.0/8')] }) });
    const byRemote = engineOf({ 'shop/p': allow({ remoteIps: [cidr('203.0.113.0/24')] }) });
    expect(bySource.decideHttp(request({ sourceIp: '10.1.2.3', remoteIp: '203.0.113.9' })).allowed).toBe(true);
    expect(byRemote.decideHttp(request({ sourceIp: '10.1.2.3', remoteIp: '203.0.113.9' })).allowed).toBe(true);
    expect(byRemote.decideHttp(request({ sourceIp: '10.1.2.3' })).allowed).toBe(false);
    expect(byRemote.decideHttp(request({ sourceIp: '203.0.113.1' })).allowed).toBe(true);
    const bySni = engineOf({ 'shop/p': allow({ serverNames: [suffix('.example.com')] }) });
    expect(bySni.decideHttp(request({ sni: 'api.example.com' })).allowed).toBe(true);
    expect(bySni.decideHttp(request()).allowed).toBe(false);
    expect(engineOf({ 'shop/p': allow({ notServerNames: [presence] }) }).decideHttp(request()).allowed).toBe(true);
  });

  it('applies a SERVICE policy to its services only, a WAYPOINT policy to every request, workload-addressed ones too', () => {
    const engine = engineOf({
      'shop/cart-only': { ...deny({ methods: [exact('DELETE')] }), services: [CART] },
      'shop/everything': { ...deny({ paths: [exact('/admin')] }), scope: 'WAYPOINT' },
    });
    expect(engine.decideHttp(request({ method: 'DELETE' }))).toMatchObject({ allowed: false, policy: 'shop/cart-only' });
    expect(engine.decideHttp(request({ method: 'DELETE', service: 'shop/orders.shop.svc.cluster.local' })).allowed).toBe(true);
    expect(engine.decideHttp(request({ method: 'DELETE', service: undefined })).allowed).toBe(true);
    for (const service of [CART, 'shop/orders.shop.svc.cluster.local', undefined]) {
      expect(engine.decideHttp(request({ path: '/admin', service }))).toMatchObject({ allowed: false, policy: 'shop/everything' });
    }
  });

  it('refuses on a matching DENY before any ALLOW, and by default once an ALLOW applies', () => {
    const engine = engineOf({ 'shop/a-allow': allow({ methods: [exact('GET')] }), 'shop/b-deny': deny({ paths: [prefix('/private')] }) });
    expect(engine.decideHttp(request({ path: '/private/x' }))).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: 'shop/b-deny', rule: 0 });
    expect(engine.decideHttp(request({ path: '/public' }))).toMatchObject({ allowed: true, reason: 'allow-policy-matched', policy: 'shop/a-allow' });
    expect(engine.decideHttp(request({ method: 'PUT', path: '/public' }))).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched' });
  });

  it('reports AUDIT and dry-run matches without deciding', () => {
    const engine = engineOf({ 'shop/audit': { ...allow({ paths: [prefix('/api')] }), action: 'AUDIT' }, 'shop/trial': { ...deny({ methods: [exact('GET')] }), dryRun: true } });
    expect(engine.decideHttp(request({ path: '/api/x' }))).toMatchObject({
      allowed: true,
      reason: 'no-allow-policies',
      audits: [{ policy: 'shop/audit', action: 'AUDIT', rule: 0 }],
      dryRun: [{ policy: 'shop/trial', action: 'DENY', rule: 0 }],
    });
  });

  it('refuses a request whose client address does not parse', () => {
    expect(engineOf({}).decideHttp(request({ sourceIp: 'nowhere' }))).toMatchObject({ allowed: false, reason: 'malformed-connection' });
    expect(engineOf({}).decideHttp(request({ remoteIp: '1.2.3' }))).toMatchObject({ allowed: false, reason: 'malformed-connection' });
  });

  it('at L4 sees no HTTP attribute: a positive HTTP field never holds, a not_ field always does', () => {
    const store = new PolicyStore();
    store.apply({
      upserted: [
        upsert(authorization('default/needs-path', { scope: 'NAMESPACE', groups: [rule([match({ paths: [presence] })])] })),
        upsert(authorization('default/no-token', { scope: 'NAMESPACE', action: 'AUDIT', groups: [rule([match({ notRequestPrincipals: [presence] })])] })),
      ],
      removed: [],
    });
    expect(new AuthorizationEngine(store).decide(connection({ from: 'shop/frontend' }))).toMatchObject({
      allowed: false,
      reason: 'no-allow-policy-matched',
      audits: [{ policy: 'default/no-token' }],
    });
  });
});
