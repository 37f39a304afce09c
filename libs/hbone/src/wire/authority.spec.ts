import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAuthority, parseAuthority } from './authority.js';

const runs = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 200);

describe('parseAuthority', () => {
  it.each([
    ['10.0.0.7:9080', { ip: '10.0.0.7', port: 9080 }],
    ['[fd00::7]:80', { ip: 'fd00::7', port: 80 }],
    ['[FD00::7]:65535', { ip: 'fd00::7', port: 65535 }],
    ['127.0.0.1:1', { ip: '127.0.0.1', port: 1 }],
  ])('reads %s', (authority, expected) => {
    expect(parseAuthority(authority)).toEqual(expected);
  });

  it.each([
    '',
    '10.0.0.7',
    '10.0.0.7:',
    '10.0.0.7:0',
    '10.0.0.7:080',
    '10.0.0.7:65536',
    '10.0.0.7:80 ',
    ' 10.0.0.7:80',
    'reviews.bookinfo.svc:9080',
    'fd00::7:80',
    '[fd00::7:80',
    '[10.0.0.7]:80',
    '[fe80::1%eth0]:80',
    '10.0.0.256:80',
    `[${'1'.repeat(60)}]:80`,
  ])('refuses %j', (authority) => {
    expect(parseAuthority(authority)).toBeUndefined();
  });

  it('round-trips every IPv4 and IPv6 address and port (property)', () => {
    const ip = fc.oneof(fc.ipV4(), fc.ipV6());
    fc.assert(
      fc.property(ip, fc.integer({ min: 1, max: 65535 }), (address, port) => {
        const parsed = parseAuthority(formatAuthority({ ip: address, port }));
        expect(parsed?.port).toBe(port);
        expect(parsed === undefined ? undefined : formatAuthority(parsed)).toBe(formatAuthority({ ip: address.toLowerCase(), port }));
      }),
      { numRuns: runs },
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseAuthority(text);
        if (parsed !== undefined) expect(parsed.port).toBeGreaterThan(0);
      }),
      { numRuns: runs },
    );
  });
});
