import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Endpoint } from '../l4-client.js';
import { BenchStepError } from './errors.js';
import { L7_MESH, l7MeshYaml } from './l7-mesh-config.js';
import { startLocalMesh } from './local-mesh.js';
import { selfSignedCredential } from './tls-credential.js';

/**
 * The mesh of the L7 section: `ambitctl local up` with the gateway, waypoint and services
 * of `l7-mesh-config.ts`. `local up` runs the waypoint pod and the ingress gateway pod;
 * the gateway's served ports are read from its `/config_dump`.
 */
export interface L7Mesh {
  readonly gatewayPid: number;
  readonly waypointPid: number;
  /** bench-b's ztunnel: the server pod's, the last hop before the app on both paths. */
  readonly serverZtunnelPid: number;
  /** Gateway server port → where it is served. */
  readonly gatewayPorts: { readonly http: Endpoint; readonly https: Endpoint; readonly httpViaWaypoint: Endpoint };
  stop(): Promise<void>;
}

export async function startL7Mesh(dir: string, originPort: number): Promise<L7Mesh> {
  await mkdir(dir, { recursive: true });
  const credential = await selfSignedCredential(dir, 'bench.example');
  const mesh = await startLocalMesh(join(dir, 'mesh'), l7MeshYaml(originPort, credential));
  try {
    const waypointPid = mesh.waypointPids.get(L7_MESH.waypointPod);
    if (waypointPid === undefined) throw new BenchStepError('ambitctl local up', `did not start the waypoint pod ${L7_MESH.waypointPod}`);
    const gateway = mesh.gateways.get(L7_MESH.gatewayPod);
    if (gateway === undefined) throw new BenchStepError('ambitctl local up', `did not start the ingress gateway pod ${L7_MESH.gatewayPod} (an ambitctl older than gateway pods?)`);
    const served = await gatewayPorts(gateway.admin);
    const at = (port: number): Endpoint => {
      const address = served.get(port);
      if (address === undefined) throw new BenchStepError('ingress gateway', `does not serve the Gateway port ${port} (its /config_dump ports: ${[...served.keys()].join(', ') || 'none'})`);
      return address;
    };
    const { http, https, httpViaWaypoint } = L7_MESH.ports;
    return {
      gatewayPid: gateway.pid,
      waypointPid,
      serverZtunnelPid: mesh.ztunnelPids.nodeB,
      gatewayPorts: { http: at(http), https: at(https), httpViaWaypoint: at(httpViaWaypoint) },
      stop: () => mesh.stop(),
    };
  } catch (error) {
    await mesh.stop();
    throw error;
  }
}

/** The served Gateway ports from the gateway's `/config_dump` (`ports`: server port → listen address). */
async function gatewayPorts(admin: string): Promise<Map<number, Endpoint>> {
  const url = `http://${admin}/config_dump`;
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    text = await response.text();
    if (!response.ok) throw new BenchStepError(`ingress gateway ${url}`, `answered ${response.status}`, text);
  } catch (error) {
    if (error instanceof BenchStepError) throw error;
    throw new BenchStepError(`ingress gateway ${url}`, (error as Error).message);
  }
  const dump = JSON.parse(text) as { ports?: readonly { port: number; address: string }[] };
  return new Map(
    (dump.ports ?? []).map(({ port, address }) => {
      const colon = address.lastIndexOf(':');
      return [port, { ip: address.slice(0, colon), port: Number(address.slice(colon + 1)) }];
    }),
  );
}
