import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, ROOT_CERT_FILE, SpiffeId } from '@ambit/crypto';
import { ControlPlaneProcess, createMeshDir as createTestMeshDir, TOKEN_NODES, type MeshDir } from '@ambit/test-support';

// The mesh directory and the real control-plane binary come from libs/test-support; what is ztunnel's own is here.
export { ControlPlaneProcess, type MeshDir };

export const ZTUNNEL_IDENTITY = 'spiffe://cluster.local/ns/istio-system/sa/ztunnel';

export function createMeshDir(files: Record<string, string>): Promise<MeshDir> {
  return createTestMeshDir(files, 'ambit-zt-');
}

/** The flags that connect a ztunnel for `node` to the control plane: its token, the mesh root, the control plane's address and identity. */
export function ztunnelXdsFlags(dir: MeshDir, controlPlane: ControlPlaneProcess, node: (typeof TOKEN_NODES)[number] = 'node-a'): string[] {
  return [
    `--node-name=${node}`,
    `--xds-address=127.0.0.1:${controlPlane.xdsPort}`,
    `--xds-identity=${controlPlane.identity}`,
    `--xds-token-file=${dir.tokenFile(node)}`,
    `--xds-root-cert=${join(dir.caDir, ROOT_CERT_FILE)}`,
  ];
}

/** Issues ztunnel's certificate from the control plane's CA directory and writes the PEM files ztunnel's flags name. */
export async function issueZtunnelCertificate(dir: MeshDir): Promise<{ certFile: string; keyFile: string; rootCertFile: string }> {
  const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local', dir: dir.caDir });
  const { privateKey } = generateKeyPair();
  const id = SpiffeId.parse(ZTUNNEL_IDENTITY);
  const signed = ca.sign(createCsr(privateKey, id), { identity: id });
  const out = join(dir.root, 'ztunnel');
  await mkdir(out, { recursive: true });
  const files = { certFile: join(out, 'cert-chain.pem'), keyFile: join(out, 'key.pem'), rootCertFile: join(out, 'root-cert.pem') };
  await writeFile(files.certFile, signed.certChain.join(''));
  await writeFile(files.keyFile, privateKeyToPem(privateKey), { mode: 0o600 });
  await writeFile(files.rootCertFile, ca.trustBundle().join(''));
  return files;
}
