import { CertificateAuthority } from '@ambit/crypto';
import { buildConfig } from '../../src/config/index.js';
import { ControlPlane, type ControlPlaneOptions } from '../../src/control-plane.js';
import { createMeshDir, type MeshDir } from './mesh.js';
import { issue, TestProxy, type TestProxyOptions } from './proxy.js';

export const ZTUNNEL_IDENTITY = 'spiffe://cluster.local/ns/istio-system/sa/ztunnel';

/** A control plane on a temporary mesh directory, ports picked by the system, and what a test needs around it. */
export interface RunningMesh {
  readonly dir: MeshDir;
  readonly controlPlane: ControlPlane;
  /** The mesh CA, opened on the control plane's CA directory as a second reader (the root exists by then). */
  readonly ca: CertificateAuthority;
  /** A proxy of the mesh connected to the control plane. */
  proxy(nodeId: string, options?: Pick<TestProxyOptions, 'rejectAddresses'>): TestProxy;
  close(): Promise<void>;
}

export async function startMesh(flags: readonly string[] = [], options: ControlPlaneOptions = {}): Promise<RunningMesh> {
  const dir = await createMeshDir();
  const config = buildConfig({
    argv: ['--config-dir', dir.configDir, '--ca-dir', dir.caDir, '--xds-address', '127.0.0.1:0', '--admin-address', '127.0.0.1:0', ...flags],
    env: {},
  });
  const controlPlane = new ControlPlane(config, { provider: { debounceMs: 20, maxDelayMs: 100 }, xdsCloseGraceMs: 500, ...options });
  try {
    await controlPlane.start();
  } catch (error) {
    await dir.cleanup();
    throw error;
  }
  const ca = await CertificateAuthority.create({ trustDomain: config.trustDomain, dir: dir.caDir });
  const proxies: TestProxy[] = [];
  return {
    dir,
    controlPlane,
    ca,
    proxy: (nodeId, options = {}) => {
      const proxy = new TestProxy({
        ...options,
        address: controlPlane.addresses.xds,
        certificate: issue(ca, ZTUNNEL_IDENTITY),
        trustBundle: ca.trustBundle(),
        serverIdentity: controlPlane.identity,
        nodeId,
      });
      proxies.push(proxy);
      return proxy;
    },
    close: async () => {
      for (const proxy of proxies) proxy.close();
      await controlPlane.close();
      await dir.cleanup();
    },
  };
}
