import { thrown } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { buildConfig } from './waypoint-config.js';

const REQUIRED = ['--node-name=node-a', '--pod-ip=127.0.10.5', '--xds-token-file=t', '--xds-root-cert=r.pem'];
const failure = (argv: readonly string[], env: Record<string, string> = {}): ConfigError => thrown(ConfigError, () => buildConfig({ argv, env, cwd: '/work' }));

describe('buildConfig', () => {
  it('fills defaults, resolves files against the working directory, and freezes the result', () => {
    const config = buildConfig({ argv: REQUIRED, env: {}, cwd: '/work' });
    expect(config).toEqual({
      nodeName: 'node-a',
      workloadUid: undefined,
      podIp: '127.0.10.5',
      xdsAddress: { host: '127.0.0.1', port: 15012 },
      xdsIdentity: 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
      xdsTokenFile: '/work/t',
      xdsRootCertFile: '/work/r.pem',
      network: '',
      hbonePort: 15008,
      adminAddress: { host: '127.0.0.1', port: 15000 },
      metricsAddress: { host: '127.0.0.1', port: 15020 },
      readinessAddress: { host: '127.0.0.1', port: 15021 },
      drainTimeoutMs: 5000,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads AMBIT_* variables, and flags win over them', () => {
    expect(buildConfig({ argv: REQUIRED, env: { AMBIT_NODE_NAME: 'node-b', AMBIT_WORKLOAD_UID: 'Kubernetes//Pod/demo/wp-0', AMBIT_DRAIN_TIMEOUT: '1500ms' } })).toMatchObject({ nodeName: 'node-a', workloadUid: 'Kubernetes//Pod/demo/wp-0', drainTimeoutMs: 1500 });
  });

  it.each([
    [['--pod-ip=10.0.0'], '--pod-ip "10.0.0" is not valid: expected an IPv4 or IPv6 address'],
    [['--workload-uid=a b'], '--workload-uid "a b" is not valid: expected the uid'],
    [['--hbone-port=70000'], '--hbone-port "70000" is not valid: expected a port'],
    [['--xds-address=127.0.0.1:0'], '--xds-address "127.0.0.1:0" is not valid'],
    [['--drain-timeout=soon'], '--drain-timeout "soon" is not valid: expected a duration'],
  ])('names the flag and the value of %j', (argv, message) => {
    expect(failure([...REQUIRED, ...argv]).message).toContain(message);
  });

  it('needs the node, its token, the roots, and which Workload the waypoint is', () => {
    expect(failure(['--node-name=node-a', '--xds-token-file=t', '--xds-root-cert=r.pem']).message).toBe(
      '--workload-uid is required: expected --workload-uid=<uid> or --pod-ip=<ip>: which Workload of the mesh this proxy is',
    );
    expect(failure(['--pod-ip=127.0.10.5', '--xds-token-file=t', '--xds-root-cert=r.pem']).message).toContain('--node-name is required');
    expect(failure(['--node-name=node-a', '--pod-ip=127.0.10.5', '--xds-root-cert=r.pem']).message).toContain('--xds-token-file is required');
    expect(failure([...REQUIRED, '--xds-cert=c.pem'])).toMatchObject({ variable: '--xds-cert', code: 'AMBIT_ERR_WAYPOINT_CONFIG' });
  });
});
