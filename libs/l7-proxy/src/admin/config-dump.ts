import type { XdsClientStatus } from '@ambit/xds';
import type { CertificateDump } from '../identity/index.js';
import type { MeshView, Workload } from '../state/index.js';

export interface ConfigDumpInput {
  /** The proxy's configuration (plain data). */
  readonly config: object;
  readonly state: MeshView;
  /** The proxy's own Workload, once found. */
  readonly workload: Workload | undefined;
  readonly certificate: CertificateDump | undefined;
  readonly xds: XdsClientStatus | undefined;
  /** What the proxy's front (HBONE inbound, gateway listeners) reports, by section name. */
  readonly front: Readonly<Record<string, unknown>>;
}

/**
 * The admin `/config_dump`: the config, who the proxy is, its certificate (no key), xDS
 * status, its front's sections, and the route tables, clusters and Listeners it
 * executes, by name. Every map becomes an object so the dump is plain JSON.
 */
export function configDump(input: ConfigDumpInput): Record<string, unknown> {
  const { state, xds } = input;
  return {
    config: input.config,
    workload: input.workload === undefined ? null : { ...input.workload, services: Object.fromEntries([...input.workload.services].map(([key, ports]) => [key, Object.fromEntries(ports)])) },
    certificates: input.certificate === undefined ? [] : [input.certificate],
    xds: xds === undefined ? null : { ...xds, lastError: xds.lastError?.message },
    ...input.front,
    routeTables: plain(sortedObject(state.routeTables)),
    clusters: plain(sortedObject(state.clusters)),
    ...(state.listeners.size === 0 ? {} : { listeners: sortedObject(state.listeners) }),
  };
}

function sortedObject<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Bytes fields (a direct response's body) as UTF-8 text rather than JSON's object of indexes. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, field: unknown) => (field instanceof Uint8Array ? Buffer.from(field).toString('utf8') : field)));
}
