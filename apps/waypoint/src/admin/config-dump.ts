import type { XdsClientStatus } from '@ambit/xds';
import type { WaypointConfig } from '../config/index.js';
import type { CertificateDump } from '../identity/index.js';
import type { InboundStats } from '../inbound/index.js';
import type { MeshView, Workload } from '../state/index.js';

export interface ConfigDumpInput {
  readonly config: WaypointConfig;
  readonly state: MeshView;
  /** The waypoint's own Workload, once found. */
  readonly workload: Workload | undefined;
  readonly certificate: CertificateDump | undefined;
  readonly xds: XdsClientStatus | undefined;
  readonly inbound: InboundStats | undefined;
}

/**
 * The admin `/config_dump`: the config, who the waypoint is, its certificate (no key),
 * xDS status, and the route tables and clusters it executes, by name. Every map becomes
 * an object so the dump is plain JSON.
 */
export function configDump(input: ConfigDumpInput): Record<string, unknown> {
  const { state, xds } = input;
  return {
    config: input.config,
    workload: input.workload === undefined ? null : { ...input.workload, services: Object.fromEntries([...input.workload.services].map(([key, ports]) => [key, Object.fromEntries(ports)])) },
    certificates: input.certificate === undefined ? [] : [input.certificate],
    xds: xds === undefined ? null : { ...xds, lastError: xds.lastError?.message },
    inbound: input.inbound ?? null,
    routeTables: plain(Object.fromEntries([...state.routeTables].sort(([a], [b]) => (a < b ? -1 : 1)))),
    clusters: plain(Object.fromEntries([...state.clusters].sort(([a], [b]) => (a < b ? -1 : 1)))),
  };
}

/** Bytes fields (a direct response's body) as UTF-8 text rather than JSON's object of indexes. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, field: unknown) => (field instanceof Uint8Array ? Buffer.from(field).toString('utf8') : field)));
}
