import { selects } from './labels.js';
import type { ServiceSource } from './service-source.js';
import type { StoreView } from './store.js';
import type { WorkloadSource } from './workload-source.js';

export interface PortMapping {
  readonly servicePort: number;
  readonly targetPort: number;
}

/** A service a workload backs, with the ports it serves it on. */
export interface ServiceBinding {
  readonly service: ServiceSource;
  readonly ports: readonly PortMapping[];
}

/** Whether a service's selector picks this workload (same namespace, non-empty selector). */
export function serviceSelects(service: ServiceSource, workload: WorkloadSource): boolean {
  return workload.selectable && service.selector !== undefined && service.namespace === workload.namespace && selects(service.selector, workload.labels);
}

/**
 * The services of a workload (Istio's constructServices and
 * constructServicesFromWorkloadEntry): a ServiceEntry endpoint serves its own entry's;
 * pods and WorkloadEntries serve every service of their namespace whose selector picks
 * them, Services and ServiceEntries alike.
 */
export function bindServices(store: StoreView, workload: WorkloadSource): readonly ServiceBinding[] {
  const services: ServiceSource[] = [];
  if (workload.ownServices !== undefined) {
    services.push(...workload.ownServices);
  } else {
    for (const key of store.serviceKeysIn(workload.namespace)) {
      const service = store.service(key);
      if (service !== undefined && serviceSelects(service, workload)) services.push(service);
    }
  }
  return services.map((service) => ({ service, ports: mapPorts(service, workload) }));
}

function mapPorts(service: ServiceSource, workload: WorkloadSource): PortMapping[] {
  const ports: PortMapping[] = [];
  const named = workload.namedPorts;
  for (const port of service.ports) {
    let targetPort = port.targetPort;
    if (port.targetPortName !== undefined) {
      // A Service's named targetPort: a port of that name on this workload, or the port is left out for it.
      const found = named.kind === 'container' ? named.ports.get(port.targetPortName) : named.ports[port.targetPortName];
      if (found === undefined) continue;
      targetPort = found;
    } else if (service.kind === 'ServiceEntry' && named.kind === 'entry') {
      // ServiceEntry ports match an entry's `ports` by the service port's name.
      targetPort = named.ports[port.name] ?? targetPort;
    }
    ports.push({ servicePort: port.port, targetPort });
  }
  return ports;
}
