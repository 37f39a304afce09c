import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from './errors.js';
import { generateKeyPair, privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './keys.js';

describe('keys', () => {
  it('generates ECDSA P-256 pairs', () => {
    const { privateKey, publicKey } = generateKeyPair();
    expect(privateKey.asymmetricKeyType).toBe('ec');
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(publicKey.type).toBe('public');
  });

  it('round-trips through PEM', () => {
    const { privateKey, publicKey } = generateKeyPair();
    const privatePem = privateKeyToPem(privateKey);
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(privateKeyFromPem(privatePem).equals(privateKey)).toBe(true);
    const publicPem = publicKeyToPem(publicKey);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyFromPem(publicPem).equals(publicKey)).toBe(true);
  });

  it('loads SEC1 and PKCS#1 keys as Istio and OpenSSL write them', () => {
    const ec = generateKeyPair().privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(privateKeyFromPem(ec).asymmetricKeyType).toBe('ec');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(privateKeyFromPem(rsa).asymmetricKeyType).toBe('rsa');
  });

  it.each([
    ['garbage', 'not a key'],
    ['a truncated key', privateKeyToPem(generateKeyPair().privateKey).slice(0, 120) + '\n-----END PRIVATE KEY-----\n'],
    ['a public key', publicKeyToPem(generateKeyPair().publicKey)],
    [
      'an encrypted key',
      createPrivateKey(privateKeyToPem(generateKeyPair().privateKey))
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
        .toString(),
    ],
  ])('refuses %s as a private key', (_what, pem) => {
    expect(() => privateKeyFromPem(pem, 'ca-key.pem')).toThrow(InvalidKeyError);
    expect(() => privateKeyFromPem(pem, 'ca-key.pem')).toThrow(/ca-key\.pem cannot be loaded/);
  });

  it('refuses a private key, or garbage, as a public key', () => {
    expect(() => publicKeyFromPem(privateKeyToPem(generateKeyPair().privateKey))).toThrow(InvalidKeyError);
    expect(() => publicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toThrow(InvalidKeyError);
  });
});
