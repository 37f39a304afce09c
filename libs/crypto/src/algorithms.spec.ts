import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyPair } from './__support__/pki.js';
import { checkKey, signingAlgorithmFor, verificationHash } from './algorithms.js';
import { OID } from './der/oids.js';
import { UnsupportedAlgorithmError, UnsupportedKeyError } from './errors.js';

describe('algorithms', () => {
  it('signs with the hash that fits the key', () => {
    expect(signingAlgorithmFor(keyPair('p256').privateKey, 'k').hash).toBe('sha256');
    expect(signingAlgorithmFor(keyPair('p384').privateKey, 'k').hash).toBe('sha384');
    expect(signingAlgorithmFor(keyPair('rsa').privateKey, 'k').hash).toBe('sha256');
    // ECDSA identifiers carry no parameters, RSA ones an explicit NULL.
    expect(signingAlgorithmFor(keyPair('p256').privateKey, 'k').identifierDer.toString('hex')).toBe('300a06082a8648ce3d040302');
    expect(signingAlgorithmFor(keyPair('rsa').privateKey, 'k').identifierDer.toString('hex')).toBe('300d06092a864886f70d01010b0500');
  });

  it('verifies only with algorithms that fit the key', () => {
    expect(verificationHash(OID.ecdsaWithSha384, keyPair('p256').publicKey, 'CSR')).toBe('sha384');
    expect(verificationHash(OID.sha512WithRsa, keyPair('rsa').publicKey, 'CSR')).toBe('sha512');
    expect(() => verificationHash('1.2.840.10045.4.1', keyPair('p256').publicKey, 'CSR')).toThrow(UnsupportedAlgorithmError);
    expect(() => verificationHash(OID.ecdsaWithSha256, keyPair('rsa').publicKey, 'CSR')).toThrow(/with a RSA 2048-bit key/);
  });

  it.each([
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, /ECDSA P-521|secp521r1/],
    ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, /secp256k1/],
    ['RSA 1024', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, /RSA 1024-bit/],
    ['Ed25519', generateKeyPairSync('ed25519').publicKey, /ed25519/],
  ])('refuses %s keys', (_what, key, message) => {
    expect(() => checkKey(key, 'key')).toThrow(UnsupportedKeyError);
    expect(() => checkKey(key, 'key')).toThrow(message);
    expect(() => signingAlgorithmFor(key, 'key')).toThrow(UnsupportedKeyError);
  });
});
