import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../control-plane-process.js';
import type { Endpoint } from '../l4-client.js';
import { BenchStepError } from './errors.js';
import { ManagedProcess } from './managed-process.js';

/**
 * The real mesh, as a user runs it: `ambitctl local up` on a generated config directory
 * (control plane, node tokens, one ztunnel per node, waypoint and ingress gateway pods), on
 * addresses of 127.77.0.0/16 and control-plane ports picked free, so it runs beside a
 * `local up` on the defaults. Two nodes: the client pod on bench-a, the server pod on
 * bench-b; traffic enters at the client's SOCKS5 entry and crosses to bench-b's ztunnel
 * over HBONE. A section adds resources of its own (the L7 section: gateway, waypoint).
 */
export const MESH_ADDRESSES = {
  nodeA: '127.77.1.1',
  nodeB: '127.77.2.1',
  client: '127.77.10.1',
  server: '127.77.20.1',
  gateway: '127.77.30.1',
  waypoint: '127.77.40.1',
} as const;
export const SERVER_TCP_PORT = 9000;
export const SERVER_HTTP_PORT = 9080;

const AMBITCTL = fileURLToPath(new URL('../../../../apps/ambitctl/bin/ambitctl.mjs', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const run = promisify(execFile);

export interface LocalMesh {
  /** The client workload's SOCKS5 entry, on node-a's ztunnel. */
  readonly socks5: Endpoint;
  readonly ztunnelPids: { readonly nodeA: number; readonly nodeB: number };
  readonly controlPlanePid: number;
  /** The waypoints `local up` runs, by pod name. */
  readonly waypointPids: ReadonlyMap<string, number>;
  /** The ingress gateways `local up` runs, by pod name: pid and admin address (`/config_dump`). */
  readonly gateways: ReadonlyMap<string, { readonly pid: number; readonly admin: string }>;
  /** The control plane's xDS (and CA) address. */
  readonly xds: string;
  readonly configDir: string;
  /** `local up`'s state: `ca/root-cert.pem`, `tokens/<node>.token`. */
  readonly stateDir: string;
  stop(): Promise<void>;
}

interface LocalStatus {
  readonly ready: boolean;
  readonly controlPlane?: { readonly pid: number };
  readonly nodes: readonly { readonly name: string; readonly pid: number }[];
  readonly workloads: readonly { readonly name: string; readonly socks5: string }[];
  readonly waypoints?: readonly { readonly name: string; readonly pid: number }[];
  readonly gateways?: readonly { readonly name: string; readonly pid: number; readonly admin: string }[];
}

/**
 * Starts the mesh (the base config plus `extraYaml`, more files of YAML documents) and
 * waits until `local status -o json` says everything is ready.
 */
export async function startLocalMesh(dir: string, extraYaml: Readonly<Record<string, string>> = {}): Promise<LocalMesh> {
  const configDir = join(dir, 'config');
  const stateDir = join(dir, 'state');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'bench.yaml'), meshYaml());
  for (const [file, yaml] of Object.entries(extraYaml)) await writeFile(join(configDir, file), yaml);
  const xdsPort = await freePort();
  const up = new ManagedProcess('ambitctl local up', process.execPath, [
    AMBITCTL, 'local', 'up', '-f', configDir, '--state-dir', stateDir,
    '--xds-port', String(xdsPort), '--admin-port', String(await freePort()),
  ]);
  let status: LocalStatus | undefined;
  try {
    await up.until(
      async () => {
        status = await localStatus(stateDir);
        if (status?.ready !== true) await new Promise((resolve) => setTimeout(resolve, 250));
        return status?.ready === true;
      },
      'the mesh is ready (ambitctl local status)',
      READY_TIMEOUT_MS,
    );
  } catch (error) {
    await up.stop('SIGINT');
    throw error;
  }
  const pidOf = (node: string): number => {
    const pid = status!.nodes.find((candidate) => candidate.name === node)?.pid;
    if (pid === undefined) throw new BenchStepError('ambitctl local status', `no ztunnel for node ${node}`);
    return pid;
  };
  const entry = status!.workloads.find((workload) => workload.name === 'client')?.socks5 ?? `${MESH_ADDRESSES.client}:15080`;
  const [ip, port] = entry.split(':');
  return {
    socks5: { ip: ip!, port: Number(port) },
    ztunnelPids: { nodeA: pidOf('bench-a'), nodeB: pidOf('bench-b') },
    controlPlanePid: status!.controlPlane?.pid ?? Number.NaN,
    waypointPids: new Map((status!.waypoints ?? []).map((waypoint) => [waypoint.name, waypoint.pid])),
    gateways: new Map((status!.gateways ?? []).map(({ name, pid, admin }) => [name, { pid, admin }])),
    xds: `127.0.0.1:${xdsPort}`,
    configDir,
    stateDir,
    // SIGINT, as Ctrl-C: ambitctl stops the ztunnels and the control plane, each draining.
    stop: () => up.stop('SIGINT', 30_000),
  };
}

async function localStatus(stateDir: string): Promise<LocalStatus | undefined> {
  try {
    const { stdout } = await run(process.execPath, [AMBITCTL, 'local', 'status', '--state-dir', stateDir, '-o', 'json'], { timeout: 10_000 });
    return JSON.parse(stdout) as LocalStatus;
  } catch (error) {
    // Not ready yet exits 1 with the JSON on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout === undefined || stdout === '') return undefined;
    try {
      return JSON.parse(stdout) as LocalStatus;
    } catch {
      return undefined;
    }
  }
}

/** A running, ready pod's status (without it a workload is Unhealthy and no proxy sends it requests). */
export const RUNNING_POD_STATUS = '  phase: Running\n  conditions:\n  - type: Ready\n    status: "True"\n';

function meshYaml(): string {
  const { nodeA, nodeB, client, server } = MESH_ADDRESSES;
  const node = (name: string, address: string): string => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nstatus:\n  addresses:\n  - type: InternalIP\n    address: ${address}\n`;
  const account = (name: string): string => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: bench\n`;
  const pod = (name: string, nodeName: string, ip: string, ports: readonly number[]): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: bench\n  labels:\n    app: ${name}\nspec:\n  nodeName: ${nodeName}\n  serviceAccountName: ${name}\n  containers:\n  - name: ${name}\n    image: bench\n` +
    (ports.length === 0 ? '' : `    ports:\n${ports.map((port) => `    - containerPort: ${port}\n`).join('')}`) +
    `status:\n${RUNNING_POD_STATUS}  podIP: ${ip}\n`;
  return [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n  labels:\n    istio.io/dataplane-mode: ambient\n',
    node('bench-a', nodeA),
    node('bench-b', nodeB),
    account('client'),
    account('server'),
    pod('client', 'bench-a', client, []),
    pod('server', 'bench-b', server, [SERVER_TCP_PORT, SERVER_HTTP_PORT]),
  ].join('---\n');
}
