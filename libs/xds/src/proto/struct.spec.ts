import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Struct } from '../generated/google.protobuf.js';
import { fromStruct, toStruct, type JsonObject } from './struct.js';

describe('Struct helpers', () => {
  it('carry any JSON object through google.protobuf.Struct on the wire', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        // Struct numbers are doubles; -0 and 0 are one number in JSON.
        const json = JSON.parse(JSON.stringify({ value })) as JsonObject;
        expect(fromStruct(Struct.decode(Struct.encode(toStruct(json))))).toEqual(json);
      }),
    );
  });

  it('reads an absent Struct as an empty object', () => {
    expect(fromStruct(null)).toEqual({});
  });
});
