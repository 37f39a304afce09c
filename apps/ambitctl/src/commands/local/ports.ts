import { createServer } from 'node:net';
import type { LocalPlan } from './plan.js';
import { WORKLOAD_PORTS } from './options.js';

/** An address local mode will listen on, and what for (named in the error when it is taken). */
export interface PlannedListener {
  readonly host: string;
  readonly port: number;
  readonly purpose: string;
}

export interface UnavailableListener {
  readonly address: string;
  readonly purpose: string;
  /** `in use`, `not an address of this machine`, … */
  readonly reason: string;
}

/**
 * Every address `local up` and its children will listen on: the control plane's two
 * ports, each node's admin, metrics and readiness ports, and each workload's
 * SOCKS5, HBONE and plaintext inbound ports (ztunnel serves a workload on its own
 * address, as Istio's ztunnel does inside each pod's network namespace), each
 * waypoint's HBONE, admin, metrics and readiness ports on its pod address, each
 * ingress gateway's served Gateway ports, admin, metrics and readiness ports, and each
 * sample workload's ports on its pod address.
 */
export function plannedListeners(plan: LocalPlan): PlannedListener[] {
  const split = (address: string): { host: string; port: number } => {
    const colon = address.lastIndexOf(':');
    return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
  };
  return [
    { ...split(plan.controlPlane.xds), purpose: 'control plane xDS, --xds-port' },
    { ...split(plan.controlPlane.admin), purpose: 'control plane admin, --admin-port' },
    ...plan.nodes.flatMap((node) => [
      { ...split(node.admin), purpose: `ztunnel ${node.name} admin` },
      { ...split(node.metrics), purpose: `ztunnel ${node.name} metrics` },
      { ...split(node.readiness), purpose: `ztunnel ${node.name} readiness` },
    ]),
    ...plan.workloads.flatMap((w) => [
      { host: w.address, port: WORKLOAD_PORTS.socks5, purpose: `SOCKS5 entry of ${w.namespace}/${w.name}` },
      { host: w.address, port: WORKLOAD_PORTS.hbone, purpose: `HBONE inbound of ${w.namespace}/${w.name}` },
      { host: w.address, port: WORKLOAD_PORTS.plaintext, purpose: `plaintext inbound of ${w.namespace}/${w.name}` },
    ]),
    ...plan.waypoints.flatMap((w) => [
      { ...split(w.hbone), purpose: `waypoint ${w.namespace}/${w.name} HBONE` },
      { ...split(w.admin), purpose: `waypoint ${w.namespace}/${w.name} admin` },
      { ...split(w.metrics), purpose: `waypoint ${w.namespace}/${w.name} metrics` },
      { ...split(w.readiness), purpose: `waypoint ${w.namespace}/${w.name} readiness` },
    ]),
    ...plan.gateways.flatMap((g) => [
      ...g.ports.map((p) => ({ ...split(p.servedAt), purpose: `gateway ${g.namespace}/${g.name} ${p.protocol} port ${p.port}` })),
      { ...split(g.admin), purpose: `gateway ${g.namespace}/${g.name} admin` },
      { ...split(g.metrics), purpose: `gateway ${g.namespace}/${g.name} metrics` },
      { ...split(g.readiness), purpose: `gateway ${g.namespace}/${g.name} readiness` },
    ]),
    ...plan.samples.flatMap((s) => s.listen.map((address) => ({ ...split(address), purpose: `sample ${s.sample} of ${s.namespace}/${s.name}` }))),
  ];
}

/**
 * The listeners that cannot be bound now, found by binding each for a moment (all of
 * them, so the user sees every conflict at once). Another process can still take a
 * port between this check and the child's bind; the child then fails loudly and
 * `local up` stops everything.
 */
export async function unavailableListeners(listeners: readonly PlannedListener[]): Promise<UnavailableListener[]> {
  const results = await Promise.all(listeners.map(async (listener) => ({ listener, reason: await bindError(listener.host, listener.port) })));
  return results.filter((r) => r.reason !== undefined).map(({ listener, reason }) => ({ address: `${listener.host}:${listener.port}`, purpose: listener.purpose, reason: reason! }));
}

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'in use',
  EADDRNOTAVAIL: 'not an address of this machine',
  EACCES: 'permission denied',
};

function bindError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(REASONS[error.code ?? ''] ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
