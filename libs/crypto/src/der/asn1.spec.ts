import { describe, expect, it } from 'vitest';
import { encodeDer, firstChildBytes, parseDer, sequence, Tag, time, timeOf, unsignedInteger } from './asn1.js';

describe('DER helpers', () => {
  it.each([
    ['00 00 01', '020101'],
    ['7f', '02017f'],
    ['80', '02020080'],
    ['00 80 01', '0203008001'],
    ['00', '020100'],
    ['ff ff', '020300ffff'],
  ])('encodes the magnitude %s as the minimal positive INTEGER %s', (magnitude, der) => {
    expect(encodeDer(unsignedInteger(Buffer.from(magnitude.replace(/ /g, ''), 'hex'))).toString('hex')).toBe(der);
  });

  it('takes the signed part of a structure from the input bytes', () => {
    const der = Buffer.from('3006' + '3002' + '0500' + '0500', 'hex');
    expect(firstChildBytes(der).toString('hex')).toBe('30020500');
    const long = encodeDer(sequence([sequence(Array.from({ length: 100 }, () => parseDer(Buffer.from('0500', 'hex'))))]));
    // 30 81 cb | 30 81 c8 …: the outer header is three bytes.
    expect(firstChildBytes(long)).toEqual(long.subarray(3));
  });

  it.each([
    ['a truncated header', '30'],
    ['indefinite lengths', '3080300005000000'],
    ['a length beyond the input', '3010300005'],
    ['a five-byte length', '3085000000000100'],
  ])('refuses %s when taking the signed part', (_what, hex) => {
    expect(() => firstChildBytes(Buffer.from(hex, 'hex'))).toThrow(/DER/);
  });

  it('reads and writes times in UTC only', () => {
    const date = new Date('2030-05-06T07:08:09Z');
    expect(timeOf(time(date), 'notBefore')).toEqual(date);
    expect(time(date).type).toBe(Tag.UTCTIME);
    expect(time(new Date('2050-01-01T00:00:00Z')).type).toBe(Tag.GENERALIZEDTIME);
    expect(() => timeOf(parseDer(Buffer.concat([Buffer.of(0x17, 17), Buffer.from('300506070809+0100')])), 'notBefore')).toThrow(/in UTC/);
    expect(() => timeOf(sequence([]), 'notAfter')).toThrow(/notAfter/);
  });
});
