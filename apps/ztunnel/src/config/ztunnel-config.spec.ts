import { thrown } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { buildConfig } from './ztunnel-config.js';
import { ConfigError } from './errors.js';

const REQUIRED = ['--node-name=node-a', '--xds-cert=c.pem', '--xds-key=k.pem', '--xds-root-cert=r.pem'];

const failure = (argv: readonly string[], env: Record<string, string> = {}): ConfigError => thrown(ConfigError, () => buildConfig({ argv, env, cwd: '/work' }));

describe('buildConfig', () => {
  it('fills defaults, resolves files against the working directory, and freezes the result', () => {
    const config = buildConfig({ argv: REQUIRED, env: {}, cwd: '/work' });
    expect(config).toEqual({
      nodeName: 'node-a',
      xdsAddress: { host: '127.0.0.1', port: 15012 },
      xdsIdentity: 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
      xdsCertFile: '/work/c.pem',
      xdsKeyFile: '/work/k.pem',
      xdsTokenFile: undefined,
      xdsRootCertFile: '/work/r.pem',
      network: '',
      clusterDomain: 'cluster.local',
      adminAddress: { host: '127.0.0.1', port: 15000 },
      metricsAddress: { host: '127.0.0.1', port: 15020 },
      readinessAddress: { host: '127.0.0.1', port: 15021 },
      socks5Port: 15080,
      drainTimeoutMs: 5000,
      capture: 'none',
      podNetns: '/var/run/netns/{namespace}.{name}',
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads AMBIT_* variables, and flags win over them', () => {
    const config = buildConfig({ argv: [...REQUIRED, '--socks5-port', '0'], env: { AMBIT_NODE_NAME: 'node-b', AMBIT_SOCKS5_PORT: '1080', AMBIT_DRAIN_TIMEOUT: '1500ms' }, cwd: '/' });
    expect(config).toMatchObject({ nodeName: 'node-a', socks5Port: 0, drainTimeoutMs: 1500 });
  });

  it.each([
    [['--xds-address=127.0.0.1:0'], '--xds-address "127.0.0.1:0" is not valid: expected host:port with a port from 1 to 65535'],
    [['--admin-address=localhost'], '--admin-address "localhost" is not valid: expected host:port'],
    [['--socks5-port=70000'], '--socks5-port "70000" is not valid: expected a port from 0 to 65535'],
    [['--xds-identity=ambit-control-plane'], '--xds-identity "ambit-control-plane" is not valid: expected a SPIFFE ID'],
    [['--network=a/b'], '--network "a/b" is not valid: expected a network name without "/"'],
    [['--drain-timeout=5 s'], '--drain-timeout "5 s" is not valid: expected a duration'],
    [['--capture=iptables'], '--capture "iptables" is not valid: expected none (local mode) or netns'],
    [['--pod-netns=netns/{name}'], '--pod-netns "netns/{name}" is not valid: expected an absolute path with {name}'],
    [['--log-level=loud'], '--log-level "loud" is not valid: expected one of fatal, error, warn, info, debug, trace, silent'],
  ])('names the flag and the value of %j', (argv, message) => {
    expect(failure([...REQUIRED, ...argv]).message).toContain(message);
  });

  it('authenticates with a token file, a certificate and key, or both; never with half a certificate', () => {
    const tokenOnly = buildConfig({ argv: ['--node-name=node-a', '--xds-token-file=token', '--xds-root-cert=r.pem'], env: {}, cwd: '/work' });
    expect(tokenOnly).toMatchObject({ xdsTokenFile: '/work/token', xdsCertFile: undefined, xdsKeyFile: undefined, xdsRootCertFile: '/work/r.pem' });
    expect(JSON.stringify(tokenOnly)).not.toContain('xdsCertFile');
    expect(buildConfig({ argv: REQUIRED, env: { AMBIT_XDS_TOKEN_FILE: '/t' }, cwd: '/work' })).toMatchObject({ xdsTokenFile: '/t', xdsCertFile: '/work/c.pem' });

    expect(failure(['--node-name=node-a', '--xds-root-cert=r.pem']).message).toBe(
      '--xds-token-file is required: expected --xds-token-file=<file>, or --xds-cert=<file> with --xds-key=<file>, to authenticate to the control plane',
    );
    expect(failure(['--node-name=node-a', '--xds-cert=c.pem', '--xds-token-file=t', '--xds-root-cert=r.pem']).message).toBe(
      '--xds-cert "c.pem" is only used with --xds-key: expected --xds-key=<file> with it',
    );
    expect(failure(['--node-name=node-a', '--xds-token-file=t', '--xds-root-cert=r.pem'], { AMBIT_XDS_KEY: 'k.pem' })).toMatchObject({ variable: 'AMBIT_XDS_KEY', value: 'k.pem' });
    expect(failure(['--node-name=node-a', '--xds-token-file=', '--xds-root-cert=r.pem']).message).toContain('--xds-token-file "" is not valid: expected a file path');
    expect(failure(['--node-name=node-a', '--xds-token-file=t']).message).toBe('--xds-root-cert is required: expected --xds-root-cert=<value> (or its AMBIT_* variable)');
  });

  it('names a missing required setting, an unknown flag and a stray argument', () => {
    expect(failure(['--xds-token-file=t', '--xds-root-cert=r.pem']).message).toBe('--node-name is required: expected --node-name=<value> (or its AMBIT_* variable)');
    expect(failure([...REQUIRED, '--nodename=x'])).toMatchObject({ variable: '--nodename', message: expect.stringMatching(/^--nodename is not a ztunnel flag/) });
    expect(failure([...REQUIRED, 'serve'])).toMatchObject({ variable: 'argument', value: 'serve' });
    expect(failure(['--node-name', '--xds-cert', 'x'])).toMatchObject({ variable: '--node-name' });
    expect(failure([], { AMBIT_NODE_NAME: 'Bad_Name' })).toMatchObject({ variable: 'AMBIT_NODE_NAME', code: 'AMBIT_ERR_ZTUNNEL_CONFIG' });
  });
});
