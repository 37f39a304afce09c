import { describe, expect, it } from 'vitest';
import type { LocalPlan, PlannedService, PlannedWorkload } from './plan.js';
import type { PlannedSample } from './samples.js';
import { tryCommands } from './try-it.js';
import type { PlannedGateway } from './gateways.js';
import type { PlannedWaypoint } from './waypoints.js';

const node = (name: string, address: string) => ({ name, address, assigned: false, admin: `${address}:15000`, metrics: `${address}:15020`, readiness: `${address}:15021` });
const workload = (name: string, nodeName: string, address: string, account = 'shop/default'): PlannedWorkload => ({ namespace: 'shop', name, node: nodeName, address, socks5: `${address}:15080`, account });
const service = (name: string, waypoint?: string): PlannedService => ({
  namespace: 'shop',
  name,
  hostname: `${name}.shop.svc.cluster.local`,
  vips: ['127.96.0.1'],
  assigned: true,
  ports: [9080],
  ...(waypoint === undefined ? {} : { waypoint }),
});
const sample = (name: string, app: string, version: string, nodeName: string, address: string): PlannedSample => ({
  namespace: 'shop',
  name,
  sample: 'echo',
  app,
  version,
  node: nodeName,
  listen: [`${address}:9080`],
  services: [`shop/${app}`],
});

const WAYPOINT: PlannedWaypoint = {
  namespace: 'shop',
  name: 'waypoint-0',
  gateway: 'shop/waypoint',
  node: 'a',
  address: '127.0.10.30',
  hbone: '127.0.10.30:15008',
  admin: '127.0.10.30:15000',
  metrics: '127.0.10.30:15020',
  readiness: '127.0.10.30:15021',
};

const GATEWAY: PlannedGateway = {
  namespace: 'edge',
  name: 'ingress-0',
  gateways: ['shop/edge'],
  node: 'a',
  address: '127.0.10.40',
  lowPortOffset: 8000,
  ports: [
    { port: 443, servedAt: '127.0.10.40:8443', protocol: 'HTTPS' },
    { port: 80, servedAt: '127.0.10.40:8080', protocol: 'HTTP' },
  ],
  routes: [
    { virtualService: 'shop/edge', path: '/front', destination: 'front.shop.svc.cluster.local' },
    { virtualService: 'shop/edge', path: '/front/v2', destination: 'front.shop.svc.cluster.local' },
    { virtualService: 'shop/edge', path: '/cart', host: 'shop.example.com', destination: 'cart.shop.svc.cluster.local' },
    { virtualService: 'shop/edge', path: '/', destination: 'httpbin.org' },
  ],
  admin: '127.0.10.40:15000',
  metrics: '127.0.10.40:15020',
  readiness: '127.0.10.40:15021',
};

function plan(services: PlannedService[], samples: PlannedSample[], waypoints: PlannedWaypoint[] = [], gateways: PlannedGateway[] = []): LocalPlan {
  return {
    controlPlane: { xds: '127.0.0.1:15012', admin: '127.0.0.1:15014' },
    nodes: [node('a', '127.0.1.1'), node('b', '127.0.2.1')],
    workloads: [workload('cart-v1', 'a', '127.0.10.1'), workload('front-v1', 'a', '127.0.10.2'), workload('cart-v2', 'b', '127.0.20.1')],
    services,
    samples,
    waypoints,
    gateways,
  };
}

const commands = (p: LocalPlan): string[] => tryCommands(p, 'npx ambitctl local status').map((c) => c.command);
const CARTS = [sample('cart-v1', 'cart', 'v1', 'a', '127.0.10.1'), sample('cart-v2', 'cart', 'v2', 'b', '127.0.20.1'), sample('front-v1', 'front', 'v1', 'a', '127.0.10.2')];

describe('tryCommands', () => {
  it('calls the service most samples serve, by name, from a workload not behind it, then shows where to look on its node', () => {
    const out = tryCommands(plan([service('front'), service('cart')], CARTS), 'npx ambitctl local status');
    expect(out.map((c) => c.command)).toEqual([
      'curl --socks5-hostname 127.0.10.2:15080 http://cart.shop:9080/',
      'npx ambitctl local status',
      'curl -s http://127.0.1.1:15020/metrics | grep istio_tcp',
      'curl -s http://127.0.1.1:15000/config_dump',
    ]);
    expect(out[0]!.comment).toBe('as shop/front-v1 to shop/cart; the answer names the pod and version (run it again: v1, v2 take turns)');
  });

  it('prefers a service without a waypoint; behind one, calls a pod of it on another node by address', () => {
    expect(commands(plan([service('front'), service('cart', 'shop/waypoint')], CARTS))[0]).toBe('curl --socks5-hostname 127.0.10.1:15080 http://front.shop:9080/');
    const behind = tryCommands(plan([service('front', 'shop/waypoint'), service('cart', 'shop/waypoint')], CARTS), 'x');
    expect(behind[0]!.command).toBe('curl --socks5-hostname 127.0.10.2:15080 http://127.0.20.1:9080/');
    expect(behind[0]!.comment).toContain('By service name (cart.shop) it is refused while waypoint shop/waypoint does not run');
  });

  it("calls a service by name when its waypoint runs, and shows the waypoint's HTTP telemetry", () => {
    const out = tryCommands(plan([service('front', 'shop/waypoint'), service('cart', 'shop/waypoint')], CARTS, [WAYPOINT]), 'x');
    expect(out.slice(0, 2)).toEqual([
      {
        comment: 'as shop/front-v1 to shop/cart through waypoint shop/waypoint; the answer names the pod and version (run it again: its routes choose among v1, v2)',
        command: 'curl --socks5-hostname 127.0.10.2:15080 http://cart.shop:9080/',
      },
      { comment: 'HTTP telemetry of waypoint shop/waypoint (reporter="waypoint")', command: 'curl -s http://127.0.10.30:15020/metrics | grep istio_requests_total' },
    ]);
    // Another waypoint than the one that runs: by pod address, as without any.
    expect(commands(plan([service('cart', 'shop/other')], CARTS, [WAYPOINT]))[0]).toBe('curl --socks5-hostname 127.0.10.2:15080 http://127.0.20.1:9080/');
  });

  it("sends as a workload the service's ALLOW policies admit, when it has any", () => {
    const admitted = (allowedCallers: readonly string[]): PlannedService => ({ ...service('cart', 'shop/waypoint'), allowedCallers });
    const withAccounts = (base: LocalPlan): LocalPlan => ({
      ...base,
      workloads: [workload('front-v1', 'a', '127.0.10.2', 'shop/front'), workload('mailer-v1', 'a', '127.0.10.3', 'shop/mailer')],
    });
    expect(commands(withAccounts(plan([admitted(['shop/mailer'])], CARTS, [WAYPOINT])))[0]).toBe('curl --socks5-hostname 127.0.10.3:15080 http://cart.shop:9080/');
    // Nobody here is admitted: any caller still shows the way (and the 403 says why).
    expect(commands(withAccounts(plan([admitted(['other/ns'])], CARTS, [WAYPOINT])))[0]).toBe('curl --socks5-hostname 127.0.10.2:15080 http://cart.shop:9080/');
  });

  it('without samples, still names a service to call and where to look', () => {
    const out = tryCommands(plan([service('cart')], []), 'npx ambitctl local status');
    expect(out[0]).toEqual({ comment: 'as shop/front-v1 to shop/cart (its application must listen on its pod address)', command: 'curl --socks5-hostname 127.0.10.2:15080 http://cart.shop:9080/' });
    expect(commands(plan([], []))).toEqual(['npx ambitctl local status', 'curl -s http://127.0.1.1:15020/metrics | grep istio_tcp', 'curl -s http://127.0.1.1:15000/config_dump']);
  });

  it('starts with plain HTTP requests to the gateway, one per destination on a path its route matches, then its HTTP telemetry', () => {
    const out = tryCommands(plan([service('front'), service('cart', 'shop/waypoint')], CARTS, [WAYPOINT], [GATEWAY]), 'x');
    expect(out.slice(0, 5)).toEqual([
      {
        comment: 'from outside the mesh (plain HTTP) to gateway edge/ingress-0 port 80 (served at :8080); VirtualService shop/edge routes it to shop/front; the answer names the pod and version',
        command: 'curl http://127.0.10.40:8080/front',
      },
      {
        comment:
          'from outside the mesh (plain HTTP) to gateway edge/ingress-0 port 80 (served at :8080); VirtualService shop/edge routes it to shop/cart through waypoint shop/waypoint; the answer names the pod and version (run it again: its routes choose among v1, v2)',
        command: "curl -H 'Host: shop.example.com' http://127.0.10.40:8080/cart",
      },
      { comment: 'from outside the mesh (plain HTTP) to gateway edge/ingress-0 port 80 (served at :8080); VirtualService shop/edge routes it to httpbin.org', command: 'curl http://127.0.10.40:8080/' },
      { comment: 'HTTP telemetry of gateway edge/ingress-0 (reporter="source")', command: 'curl -s http://127.0.10.40:15020/metrics | grep istio_requests_total' },
      { comment: expect.stringContaining('as shop/front-v1 to shop/cart'), command: 'curl --socks5-hostname 127.0.10.2:15080 http://cart.shop:9080/' },
    ]);
  });

  it('leaves out a route to a service whose waypoint does not run, and a gateway without a plain HTTP port or route', () => {
    const out = commands(plan([service('front'), service('cart', 'shop/waypoint')], CARTS, [], [GATEWAY]));
    expect(out.slice(0, 3)).toEqual(['curl http://127.0.10.40:8080/front', 'curl http://127.0.10.40:8080/', 'curl -s http://127.0.10.40:15020/metrics | grep istio_requests_total']);
    const tlsOnly = { ...GATEWAY, ports: [GATEWAY.ports[0]!] };
    expect(commands(plan([service('front')], CARTS, [], [tlsOnly, { ...GATEWAY, routes: [] }]))[0]).toBe('curl --socks5-hostname 127.0.10.1:15080 http://front.shop:9080/');
  });
});
