import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrBlock, ipBytes } from './ip-bytes.js';

/** The canonical text of an IPv6 address, by the URL parser (an independent implementation). */
const canonical6 = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);

function text6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return canonical6(groups.join(':'));
}

describe('ipBytes', () => {
  it('encodes IPv4 as 4 bytes and IPv6 as 16', () => {
    expect(ipBytes('10.1.2.3')).toEqual(Uint8Array.from([10, 1, 2, 3]));
    expect(ipBytes('::1')).toEqual(Uint8Array.from([...new Array<number>(15).fill(0), 1]));
    expect(ipBytes('::ffff:10.0.0.1')).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]));
    expect(ipBytes('example.com')).toBeUndefined();
    expect(ipBytes('10.0.0.256')).toBeUndefined();
  });

  it('round-trips every IPv4 address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect([...ipBytes(ip)!].join('.')).toBe(ip);
      }),
    );
  });

  it('round-trips every IPv6 form, compressed, expanded or with an IPv4 tail', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(isIPv6(ip)).toBe(true);
        expect(text6(ipBytes(ip)!)).toBe(canonical6(ip));
      }),
    );
  });
});

describe('cidrBlock', () => {
  it('reads prefixes as written and bare IPs as full-length', () => {
    expect(cidrBlock('10.0.0.0/8')).toEqual({ address: Uint8Array.from([10, 0, 0, 0]), length: 8 });
    expect(cidrBlock('10.1.2.3')).toEqual({ address: Uint8Array.from([10, 1, 2, 3]), length: 32 });
    expect(cidrBlock('2001:db8::/32')?.length).toBe(32);
    expect(cidrBlock('fe80::1')?.length).toBe(128);
    expect(cidrBlock('10.0.0.0/33')).toBeUndefined();
    expect(cidrBlock('10.0.0.0/x')).toBeUndefined();
  });
});
