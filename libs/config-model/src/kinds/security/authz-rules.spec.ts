import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkConditionKey,
  checkPathTemplate,
  checkPortString,
  checkServiceAccount,
  classifyStringPattern,
  matchesStringPattern,
  parseGoBool,
} from './authz-rules.js';

/** Strings without the wildcard character. */
const plain = fc.string({ maxLength: 20 }).filter((s) => !s.includes('*'));

describe('classifyStringPattern / matchesStringPattern', () => {
  it.each([
    ['*', { kind: 'presence' }],
    ['cluster.local/ns/default/sa/sleep', { kind: 'exact', value: 'cluster.local/ns/default/sa/sleep' }],
    ['*/ns/default/sa/sleep', { kind: 'suffix', value: '/ns/default/sa/sleep' }],
    ['cluster.local/ns/default/*', { kind: 'prefix', value: 'cluster.local/ns/default/' }],
    ['a*b', { kind: 'exact', value: 'a*b' }],
    ['*a*', { kind: 'suffix', value: 'a*' }],
    ['', { kind: 'exact', value: '' }],
  ])('reads %j', (pattern, expected) => {
    expect(classifyStringPattern(pattern)).toEqual(expected);
  });

  it('presence matches any non-empty value and not the empty one', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (v) => matchesStringPattern('*', v)));
    expect(matchesStringPattern('*', '')).toBe(false);
  });

  it('a pattern without * matches exactly itself', () => {
    fc.assert(
      fc.property(plain, plain, (p, v) => {
        expect(matchesStringPattern(p, v)).toBe(p === v);
      }),
    );
  });

  it('p* matches every value that starts with p, and only those', () => {
    fc.assert(
      fc.property(plain.filter((p) => p !== ''), plain, plain, (p, rest, other) => {
        expect(matchesStringPattern(`${p}*`, p + rest)).toBe(true);
        expect(matchesStringPattern(`${p}*`, other)).toBe(other.startsWith(p));
      }),
    );
  });

  it('*s matches every value that ends with s, and only those', () => {
    fc.assert(
      fc.property(plain.filter((s) => s !== ''), plain, plain, (s, head, other) => {
        expect(matchesStringPattern(`*${s}`, head + s)).toBe(true);
        expect(matchesStringPattern(`*${s}`, other)).toBe(other.endsWith(s));
      }),
    );
  });

  it('a * in the middle is literal', () => {
    expect(matchesStringPattern('a*b', 'axb')).toBe(false);
    expect(matchesStringPattern('a*b', 'a*b')).toBe(true);
  });
});

describe('checkConditionKey', () => {
  it.each([
    ['request.headers[User-Agent]', 'string'],
    ['request.experimental.inline.headers[x-debug]', 'string'],
    ['request.auth.claims[iss]', 'string'],
    ['request.auth.claims[groups.admin]', 'string'],
    ['experimental.envoy.filters.network.mysql_proxy[db.table]', 'string'],
    ['source.ip', 'ip'],
    ['remote.ip', 'ip'],
    ['destination.ip', 'ip'],
    ['destination.port', 'port'],
    ['source.serviceAccount', 'serviceAccount'],
    ['source.namespace', 'string'],
    ['source.principal', 'string'],
    ['request.auth.principal', 'string'],
    ['request.auth.audiences', 'string'],
    ['request.auth.presenter', 'string'],
    ['connection.sni', 'string'],
  ])('accepts %s', (key, valueKind) => {
    expect(checkConditionKey(key)).toEqual({ valueKind });
  });

  it.each([
    ['', 'must not be empty'],
    ['request.headers', 'must have the form'],
    ['request.headers[]', 'must have the form'],
    ['request.headers[a', 'must have the form'],
    ['request.auth.claims', 'must have the form'],
    ['experimental.envoy.filters.x', 'must have the form'],
    ['destination.namespace', 'not supported'],
    ['destination.labels[app]', 'not supported'],
    ['destination.name', 'not supported'],
    ['destination.user', 'not supported'],
    ['source.ips', 'unknown condition key'],
    ['request.header[x]', 'unknown condition key'],
    ['Source.ip', 'unknown condition key'],
  ])('rejects %j', (key, message) => {
    const result = checkConditionKey(key);
    expect('error' in result && result.error).toContain(message);
  });

  it('accepts request.headers[name] for any non-empty name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (name) => {
        expect(checkConditionKey(`request.headers[${name}]`)).toEqual({ valueKind: 'string' });
        expect(checkConditionKey(`request.auth.claims[${name}]`)).toEqual({ valueKind: 'string' });
      }),
    );
  });

  it('rejects keys with no known attribute prefix', () => {
    const known = ['request.', 'source.', 'remote.', 'destination.', 'connection.', 'experimental.'];
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).filter((k) => !known.some((p) => k.startsWith(p))),
        (key) => {
          expect('error' in checkConditionKey(key)).toBe(true);
        },
      ),
    );
  });
});

describe('checkServiceAccount', () => {
  it.each(['sleep', 'default/sleep', 'a'.repeat(320)])('accepts %s', (v) => expect(checkServiceAccount(v)).toBeUndefined());
  it.each(['', '*', 'default/*', 'a/b/c', '/sleep', 'default/', 'a'.repeat(321)])('rejects %j', (v) =>
    expect(checkServiceAccount(v)).toBeDefined(),
  );
});

describe('checkPortString', () => {
  it('accepts every decimal number 0..65535', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), (p) => checkPortString(String(p)) === undefined));
  });
  it('rejects numbers above 65535', () => {
    fc.assert(fc.property(fc.integer({ min: 65536, max: 2 ** 40 }), (p) => checkPortString(String(p)) !== undefined));
  });
  it.each(['', 'http', '-1', '80 ', '8.0', '+80'])('rejects %j', (v) => expect(checkPortString(v)).toBeDefined());
});

describe('checkPathTemplate', () => {
  it.each(['/info*', '*/info', '/', '/foo/{*}/bar', '/foo/{**}', '/foo/{**}/bar', '/{*}/{*}/{**}', '/a b', '/x'])(
    'accepts %j',
    (p) => expect(checkPathTemplate(p)).toBeUndefined(),
  );
  it.each([
    ['/foo/{**}/{*}', 'last operator'],
    ['/foo/{**}/{**}', 'last operator'],
    ['/users/{id}', '"{" and "}"'],
    ['/foo}', '"{" and "}"'],
    ['/a b/{*}', 'not a valid literal'],
    ['/a//{*}', 'not a valid literal'],
  ])('rejects %j', (p, message) => expect(checkPathTemplate(p)).toContain(message));

  it('accepts any template built from literals, {*} and a final {**}', () => {
    const literal = fc.stringMatching(/^[a-zA-Z0-9\-._~%!$&'()+,;:@=]{1,8}$/);
    const segment = fc.oneof(literal, fc.constant('{*}'));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (segments, matchAny) => {
        const path = `/${[...segments, ...(matchAny ? ['{**}'] : [])].join('/')}`;
        expect(checkPathTemplate(path)).toBeUndefined();
      }),
    );
  });
});

describe('parseGoBool', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (v) => expect(parseGoBool(v)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (v) => expect(parseGoBool(v)).toBe(false));
  it.each(['yes', 'no', '', 'tRUE'])('%j is not a boolean', (v) => expect(parseGoBool(v)).toBeUndefined());
});
