import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, SpiffeId } from '@ambit/crypto';
import type { ClientTlsMaterial } from '../tls/client-credentials.js';
import type { TlsMaterial } from '../tls/material.js';

export const SERVER_IDENTITY = 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane';
export const ZTUNNEL_IDENTITY = 'spiffe://cluster.local/ns/istio-system/sa/ztunnel';

/** A mesh CA from @ambit/crypto that issues certificates the way the control plane will. */
export interface TestPki {
  readonly trustBundle: readonly string[];
  issue(identity: string): TlsMaterial;
  /** Client material that expects the control plane's identity. */
  client(identity?: string): ClientTlsMaterial;
}

export async function createTestPki(trustDomain = 'cluster.local'): Promise<TestPki> {
  const ca = await CertificateAuthority.create({ trustDomain });
  const issue = (identity: string): TlsMaterial => {
    const keys = generateKeyPair();
    const id = SpiffeId.parse(identity);
    const signed = ca.sign(createCsr(keys.privateKey, id), { identity: id });
    return { certChain: signed.certChain, privateKey: privateKeyToPem(keys.privateKey), trustBundle: ca.trustBundle() };
  };
  return {
    trustBundle: ca.trustBundle(),
    issue,
    client: (identity = ZTUNNEL_IDENTITY) => ({ ...issue(identity), serverIdentities: [SERVER_IDENTITY] }),
  };
}
