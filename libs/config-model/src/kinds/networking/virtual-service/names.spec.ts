import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGatewayName, checkGeneratedSniHost, checkVirtualServiceHost, hostIsSubsetOf, hostsOverlap } from './names.js';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const wildcard = fc.oneof(
  fc.constant('*'),
  fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `*.${labels.join('.')}`),
);
const host = fc.oneof(name, wildcard);

describe('hostsOverlap', () => {
  it('matches equal names and wildcards that cover a name', () => {
    expect(hostsOverlap('a.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('a.example.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', '*.com')).toBe(true);
    expect(hostsOverlap('*', 'anything.at.all')).toBe(true);
    expect(hostsOverlap('a.example.com', 'b.example.com')).toBe(false);
    expect(hostsOverlap('*.example.com', '*.example.org')).toBe(false);
    expect(hostsOverlap('*.example.com', 'example.com')).toBe(false);
  });

  it('is symmetric and reflexive', () => {
    fc.assert(fc.property(host, host, (a, b) => hostsOverlap(a, b) === hostsOverlap(b, a)));
    fc.assert(fc.property(host, (a) => hostsOverlap(a, a)));
  });

  it('holds whenever one host is a subset of the other', () => {
    fc.assert(fc.property(host, host, (a, b) => !hostIsSubsetOf(a, b) || hostsOverlap(a, b)));
  });
});

describe('hostIsSubsetOf', () => {
  it('accepts names under a wildcard and refuses the reverse', () => {
    expect(hostIsSubsetOf('login.bookinfo.com', '*.bookinfo.com')).toBe(true);
    expect(hostIsSubsetOf('*.eu.bookinfo.com', '*.bookinfo.com')).toBe(true);
    expect(hostIsSubsetOf('*.bookinfo.com', 'login.bookinfo.com')).toBe(false);
    expect(hostIsSubsetOf('*.com', '*.bookinfo.com')).toBe(false);
    expect(hostIsSubsetOf('login.example.com', '*.bookinfo.com')).toBe(false);
    expect(hostIsSubsetOf('anything', '*')).toBe(true);
  });

  it('is reflexive and transitive', () => {
    fc.assert(fc.property(host, (a) => hostIsSubsetOf(a, a)));
    fc.assert(fc.property(host, host, host, (a, b, c) => !(hostIsSubsetOf(a, b) && hostIsSubsetOf(b, c)) || hostIsSubsetOf(a, c)));
  });

  it('puts every name under "*" and under the wildcard of its parent domain', () => {
    fc.assert(
      fc.property(label, name, (first, parent) => {
        const full = `${first}.${parent}`;
        return hostIsSubsetOf(full, '*') && hostIsSubsetOf(full, `*.${parent}`);
      }),
    );
  });
});

describe('VirtualService hosts', () => {
  it('accepts IP addresses and, on gateways, generated SNI names as VirtualService hosts', () => {
    expect(checkVirtualServiceHost('10.0.0.1', { gatewayBound: false, sni: false })).toBeUndefined();
    expect(checkVirtualServiceHost('outbound_.80_._.e2e.foobar.mesh', { gatewayBound: true, sni: true })).toBeUndefined();
    expect(checkVirtualServiceHost('outbound_.80_._.e2e.foobar.mesh', { gatewayBound: false, sni: true })).toBeDefined();
    expect(checkGeneratedSniHost('outbound_.http_._.foo')).toContain('not a port');
    expect(checkGeneratedSniHost('outbound_.80')).toContain('must have the form');
  });
});

describe('checkGatewayName', () => {
  it('accepts namespace/name, bare names and mesh', () => {
    for (const ok of ['mesh', 'my-gateway', 'istio-system/public', 'public.istio-system.svc.cluster.local']) {
      expect(checkGatewayName(ok)).toBeUndefined();
    }
  });

  it('refuses empty parts and invalid labels', () => {
    expect(checkGatewayName('/gw')).toContain('neither part empty');
    expect(checkGatewayName('ns/')).toContain('neither part empty');
    expect(checkGatewayName('ns/my_gw')).toContain('invalid name');
    expect(checkGatewayName('bad ns/gw')).toContain('invalid namespace');
    expect(checkGatewayName('my_gateway')).toContain('invalid');
  });
});
