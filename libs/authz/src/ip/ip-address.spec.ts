import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpAddress } from './ip-address.js';

const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 2000);

function parsed(text: string): { family: number; words: number[] } {
  const ip = new IpAddress();
  ip.parse(text);
  return { family: ip.family, words: ip.family === 4 ? [ip.words[0]!] : ip.family === 6 ? [...ip.words] : [] };
}

describe('IpAddress.parse', () => {
  it.each([
    ['10.0.0.1', 4, [0x0a000001]],
    ['0.0.0.0', 4, [0]],
    ['255.255.255.255', 4, [0xffffffff]],
    ['::', 6, [0, 0, 0, 0]],
    ['::1', 6, [0, 0, 0, 1]],
    ['2001:db8::', 6, [0x20010db8, 0, 0, 0]],
    ['2001:DB8:0:0:0:0:0:FFFF', 6, [0x20010db8, 0, 0, 0xffff]],
    ['fe80::1%eth0', 6, [0xfe800000, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', 6, [0x00010002, 0x00030004, 0x00050006, 0x00070008]],
    ['1::8', 6, [0x00010000, 0, 0, 8]],
    ['::2:3:4:5:6:7:8', 6, [0x00000002, 0x00030004, 0x00050006, 0x00070008]],
    ['64:ff9b::10.0.0.1', 6, [0x0064ff9b, 0, 0, 0x0a000001]],
  ])('reads %s', (text, family, words) => {
    expect(parsed(text)).toEqual({ family, words });
  });

  it.each([
    ['::ffff:10.0.0.1', 0x0a000001],
    ['::ffff:a00:1', 0x0a000001],
    ['0:0:0:0:0:FFFF:127.0.0.1', 0x7f000001],
  ])('reads IPv4-mapped %s as the IPv4 address (ztunnel socket::to_canonical)', (text, v4) => {
    expect(parsed(text)).toEqual({ family: 4, words: [v4] });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ', ' 1.2.3.4', 'a.b.c.d', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', '::1:', ':1::', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%', 'fe80::1%a b', 'g::1'])(
    'refuses %j',
    (text) => {
      expect(parsed(text).family).toBe(0);
    },
  );

  it('accepts exactly what net.isIP accepts', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.%z'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 24 }), (text) => {
        expect(new IpAddress().parse(text)).toBe(isIP(text) !== 0);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('reads any IPv6 address in full and in compressed form to the same words', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.nat(7), fc.nat(8), (groups, at, run) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        // Compress `run` groups from `at` (whatever their values: they are zeroed in the expectation).
        const zeroed = groups.map((g, i) => (i >= at && i < at + run ? 0 : g));
        const end = Math.min(8, at + run);
        const compressed = run < 2 ? full : `${zeroed.slice(0, at).map((g) => g.toString(16)).join(':')}::${zeroed.slice(end).map((g) => g.toString(16)).join(':')}`;
        const words = (gs: number[]): number[] => [0, 1, 2, 3].map((k) => ((gs[2 * k]! << 16) | gs[2 * k + 1]!) >>> 0);
        const mapped = (gs: number[]): boolean => gs.slice(0, 5).every((g) => g === 0) && gs[5] === 0xffff;
        const expectOf = (gs: number[]) => (mapped(gs) ? { family: 4, words: [words(gs)[3]!] } : { family: 6, words: words(gs) });
        expect(parsed(full)).toEqual(expectOf(groups));
        expect(parsed(compressed)).toEqual(expectOf(run < 2 ? groups : zeroed));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('IpAddress.load', () => {
  it('loads 4 and 16 bytes and refuses other lengths', () => {
    const ip = new IpAddress();
    expect(ip.load(Uint8Array.of(10, 0, 0, 1))).toBe(true);
    expect([ip.family, ip.words[0]]).toEqual([4, 0x0a000001]);
    expect(ip.load(new Uint8Array(16))).toBe(true);
    expect(ip.family).toBe(6);
    for (const length of [0, 3, 5, 15, 17]) expect(ip.load(new Uint8Array(length))).toBe(false);
    expect(ip.family).toBe(0);
  });
});
