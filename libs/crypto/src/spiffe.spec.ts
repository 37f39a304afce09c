import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSpiffeIdError, type SpiffeIdPart } from './errors.js';
import { spiffeIdSetting } from './spiffe-setting.js';
import { checkTrustDomain, SpiffeId } from './spiffe.js';

const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 200);

describe('SpiffeId', () => {
  it('parses and formats Istio identities', () => {
    const id = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    expect(id.trustDomain).toBe('cluster.local');
    expect(id.namespace).toBe('default');
    expect(id.serviceAccount).toBe('bookinfo-productpage');
    expect(id.toString()).toBe('spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    expect(JSON.stringify({ id })).toBe('{"id":"spiffe://cluster.local/ns/default/sa/bookinfo-productpage"}');
  });

  it('builds from parts', () => {
    const id = SpiffeId.of({ trustDomain: 'example.org', namespace: 'ns-1', serviceAccount: 'sa.v2' });
    expect(id.toString()).toBe('spiffe://example.org/ns/ns-1/sa/sa.v2');
    expect(() => SpiffeId.of({ trustDomain: 'example.org', namespace: 'a/b', serviceAccount: 'x' })).toThrow(InvalidSpiffeIdError);
    expect(() => SpiffeId.of({ trustDomain: 'Example.org', namespace: 'a', serviceAccount: 'x' })).toThrow(/trust domain/);
  });

  it('compares by value', () => {
    const a = SpiffeId.parse('spiffe://td/ns/a/sa/b');
    expect(a.equals(SpiffeId.of({ trustDomain: 'td', namespace: 'a', serviceAccount: 'b' }))).toBe(true);
    expect(a.equals(SpiffeId.parse('spiffe://td/ns/a/sa/c'))).toBe(false);
    expect(a.equals(SpiffeId.parse('spiffe://td2/ns/a/sa/b'))).toBe(false);
  });

  const BAD: ReadonlyArray<readonly [string, SpiffeIdPart]> = [
    ['', 'scheme'],
    ['https://td/ns/a/sa/b', 'scheme'],
    ['SPIFFE://td/ns/a/sa/b', 'scheme'],
    ['spiffe:/td/ns/a/sa/b', 'scheme'],
    ['spiffe:///ns/a/sa/b', 'trust domain'],
    ['spiffe://TD/ns/a/sa/b', 'trust domain'],
    ['spiffe://td:443/ns/a/sa/b', 'trust domain'],
    ['spiffe://user@td/ns/a/sa/b', 'trust domain'],
    ['spiffe://td_under/ns/a/sa/b', 'trust domain'],
    ['spiffe://-td/ns/a/sa/b', 'trust domain'],
    ['spiffe://a..b/ns/a/sa/b', 'trust domain'],
    [`spiffe://${'a'.repeat(64)}.com/ns/a/sa/b`, 'trust domain'],
    [`spiffe://${'a.'.repeat(128)}com/ns/a/sa/b`, 'trust domain'],
    ['spiffe://td', 'path'],
    ['spiffe://td/', 'path'],
    ['spiffe://td/ns/a', 'path'],
    ['spiffe://td/ns/a/sa/b/', 'path'],
    ['spiffe://td/ns/a/sa/b/c', 'path'],
    ['spiffe://td/sa/b/ns/a', 'path'],
    ['spiffe://td//ns/a/sa/b', 'path'],
    ['spiffe://td/ns//sa/b', 'namespace'],
    ['spiffe://td/ns/Default/sa/b', 'namespace'],
    ['spiffe://td/ns/a.b/sa/b', 'namespace'],
    ['spiffe://td/ns/-a/sa/b', 'namespace'],
    [`spiffe://td/ns/${'a'.repeat(64)}/sa/b`, 'namespace'],
    ['spiffe://td/ns/%61/sa/b', 'namespace'],
    ['spiffe://td/ns/a/sa/', 'service account'],
    ['spiffe://td/ns/a/sa/B', 'service account'],
    ['spiffe://td/ns/a/sa/b?x=1', 'service account'],
    ['spiffe://td/ns/a/sa/b#frag', 'service account'],
    ['spiffe://td/ns/a/sa/b..c', 'service account'],
    [`spiffe://td/ns/a/sa/${'b'.repeat(254)}`, 'service account'],
    [`spiffe://td/ns/a/sa/${'b'.repeat(3000)}`, 'uri'],
  ];

  it.each(BAD)('refuses %j, naming the %s', (uri, part) => {
    let error: unknown;
    try {
      SpiffeId.parse(uri);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidSpiffeIdError);
    expect((error as InvalidSpiffeIdError).part).toBe(part);
    expect((error as InvalidSpiffeIdError).code).toBe('AMBIT_ERR_CRYPTO_SPIFFE_ID');
    expect((error as InvalidSpiffeIdError).message).toContain(part);
  });

  it('accepts the longest valid parts', () => {
    const namespace = 'n'.repeat(63);
    const serviceAccount = `${'s'.repeat(63)}.${'s'.repeat(63)}.${'s'.repeat(63)}.${'s'.repeat(61)}`;
    expect(SpiffeId.parse(`spiffe://td/ns/${namespace}/sa/${serviceAccount}`).serviceAccount).toHaveLength(253);
  });

  it('checks trust domains alone', () => {
    expect(checkTrustDomain('cluster.local')).toBeUndefined();
    expect(checkTrustDomain('')).toMatch(/empty/);
    expect(checkTrustDomain('Cluster.local')).toMatch(/lower-case DNS name/);
  });
});

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const parts = fc.record({
  trustDomain: fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
  namespace: label,
  serviceAccount: fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.')),
});

describe('SpiffeId properties', () => {
  it('format then parse gives the same identity', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const id = SpiffeId.of(p);
        const back = SpiffeId.parse(id.toString());
        expect(back.equals(id)).toBe(true);
        expect(back.trustDomain).toBe(p.trustDomain);
        expect(back.namespace).toBe(p.namespace);
        expect(back.serviceAccount).toBe(p.serviceAccount);
      }),
      { numRuns: RUNS },
    );
  });

  it('parse either fails with InvalidSpiffeIdError or round-trips byte for byte', () => {
    const near = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.tuple(parts, fc.string({ maxLength: 4 }), fc.nat(60)).map(([p, noise, at]) => {
        const uri = SpiffeId.of(p).toString();
        return uri.slice(0, at) + noise + uri.slice(at);
      }),
    );
    fc.assert(
      fc.property(near, (uri) => {
        try {
          expect(SpiffeId.parse(uri).toString()).toBe(uri);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidSpiffeIdError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('spiffeIdSetting', () => {
  it('takes a SPIFFE ID as a setting, and refuses anything else without throwing', () => {
    expect(spiffeIdSetting.parse('spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane')).toBe('spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane');
    for (const bad of ['', 'spiffe://Cluster.local/ns/a/sa/b', 'http://x', 'spiffe://td/ns/a']) expect(spiffeIdSetting.parse(bad)).toBeUndefined();
  });
});
