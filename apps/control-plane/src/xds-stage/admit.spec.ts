import { X509Certificate } from 'node:crypto';
import { GrpcStatus, type ProxyInfo } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { CallerAuthentication, NodeClaimError, ProxyIdentityError, UnauthenticatedCallerError, type CallerAuthenticator } from '../authn/index.js';
import { admitCallers } from './admit.js';
import type { ProxyScope } from './l7-visibility.js';

// Authentication reads only the URIs of the verified certificate; the certificate object itself is not inspected.
const proxyWith = (uris: readonly string[] | undefined, metadata: ProxyInfo['node']['metadata'] = {}): ProxyInfo => ({
  streamId: '1',
  node: { id: 'ztunnel-a', cluster: '', userAgentName: 'ambit', metadata },
  peer: uris === undefined ? undefined : { certificate: {} as X509Certificate, uris },
  remoteAddress: '127.0.0.1:5000',
  connectedAt: new Date(0),
});

const tokens: CallerAuthenticator = {
  authenticate: (token) => (token === 'good' ? Promise.resolve({ kind: 'node', node: 'node-a', proof: 'bootstrap-token' }) : Promise.reject(new Error('unknown token'))),
};
const scopes: ProxyScope[] = [];
const admit = admitCallers(new CallerAuthentication({ trustDomain: 'cluster.local', tokens }), (_proxy, scope) => {
  scopes.push(scope);
  return () => true;
});
const signal = new AbortController().signal;

describe('admitCallers', () => {
  it('admits a node by its token and a workload by its certificate, each with the filter of its scope', async () => {
    scopes.length = 0;
    await expect(admit(proxyWith(undefined), { bearerToken: 'good', signal })).resolves.toBeTypeOf('function');
    await expect(admit(proxyWith(['spiffe://cluster.local/ns/istio-system/sa/ztunnel']), { bearerToken: undefined, signal })).resolves.toBeTypeOf('function');
    await expect(admit(proxyWith(['spiffe://cluster.local/ns/bookinfo/sa/reviews']), { bearerToken: undefined, signal })).resolves.toBeTypeOf('function');
    expect(scopes).toEqual([{ kind: 'ztunnel' }, { kind: 'ztunnel' }, { kind: 'ztunnel' }]);
  });

  it('scopes a certificate caller by the role it states, within the identity it proves', async () => {
    scopes.length = 0;
    const waypoint = proxyWith(['spiffe://cluster.local/ns/bookinfo/sa/waypoint'], { role: 'waypoint' });
    await admit(waypoint, { bearerToken: undefined, signal });
    await admit(proxyWith(['spiffe://cluster.local/ns/istio-ingress/sa/ingress'], { role: 'gateway' }), { bearerToken: undefined, signal });
    // A node stating a role is still a node: its token proves no waypoint identity.
    await admit(proxyWith(undefined, { role: 'waypoint' }), { bearerToken: 'good', signal });
    expect(scopes).toEqual([
      { kind: 'waypoint', waypoint: 'bookinfo/waypoint' },
      { kind: 'gateway', namespace: 'istio-ingress', serviceAccount: 'ingress' },
      { kind: 'ztunnel' },
    ]);
  });

  it.each([
    ['neither certificate nor token', undefined, undefined, UnauthenticatedCallerError, GrpcStatus.UNAUTHENTICATED, /no verified client certificate and no bearer token/],
    ['an unknown token, even beside a good certificate', ['spiffe://cluster.local/ns/a/sa/b'], 'bad', UnauthenticatedCallerError, GrpcStatus.UNAUTHENTICATED, /unknown token/],
    ['a certificate without URI', [], undefined, ProxyIdentityError, GrpcStatus.PERMISSION_DENIED, /exactly one URI name, found 0/],
    ['a certificate with two URIs', ['spiffe://cluster.local/ns/a/sa/b', 'spiffe://cluster.local/ns/a/sa/c'], undefined, ProxyIdentityError, GrpcStatus.PERMISSION_DENIED, /found 2/],
    ['a certificate without SPIFFE ID', ['https://cluster.local/ns/a/sa/b'], undefined, ProxyIdentityError, GrpcStatus.PERMISSION_DENIED, /is not a SPIFFE ID/],
    ['a certificate of another trust domain', ['spiffe://example.org/ns/istio-system/sa/ztunnel'], undefined, ProxyIdentityError, GrpcStatus.PERMISSION_DENIED, /is not in trust domain cluster\.local/],
  ])('refuses %s', async (_, uris, bearerToken, type, grpcCode, message) => {
    const refused = await Promise.resolve(admit(proxyWith(uris), { bearerToken, signal })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(type);
    expect((refused as { grpcCode: number }).grpcCode).toBe(grpcCode);
    expect((refused as Error).message).toMatch(message);
  });

  it('admits a node whose metadata names the node of its token, and refuses one that claims another', async () => {
    await expect(admit(proxyWith(undefined, { role: 'ztunnel', node: 'node-a' }), { bearerToken: 'good', signal })).resolves.toBeTypeOf('function');
    const claim = Promise.resolve(admit(proxyWith(undefined, { role: 'ztunnel', node: 'node-b' }), { bearerToken: 'good', signal }));
    await expect(claim).rejects.toBeInstanceOf(NodeClaimError);
    await expect(claim).rejects.toMatchObject({ grpcCode: GrpcStatus.PERMISSION_DENIED, message: expect.stringContaining('names node "node-b", but its token is for node "node-a"') });
    // A certificate caller is a workload, not a node: its metadata is not a claim to check.
    await expect(admit(proxyWith(['spiffe://cluster.local/ns/istio-system/sa/ztunnel'], { node: 'node-b' }), { bearerToken: undefined, signal })).resolves.toBeTypeOf('function');
  });
});
