import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNonSpecialIp, checkPortName, checkSecretKey } from './checks.js';

describe('checkPortName (IANA_SVC_NAME)', () => {
  it.each(['http', 'http-web', 'grpc2', 'a', 'x-1-2', 'abcdefghijklmno'])('accepts %s', (name) => {
    expect(checkPortName(name)).toBeUndefined();
  });
  it.each(['', 'HTTP', 'http_web', '8080', '-http', 'http-', 'h--2', 'abcdefghijklmnop'])('rejects "%s"', (name) => {
    expect(checkPortName(name)).toBeDefined();
  });
  it('accepts exactly the names Kubernetes accepts', () => {
    const reference = (s: string): boolean =>
      s.length >= 1 && s.length <= 15 && /^[-a-z0-9]+$/.test(s) && /[a-z]/.test(s) && !s.startsWith('-') && !s.endsWith('-') && !s.includes('--');
    fc.assert(
      fc.property(fc.stringMatching(/^[-a-zA-Z0-9_]{0,17}$/), (s) => {
        expect(checkPortName(s) === undefined).toBe(reference(s));
      }),
    );
  });
});

describe('secret keys and addresses', () => {
  it('checkSecretKey allows letters, digits, "-", "_" and "."', () => {
    expect(checkSecretKey('tls.crt')).toBeUndefined();
    expect(checkSecretKey('.dockerconfigjson')).toBeUndefined();
    expect(checkSecretKey('..data')).toBeDefined();
    expect(checkSecretKey('a/b')).toBeDefined();
    expect(checkSecretKey('')).toBeDefined();
  });
  it('checkNonSpecialIp refuses unspecified, loopback and link-local addresses', () => {
    for (const ok of ['10.0.0.1', '8.8.8.8', '2001:db8::1', 'fd00::1', '224.0.1.1', 'ff05::1']) expect(checkNonSpecialIp(ok)).toBeUndefined();
    for (const bad of ['0.0.0.0', '127.0.0.1', '169.254.169.254', '224.0.0.251', '::', '::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1']) {
      expect(checkNonSpecialIp(bad), bad).toBeDefined();
    }
  });
});
