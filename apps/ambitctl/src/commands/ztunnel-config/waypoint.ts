import { record, text, texts, type DumpItem } from './dump.js';

/**
 * The WAYPOINT column of workloads and services: `None` without a waypoint, else the name of
 * the service the waypoint address names (by `network/ip` among the services' VIPs, or by
 * namespace and hostname), as istioctl resolves it. istioctl prints `NA` for a waypoint
 * that is not among the services; this prints the address or hostname instead, which
 * says what is missing.
 */
export function waypointName(item: DumpItem, services: readonly DumpItem[]): string {
  if (item.waypoint === undefined || item.waypoint === null) return 'None';
  const destination = record(record(item.waypoint).destination);
  const address = text(destination.Address);
  if (address !== '') {
    const service = services.find((s) => texts(s.vips).includes(address));
    return service === undefined ? address.slice(address.indexOf('/') + 1) : text(service.name);
  }
  const named = record(destination.Hostname);
  const hostname = text(named.hostname);
  const service = services.find((s) => text(s.hostname) === hostname && text(s.namespace) === text(named.namespace));
  return service === undefined ? hostname || 'NA' : text(service.name);
}

