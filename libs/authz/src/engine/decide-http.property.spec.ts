import type { securityV1 } from '@ambit/xds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, exact, keyed, match, prefix, presence, request, rule, suffix, upsert, type RequestSpec } from '../__support__/policies.js';
import { PolicyStore } from '../policy/policy-store.js';
import { AuthorizationEngine } from './authorization-engine.js';

const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 300);
const SERVICES = ['shop/cart.shop.svc.cluster.local', 'shop/orders.shop.svc.cluster.local'];

// Small domains, so that random policies and requests often meet.
const requestSpec: fc.Arbitrary<RequestSpec> = fc.record({
  from: fc.option(fc.constantFrom('shop/a', 'shop/b', 'other/a'), { nil: undefined }),
  service: fc.option(fc.constantFrom(...SERVICES), { nil: undefined }),
  host: fc.constantFrom('cart', 'CART.shop', 'orders.shop:80', ''),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/', '/api/orders', '/api/orders/1?x=y', '/metrics', '/admin#top'),
  remoteIp: fc.option(fc.constantFrom('10.0.0.1', '203.0.113.5', '2001:db8::1'), { nil: undefined }),
  headers: fc.dictionary(fc.constantFrom('x-a', 'x-b'), fc.constantFrom('1', '2', '', 'a,b')),
  jwt: fc.option(fc.record({ principal: fc.constantFrom('iss/alice', 'iss/bob'), claims: fc.record({ aud: fc.constantFrom('web', ['web', 'api']), groups: fc.constantFrom(['admin'], ['dev', 'ops'], 'admin') }) }), { nil: undefined }),
  sni: fc.option(fc.constantFrom('cart.example.com', ''), { nil: undefined }),
});

const stringMatch: fc.Arbitrary<securityV1.StringMatch> = fc.oneof(
  fc.constantFrom('GET', '/metrics', 'cart', 'iss/alice', 'web', 'admin', '1').map(exact),
  fc.constantFrom('/api', 'cart', 'iss/', 'or').map(prefix),
  fc.constantFrom('/1', 'shop', 'alice', 'ops', '.com').map(suffix),
  fc.constant(presence),
);
const strings = fc.array(stringMatch, { minLength: 1, maxLength: 3 });

/** Each HTTP field with its not_ form and values for it. */
const PAIRS: [keyof securityV1.Match, keyof securityV1.Match, fc.Arbitrary<unknown[]>][] = [
  ['hosts', 'notHosts', strings],
  ['methods', 'notMethods', strings],
  ['paths', 'notPaths', strings],
  ['requestPrincipals', 'notRequestPrincipals', strings],
  ['audiences', 'notAudiences', strings],
  ['presenters', 'notPresenters', strings],
  ['serverNames', 'notServerNames', strings],
  ['remoteIps', 'notRemoteIps', fc.array(fc.constantFrom('10.0.0.0/8', '203.0.113.0/24', '::/0').map(cidr), { minLength: 1, maxLength: 2 })],
];

const httpMatch: fc.Arbitrary<securityV1.Match> = fc
  .record(
    {
      methods: fc.array(stringMatch, { maxLength: 2 }),
      paths: fc.array(stringMatch, { maxLength: 2 }),
      notPaths: fc.array(stringMatch, { maxLength: 2 }),
      notRequestPrincipals: fc.array(stringMatch, { maxLength: 1 }),
      headers: fc.array(fc.tuple(fc.constantFrom('x-a', 'x-b'), strings).map(([name, values]) => keyed([name], values)), { maxLength: 1 }),
    },
    { requiredKeys: [] },
  )
  .map((fields) => match(fields));
const groups = fc.array(fc.array(httpMatch, { minLength: 1, maxLength: 2 }).map((matches) => rule(matches)), { maxLength: 2 });
interface Policy {
  readonly name?: string;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT';
  readonly groups: securityV1.Group[];
  readonly services: string[];
  readonly waypoint: boolean;
}

const policies: fc.Arbitrary<Policy[]> = fc
  .array(fc.record({ action: fc.constantFrom('ALLOW' as const, 'DENY' as const, 'AUDIT' as const), groups, services: fc.subarray(SERVICES, { minLength: 1 }), waypoint: fc.boolean() }), { maxLength: 4 })
  .map((list) => list.map((p, i) => ({ ...p, name: `p${i}` })));

function decide(list: readonly Policy[], spec: RequestSpec) {
  const store = new PolicyStore();
  const upserted = list.map((p, i) =>
    upsert(authorization(`shop/${p.name ?? `p${i}`}`, { action: p.action, groups: p.groups, scope: p.waypoint ? 'WAYPOINT' : 'SERVICE', services: p.waypoint ? [] : p.services }), 'v1', 'waypoint/shop/waypoint/'),
  );
  store.apply({ upserted, removed: [] });
  return new AuthorizationEngine(store).decideHttp(request(spec));
}

describe('AuthorizationEngine.decideHttp properties', () => {
  it('a not_ field matches exactly the requests its positive form does not', () => {
    for (const [positive, negative, values] of PAIRS) {
      fc.assert(
        fc.property(values, requestSpec, (v, spec) => {
          const allowing = (field: keyof securityV1.Match) => [{ action: 'ALLOW' as const, groups: [rule([match({ [field]: v })])], services: [], waypoint: true }];
          expect(decide(allowing(positive), spec).allowed).toBe(!decide(allowing(negative), spec).allowed);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('without a verified JWT no request-principal, audience or claim value is present', () => {
    fc.assert(
      fc.property(strings, fc.constantFrom('requestPrincipals' as const, 'audiences' as const, 'presenters' as const, 'claims' as const), requestSpec, (values, field, spec) => {
        const m = field === 'claims' ? match({ claims: [keyed(['groups'], values)] }) : match({ [field]: values });
        expect(decide([{ action: 'ALLOW', groups: [rule([m])], services: [], waypoint: true }], { ...spec, jwt: undefined }).allowed).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('a matching DENY refuses whatever ALLOW policies say; AUDIT never changes the outcome', () => {
    fc.assert(
      fc.property(policies, requestSpec, (list, spec) => {
        const denyAll: Policy = { name: 'deny-all', action: 'DENY', groups: [rule()], services: [], waypoint: true };
        expect(decide([...list, denyAll], spec)).toMatchObject({ allowed: false, reason: 'deny-policy-matched' });
        const a = decide(list, spec);
        const b = decide(
          list.filter((p) => p.action !== 'AUDIT'),
          spec,
        );
        expect([a.allowed, a.reason, a.policy]).toEqual([b.allowed, b.reason, b.policy]);
      }),
      { numRuns: RUNS },
    );
  });

  it('SERVICE policies of other services never change the outcome', () => {
    fc.assert(
      fc.property(policies, requestSpec, (list, spec) => {
        const relevant = list.filter((p) => p.waypoint || (spec.service !== undefined && p.services.includes(spec.service)));
        const a = decide(list, spec);
        const b = decide(relevant, spec);
        expect([a.allowed, a.reason]).toEqual([b.allowed, b.reason]);
      }),
      { numRuns: RUNS },
    );
  });
});
