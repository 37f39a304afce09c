import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configDumpOf, type ConfigDump } from './dump.js';
import { renderSection } from './render.js';

/** A config dump a real ztunnel (node-a of examples/bookinfo in local mode) served. */
const raw = JSON.parse(readFileSync(new URL('../../../test/fixtures/ztunnel-config/node-a.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const nodeA = configDumpOf(raw);
/** Within the validity of the fixture's certificates. */
const NOW = new Date('2026-12-08T00:00:00Z');
const text = (dump: ConfigDump, section: Parameters<typeof renderSection>[1], namespace?: string): string => renderSection(dump, section, { output: 'text', namespace, now: NOW });

describe('ztunnel-config tables of a real dump', () => {
  it('workloads', () => {
    expect(text(nodeA, 'workloads')).toMatchInlineSnapshot(`
      "NAMESPACE     POD NAME              ADDRESS       NODE    WAYPOINT  PROTOCOL
      bookinfo      details-v1            127.0.170.12  node-a  None      HBONE
      bookinfo      productpage-v1        127.0.170.11  node-a  None      HBONE
      bookinfo      ratings-v1            127.0.180.12  node-b  None      HBONE
      bookinfo      reviews-v1            127.0.170.13  node-a  None      HBONE
      bookinfo      reviews-v2            127.0.180.11  node-b  None      HBONE
      bookinfo      reviews-v3            127.0.170.14  node-a  None      HBONE
      istio-system  istio-ingressgateway  127.0.170.2   node-a  None      HBONE
      "
    `);
  });

  it('services', () => {
    expect(text(nodeA, 'services')).toMatchInlineSnapshot(`
      "NAMESPACE     SERVICE NAME          SERVICE VIP      WAYPOINT                             ENDPOINTS
      bookinfo      details               127.108.47.9     waypoint.bookinfo.svc.cluster.local  1/1
      bookinfo      productpage           127.104.169.11   waypoint.bookinfo.svc.cluster.local  1/1
      bookinfo      ratings               127.102.143.149  waypoint.bookinfo.svc.cluster.local  1/1
      bookinfo      reviews               127.99.4.90      waypoint.bookinfo.svc.cluster.local  3/3
      istio-system  istio-ingressgateway  127.101.159.8    None                                 1/1
      "
    `);
  });

  it('policies', () => {
    expect(text(nodeA, 'policies')).toMatchInlineSnapshot(`
      "NAMESPACE     POLICY NAME                    ACTION  SCOPE
      bookinfo      ratings-l4                     Allow   WorkloadSelector
      istio-system  istio_converted_static_strict  Deny    WorkloadSelector
      "
    `);
  });

  it('certificates', () => {
    expect(text(nodeA, 'certificates')).toMatchInlineSnapshot(`
      "CERTIFICATE NAME                                                TYPE  STATUS     VALID CERT  SERIAL NUMBER                     NOT AFTER             NOT BEFORE
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-details          Leaf  Available  true        4090a0d962e4ef1880742c3773976c14  2026-12-08T22:40:04Z  2026-12-07T22:39:04Z
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-details          Root  Available  true        cdcebeb5878180753d8a8ab6206c5a77  2036-12-04T22:39:03Z  2026-12-07T22:39:03Z
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage      Leaf  Available  true        18a28063e16bb7c9de68d55237651baa  2026-12-08T22:40:04Z  2026-12-07T22:39:04Z
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage      Root  Available  true        cdcebeb5878180753d8a8ab6206c5a77  2036-12-04T22:39:03Z  2026-12-07T22:39:03Z
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews          Leaf  Available  true        3d9820b20a21d9eb746978a02f7ace07  2026-12-08T22:40:04Z  2026-12-07T22:39:04Z
      spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews          Root  Available  true        cdcebeb5878180753d8a8ab6206c5a77  2036-12-04T22:39:03Z  2026-12-07T22:39:03Z
      spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway  Leaf  Available  true        ff8f902869082f28af50f9d3a72a5f62  2026-12-08T22:40:04Z  2026-12-07T22:39:04Z
      spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway  Root  Available  true        cdcebeb5878180753d8a8ab6206c5a77  2036-12-04T22:39:03Z  2026-12-07T22:39:03Z
      "
    `);
  });
});

/** A hand-made dump for what the real one does not show: waypoints, unhealthy endpoints, certificates not yet there. */
const edges = configDumpOf({
  workloads: [
    { uid: 'K//Pod/shop/cart-1', name: 'cart-1', namespace: 'shop', workloadIps: ['127.0.50.1', '::1'], node: 'n2', protocol: 'HBONE', status: 'Healthy', waypoint: { destination: { Address: 'net1/127.0.60.1' } } },
    { uid: 'K//Pod/shop/cart-2', name: 'cart-2', namespace: 'shop', workloadIps: ['127.0.50.2'], node: 'n1', protocol: 'HBONE', status: 'Unhealthy', waypoint: { destination: { Address: '/127.0.99.9' } } },
    { uid: 'K//WorkloadEntry/Shop/vm', name: 'vm', namespace: 'Shop', workloadIps: [], hostname: 'vm.example.com', node: '', protocol: 'TCP', status: 'Healthy' },
  ],
  services: [
    { name: 'waypoint', namespace: 'shop', hostname: 'waypoint.shop.svc.cluster.local', vips: ['net1/127.0.60.1'], endpoints: {} },
    {
      name: 'cart',
      namespace: 'shop',
      hostname: 'cart.shop.svc.cluster.local',
      vips: ['net1/127.0.61.1', '/fd00::1'],
      endpoints: { a: { workloadUid: 'K//Pod/shop/cart-1' }, b: { workloadUid: 'K//Pod/shop/cart-2' }, c: { workloadUid: 'K//Pod/shop/gone' } },
      waypoint: { destination: { Hostname: { namespace: 'shop', hostname: 'waypoint.shop.svc.cluster.local' } } },
    },
  ],
  policies: [],
  certificates: [
    { identity: 'spiffe://td/ns/shop/sa/new', state: 'Initializing', certChain: [], rootCerts: [] },
    { identity: 'spiffe://td/ns/shop/sa/cut-off', state: 'Unavailable: the CA at 127.0.0.1:15012 refused: UNAVAILABLE', certChain: [], rootCerts: [] },
    {
      identity: 'spiffe://td/ns/shop/sa/cart',
      state: 'Available',
      certChain: [
        { serialNumber: '0a', validFrom: '2026-12-07T00:00:00.000Z', expirationTime: '2026-12-07T12:00:00.000Z' },
        { serialNumber: '0b', validFrom: '2026-01-01T00:00:00.000Z', expirationTime: '2027-01-01T00:00:00.000Z' },
      ],
      rootCerts: [{ serialNumber: '01', validFrom: 'yesterday', expirationTime: '' }],
    },
  ],
});

describe('ztunnel-config tables: waypoints, endpoints and certificates', () => {
  it('names a waypoint by the service it points at, else by its address or hostname', () => {
    expect(text(edges, 'workloads')).toBe(
      [
        'NAMESPACE  POD NAME  ADDRESS         NODE  WAYPOINT    PROTOCOL',
        'Shop       vm        vm.example.com        None        TCP',
        'shop       cart-1    127.0.50.1,::1  n2    waypoint    HBONE',
        'shop       cart-2    127.0.50.2      n1    127.0.99.9  HBONE',
        '',
      ].join('\n'),
    );
  });

  it('counts endpoints whose workload is known and Healthy', () => {
    expect(text(edges, 'services')).toBe(
      [
        'NAMESPACE  SERVICE NAME  SERVICE VIP         WAYPOINT  ENDPOINTS',
        'shop       cart          127.0.61.1,fd00::1  waypoint  1/3',
        'shop       waypoint      127.0.60.1          None      0/0',
        '',
      ].join('\n'),
    );
  });

  it('shows identities without certificates, the chain and the roots, and checks validity against now', () => {
    expect(text(edges, 'certificates')).toBe(
      [
        'CERTIFICATE NAME                TYPE          STATUS        VALID CERT  SERIAL NUMBER  NOT AFTER             NOT BEFORE',
        'spiffe://td/ns/shop/sa/new      NA            Initializing  false       NA             NA                    NA',
        'spiffe://td/ns/shop/sa/cut-off  NA            Unavailable   false       NA             NA                    NA',
        'spiffe://td/ns/shop/sa/cart     Leaf          Available     false       0a             2026-12-07T12:00:00Z  2026-12-07T00:00:00Z',
        'spiffe://td/ns/shop/sa/cart     Intermediate  Available     true        0b             2027-01-01T00:00:00Z  2026-01-01T00:00:00Z',
        'spiffe://td/ns/shop/sa/cart     Root          Available     false       01             NA                    yesterday',
        '',
      ].join('\n'),
    );
  });

  it('filters by namespace, ignoring case as istioctl does', () => {
    expect(text(edges, 'workloads', 'SHOP').split('\n').slice(1, -1).map((line) => line.split(/\s+/)[1])).toEqual(['vm', 'cart-1', 'cart-2']);
    expect(text(nodeA, 'services', 'istio-system')).toBe(
      ['NAMESPACE     SERVICE NAME          SERVICE VIP    WAYPOINT  ENDPOINTS', 'istio-system  istio-ingressgateway  127.101.159.8  None      1/1', ''].join('\n'),
    );
    expect(text(nodeA, 'policies', 'nowhere')).toBe('NAMESPACE  POLICY NAME  ACTION  SCOPE\n');
  });
});

describe('ztunnel-config -o json|yaml', () => {
  it('prints the section as the ztunnel sent it', () => {
    for (const section of ['workloads', 'services', 'policies', 'certificates'] as const) {
      expect(JSON.parse(renderSection(nodeA, section, { output: 'json', now: NOW }))).toEqual(raw[section]);
      expect(parse(renderSection(nodeA, section, { output: 'yaml', now: NOW }))).toEqual(raw[section]);
    }
  });

  it('prints only the namespace asked for', () => {
    const policies = JSON.parse(renderSection(nodeA, 'policies', { output: 'json', namespace: 'bookinfo', now: NOW })) as { name: string }[];
    expect(policies.map((p) => p.name)).toEqual(['ratings-l4']);
    expect(renderSection(nodeA, 'workloads', { output: 'json', namespace: 'nowhere', now: NOW })).toBe('[]\n');
  });
});

describe('ztunnel-config with a dump of the wrong shape', () => {
  it('reads a missing or malformed section as empty', () => {
    expect(configDumpOf(null)).toEqual({ workloads: [], services: [], policies: [], certificates: [] });
    expect(configDumpOf({ workloads: 'many', services: {} }).workloads).toEqual([]);
  });

  it('renders wrong types as empty cells and keeps each row on one line', () => {
    const hostile = configDumpOf({
      workloads: [7, null, { name: 'evil\nrow\u001b[31m', namespace: 42, workloadIps: 'x', waypoint: 'nowhere', node: ['n'] }],
      services: [{ name: 's', endpoints: [1, 2], vips: [3, 'n/1.2.3.4'] }],
      certificates: [{ identity: 'id', certChain: [null, { serialNumber: 5 }], rootCerts: 'none' }],
    });
    const workloads = text(hostile, 'workloads');
    expect(workloads.split('\n')).toHaveLength(5);
    expect(workloads).toContain('evil?row?[31m');
    expect(workloads).toContain('NA');
    // An endpoints list instead of a map counts as none.
    expect(text(hostile, 'services')).toContain('s             1.2.3.4      None      0/0');
    expect(text(hostile, 'certificates').split('\n').slice(1, -1)).toEqual([
      'id                Leaf                  false       NA             NA         NA',
      'id                Intermediate          false       NA             NA         NA',
    ]);
  });
});
