import { describe, expect, it } from 'vitest';
import { singleAddress } from './ip.js';

describe('singleAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['10.0.0.1/32', '10.0.0.1'],
    ['fd00::1/128', 'fd00::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['10.0.0.0/24', undefined],
    ['fd00::/64', undefined],
    ['10.0.0.1/x', undefined],
    ['example.com', undefined],
  ])('%s → %s', (value, expected) => {
    expect(singleAddress(value)).toBe(expected);
  });
});
