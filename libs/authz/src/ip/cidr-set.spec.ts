import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../__support__/policies.js';
import { CidrSet } from './cidr-set.js';
import { IpAddress } from './ip-address.js';

const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 2000);

function set(...blocks: string[]): CidrSet {
  return CidrSet.compile(blocks.map(cidr), (index, field, problem) => {
    throw new Error(`[${index}].${field}: ${problem}`);
  });
}

function contains(s: CidrSet, text: string): boolean {
  const ip = new IpAddress();
  ip.parse(text);
  return s.contains(ip);
}

describe('CidrSet', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['192.168.1.7', '192.168.1.7', true],
    ['192.168.1.7', '192.168.1.8', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['0.0.0.0/0', '::1', false],
    ['10.1.2.3/8', '10.200.0.1', true],
    ['255.255.255.255/32', '255.255.255.255', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['::/0', '10.0.0.1', false],
    ['fe80::1', 'fe80::1', true],
    ['fe80::1', 'fe80::2', false],
    ['fe80::1/128', 'fe80::1%eth0', true],
    ['2001:db8::/33', '2001:db8:7fff::', true],
    ['2001:db8::/33', '2001:db8:8000::', false],
    ['2001:db8::/127', '2001:db8::1', true],
    ['2001:db8::/127', '2001:db8::2', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
    ['::ffff:10.0.0.0/104', '::ffff:10.9.9.9', true],
    ['::ffff:10.0.0.0/104', '11.0.0.0', false],
    ['::ffff:0.0.0.0/96', '1.2.3.4', true],
    ['::/80', '10.0.0.1', false],
  ])('%s contains %s: %s', (block, address, expected) => {
    expect(contains(set(block), address)).toBe(expected);
  });

  it('matches any of several blocks of both families', () => {
    const s = set('10.0.0.0/8', '2001:db8::/32', '192.168.0.0/16');
    expect([contains(s, '192.168.3.4'), contains(s, '2001:db8::5'), contains(s, '172.16.0.1'), contains(s, '2001:db9::')]).toEqual([true, true, false, false]);
    expect(s.size).toBe(3);
  });

  it('holds no unparsed address', () => {
    expect(set('0.0.0.0/0', '::/0').contains(new IpAddress())).toBe(false);
  });

  it.each([
    [{ address: new Uint8Array(5), length: 8 }, '[0].address: must be 4 or 16 bytes, not 5'],
    [{ address: new Uint8Array(0), length: 0 }, '[0].address: must be 4 or 16 bytes, not 0'],
    [{ address: new Uint8Array(4), length: 33 }, '[0].length: 33 is not a prefix length of an IPv4 address (0-32)'],
    [{ address: new Uint8Array(16), length: 129 }, '[0].length: 129 is not a prefix length of an IPv6 address (0-128)'],
  ])('refuses %o', (block, message) => {
    expect(() => CidrSet.compile([block], (i, f, p) => {
      throw new Error(`[${i}].${f}: ${p}`);
    })).toThrow(message);
  });

  it('agrees with a bit-by-bit prefix comparison', () => {
    const v4 = fc.tuple(fc.nat(0xffffffff), fc.nat(32), fc.nat(0xffffffff));
    fc.assert(
      fc.property(v4, ([net, length, address]) => {
        const text = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
        const expected = length === 0 || net >>> (32 - length) === address >>> (32 - length);
        expect(contains(set(`${text(net)}/${length}`), text(address))).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
