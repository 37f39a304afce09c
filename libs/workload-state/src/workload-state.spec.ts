import { describe, expect, it } from 'vitest';
import { securityV1, workloadV1 } from '@ambit/xds';
import { ipBytes, policyResource as policy, serviceResource as service, workloadResource as workload } from '@ambit/test-support';
import { TEST_ERRORS, TestInvalidResourceError, TestUpdateRejectedError } from './__support__/test-errors.js';
import { WorkloadState } from './workload-state.js';

const HOST = 'default/web.default.svc.cluster.local';

function stateWith(...upserted: ReturnType<typeof workload>[]): WorkloadState {
  const state = new WorkloadState(TEST_ERRORS);
  state.applyAddresses({ upserted, removed: [] });
  return state;
}

describe('WorkloadState (the single writer) and its views', () => {
  it('indexes workloads by uid, (network, address), hostname and node', () => {
    const state = stateWith(
      workload('a', { ip: ['10.0.0.1', 'fd00::1'], node: 'node-a' }),
      workload('b', { ip: '10.0.0.2', node: 'node-b' }),
      workload('c', { node: 'node-a', overrides: { hostname: 'vm.example.com' } }),
    );
    const { workloads } = state.view;
    expect(workloads.size).toBe(3);
    expect(workloads.byUid('Kubernetes//Pod/default/a')?.workloadIps).toEqual(['10.0.0.1', 'fd00::1']);
    expect(workloads.byAddress('', '10.0.0.2')?.name).toBe('b');
    expect(workloads.byAddress('', 'fd00::1')?.name).toBe('a');
    expect(workloads.byAddress('other-network', '10.0.0.2')).toBeUndefined();
    expect(workloads.byHostname('vm.example.com')?.name).toBe('c');
    expect(workloads.onNode('node-a').map((w) => w.name).sort()).toEqual(['a', 'c']);
    expect(workloads.onNode('node-z')).toEqual([]);
    expect(workloads.byUid('Kubernetes//Pod/default/a')?.identity).toBe('spiffe://cluster.local/ns/default/sa/default');
  });

  it('moves index entries when a workload changes, and drops them when it is removed', () => {
    const state = stateWith(workload('a', { ip: '10.0.0.1', node: 'node-a' }));
    state.applyAddresses({ upserted: [workload('a', { ip: '10.0.0.9', node: 'node-b' })], removed: [] });
    const { workloads } = state.view;
    expect(workloads.byAddress('', '10.0.0.1')).toBeUndefined();
    expect(workloads.byAddress('', '10.0.0.9')?.node).toBe('node-b');
    expect(workloads.onNode('node-a')).toEqual([]);
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/default/a', 'never-known'] });
    expect(workloads.size).toBe(0);
    expect(workloads.byAddress('', '10.0.0.9')).toBeUndefined();
    expect(workloads.onNode('node-b')).toEqual([]);
  });

  it('lets the later of two workloads claiming one address win, and keeps it when the other goes', () => {
    const state = stateWith(workload('old', { ip: '10.0.0.1' }), workload('new', { ip: '10.0.0.1' }));
    expect(state.view.workloads.byAddress('', '10.0.0.1')?.name).toBe('new');
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/default/old'] });
    expect(state.view.workloads.byAddress('', '10.0.0.1')?.name).toBe('new');
  });

  it('indexes services by VIP and hostname, with endpoints and their health, whatever arrives first', () => {
    const state = stateWith(workload('a', { ip: '10.0.0.1', services: { [HOST]: [[80, 8080]] } }), workload('b', { ip: '10.0.0.2', healthy: false, services: { [HOST]: [[80, 9090]] } }));
    expect(state.view.services.stagedKeys()).toEqual([HOST]);
    state.applyAddresses({ upserted: [service('web', { vips: ['10.96.0.10'] })], removed: [] });
    const { services } = state.view;
    expect(services.stagedKeys()).toEqual([]);
    expect(services.byVip('', '10.96.0.10')?.key).toBe(HOST);
    expect(services.byHostname('web.default.svc.cluster.local').map((s) => s.key)).toEqual([HOST]);
    expect(services.byKey(HOST)?.ports.get(80)).toBe(8080);
    const endpoints = services.endpoints(HOST);
    expect([...endpoints.values()].map((e) => [e.workloadUid, e.status, e.ports.get(80)])).toEqual([
      ['Kubernetes//Pod/default/a', 'Healthy', 8080],
      ['Kubernetes//Pod/default/b', 'Unhealthy', 9090],
    ]);
    state.applyAddresses({ upserted: [workload('a', { ip: '10.0.0.1' })], removed: ['Kubernetes//Pod/default/b'] });
    expect(services.endpoints(HOST).size).toBe(0);
  });

  it('keeps services of one hostname in several namespaces apart, and removes by key', () => {
    const state = new WorkloadState(TEST_ERRORS);
    const other = service('web', { namespace: 'other', overrides: { hostname: 'web.default.svc.cluster.local' } });
    state.applyAddresses({ upserted: [service('web', { vips: ['10.96.0.10'] }), { ...other, name: 'other/web.default.svc.cluster.local' }], removed: [] });
    expect(state.view.services.byHostname('web.default.svc.cluster.local')).toHaveLength(2);
    state.applyAddresses({ upserted: [], removed: [HOST] });
    expect(state.view.services.byHostname('web.default.svc.cluster.local').map((s) => s.namespace)).toEqual(['other']);
    expect(state.view.services.byVip('', '10.96.0.10')).toBeUndefined();
  });

  it('indexes policies by key, namespace and global scope', () => {
    const state = new WorkloadState(TEST_ERRORS);
    state.applyAuthorizations({
      upserted: [
        policy('istio-system', 'mesh-wide', { scope: securityV1.Scope.GLOBAL }),
        policy('shop', 'ns-wide', { scope: securityV1.Scope.NAMESPACE, action: securityV1.Action.DENY }),
        policy('shop', 'selected', { scope: securityV1.Scope.WORKLOAD_SELECTOR }),
      ],
      removed: [],
    });
    const { policies } = state.view;
    expect(policies.size).toBe(3);
    expect([...policies.global()]).toEqual(['istio-system/mesh-wide']);
    expect([...policies.inNamespace('shop')]).toEqual(['shop/ns-wide']);
    expect(policies.byKey('shop/selected')?.authorization.scope).toBe(securityV1.Scope.WORKLOAD_SELECTOR);
    state.applyAuthorizations({ upserted: [], removed: ['shop/ns-wide', 'istio-system/mesh-wide'] });
    expect([...policies.inNamespace('shop')]).toEqual([]);
    expect([...policies.global()]).toEqual([]);
  });

  it('tells readers about each applied update, and lets them wait for a workload', async () => {
    const state = new WorkloadState(TEST_ERRORS);
    let changes = 0;
    const stop = state.view.onChange(() => (changes += 1));
    const waiting = state.view.waitForWorkload('Kubernetes//Pod/default/late', 5000);
    state.applyAddresses({ upserted: [workload('late', { ip: '10.0.0.5' })], removed: [] });
    expect((await waiting)?.name).toBe('late');
    stop();
    state.applyAddresses({ upserted: [], removed: [] });
    expect(changes).toBe(1);
    expect(await state.view.waitForWorkload('Kubernetes//Pod/default/never', 10)).toBeUndefined();
  });

  it('offers readers no way to write', () => {
    const view = new WorkloadState(TEST_ERRORS).view;
    expect(Object.isFrozen(view)).toBe(true);
    expect('applyAddresses' in view).toBe(false);
  });
});

describe('rejecting what cannot be applied (NACK)', () => {
  const good = workload('good', { ip: '10.0.0.1' });

  const badAddresses: [string, { name: string; resource: workloadV1.Address }, RegExp][] = [
    ['a 3-byte address', workload('bad', { overrides: { addresses: [Buffer.from([10, 0, 0])] } }), /workload\.addresses\[0\]: 3 bytes is not an IPv4/],
    ['no namespace', workload('bad', { overrides: { namespace: '' } }), /workload\.namespace: is required/],
    ['a uid that is not the resource name', { ...workload('bad'), name: 'elsewhere' }, /Address "elsewhere" workload\.uid: "Kubernetes\/\/Pod\/default\/bad" differs/],
    ['an unknown tunnel protocol', workload('bad', { overrides: { tunnelProtocol: 7 as workloadV1.TunnelProtocol } }), /workload\.tunnelProtocol: 7 is not one of TCP \(0\), HBONE \(1\)/],
    ['an unknown status', workload('bad', { overrides: { status: 2 as workloadV1.WorkloadStatus } }), /workload\.status: 2 is not one of/],
    ['a service key without namespace', workload('bad', { services: { 'web.default.svc': [[80, 80]] } }), /workload\.services\["web\.default\.svc"\]: is not a service key/],
    ['service port 0', workload('bad', { services: { [HOST]: [[0, 80]] } }), /ports\[0\]\.servicePort: 0 is not a port/],
    ['a waypoint without destination', workload('bad', { overrides: { waypoint: { hboneMtlsPort: 15008 } } }), /workload\.waypoint\.destination: is required/],
    ['a waypoint address of 5 bytes', workload('bad', { overrides: { waypoint: { address: { network: '', address: Buffer.alloc(5) } } } }), /workload\.waypoint\.address\.address: 5 bytes/],
    ['a service VIP of 2 bytes', service('web', { overrides: { addresses: [{ network: '', address: Buffer.from([1, 2]) }] } }), /service\.addresses\[0\]\.address: 2 bytes/],
    ['a service port listed twice', service('web', { ports: [[80, 80], [80, 81]] }), /service\.ports\[1\]\.servicePort: 80 is listed twice/],
    ['a target port above 65535', service('web', { ports: [[80, 70000]] }), /service\.ports\[0\]\.targetPort: 70000 is not a port/],
    ['a service without hostname', service('web', { overrides: { hostname: '' } }), /service\.hostname: is required/],
    ['an unknown load-balancing mode', service('web', { overrides: { loadBalancing: { mode: 9 as workloadV1.LoadBalancing_Mode } } }), /service\.loadBalancing\.mode: 9 is not one of/],
    ['an unspecified routing scope', service('web', { overrides: { loadBalancing: { routingPreference: [0] } } }), /routingPreference\[0\]: UNSPECIFIED_SCOPE/],
    ['an empty Address', { name: 'empty', resource: workloadV1.Address.decode(new Uint8Array()) }, /Address "empty" type: is required/],
  ];

  it.each(badAddresses)('rejects %s, naming resource and field, and keeps the last good state', (_, bad, message) => {
    const state = stateWith(good);
    let error: unknown;
    try {
      state.applyAddresses({ upserted: [workload('other', { ip: '10.0.0.2' }), bad], removed: [good.name] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TestUpdateRejectedError);
    expect((error as TestUpdateRejectedError).code).toBe('AMBIT_ERR_TEST_UPDATE_REJECTED');
    expect((error as TestUpdateRejectedError).problems[0]).toBeInstanceOf(TestInvalidResourceError);
    expect((error as Error).message).toMatch(message);
    // Nothing of the response applied: the removal and the good upsert beside the bad one too.
    expect([...state.view.workloads.all()].map((w) => w.name)).toEqual(['good']);
  });

  it('lists every invalid resource of a response', () => {
    const state = new WorkloadState(TEST_ERRORS);
    const bad = [1, 2, 3].map((n) => workload(`bad-${n}`, { overrides: { addresses: [Buffer.alloc(n)] } }));
    expect(() => state.applyAddresses({ upserted: bad, removed: [] })).toThrow(/^3 invalid resources: Address "Kubernetes\/\/Pod\/default\/bad-1".*; Address .*bad-2.*; Address .*bad-3/);
  });

  const badPolicies: [string, ReturnType<typeof policy>, RegExp][] = [
    ['an unknown action', policy('ns', 'p', { action: 5 as securityV1.Action }), /Authorization "ns\/p" action: 5 is not one of ALLOW \(0\), DENY \(1\), AUDIT \(2\)/],
    ['an unknown scope', policy('ns', 'p', { scope: 3 as securityV1.Scope }), /scope: 3 is not one of/],
    ['a CIDR longer than its address', policy('ns', 'p', { groups: [{ rules: [{ matches: [{ sourceIps: [{ address: ipBytes('10.0.0.0'), length: 33 }] }] }] }] }), /groups\[0\]\.rules\[0\]\.matches\[0\]\.sourceIps\[0\]\.length: 33 is longer than the address \(32 bits\)/],
    ['a CIDR of 3 bytes', policy('ns', 'p', { groups: [{ rules: [{ matches: [{ destinationIps: [{ address: Buffer.alloc(3), length: 8 }] }] }] }] }), /destinationIps\[0\]\.address: 3 bytes/],
    ['port 0', policy('ns', 'p', { groups: [{ rules: [{ matches: [{ destinationPorts: [0] }] }] }] }), /destinationPorts\[0\]: 0 is not a port/],
    ['an empty string match', policy('ns', 'p', { groups: [{ rules: [{ matches: [{ principals: [{}] }] }] }] }), /principals\[0\]: has no match/],
    ['a name that is not the resource name', { ...policy('ns', 'p'), name: 'ns/q' }, /Authorization "ns\/q" name: "ns\/p" \(namespace\/name\) differs/],
  ];

  it.each(badPolicies)('rejects a policy with %s and keeps the last good policies', (_, bad, message) => {
    const state = new WorkloadState(TEST_ERRORS);
    state.applyAuthorizations({ upserted: [policy('ns', 'kept', { scope: securityV1.Scope.NAMESPACE })], removed: [] });
    expect(() => state.applyAuthorizations({ upserted: [bad], removed: ['ns/kept'] })).toThrow(message);
    expect([...state.view.policies.inNamespace('ns')]).toEqual(['ns/kept']);
  });
});
