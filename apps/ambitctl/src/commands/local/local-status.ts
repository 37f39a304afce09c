import { httpGet } from '../../http-probe.js';
import type { PlannedService, PlannedWorkload } from './plan.js';
import type { PlannedSample } from './samples.js';
import type { PlannedGateway } from './gateways.js';
import type { PlannedWaypoint } from './waypoints.js';
import { isAlive, readState } from './state-file.js';
import { gatewayTable, sampleTable, serviceTable, workloadTable } from './summary.js';
import { table } from '../../table.js';

/** How long each endpoint may take to answer `local status`. */
const QUERY_MS = 2000;

export interface ControlPlaneStatus {
  readonly pid: number;
  readonly alive: boolean;
  readonly xds: string;
  readonly admin: string;
  /** `/ready` answered 200. */
  readonly ready: boolean;
  /** What `/ready` said, or why it could not be asked. */
  readonly readiness: string;
  /** The nodes whose ztunnel holds an xDS stream (`/debug/syncz`), and whether all their types are synced. */
  readonly proxies: readonly { readonly node: string; readonly synced: boolean }[];
}

export interface NodeStatus {
  readonly name: string;
  readonly address: string;
  readonly pid: number;
  readonly alive: boolean;
  readonly admin: string;
  readonly metrics: string;
  readonly readiness: string;
  /** `/healthz/ready` answered 200. */
  readonly ready: boolean;
  readonly readinessDetail: string;
  /** What its config dump holds; undefined when it could not be read. */
  readonly config: { readonly workloads: number; readonly services: number; readonly policies: number; readonly certificates: number } | undefined;
}

/** A sample workload and how it is: alive, and answering its `/healthz`. */
export interface SampleStatus extends PlannedSample {
  readonly pid: number;
  readonly alive: boolean;
  readonly ready: boolean;
  /** What `/healthz` said, or why it could not be asked. */
  readonly readiness: string;
}

/** A waypoint and how it is: alive, and answering its `/healthz/ready`. */
export interface WaypointStatus extends PlannedWaypoint {
  readonly pid: number;
  readonly alive: boolean;
  readonly ready: boolean;
  /** What `/healthz/ready` said, or why it could not be asked. */
  readonly readinessDetail: string;
}

/** An ingress gateway and how it is: alive, and answering its `/healthz/ready`. */
export interface GatewayStatus extends PlannedGateway {
  readonly pid: number;
  readonly alive: boolean;
  readonly ready: boolean;
  /** What `/healthz/ready` said, or why it could not be asked. */
  readonly readinessDetail: string;
}

export interface LocalStatus {
  /** A local mesh runs on the state directory (its `local up` is alive). */
  readonly running: boolean;
  /** Running, and every component reports ready. */
  readonly ready: boolean;
  readonly stateDir: string;
  readonly phase?: 'starting' | 'running';
  readonly pid?: number;
  readonly startedAt?: string;
  readonly configDir?: string;
  readonly controlPlane?: ControlPlaneStatus;
  readonly nodes: readonly NodeStatus[];
  readonly workloads: readonly PlannedWorkload[];
  readonly services: readonly PlannedService[];
  readonly samples: readonly SampleStatus[];
  readonly waypoints: readonly WaypointStatus[];
  readonly gateways: readonly GatewayStatus[];
}

/** Reads local.json and asks every component how it is (all at once, each within 2 s). */
export async function localStatus(stateDir: string): Promise<LocalStatus> {
  const state = await readState(stateDir);
  if (state === undefined || !isAlive(state.pid)) return { running: false, ready: false, stateDir, nodes: [], workloads: [], services: [], samples: [], waypoints: [], gateways: [] };
  const [controlPlane, nodes, waypoints, gateways, samples] = await Promise.all([
    controlPlaneStatus(state.controlPlane),
    Promise.all(
      state.nodes.map(async (node): Promise<NodeStatus> => {
        const [readiness, config] = await Promise.all([ask(`http://${node.readiness}/healthz/ready`), configCounts(`http://${node.admin}/config_dump`)]);
        return { ...node, alive: alive(node.pid), ready: readiness.ok, readinessDetail: readiness.text, config };
      }),
    ),
    Promise.all(
      state.waypoints.map(async (waypoint): Promise<WaypointStatus> => {
        const readiness = await ask(`http://${waypoint.readiness}/healthz/ready`);
        return { ...waypoint, alive: alive(waypoint.pid), ready: readiness.ok, readinessDetail: readiness.text.trim() };
      }),
    ),
    Promise.all(
      // Absent from the local.json of an ambitctl older than the gateways.
      (state.gateways ?? []).map(async (gateway): Promise<GatewayStatus> => {
        const readiness = await ask(`http://${gateway.readiness}/healthz/ready`);
        return { ...gateway, alive: alive(gateway.pid), ready: readiness.ok, readinessDetail: readiness.text.trim() };
      }),
    ),
    Promise.all(
      state.samples.map(async (sample): Promise<SampleStatus> => {
        const health = await ask(`http://${sample.listen[0]}/healthz`);
        return { ...sample, alive: alive(sample.pid), ready: health.ok, readiness: health.text.trim() };
      }),
    ),
  ]);
  return {
    running: true,
    ready: state.phase === 'running' && controlPlane.ready && nodes.every((n) => n.ready) && waypoints.every((w) => w.ready) && gateways.every((g) => g.ready) && samples.every((s) => s.ready),
    stateDir,
    phase: state.phase,
    pid: state.pid,
    startedAt: state.startedAt,
    configDir: state.configDir,
    controlPlane,
    nodes,
    workloads: state.workloads,
    services: state.services,
    samples,
    waypoints,
    gateways,
  };
}

async function controlPlaneStatus(cp: { readonly pid: number; readonly xds: string; readonly admin: string }): Promise<ControlPlaneStatus> {
  const [readiness, syncz] = await Promise.all([ask(`http://${cp.admin}/ready`), ask(`http://${cp.admin}/debug/syncz`)]);
  return { ...cp, alive: alive(cp.pid), ready: readiness.ok, readiness: readiness.text, proxies: syncz.ok ? proxiesOf(syncz.text) : [] };
}

interface SynczEntry {
  readonly node?: { readonly id?: string; readonly metadata?: { readonly node?: unknown } };
  readonly types?: readonly { readonly state?: string }[];
}

function proxiesOf(text: string): { node: string; synced: boolean }[] {
  const entries = parseJson(text);
  if (!Array.isArray(entries)) return [];
  return (entries as SynczEntry[]).map((entry) => ({
    node: typeof entry.node?.metadata?.node === 'string' ? entry.node.metadata.node : (entry.node?.id ?? ''),
    synced: (entry.types ?? []).every((t) => t.state === 'synced'),
  }));
}

async function configCounts(url: string): Promise<NodeStatus['config']> {
  const answer = await ask(url);
  const dump = answer.ok ? parseJson(answer.text) : undefined;
  if (typeof dump !== 'object' || dump === null) return undefined;
  const count = (field: string): number => {
    const value = (dump as Record<string, unknown>)[field];
    return Array.isArray(value) ? value.length : 0;
  };
  return { workloads: count('workloads'), services: count('services'), policies: count('policies'), certificates: count('certificates') };
}

async function ask(url: string): Promise<{ ok: boolean; text: string }> {
  try {
    const answer = await httpGet(url, QUERY_MS);
    return { ok: answer.status === 200, text: answer.status === 200 ? answer.body : `${answer.status} ${answer.body.trim().split('\n').join('; ')}` };
  } catch (error) {
    return { ok: false, text: (error as Error).message };
  }
}

function alive(pid: number): boolean {
  return pid > 0 && isAlive(pid);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The status as a few tables, for people. */
export function renderStatusText(status: LocalStatus): string {
  if (!status.running) return `No local mesh runs on ${status.stateDir} (start one with: ambitctl local up -f <dir>)\n`;
  const cp = status.controlPlane!;
  const yesNo = (ok: boolean, detail: string): string => (ok ? 'yes' : `no (${detail.split('\n')[0]!.slice(0, 120)})`);
  const connected = new Map(cp.proxies.map((p) => [p.node, p.synced]));
  const out = [
    `Local mesh ${status.ready ? 'ready' : status.phase === 'starting' ? 'starting' : 'NOT ready'}: ambitctl pid ${status.pid}, config ${status.configDir}, since ${status.startedAt}\n\n`,
    table([
      ['COMPONENT', 'PID', 'ADDRESS', 'READY', 'XDS', 'WORKLOADS', 'SERVICES', 'POLICIES', 'CERTIFICATES'],
      ['control-plane', `${cp.pid}${cp.alive ? '' : ' (gone)'}`, `${cp.xds} admin ${cp.admin}`, yesNo(cp.ready, cp.readiness), `${cp.proxies.length} connected`, '', '', '', ''],
      ...status.nodes.map((n) => {
        const synced = connected.get(n.name);
        return [
          `ztunnel ${n.name}`,
          `${n.pid}${n.alive ? '' : ' (gone)'}`,
          `${n.address} admin :${n.admin.split(':').pop()}`,
          yesNo(n.ready, n.readinessDetail),
          synced === undefined ? 'not connected' : synced ? 'synced' : 'pending',
          String(n.config?.workloads ?? '?'),
          String(n.config?.services ?? '?'),
          String(n.config?.policies ?? '?'),
          String(n.config?.certificates ?? '?'),
        ];
      }),
      ...status.waypoints.map((w) => [
        `waypoint ${w.namespace}/${w.name}`,
        `${w.pid}${w.alive ? '' : ' (gone)'}`,
        `${w.address} hbone :${w.hbone.split(':').pop()} admin :${w.admin.split(':').pop()}`,
        yesNo(w.ready, w.readinessDetail),
        '',
        '',
        '',
        '',
        '',
      ]),
      ...status.gateways.map((g) => [
        `gateway ${g.namespace}/${g.name}`,
        `${g.pid}${g.alive ? '' : ' (gone)'}`,
        `${g.address} admin :${g.admin.split(':').pop()}`,
        yesNo(g.ready, g.readinessDetail),
        '',
        '',
        '',
        '',
        '',
      ]),
    ]),
    ...(status.gateways.length === 0 ? [] : ['\n', gatewayTable(status.gateways)]),
    '\n',
    workloadTable(status.workloads),
    '\n',
    serviceTable(status.services),
    ...(status.samples.length === 0
      ? []
      : ['\n', sampleTable(status.samples.map((s) => ({ ...s, state: s.ready ? `ready (pid ${s.pid})` : `${s.alive ? 'NOT ready' : 'gone'}: ${s.readiness.split('\n')[0]!.slice(0, 120)}` })))]),
  ];
  return out.join('');
}
