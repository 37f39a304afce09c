import { describe, expect, it } from 'vitest';
import { hostCovers, hostsOverlap, resolveHost, scopesOverlap, visibleFrom } from './hosts.js';

describe('host resolution and matching', () => {
  it('resolves short names in the writing namespace and leaves dotted names, wildcards and IPs alone', () => {
    expect(resolveHost('reviews', 'shop', 'cluster.local')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('reviews.bookinfo', 'shop', 'cluster.local')).toBe('reviews.bookinfo');
    expect(resolveHost('*', 'shop', 'cluster.local')).toBe('*');
    expect(resolveHost('10.0.0.1', 'shop', 'cluster.local')).toBe('10.0.0.1');
  });

  it('matches wildcards by suffix, never a bare * by a narrower wildcard', () => {
    expect(hostCovers('*.example.com', 'api.example.com')).toBe(true);
    expect(hostCovers('*.example.com', '*.eu.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('*.example.com', '*')).toBe(false);
    expect(hostsOverlap('*', 'a.b')).toBe(true);
    expect(hostsOverlap('api.example.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('a.example.com', 'b.example.com')).toBe(false);
  });

  it('follows exportTo: everywhere by default, "." own namespace, "~" nowhere', () => {
    expect(visibleFrom([], 'a', 'b')).toBe(true);
    expect(visibleFrom(['.'], 'a', 'a')).toBe(true);
    expect(visibleFrom(['.'], 'a', 'b')).toBe(false);
    expect(visibleFrom(['~'], 'a', 'a')).toBe(false);
    expect(visibleFrom(['b'], 'a', 'b')).toBe(true);
    expect(scopesOverlap({ exportTo: ['.'], namespace: 'a' }, { exportTo: ['.'], namespace: 'b' })).toBe(false);
    expect(scopesOverlap({ exportTo: ['.'], namespace: 'a' }, { exportTo: [], namespace: 'b' })).toBe(true);
    expect(scopesOverlap({ exportTo: ['~'], namespace: 'a' }, { exportTo: ['*'], namespace: 'b' })).toBe(false);
    expect(scopesOverlap({ exportTo: ['b'], namespace: 'a' }, { exportTo: ['.'], namespace: 'b' })).toBe(true);
  });
});
