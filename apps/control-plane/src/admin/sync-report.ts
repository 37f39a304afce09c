import type { ProxySyncStatus } from '@ambit/xds';

export type ProxySync = ProxySyncStatus & { readonly versions: Readonly<Record<string, Readonly<Record<string, string>>>> };

/**
 * `/debug/syncz` (istioctl proxy-status's view): every connected proxy, who it proved
 * to be, and per type where the exchange stands and the versions it holds. The
 * certificate is shown by identity, serial and expiry, not as an object.
 */
export function syncReport(proxies: readonly ProxySync[]): unknown {
  return proxies.map(({ proxy, types, versions }) => ({
    streamId: proxy.streamId,
    node: proxy.node,
    identities: proxy.peer?.uris ?? [],
    certificate: proxy.peer === undefined ? null : { serialNumber: proxy.peer.certificate.serialNumber, validTo: proxy.peer.certificate.validTo },
    remoteAddress: proxy.remoteAddress,
    connectedAt: proxy.connectedAt,
    types: types.map((type) => ({ ...type, versions: versions[type.typeUrl] ?? {} })),
  }));
}
