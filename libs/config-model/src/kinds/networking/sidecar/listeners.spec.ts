import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDefaultEndpoint, splitHostPort } from './listeners.js';

describe('splitHostPort', () => {
  it('splits host:port, [v6]:port and :port as Go does', () => {
    expect(splitHostPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: '8080' });
    expect(splitHostPort('[::1]:80')).toEqual({ host: '::1', port: '80' });
    expect(splitHostPort(':80')).toEqual({ host: '', port: '80' });
    expect(splitHostPort('127.0.0.1')).toBeUndefined();
    expect(splitHostPort('::1:80')).toBeUndefined();
    expect(splitHostPort('[::1]80')).toBeUndefined();
  });
});

describe('checkDefaultEndpoint', () => {
  it('accepts loopback and any addresses with a valid port', () => {
    fc.assert(
      fc.property(fc.constantFrom('127.0.0.1:', '0.0.0.0:', '[::1]:', '[::]:', ':'), fc.integer({ min: 1, max: 65535 }), (prefix, port) => {
        expect(checkDefaultEndpoint(`${prefix}${port}`)).toBeUndefined();
      }),
    );
  });

  it('refuses other hosts, ports out of range and bad unix paths', () => {
    expect(checkDefaultEndpoint('10.0.0.1:8080')).toContain('loopback');
    expect(checkDefaultEndpoint('127.0.0.1:0')).toContain('between 1 and 65535');
    expect(checkDefaultEndpoint('127.0.0.1:65536')).toContain('between 1 and 65535');
    expect(checkDefaultEndpoint('127.0.0.1:http')).toContain('not a number');
    expect(checkDefaultEndpoint('unix:///var/run/a.sock')).toBeUndefined();
    expect(checkDefaultEndpoint('unix://relative.sock')).toContain('absolute path');
  });
});
