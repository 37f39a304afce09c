import { yamlResources } from '@ambit/config-model/testing';
import { assignLocalAddresses } from '@ambit/mesh-model';
import { describe, expect, it } from 'vitest';
import { planLocalMesh } from './plan.js';
import { plannedListeners } from './ports.js';

const YAML = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
status: {addresses: [{type: InternalIP, address: 127.0.1.1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: demo, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: demo, labels: {app: db}}
spec: {nodeName: node-b, containers: [{name: c, image: i}]}
status: {podIP: 127.0.20.1}
---
apiVersion: v1
kind: Pod
metadata: {name: old, namespace: demo}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {phase: Succeeded, podIP: 127.0.10.9}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec: {selector: {app: web}, ports: [{name: http, port: 8080}, {name: admin, port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: demo}
spec: {selector: {app: db}, clusterIP: None, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: fixed, namespace: demo}
spec: {selector: {app: web}, clusterIP: 127.0.50.1, ports: [{port: 80}]}
`;

describe('planLocalMesh', () => {
  const resources = yamlResources(YAML);
  const plan = planLocalMesh(resources, { xds: 25012, admin: 25014, lowPortOffset: 8000 });

  it('puts the control plane on 127.0.0.1 and each ztunnel on its node address with the standard ports', () => {
    expect(plan.controlPlane).toEqual({ xds: '127.0.0.1:25012', admin: '127.0.0.1:25014' });
    const [a, b] = plan.nodes;
    expect(a).toEqual({ name: 'node-a', address: '127.0.1.1', assigned: false, admin: '127.0.1.1:15000', metrics: '127.0.1.1:15020', readiness: '127.0.1.1:15021' });
    // node-b is only named by a pod: it gets an address, the one the control plane's file provider would compute.
    expect(b).toMatchObject({ name: 'node-b', assigned: true, admin: `${b!.address}:15000` });
    expect(b!.address).toBe(assignLocalAddresses(resources).nodes.find((n) => n.name === 'node-b')!.address);
  });

  it('lists each live workload with its SOCKS5 entry on its own address', () => {
    expect(plan.workloads).toEqual([
      { namespace: 'demo', name: 'db', node: 'node-b', address: '127.0.20.1', socks5: '127.0.20.1:15080', account: 'demo/default' },
      { namespace: 'demo', name: 'web', node: 'node-a', address: '127.0.10.1', socks5: '127.0.10.1:15080', account: 'demo/default' },
    ]);
  });

  it('gives services without a cluster IP the VIP the file provider publishes; headless stays headless', () => {
    const vip = assignLocalAddresses(resources).vips.get('demo/web');
    expect(plan.services).toEqual([
      { namespace: 'demo', name: 'db', hostname: 'db.demo.svc.cluster.local', vips: [], assigned: false, ports: [5432] },
      { namespace: 'demo', name: 'fixed', hostname: 'fixed.demo.svc.cluster.local', vips: ['127.0.50.1'], assigned: false, ports: [80] },
      { namespace: 'demo', name: 'web', hostname: 'web.demo.svc.cluster.local', vips: [vip], assigned: true, ports: [8080, 9090] },
    ]);
  });

  it('plans every address to listen on, each named by its purpose', () => {
    const listeners = plannedListeners(plan).map((l) => `${l.host}:${l.port} ${l.purpose}`);
    expect(listeners).toContain('127.0.0.1:25012 control plane xDS, --xds-port');
    expect(listeners).toContain('127.0.1.1:15021 ztunnel node-a readiness');
    expect(listeners).toContain('127.0.10.1:15080 SOCKS5 entry of demo/web');
    expect(listeners).toContain('127.0.20.1:15008 HBONE inbound of demo/db');
    expect(listeners).toHaveLength(2 + 2 * 3 + 2 * 3);
  });
});
