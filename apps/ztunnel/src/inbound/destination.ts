import type { Service, ServiceView, Workload, WorkloadView } from '../state/index.js';

/** The workload at `ip` on `network` if it is scheduled on `nodeName`: the only ones this ztunnel accepts connections for. */
export function localWorkload(workloads: WorkloadView, network: string, nodeName: string, ip: string): Workload | undefined {
  const workload = workloads.byAddress(network, ip);
  return workload?.node === nodeName ? workload : undefined;
}

/**
 * The ports a workload serves, as its services say (each service port's target port,
 * the workload's own mapping first since a named target port is known only there),
 * sorted. The plaintext listener needs exactly one: without network namespaces it
 * cannot learn which port the client meant.
 */
export function servedPorts(workload: Workload, services: ServiceView): number[] {
  const ports = new Set<number>();
  for (const [key, own] of workload.services) {
    const service = services.byKey(key);
    for (const [servicePort, target] of own) ports.add(target || (service?.ports.get(servicePort) ?? 0));
    if (service === undefined) continue;
    for (const [servicePort, target] of service.ports) if (!own.has(servicePort) && target !== 0) ports.add(target);
  }
  ports.delete(0);
  return [...ports].sort((a, b) => a - b);
}

/**
 * The service an inbound connection most likely came through, for the
 * `destination_service` labels (ztunnel's `guess_inbound_service`): the first of the
 * workload's services with a target port, the service's or the workload's own, equal
 * to the port connected to.
 */
export function inboundService(workload: Workload, port: number, services: ServiceView): Service | undefined {
  for (const [key, own] of workload.services) {
    const service = services.byKey(key);
    if (service === undefined) continue;
    for (const [servicePort, target] of service.ports) if (target === port || own.get(servicePort) === port) return service;
  }
  return undefined;
}
