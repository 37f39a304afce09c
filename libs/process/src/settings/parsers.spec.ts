import { describe, expect, it } from 'vitest';
import { directory, dnsName, filePath, hostPort, logLevel } from './parsers.js';

describe('hostPort', () => {
  const parser = hostPort('127.0.0.1:15012');

  it('reads IPv4, bracketed IPv6 and host names, frozen, with port 0 allowed', () => {
    expect(parser.parse('127.0.0.1:15012')).toEqual({ host: '127.0.0.1', port: 15012 });
    expect(parser.parse('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parser.parse('istiod.istio-system.svc:15012')).toEqual({ host: 'istiod.istio-system.svc', port: 15012 });
    expect(Object.isFrozen(parser.parse('0.0.0.0:1'))).toBe(true);
    expect(parser.accepts).toBe('host:port with a port from 0 to 65535, e.g. 127.0.0.1:15012');
  });

  it.each(['15012', '127.0.0.1:65536', '::1:15012', '[127.0.0.1]:15012', '999.1.1.1:1', 'local_host:1', 'host:', ':1', '[::1]:123456'])('refuses %j', (text) => {
    expect(parser.parse(text)).toBeUndefined();
  });
});

describe('dnsName', () => {
  it('takes lower-case DNS names of bounded labels only', () => {
    expect(dnsName.parse('cluster.local')).toBe('cluster.local');
    for (const bad of ['Cluster.Local', 'a..b', '-a.local', `${'a'.repeat(64)}.local`, `${'a.'.repeat(127)}ab`]) expect(dnsName.parse(bad)).toBeUndefined();
  });
});

describe('paths', () => {
  it('resolves files and directories against the working directory, and refuses blank ones', () => {
    expect(filePath('/srv').parse('kube/config')).toBe('/srv/kube/config');
    expect(directory('/srv').parse('/etc/ambit')).toBe('/etc/ambit');
    expect(filePath('/srv').parse(' ')).toBeUndefined();
    expect(directory('/srv').parse('')).toBeUndefined();
  });
});

describe('logLevel', () => {
  it('takes the logger levels only', () => {
    expect(logLevel.parse('debug')).toBe('debug');
    expect(logLevel.parse('verbose')).toBeUndefined();
    expect(logLevel.accepts).toBe('one of fatal, error, warn, info, debug, trace, silent');
  });
});
