import { describe, expect, it } from 'vitest';
import type { l7V1 } from '@ambit/xds';
import { InvalidL7ResourceError } from '../errors.js';
import { directRoute, exact, forwardRoute, headerMatch, prefix, regex, routeMatch, routeTable } from '../__support__/resources.js';
import { viewOf, type FakeRequest } from '../__support__/request-view.js';
import { CompiledRouteTable } from './route-table.js';

function routed(table: l7V1.RouteTable, request: FakeRequest): string | undefined {
  return CompiledRouteTable.compile('t', table).route(viewOf(request))?.route.name;
}

const only = (match: l7V1.RouteMatch): l7V1.RouteTable =>
  routeTable([{ domains: ['*'], routes: [directRoute('hit', 200, '', { matches: [match] }), directRoute('miss', 404, '')] }]);

describe('virtual host selection', () => {
  const table = routeTable([
    { domains: ['*'], routes: [directRoute('any', 200, '')] },
    { domains: ['*.example.com'], routes: [directRoute('wild', 200, '')] },
    { domains: ['*.api.example.com'], routes: [directRoute('longer-wild', 200, '')] },
    { domains: ['www.example.com', 'Other.Example.com'], routes: [directRoute('exact', 200, '')] },
  ]);

  it('prefers exact domains, then the longest suffix wildcard, then *', () => {
    expect(routed(table, { host: 'www.example.com' })).toBe('exact');
    expect(routed(table, { host: 'OTHER.example.com:8080' })).toBe('exact');
    expect(routed(table, { host: 'v1.api.example.com' })).toBe('longer-wild');
    expect(routed(table, { host: 'shop.example.com' })).toBe('wild');
    expect(routed(table, { host: 'example.com' })).toBe('any');
    expect(routed(table, { host: '[::1]:80' })).toBe('any');
  });

  it('answers no route when no domain matches and there is no *', () => {
    const strict = routeTable([{ domains: ['a.com'], routes: [directRoute('a', 200, '')] }]);
    expect(routed(strict, { host: 'b.com' })).toBeUndefined();
  });

  it('does not let a wildcard match its bare suffix', () => {
    const wild = routeTable([{ domains: ['*.example.com'], routes: [directRoute('wild', 200, '')] }]);
    expect(routed(wild, { host: '.example.com' })).toBeUndefined();
  });
});

describe('route matching', () => {
  it('takes the first route whose match matches', () => {
    const table = routeTable([
      {
        domains: ['*'],
        routes: [directRoute('api', 200, '', { matches: [routeMatch({ uri: prefix('/api') })] }), directRoute('rest', 200, ''), directRoute('never', 200, '')],
      },
    ]);
    expect(routed(table, { url: '/api/v1' })).toBe('api');
    expect(routed(table, { url: '/web' })).toBe('rest');
  });

  it.each([
    ['uri exact', routeMatch({ uri: exact('/a') }), { url: '/a?x=1' }, { url: '/a/b' }],
    ['uri prefix', routeMatch({ uri: prefix('/a') }), { url: '/ab' }, { url: '/b' }],
    ['uri regex (whole value)', routeMatch({ uri: regex('/v[0-9]+/.*') }), { url: '/v2/x' }, { url: '/x/v2/x' }],
    ['ignoreUriCase', routeMatch({ uri: prefix('/API'), ignoreUriCase: true }), { url: '/api/x' }, { url: '/ap' }],
    ['dot segments normalised', routeMatch({ uri: exact('/admin') }), { url: '/public/../admin' }, { url: '/public/admin' }],
    ['scheme', routeMatch({ scheme: exact('https') }), { scheme: 'https' }, { scheme: 'http' }],
    ['method', routeMatch({ method: exact('POST') }), { method: 'POST' }, { method: 'GET' }],
    ['authority', routeMatch({ authority: prefix('api.') }), { host: 'api.example.com' }, { host: 'www.example.com' }],
    ['header exact', routeMatch({ headers: [headerMatch('end-user', exact('jason'))] }), { headers: { 'end-user': 'jason' } }, { headers: { 'end-user': 'json' } }],
    ['header presence', routeMatch({ headers: [headerMatch('x-canary', null)] }), { headers: { 'x-canary': '' } }, {}],
    ['header regex', routeMatch({ headers: [headerMatch('cookie', regex('.*user=a.*'))] }), { headers: { cookie: 'x=1; user=a' } }, { headers: { cookie: 'user=b' } }],
    ['withoutHeaders', routeMatch({ headers: [headerMatch('x-debug', exact('1'), true)] }), { headers: { 'x-debug': '0' } }, { headers: { 'x-debug': '1' } }],
    ['withoutHeaders presence', routeMatch({ headers: [headerMatch('x-debug', null, true)] }), {}, { headers: { 'x-debug': 'x' } }],
    ['query param', routeMatch({ queryParams: [headerMatch('v', exact('2 beta'))] }), { url: '/?v=2%20beta' }, { url: '/?v=1' }],
    ['query param presence', routeMatch({ queryParams: [headerMatch('debug', null)] }), { url: '/?debug' }, { url: '/?x=debug' }],
    ['source labels', routeMatch({ sourceLabels: { app: 'web', version: 'v1' } }), { source: { labels: { app: 'web', version: 'v1', x: 'y' } } }, { source: { labels: { app: 'web' } } }],
    ['source namespace', routeMatch({ sourceNamespace: 'prod' }), { source: { namespace: 'prod' } }, { source: { namespace: 'dev' } }],
    ['pseudo-header :method', routeMatch({ headers: [headerMatch(':method', exact('PUT'))] }), { method: 'PUT' }, { method: 'GET' }],
  ] as const)('%s', (_name, match, yes, no) => {
    expect(routed(only(match), yes)).toBe('hit');
    expect(routed(only(match), no)).toBe('miss');
  });

  it('ANDs the fields of one match and ORs the matches of a route', () => {
    const table = routeTable([
      {
        domains: ['*'],
        routes: [
          directRoute('hit', 200, '', {
            matches: [routeMatch({ uri: prefix('/a'), method: exact('GET') }), routeMatch({ uri: prefix('/b') })],
          }),
        ],
      },
    ]);
    expect(routed(table, { url: '/a', method: 'GET' })).toBe('hit');
    expect(routed(table, { url: '/a', method: 'POST' })).toBeUndefined();
    expect(routed(table, { url: '/b', method: 'POST' })).toBe('hit');
  });

  it('survives a hostile regex in linear time (RE2)', () => {
    const match = routeMatch({ uri: regex('(a+)+$') });
    expect(routed(only(match), { url: `/${'a'.repeat(5000)}!` })).toBe('miss');
  });
});

describe('invalid resources', () => {
  it.each([
    ['a regex RE2 rejects', only(routeMatch({ uri: regex('(?<=x)a') })), 'virtualHosts[0].routes[0].matches[0].uri.regex'],
    ['a match without a type', only(routeMatch({ uri: {} })), 'virtualHosts[0].routes[0].matches[0].uri'],
    ['a route without an action', routeTable([{ domains: ['*'], routes: [{ ...directRoute('x', 200, ''), action: undefined } as l7V1.Route] }]), 'virtualHosts[0].routes[0]'],
    ['a split with zero weights', routeTable([{ domains: ['*'], routes: [forwardRoute('x', { clusters: [{ cluster: 'a', weight: 0 }, { cluster: 'b', weight: 0 }] })] }]), 'virtualHosts[0].routes[0].forward.clusters'],
    ['a direct response status out of range', routeTable([{ domains: ['*'], routes: [directRoute('x', 99, '')] }]), 'virtualHosts[0].routes[0].directResponse.status'],
  ])('rejects %s, naming the field', (_name, table, field) => {
    const error = (() => {
      try {
        CompiledRouteTable.compile('gateway/ns/gw/80', table);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidL7ResourceError);
    expect((error as InvalidL7ResourceError).code).toBe('AMBIT_ERR_L7_INVALID_RESOURCE');
    expect((error as InvalidL7ResourceError).field).toBe(field);
    expect((error as Error).message).toContain('RouteTable gateway/ns/gw/80');
  });
});
