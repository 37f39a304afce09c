import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGatewayHost, checkPartialWildcard, checkSidecarEgressHost, checkUnixAddress } from './hosts.js';

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const fqdn = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/)).map(([ls, tld]) => [...ls, tld].join('.'));

describe('checkGatewayHost', () => {
  it.each(['*', 'uk.bookinfo.com', '*.bookinfo.com', 'ns1/*', 'ns2/foo.bar.com', './foo.example.com', '*/foo.example.com', '192.168.1.10', 'Prod/*.example.com'])(
    'accepts %s',
    (host) => expect(checkGatewayHost(host)).toBeUndefined(),
  );

  it.each([
    ['reviews', 'short name'],
    ['~/foo.example.com', 'invalid namespace "~"'],
    ['bad_ns/foo.example.com', 'invalid namespace "bad_ns"'],
    ['/foo.example.com', 'must not be empty'],
    ['prod/', 'must not be empty'],
    ['*foo.example.com', 'partial wildcard'],
    ['foo.*.example.com', 'invalid'],
    ['foo.example.123', 'all-numeric'],
  ])('rejects %s', (host, message) => {
    expect(checkGatewayHost(host)).toContain(message);
  });

  it('accepts any FQDN with or without a namespace prefix', () => {
    fc.assert(
      fc.property(fqdn, fc.constantFrom('', '*/', './', 'prod/'), (host, prefix) => {
        expect(checkGatewayHost(prefix + host)).toBeUndefined();
        expect(checkGatewayHost(`${prefix}*.${host}`)).toBeUndefined();
      }),
    );
  });
});

describe('checkSidecarEgressHost', () => {
  it.each(['./*', 'istio-system/*', '*/*', '~/*', 'prod-us1/*', '*/mysql.foo.com', './*.example.com'])('accepts %s', (host) => {
    expect(checkSidecarEgressHost(host)).toBeUndefined();
  });

  it.each([
    ['reviews.default.svc.cluster.local', 'namespace/dnsName'],
    ['default/reviews', 'short name'],
    ['*/*foo.com', 'partial wildcard'],
    ['*/10.0.0.1', 'all-numeric'],
    ['a_b/*', 'invalid namespace'],
  ])('rejects %s', (host, message) => {
    expect(checkSidecarEgressHost(host)).toContain(message);
  });

  it('requires the namespace/ prefix for every host', () => {
    fc.assert(
      fc.property(fqdn, (host) => {
        expect(checkSidecarEgressHost(host)).toContain('namespace/dnsName');
      }),
    );
  });
});

describe('partial wildcards and unix addresses', () => {
  it('checkPartialWildcard allows only "*" and "*." prefixes', () => {
    expect(checkPartialWildcard('*')).toBeUndefined();
    expect(checkPartialWildcard('*.a.com')).toBeUndefined();
    expect(checkPartialWildcard('*a.com')).toBeDefined();
    expect(checkPartialWildcard('a*.com')).toBeDefined();
  });

  it('unix addresses are absolute file paths or abstract names', () => {
    expect(checkUnixAddress('/var/run/a.sock')).toBeUndefined();
    expect(checkUnixAddress('@abstract')).toBeUndefined();
    expect(checkUnixAddress('var/run/a.sock')).toBeDefined();
    expect(checkUnixAddress('/var/run/')).toBeDefined();
    expect(checkUnixAddress('')).toBeDefined();
  });
});
