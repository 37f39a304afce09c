import { SpiffeId } from '@ambit/crypto';
import type { PeerIdentity } from '@ambit/xds';
import type { Caller } from './caller.js';
import { ProxyIdentityError } from './errors.js';

/**
 * The caller a verified mesh certificate proves: a `workload` with the certificate's
 * identity, which must be the one SPIFFE ID of the certificate and in the mesh's trust
 * domain (ProxyIdentityError otherwise).
 *
 * A certificate never proves a node, not even one for the ztunnel identity
 * (`spiffe://<td>/ns/<root-namespace>/sa/ztunnel`): every ztunnel of the mesh has that
 * same identity, so it cannot say which node is calling, and node authorization needs
 * exactly that. As Istio's ztunnel does, a ztunnel proves its node with its token; with
 * a ztunnel certificate alone it is a workload like any other (it may renew its own
 * identity, and it sees every xDS resource, as every certificate caller does today).
 */
export function callerFromCertificate(peer: PeerIdentity, trustDomain: string): Caller {
  const [uri] = peer.uris;
  if (uri === undefined || peer.uris.length > 1) throw new ProxyIdentityError(`its certificate must carry exactly one URI name, found ${peer.uris.length}`);
  let identity: SpiffeId;
  try {
    identity = SpiffeId.parse(uri);
  } catch (error) {
    throw new ProxyIdentityError(`${uri} is not a SPIFFE ID`, error);
  }
  if (identity.trustDomain !== trustDomain) throw new ProxyIdentityError(`${uri} is not in trust domain ${trustDomain}`);
  return { kind: 'workload', identity, proof: 'certificate' };
}
