import type { LocalPlan, PlannedService, PlannedWorkload } from './plan.js';
import { table } from './table.js';

/**
 * What `local up` prints once everything is ready: where each component listens, each
 * workload's SOCKS5 entry, each service's VIP, and how to send traffic.
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
  out.push('\nWorkloads (connect to SOCKS5 to send as the workload; its application listens on ADDRESS itself)\n');
  out.push(indent(workloadTable(plan.workloads)));
  out.push('\nServices\n');
  out.push(indent(serviceTable(plan.services)));
  // A request between two different applications: not a workload calling its own service (named alike, as usual).
  const from = plan.workloads[0];
  const callable = plan.services.filter((s) => s.ports.length > 0);
  const to = callable.find((s) => from !== undefined && !(s.namespace === from.namespace && from.name.startsWith(s.name))) ?? callable[0];
  if (from !== undefined && to !== undefined) {
    out.push(`\nSend a request as ${from.namespace}/${from.name} (the application behind the service must listen on its pod address):\n`);
    out.push(`  curl --socks5-hostname ${from.socks5} http://${to.hostname}:${to.ports[0]}/\n`);
  }
  out.push(`\nStatus: ambitctl local status --state-dir ${where.stateDir}  (-o json for scripts)    Stop: Ctrl-C    Guide: docs/local-mode.md\n`);
  return out.join('');
}

/** Each workload with its node, address and SOCKS5 entry (also in `local status`). */
export function workloadTable(workloads: readonly PlannedWorkload[]): string {
  return table([['WORKLOAD', 'NODE', 'ADDRESS', 'SOCKS5'], ...workloads.map((w) => [`${w.namespace}/${w.name}`, w.node, w.address, w.socks5])]);
}

/** Each service with its hostname, VIPs (marked when assigned) and ports (also in `local status`). */
export function serviceTable(services: readonly PlannedService[]): string {
  return table([
    ['SERVICE', 'HOSTNAME', 'VIP', 'PORTS'],
    ...services.map((s) => [`${s.namespace}/${s.name}`, s.hostname, s.vips.length === 0 ? 'headless' : `${s.vips.join(',')}${s.assigned ? ' (assigned)' : ''}`, s.ports.join(',')]),
  ]);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}
