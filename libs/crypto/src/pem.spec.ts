import { describe, expect, it } from 'vitest';
import { PemError } from './errors.js';
import { decodePemBlocks, decodeSinglePem, encodePem } from './pem.js';

const der = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

describe('PEM', () => {
  it('round-trips with 64-character lines', () => {
    const pem = encodePem(der, 'CERTIFICATE');
    expect(pem.split('\n').slice(1, -2).every((line) => line.length <= 64)).toBe(true);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(decodeSinglePem(pem, ['CERTIFICATE'], 'cert')).toEqual(der);
  });

  it('reads every block with a wanted label, skipping others and surrounding text', () => {
    const text = `Bag Attributes\n${encodePem(der, 'CERTIFICATE')}junk\n${encodePem(Buffer.of(1), 'PRIVATE KEY')}${encodePem(Buffer.of(2, 3), 'CERTIFICATE')}`;
    expect(decodePemBlocks(text.replace(/\n/g, '\r\n'), ['CERTIFICATE'], 'chain')).toEqual([der, Buffer.of(2, 3)]);
  });

  it.each([
    ['no block at all', 'hello', /no "CERTIFICATE" block/],
    ['the wrong label', encodePem(der, 'PRIVATE KEY'), /no "CERTIFICATE" block/],
    ['mismatched END', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n', /closed by END PRIVATE KEY/],
    ['invalid base64', '-----BEGIN CERTIFICATE-----\nAA*A\n-----END CERTIFICATE-----\n', /not valid base64/],
    ['truncated base64', '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', /not valid base64/],
    ['an empty block', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', /not valid base64/],
    ['headers inside the block', '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----\n', /not valid base64/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => decodePemBlocks(text, ['CERTIFICATE'], 'cert')).toThrow(PemError);
    expect(() => decodePemBlocks(text, ['CERTIFICATE'], 'cert')).toThrow(message);
  });

  it('insists on a single block where one is expected', () => {
    const two = encodePem(der, 'CERTIFICATE REQUEST') + encodePem(der, 'CERTIFICATE REQUEST');
    expect(() => decodeSinglePem(two, ['CERTIFICATE REQUEST'], 'CSR')).toThrow(/expected one CERTIFICATE REQUEST block, found 2/);
  });
});
