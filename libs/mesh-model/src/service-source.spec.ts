import type { ServiceEntryResource, ServiceResource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { meshSettings } from './mesh-settings.js';
import { kubernetesService, serviceEntryServices } from './service-source.js';
import { StatusReason } from './status-note.js';

const one = <T>(yaml: string): T => yamlResources(yaml)[0] as T;
const svc = (spec: string, meta = ''): ServiceResource => one(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: ns\n${meta}\nspec:\n${spec}`);
const se = (spec: string): ServiceEntryResource => one(`apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\n  namespace: ns\nspec:\n${spec}`);

describe('kubernetesService', () => {
  it('keys a Service by namespace and FQDN, with numeric and named target ports', () => {
    const [s] = kubernetesService(svc('  clusterIP: 10.0.0.1\n  selector: {app: a}\n  ports:\n  - {name: http, port: 80, targetPort: web}\n  - {name: tcp, port: 90}'), meshSettings({ clusterDomain: 'corp.local' })).services;
    expect(s).toMatchObject({
      key: 'ns/s.ns.svc.corp.local',
      hostname: 's.ns.svc.corp.local',
      vips: ['10.0.0.1'],
      selector: { app: 'a' },
      ports: [
        { port: 80, name: 'http', targetPort: 0, targetPortName: 'web' },
        { port: 90, name: 'tcp', targetPort: 90, targetPortName: undefined },
      ],
    });
  });

  it('has no VIP when headless, and no waypoint labels when it is a waypoint Service', () => {
    const [s] = kubernetesService(svc('  clusterIP: None\n  selector: {app: a}', '  labels: {gateway.istio.io/managed: istio.io-mesh-controller}'), meshSettings()).services;
    expect(s).toMatchObject({ vips: [], waypointLabels: undefined });
  });

  it('translates no ExternalName Service and notes a Service without selector', () => {
    expect(kubernetesService(svc('  type: ExternalName\n  externalName: example.com'), meshSettings())).toEqual({
      services: [],
      notes: [{ code: 'AMB0402', severity: 'warning', reason: StatusReason.Unsupported, message: expect.stringMatching(/ExternalName/) as string }],
    });
    expect(kubernetesService(svc('  clusterIP: 10.0.0.1\n  ports: [{name: http, port: 80}]'), meshSettings()).notes[0]?.reason).toBe(StatusReason.NoSelector);
  });
});

describe('serviceEntryServices', () => {
  it('makes one service per host, defaulting targetPort to the port', () => {
    const { services } = serviceEntryServices(se('  hosts: [a.example.com, b.example.com]\n  addresses: [240.0.0.1/32]\n  ports:\n  - {number: 80, name: http, protocol: HTTP, targetPort: 8080}\n  - {number: 443, name: tls, protocol: TLS}\n  resolution: STATIC\n  workloadSelector: {labels: {app: a}}'));
    expect(services.map((s) => s.key)).toEqual(['ns/a.example.com', 'ns/b.example.com']);
    expect(services[0]).toMatchObject({ vips: ['240.0.0.1'], selector: { app: 'a' }, ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 443 }] });
  });

  it('makes none when an address is a range', () => {
    const build = serviceEntryServices(se('  hosts: [a.example.com]\n  addresses: [10.0.0.0/8]\n  ports: [{number: 80, name: http}]'));
    expect(build.services).toEqual([]);
    expect(build.notes[0]?.reason).toBe(StatusReason.Unsupported);
  });
});
