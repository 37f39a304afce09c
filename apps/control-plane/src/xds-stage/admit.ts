import { SpiffeId } from '@ambit/crypto';
import type { AdmitProxy } from '@ambit/xds';
import { ProxyIdentityError } from './errors.js';

/**
 * Admits a proxy by the identity of its verified client certificate: any SPIFFE ID of
 * the mesh's trust domain, and it sees every resource (what a ztunnel needs). Node
 * authorization (which node may ask for which identities, and what a waypoint may see)
 * comes with the CA service.
 */
export function admitTrustDomain(trustDomain: string): AdmitProxy {
  return (proxy) => {
    const uris = proxy.peer?.uris ?? [];
    const [uri] = uris;
    if (proxy.peer === undefined) throw new ProxyIdentityError('no verified client certificate');
    if (uri === undefined || uris.length > 1) throw new ProxyIdentityError(`its certificate must carry exactly one URI name, found ${uris.length}`);
    let identity: SpiffeId;
    try {
      identity = SpiffeId.parse(uri);
    } catch (error) {
      throw new ProxyIdentityError(`${uri} is not a SPIFFE ID`, error);
    }
    if (identity.trustDomain !== trustDomain) throw new ProxyIdentityError(`${uri} is not in trust domain ${trustDomain}`);
    return undefined;
  };
}
