import { X509Certificate } from 'node:crypto';
import type { ProxyInfo } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { admitTrustDomain } from './admit.js';
import { ProxyIdentityError } from './errors.js';

// admit reads only the URIs of the verified certificate; the certificate object itself is not inspected.
const proxyWith = (uris: readonly string[] | undefined): ProxyInfo => ({
  streamId: '1',
  node: { id: 'ztunnel-a', cluster: '', userAgentName: 'ambit', metadata: {} },
  peer: uris === undefined ? undefined : { certificate: {} as X509Certificate, uris },
  remoteAddress: '127.0.0.1:5000',
  connectedAt: new Date(0),
});

describe('admitTrustDomain', () => {
  const admit = admitTrustDomain('cluster.local');

  it('admits any identity of the trust domain, to see everything', () => {
    expect(admit(proxyWith(['spiffe://cluster.local/ns/istio-system/sa/ztunnel']))).toBeUndefined();
    expect(admit(proxyWith(['spiffe://cluster.local/ns/bookinfo/sa/reviews']))).toBeUndefined();
  });

  it.each([
    ['no certificate', undefined, /no verified client certificate/],
    ['no URI', [], /exactly one URI name, found 0/],
    ['two URIs', ['spiffe://cluster.local/ns/a/sa/b', 'spiffe://cluster.local/ns/a/sa/c'], /exactly one URI name, found 2/],
    ['not a SPIFFE ID', ['https://cluster.local/ns/a/sa/b'], /is not a SPIFFE ID/],
    ['another trust domain', ['spiffe://example.org/ns/istio-system/sa/ztunnel'], /is not in trust domain cluster\.local/],
  ])('refuses %s', (_, uris, message) => {
    expect(() => admit(proxyWith(uris))).toThrow(ProxyIdentityError);
    expect(() => admit(proxyWith(uris))).toThrow(message);
  });
});
