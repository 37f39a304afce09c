import { describe, expect, it } from 'vitest';
import { viewOf } from '../__support__/request-view.js';
import { compileCors } from './cors.js';
import { compileHeaderOperations } from './header-operations.js';
import type { HeaderMap } from '../http/headers.js';
import { exact, headerOps, prefix } from '../__support__/resources.js';
import { hashKey, cookieValue } from '../router/hash-key.js';

const vars = { request: viewOf({ headers: { 'x-user': 'ann' }, source: { ip: '10.0.0.9' } }), protocol: 'HTTP/1.1' };

describe('header operations', () => {
  it('removes, then sets, then adds; ignores pseudo-headers', () => {
    const ops = compileHeaderOperations(
      headerOps({ remove: ['x-drop', 'x-set'], set: [{ name: 'X-Set', value: 'new' }, { name: ':path', value: '/evil' }], add: [{ name: 'x-add', value: 'two' }] }),
    )!;
    const headers: HeaderMap = { 'x-drop': '1', 'x-set': 'old', 'x-add': 'one' };
    ops(headers, vars);
    expect(headers).toEqual({ 'x-set': 'new', 'x-add': ['one', 'two'] });
  });

  it('expands %VARIABLES% and keeps unknown ones as written', () => {
    const ops = compileHeaderOperations(
      headerOps({ set: [{ name: 'x-client', value: '%DOWNSTREAM_REMOTE_ADDRESS% %REQ(X-User)% %PROTOCOL% 100%% %UNKNOWN%' }] }),
    )!;
    const headers: HeaderMap = {};
    ops(headers, vars);
    expect(headers['x-client']).toBe('10.0.0.9 ann HTTP/1.1 100% %UNKNOWN%');
  });

  it('compiles nothing for empty operations', () => {
    expect(compileHeaderOperations(null)).toBeUndefined();
    expect(compileHeaderOperations(headerOps({}))).toBeUndefined();
  });
});

describe('CORS', () => {
  const invalid = (): never => {
    throw new Error('invalid');
  };
  const cors = compileCors(
    { allowOrigins: [exact('https://app.example.com'), prefix('https://dev.')], allowMethods: ['GET', 'POST'], allowHeaders: ['x-token'], exposeHeaders: ['x-trace'], maxAgeS: 600, allowCredentials: true },
    'cors',
    invalid,
  )!;

  it('answers an allowed preflight and lets a disallowed one through', () => {
    const preflight = viewOf({ method: 'OPTIONS', headers: { origin: 'https://dev.example.com', 'access-control-request-method': 'POST' } });
    expect(cors.preflight(preflight)).toEqual({
      'access-control-allow-origin': 'https://dev.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'x-token',
      'access-control-max-age': '600',
    });
    expect(cors.preflight(viewOf({ method: 'OPTIONS', headers: { origin: 'https://evil.com', 'access-control-request-method': 'POST' } }))).toBeUndefined();
    expect(cors.preflight(viewOf({ method: 'OPTIONS', headers: { origin: 'https://app.example.com' } }))).toBeUndefined();
  });

  it('adds allow-origin and expose-headers to responses for allowed origins only', () => {
    expect(cors.responseHeaders(viewOf({ headers: { origin: 'https://app.example.com' } }))).toMatchObject({ 'access-control-expose-headers': 'x-trace' });
    expect(cors.responseHeaders(viewOf({ headers: { origin: 'https://evil.com' } }))).toBeUndefined();
    expect(cors.responseHeaders(viewOf({}))).toBeUndefined();
  });
});

describe('consistent-hash keys', () => {
  it('reads header, query parameter, source IP and cookie', () => {
    const request = viewOf({ url: '/?user=bob', headers: { 'x-user': 'ann', cookie: 'a=1; session="s1"' }, source: { ip: '10.1.1.1' } });
    const base = { minimumRingSize: 0, maglevTableSize: 0 };
    const header = hashKey({ ...base, key: 'httpHeaderName', httpHeaderName: 'X-User' }, request, Math.random).hash;
    expect(header).toBe(hashKey({ ...base, key: 'httpHeaderName', httpHeaderName: 'x-user' }, viewOf({ headers: { 'x-user': 'ann' } }), Math.random).hash);
    expect(hashKey({ ...base, key: 'httpQueryParameterName', httpQueryParameterName: 'user' }, request, Math.random).hash).toBeDefined();
    expect(hashKey({ ...base, key: 'useSourceIp', useSourceIp: true }, request, Math.random).hash).toBeDefined();
    expect(hashKey({ ...base, key: 'httpHeaderName', httpHeaderName: 'x-none' }, request, Math.random).hash).toBeUndefined();
    expect(cookieValue('a=1; session="s1"', 'session')).toBe('s1');
  });

  it('generates the cookie when absent and a ttl is set', () => {
    const policy = { minimumRingSize: 0, maglevTableSize: 0, key: 'httpCookie' as const, httpCookie: { name: 'sticky', path: '/', ttlMs: 60_000 } };
    const key = hashKey(policy, viewOf({}), () => 0.5);
    expect(key.setCookie).toBe('sticky="8000000080000000"; Max-Age=60; Path=/; HttpOnly');
    const again = hashKey(policy, viewOf({ headers: { cookie: 'sticky="8000000080000000"' } }), Math.random);
    expect(again.hash).toBe(key.hash);
    expect(again.setCookie).toBeUndefined();
    expect(hashKey({ ...policy, httpCookie: { ...policy.httpCookie, ttlMs: 0 } }, viewOf({}), Math.random)).toEqual({ hash: undefined });
  });
});
