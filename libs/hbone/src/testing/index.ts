// What tests of HBONE's users need: a real mesh CA in memory and workload certificates
// issued through it, the way a node agent gets them (key made locally, CSR signed).
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, type SpiffeId } from '@ambit/crypto';
import { MeshTrust, type WorkloadCertificate } from '../tls/credentials.js';

export interface Pki {
  readonly ca: CertificateAuthority;
  readonly trust: MeshTrust;
  issue(identity: SpiffeId): WorkloadCertificate;
}

/** A real mesh CA (in memory) and certificates issued the way workloads get them. */
export async function testPki(trustDomain = 'cluster.local'): Promise<Pki> {
  const ca = await CertificateAuthority.create({ trustDomain });
  return {
    ca,
    trust: new MeshTrust(ca.trustBundle()),
    issue(identity) {
      const { privateKey } = generateKeyPair();
      const { certChain } = ca.sign(createCsr(privateKey, identity), { identity });
      return { certChain, privateKey: privateKeyToPem(privateKey) };
    },
  };
}
