import { isAmbitError } from '@ambit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalName, rawCsr, sanExtension } from './__support__/csr-builder.js';
import { keyPair } from './__support__/pki.js';
import { createCsr, parseCsr } from './csr.js';
import { generateKeyPair } from './keys.js';
import { decodeSinglePem, encodePem } from './pem.js';
import { SpiffeId } from './spiffe.js';

/**
 * The CA parses CSRs straight from the network: whatever the bytes, parsing ends in a
 * result or in one of the library's typed errors, never in anything else.
 */
const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 200);
const ID = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/reviews');

const seeds = [
  createCsr(generateKeyPair().privateKey, ID),
  createCsr(keyPair('rsa').privateKey, ID),
  rawCsr({ key: keyPair('p384').privateKey, extensions: [sanExtension([generalName.uri(ID.toString()), generalName.dns('a.b'), generalName.ip([1, 2, 3, 4])], true)] }),
].map((pem) => decodeSinglePem(pem, ['CERTIFICATE REQUEST'], 'seed'));

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(der: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(der);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'set') bytes[at] = m.byte;
    else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}

function expectOnlyTypedErrors(pem: string): void {
  try {
    parseCsr(pem);
  } catch (error) {
    if (!isAmbitError(error) || !error.code.startsWith('AMBIT_ERR_CRYPTO_')) throw error;
  }
}

describe('CSR parsing robustness', () => {
  it('mutated DER ends in a result or a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        expectOnlyTypedErrors(encodePem(mutate(seed, mutations), 'CERTIFICATE REQUEST'));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('random bytes and random text end in a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.string({ maxLength: 300 }), (bytes, text) => {
        expectOnlyTypedErrors(encodePem(bytes, 'CERTIFICATE REQUEST'));
        expectOnlyTypedErrors(text);
        expect(() => parseCsr(encodePem(bytes, 'CERTIFICATE REQUEST'))).toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('a mutation that still parses cannot have changed what was signed', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 2 }), (mutations) => {
        const seed = seeds[0]!;
        const mutated = mutate(seed, mutations);
        try {
          const parsed = parseCsr(encodePem(mutated, 'CERTIFICATE REQUEST'));
          expect(parsed.subjectAltNames).toEqual([{ type: 'uri', value: ID.toString() }]);
        } catch (error) {
          if (!isAmbitError(error)) throw error;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
