import { thrown } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { buildConfig, listenPort } from './gateway-config.js';

const REQUIRED = ['--node-name=node-a', '--pod-ip=127.0.10.7', '--xds-token-file=t', '--xds-root-cert=r.pem'];
const failure = (argv: readonly string[]): ConfigError => thrown(ConfigError, () => buildConfig({ argv, env: {}, cwd: '/work' }));

describe('buildConfig', () => {
  it('reads the shared proxy settings, the config directory and the low-port offset (8000 unless root)', () => {
    const config = buildConfig({ argv: [...REQUIRED, '--config-dir=mesh'], env: {}, cwd: '/work', privileged: false });
    expect(config).toMatchObject({ nodeName: 'node-a', podIp: '127.0.10.7', xdsTokenFile: '/work/t', configDir: '/work/mesh', lowPortOffset: 8000, adminAddress: { host: '127.0.0.1', port: 15000 } });
    expect(buildConfig({ argv: REQUIRED, env: {}, privileged: true })).toMatchObject({ configDir: undefined, lowPortOffset: 0 });
    expect(buildConfig({ argv: [...REQUIRED, '--low-port-offset=10000'], env: {}, privileged: true }).lowPortOffset).toBe(10000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('serves ports below 1024 at port + offset', () => {
    expect([80, 443, 1023, 1024, 8443].map((port) => listenPort({ lowPortOffset: 8000 }, port))).toEqual([8080, 8443, 9023, 1024, 8443]);
  });

  it.each([
    [['--low-port-offset=high'], '--low-port-offset "high" is not valid: expected auto (8000 unless root, else 0) or a number from 0 to 64511'],
    [['--low-port-offset=70000'], '--low-port-offset "70000" is not valid'],
    [['--pod-ip=10.0.0'], '--pod-ip "10.0.0" is not valid: expected an IPv4 or IPv6 address'],
    [['--drain-timeout=soon'], '--drain-timeout "soon" is not valid: expected a duration'],
  ])('names the flag and the value of %j', (argv, message) => {
    expect(failure([...REQUIRED, ...argv]).message).toContain(message);
  });

  it('needs the node, its token, the roots and which Workload the gateway is', () => {
    expect(failure(['--node-name=node-a', '--xds-token-file=t', '--xds-root-cert=r.pem']).message).toContain('--workload-uid is required');
    expect(failure(['--pod-ip=127.0.10.7', '--xds-token-file=t', '--xds-root-cert=r.pem'])).toMatchObject({ variable: '--node-name', code: 'AMBIT_ERR_GATEWAY_CONFIG' });
    expect(failure([...REQUIRED, '--hbone-port=15008'])).toMatchObject({ variable: '--hbone-port' });
  });
});
