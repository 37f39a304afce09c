import { describe, expect, it } from 'vitest';
import type { l7V1 } from '@ambit/xds';
import { exact, prefix, regex, routeMatch } from '../__support__/resources.js';
import { viewOf } from '../__support__/request-view.js';
import { redirectLocation } from './redirect.js';
import { compileRewrite, matchedUris } from './rewrite.js';

const invalid = (field: string, reason: string): never => {
  throw new Error(`${field}: ${reason}`);
};

function rewrite(rw: Partial<l7V1.Rewrite>, matches: l7V1.RouteMatch[] = []) {
  return compileRewrite({ uri: '', uriRegex: null, authority: '', ...rw }, matchedUris(matches), 'rewrite', invalid)!;
}

describe('rewrite', () => {
  it('replaces the matched prefix, or the whole path for exact and regex matches', () => {
    const matches = [routeMatch({ uri: prefix('/api/') }), routeMatch({ uri: exact('/old') }), routeMatch({ uri: regex('/r.*') })];
    const rw = rewrite({ uri: '/v2/' }, matches);
    expect(rw.path('/api/users', 0)).toBe('/v2/users');
    expect(rw.path('/old', 1)).toBe('/v2/');
    expect(rw.path('/rx/y', 2)).toBe('/v2/');
  });

  it('treats a route without uri match as prefix "/"', () => {
    expect(rewrite({ uri: '/v2/' }).path('/users', 0)).toBe('/v2/users');
  });

  it('applies a regex rewrite to every match with \\N groups', () => {
    const rw = rewrite({ uriRegex: { pattern: '^/service/([^/]+)(/.*)$', substitution: '\\2/instance/\\1' } });
    expect(rw.path('/service/foo/v1/api', 0)).toBe('/v1/api/instance/foo');
    expect(rewrite({ uriRegex: { pattern: 'a', substitution: 'b' } }).path('/banana', 0)).toBe('/bbnbnb');
  });

  it('rewrites the authority alone', () => {
    const rw = rewrite({ authority: 'internal.svc' });
    expect(rw.authority).toBe('internal.svc');
    expect(rw.path('/x', 0)).toBe('/x');
  });
});

describe('redirect location', () => {
  const redirect = (r: Partial<l7V1.Redirect>): l7V1.Redirect => ({ uri: '', authority: '', port: 0, portFromRequest: false, scheme: '', status: 0, ...r });
  const request = viewOf({ host: 'shop.example.com:8080', url: '/cart?id=7' });

  it.each([
    ['uri only (default port of the scheme)', redirect({ uri: '/basket' }), 'http://shop.example.com/basket?id=7'],
    ['https scheme', redirect({ scheme: 'https' }), 'https://shop.example.com/cart?id=7'],
    ['authority and port', redirect({ authority: 'other.com', port: 9090 }), 'http://other.com:9090/cart?id=7'],
    ['port from the request', redirect({ portFromRequest: true }), 'http://shop.example.com:8080/cart?id=7'],
    ['default port left out', redirect({ scheme: 'https', port: 443 }), 'https://shop.example.com/cart?id=7'],
  ])('%s', (_name, r, location) => {
    expect(redirectLocation(r, request)).toBe(location);
  });
});
