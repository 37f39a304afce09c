import type { ResourceCache } from '../cache/resource-cache.js';
import { workloadV1 } from '../index.js';
import type { CertificateAuthorityHandler } from '../ca/ca-service.js';
import type { AdmitProxy } from '../server/proxy-info.js';
import type { XdsServerLimits } from '../server/limits.js';
import { XdsServer } from '../server/xds-server.js';
import { XdsServerCredentials } from '../tls/server-credentials.js';
import { SERVER_IDENTITY, type TestPki } from './pki.js';

export interface RunningServer {
  readonly server: XdsServer;
  readonly credentials: XdsServerCredentials;
  readonly target: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(
  pki: TestPki,
  resources: readonly ResourceCache<unknown>[],
  options: { readonly admit?: AdmitProxy; readonly certificateAuthority?: CertificateAuthorityHandler; readonly limits?: Partial<XdsServerLimits>; readonly port?: number } = {},
): Promise<RunningServer> {
  const credentials = new XdsServerCredentials(pki.issue(SERVER_IDENTITY));
  const server = new XdsServer({
    credentials,
    resources,
    ...(options.admit === undefined ? {} : { admit: options.admit }),
    ...(options.certificateAuthority === undefined ? {} : { certificateAuthority: options.certificateAuthority }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const { port } = await server.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { server, credentials, port, target: `127.0.0.1:${port}`, close: () => server.close({ graceMs: 200 }) };
}

/** A workload Address resource with a recognizable body. */
export function workload(uid: string, extra: Partial<{ node: string; namespace: string }> = {}): workloadV1.Address {
  return {
    type: 'workload',
    workload: {
      ...workloadV1.Workload.decode(workloadV1.Workload.encode({})),
      uid,
      name: uid,
      namespace: extra.namespace ?? 'default',
      node: extra.node ?? 'node-a',
      addresses: [Uint8Array.of(10, 0, 0, uid.length)],
    },
  };
}

export function upserts<T>(entries: Record<string, [version: string, resource: T]>): [string, { version: string; resource: T }][] {
  return Object.entries(entries).map(([name, [version, resource]]) => [name, { version, resource }]);
}
