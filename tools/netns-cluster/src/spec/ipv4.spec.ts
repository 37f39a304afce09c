import { describe, expect, it } from 'vitest';
import { contains, formatCidr, formatIpv4, isHostAddress, overlaps, parseCidr, parseIpv4 } from './ipv4.js';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('IPv4 arithmetic', () => {
  it('parses and formats addresses, refusing what is not a dotted quad', () => {
    expect(formatIpv4(parseIpv4('10.244.1.7')!)).toBe('10.244.1.7');
    expect(parseIpv4('255.255.255.255')).toBe(0xffff_ffff);
    for (const bad of ['256.0.0.1', '10.0.0', '10.0.0.01', '::1', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('parses CIDRs and says why one is not', () => {
    expect(formatCidr(cidr('10.244.0.0/16'))).toBe('10.244.0.0/16');
    expect(parseCidr('10.244.1.5/24')).toMatch(/host bits set: the network is 10\.244\.1\.0\/24/);
    expect(parseCidr('10.244.1.0')).toMatch(/must be an IPv4 CIDR/);
    expect(parseCidr('10.244.1.0/33')).toMatch(/must be an IPv4 CIDR/);
  });

  it('tells containment, overlap and host addresses', () => {
    const net = cidr('10.244.1.0/24');
    expect(contains(net, parseIpv4('10.244.1.255')!)).toBe(true);
    expect(contains(net, parseIpv4('10.244.2.0')!)).toBe(false);
    expect(overlaps(net, cidr('10.244.0.0/16'))).toBe(true);
    expect(overlaps(net, cidr('10.244.2.0/24'))).toBe(false);
    expect(isHostAddress(net, parseIpv4('10.244.1.0')!)).toBe(false);
    expect(isHostAddress(net, parseIpv4('10.244.1.255')!)).toBe(false);
    expect(isHostAddress(net, parseIpv4('10.244.1.1')!)).toBe(true);
    expect(overlaps(cidr('0.0.0.0/0'), net)).toBe(true);
  });
});
