import { byKeys, record, text, texts, type ConfigDump, type DumpItem } from './dump.js';
import { waypointName } from './waypoint.js';

/**
 * istioctl's `ztunnel-config services` table: sorted by namespace, name and hostname; the
 * VIPs without their network; ENDPOINTS as healthy/all, where an endpoint is healthy when
 * its workload is known and `Healthy` (istioctl's rule).
 */
export function servicesTable(services: readonly DumpItem[], dump: ConfigDump): string[][] {
  const healthy = new Set(dump.workloads.filter((w) => text(w.status) === 'Healthy').map((w) => text(w.uid)));
  const rows = [...services].sort(byKeys((s) => text(s.namespace), (s) => text(s.name), (s) => text(s.hostname)));
  return [
    ['NAMESPACE', 'SERVICE NAME', 'SERVICE VIP', 'WAYPOINT', 'ENDPOINTS'],
    ...rows.map((s) => {
      const endpoints = Object.values(record(s.endpoints)).map(record);
      const up = endpoints.filter((e) => healthy.has(text(e.workloadUid))).length;
      const vips = texts(s.vips).map((vip) => vip.slice(vip.indexOf('/') + 1));
      return [text(s.namespace), text(s.name), vips.join(','), waypointName(s, dump.services), `${up}/${endpoints.length}`];
    }),
  ];
}
