import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64DecodedLength,
  checkBase64,
  checkDns1035Label,
  checkFqdn,
  checkGatewayHostname,
  checkNonSpecialIp,
  checkPortName,
  checkSecretKey,
  cidrFamily,
} from './checks.js';

describe('checkBase64 (Go StdEncoding, as Kubernetes decodes Secret data)', () => {
  it('accepts every standard encoding, with or without line breaks, and knows its length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(80), (bytes, wrap) => {
        const encoded = Buffer.from(bytes).toString('base64');
        const wrapped = wrap === 0 ? encoded : (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\n');
        expect(checkBase64(wrapped)).toBeUndefined();
        expect(base64DecodedLength(wrapped)).toBe(bytes.length);
      }),
    );
  });
  it('refuses URL-safe characters, missing padding and plain text', () => {
    expect(checkBase64('a-b_')).toMatch(/only A-Z/);
    expect(checkBase64('YWJjZA')).toMatch(/multiple of 4/);
    expect(checkBase64('hello world')).toMatch(/only A-Z/);
    expect(checkBase64('')).toBeUndefined();
  });
});

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

describe('names and addresses', () => {
  it('checkDns1035Label requires a leading letter', () => {
    expect(checkDns1035Label('reviews')).toBeUndefined();
    expect(checkDns1035Label('1st')).toBeDefined();
    expect(checkDns1035Label('a'.repeat(64))).toBeDefined();
  });
  it('checkSecretKey allows letters, digits, "-", "_" and "."', () => {
    expect(checkSecretKey('tls.crt')).toBeUndefined();
    expect(checkSecretKey('.dockerconfigjson')).toBeUndefined();
    expect(checkSecretKey('..data')).toBeDefined();
    expect(checkSecretKey('a/b')).toBeDefined();
    expect(checkSecretKey('')).toBeDefined();
  });
  it('checkFqdn needs two labels, lower case, trailing dot allowed', () => {
    expect(checkFqdn('db.example.com')).toBeUndefined();
    expect(checkFqdn('db.example.com.')).toBeUndefined();
    expect(checkFqdn('localhost')).toBeDefined();
    expect(checkFqdn('Db.example.com')).toBeDefined();
  });
  it('checkNonSpecialIp refuses unspecified, loopback and link-local addresses', () => {
    for (const ok of ['10.0.0.1', '8.8.8.8', '2001:db8::1', 'fd00::1', '224.0.1.1', 'ff05::1']) expect(checkNonSpecialIp(ok)).toBeUndefined();
    for (const bad of ['0.0.0.0', '127.0.0.1', '169.254.169.254', '224.0.0.251', '::', '::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1']) {
      expect(checkNonSpecialIp(bad), bad).toBeDefined();
    }
  });
  it('cidrFamily parses CIDR blocks', () => {
    expect(cidrFamily('10.244.0.0/16')).toBe(4);
    expect(cidrFamily('fd00::/64')).toBe(6);
    expect(cidrFamily('10.0.0.0')).toMatch(/not a CIDR/);
    expect(cidrFamily('10.0.0.0/33')).toMatch(/prefix length/);
  });
  it('checkGatewayHostname allows one leading "*." and lower case labels only', () => {
    expect(checkGatewayHostname('*.example.com')).toBeUndefined();
    expect(checkGatewayHostname('example.com')).toBeUndefined();
    expect(checkGatewayHostname('*')).toBeDefined();
    expect(checkGatewayHostname('a.*.com')).toBeDefined();
    expect(checkGatewayHostname('Example.com')).toBeDefined();
    expect(checkGatewayHostname('example.com.')).toBeDefined();
  });
});
