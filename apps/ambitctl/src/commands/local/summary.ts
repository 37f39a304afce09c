import { resolve } from 'node:path';
import { DEFAULT_STATE_DIR } from './options.js';
import type { LocalPlan, PlannedService, PlannedWorkload } from './plan.js';
import { SAMPLE_ANNOTATION, type PlannedSample } from './samples.js';
import type { PlannedGateway } from './gateways.js';
import type { PlannedWaypoint } from './waypoints.js';
import { table } from '../../table.js';
import { tryCommands } from './try-it.js';

/**
 * What `local up` prints once everything is ready: where each component listens, each
 * ingress gateway and the ports it serves, each waypoint, each workload's SOCKS5 entry, each service's VIP (and waypoint), the sample
 * workloads, and commands to copy that send traffic and show where to look.
 */
export function renderSummary(plan: LocalPlan, where: { readonly configDir: string; readonly stateDir: string }): string {
  const out: string[] = [];
  out.push(`\nAmbit local mesh ready: ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'}, config ${where.configDir}, state ${where.stateDir}\n`);
  out.push('\nControl plane\n');
  out.push(
    indent(
      table([
        ['xDS + CA', plan.controlPlane.xds],
        ['admin', `http://${plan.controlPlane.admin}/ready  /debug/syncz  /debug/config_dump  /debug/status  /metrics`],
      ]),
    ),
  );
  out.push('\nNodes (one ztunnel each)\n');
  out.push(
    indent(
      table([
        ['NODE', 'ADDRESS', 'ADMIN', 'METRICS', 'READINESS'],
        ...plan.nodes.map((n) => [n.name, `${n.address}${n.assigned ? ' (assigned)' : ''}`, `http://${n.admin}/config_dump`, `http://${n.metrics}/metrics`, `http://${n.readiness}/healthz/ready`]),
      ]),
    ),
  );
  if (plan.gateways.length > 0) {
    out.push('\nGateways (ingress: plain HTTP or HTTPS from outside the mesh, routed by the VirtualServices bound to their Gateways)\n');
    out.push(indent(gatewayTable(plan.gateways)));
  }
  if (plan.waypoints.length > 0) {
    out.push('\nWaypoints (L7: routes, canaries, faults and HTTP telemetry of the services bound to them)\n');
    out.push(indent(waypointTable(plan.waypoints)));
  }
  out.push('\nWorkloads (connect to SOCKS5 to send as the workload; its application listens on ADDRESS itself)\n');
  out.push(indent(workloadTable(plan.workloads)));
  out.push('\nServices\n');
  out.push(indent(serviceTable(plan.services)));
  if (plan.samples.length > 0) {
    out.push(`\nSample workloads (ours, for the pods annotated ${SAMPLE_ANNOTATION}; each answers with its pod, version and caller)\n`);
    out.push(indent(sampleTable(plan.samples)));
  }
  // `npx ambitctl` from the repository; the state directory only when it is not the default.
  const statusCommand = `npx ambitctl local status${where.stateDir === resolve(DEFAULT_STATE_DIR) ? '' : ` --state-dir ${where.stateDir}`}`;
  out.push('\nTry it:\n');
  for (const { comment, command } of tryCommands(plan, statusCommand)) out.push(`  # ${comment}\n  ${command}\n`);
  out.push('\nStop: Ctrl-C    Guide: docs/local-mode.md\n');
  return out.join('');
}

/** Each workload with its node, address and SOCKS5 entry (also in `local status`). */
export function workloadTable(workloads: readonly PlannedWorkload[]): string {
  return table([['WORKLOAD', 'NODE', 'ADDRESS', 'SOCKS5'], ...workloads.map((w) => [`${w.namespace}/${w.name}`, w.node, w.address, w.socks5])]);
}

/** Each waypoint with its Gateway, node and addresses (also in `local status`). */
export function waypointTable(waypoints: readonly PlannedWaypoint[]): string {
  return table([
    ['WAYPOINT', 'GATEWAY', 'NODE', 'HBONE', 'ADMIN', 'METRICS', 'READINESS'],
    ...waypoints.map((w) => [`${w.namespace}/${w.name}`, w.gateway, w.node, w.hbone, `http://${w.admin}/config_dump`, `http://${w.metrics}/metrics`, `http://${w.readiness}/healthz/ready`]),
  ]);
}

/**
 * Each ingress gateway pod, one row per served Gateway port (PORT as the Gateway writes
 * it, SERVED AT where to connect), with its node, Gateways and endpoints on its first
 * row (also in `local status`).
 */
export function gatewayTable(gateways: readonly PlannedGateway[]): string {
  return table([
    ['GATEWAY', 'NODE', 'PORT', 'PROTOCOL', 'SERVED AT', 'ISTIO GATEWAYS', 'ADMIN', 'METRICS', 'READINESS'],
    ...gateways.flatMap((g) => {
      const pod = [`${g.namespace}/${g.name}`, g.node];
      const endpoints = [g.gateways.join(','), `http://${g.admin}/config_dump`, `http://${g.metrics}/metrics`, `http://${g.readiness}/healthz/ready`];
      const rows = g.ports.map((p, i) => [...(i === 0 ? pod : ['', '']), String(p.port), p.protocol, p.servedAt, ...(i === 0 ? endpoints : ['', '', '', ''])]);
      return rows.length > 0 ? rows : [[...pod, '', '', '(no port served)', ...endpoints]];
    }),
  ])
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Each sample workload with what it reports and where it listens (also in `local status`). */
export function sampleTable(samples: readonly (PlannedSample & { readonly state?: string })[]): string {
  const withState = samples.some((s) => s.state !== undefined);
  return table([
    ['SAMPLE', 'APP', 'VERSION', 'NODE', 'LISTENS ON', ...(withState ? ['STATE'] : [])],
    ...samples.map((s) => [`${s.namespace}/${s.name}`, `${s.app} (${s.sample})`, s.version, s.node, s.listen.join(','), ...(withState ? [s.state ?? ''] : [])]),
  ]);
}

/** Each service with its hostname, VIPs (marked when assigned), ports and, when any has one, waypoint (also in `local status`). */
export function serviceTable(services: readonly PlannedService[]): string {
  const withWaypoint = services.some((s) => s.waypoint !== undefined);
  return table([
    ['SERVICE', 'HOSTNAME', 'VIP', 'PORTS', ...(withWaypoint ? ['WAYPOINT'] : [])],
    ...services.map((s) => [
      `${s.namespace}/${s.name}`,
      s.hostname,
      s.vips.length === 0 ? 'headless' : `${s.vips.join(',')}${s.assigned ? ' (assigned)' : ''}`,
      s.ports.join(','),
      ...(withWaypoint ? [s.waypoint ?? ''] : []),
    ]),
  ]);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}
