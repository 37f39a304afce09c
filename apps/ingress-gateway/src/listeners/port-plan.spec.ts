import { l7V1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { hostOf, planPorts, serverFor } from './port-plan.js';

const server = (name: string, port: number, protocol: l7V1.Server_Protocol, hosts: string[], tls: Partial<l7V1.ServerTls> | null = null): l7V1.Server => ({
  name,
  port,
  protocol,
  hosts,
  routeTable: `gateway/istio-system/gw/${port}`,
  bind: '',
  tls: tls === null ? null : { mode: l7V1.ServerTls_Mode.SIMPLE, httpsRedirect: false, credentialNames: ['cert'], caCredentialName: '', subjectAltNames: [], minProtocolVersion: '', maxProtocolVersion: '', cipherSuites: [], ...tls },
});

describe('planPorts', () => {
  it('serves the union of the Listeners by port, one kind per port, and skips what it does not serve', () => {
    const P = l7V1.Server_Protocol;
    const { ports, skipped } = planPorts(
      new Map([
        ['istio-system/b', { selector: {}, servers: [server('web', 80, P.HTTP, ['b.example.com']), server('tcp', 3306, P.TCP, ['*'])] }],
        ['istio-system/a', { selector: {}, servers: [server('web', 80, P.HTTP, ['a.example.com']), server('tls', 80, P.HTTPS, ['*'], {}), server('pass', 443, P.HTTPS, ['*'], { mode: l7V1.ServerTls_Mode.PASSTHROUGH })] }],
      ]),
    );
    expect([...ports.keys()]).toEqual([80]);
    expect(ports.get(80)).toMatchObject({ kind: 'http', servers: [{ name: 'istio-system/a/web' }, { name: 'istio-system/b/web' }] });
    expect(skipped).toEqual([
      { name: 'istio-system/a/tls', port: 80, reason: 'port 80 already serves HTTP (istio-system/a/web)' },
      { name: 'istio-system/a/pass', port: 443, reason: 'TLS mode PASSTHROUGH is not served (SIMPLE and MUTUAL are)' },
      { name: 'istio-system/b/tcp', port: 3306, reason: 'protocol TCP is not served (HTTP, HTTP2, GRPC and HTTPS are)' },
    ]);
  });
});

describe('serverFor', () => {
  const servers = [
    { name: 'any', hosts: ['*'], routeTable: 'a', tls: null, bind: '' },
    { name: 'wild', hosts: ['demo/*.example.com'], routeTable: 'b', tls: null, bind: '' },
    { name: 'exact', hosts: ['api.example.com'], routeTable: 'c', tls: null, bind: '' },
  ];
  it('prefers an exact host, then the longest wildcard, then *; the namespace part is ignored', () => {
    expect(serverFor(servers, 'API.example.com')?.name).toBe('exact');
    expect(serverFor(servers, 'www.example.com')?.name).toBe('wild');
    expect(serverFor(servers, 'example.com')?.name).toBe('any');
    expect(serverFor(servers.slice(1), 'example.org')).toBeUndefined();
  });

  it('takes the host of an authority without its port', () => {
    expect([hostOf('a.example.com:8080'), hostOf('[::1]:80'), hostOf('a'), hostOf(undefined)]).toEqual(['a.example.com', '[::1]', 'a', undefined]);
  });
});
