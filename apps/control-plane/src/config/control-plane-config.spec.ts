import { AmbitError } from '@ambit/errors';
import { thrown } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { buildConfig, CONFIG_DEFAULTS, type ControlPlaneConfig } from './control-plane-config.js';
import { ConfigError } from './errors.js';
import { envOf, flagOf, SETTING, type SettingName } from './names.js';

const CWD = '/srv/mesh';
const build = (argv: string[] = [], env: Record<string, string> = {}): ControlPlaneConfig => buildConfig({ argv, env, cwd: CWD });

const failure = (argv: string[], env: Record<string, string> = {}): ConfigError => thrown(ConfigError, () => build(argv, env));

describe('buildConfig', () => {
  it('gives the defaults, resolved against the working directory, frozen', () => {
    const config = build();
    expect(config).toEqual({
      configDir: '/srv/mesh/config',
      trustDomain: 'cluster.local',
      rootNamespace: 'istio-system',
      clusterDomain: 'cluster.local',
      clusterId: 'Kubernetes',
      xdsAddress: { host: '127.0.0.1', port: 15012 },
      adminAddress: { host: '127.0.0.1', port: 15014 },
      caDir: '/srv/mesh/.ambit/ca',
      workloadCertTtlMs: 24 * 3600_000,
      maxWorkloadCertTtlMs: 90 * 24 * 3600_000,
      logLevel: 'info',
      provider: 'file',
      kubeconfig: null,
      nodeTokens: null,
      debounceMs: 100,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.xdsAddress)).toBe(true);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it('names every setting once: --name and AMBIT_NAME', () => {
    expect(flagOf(SETTING.maxWorkloadCertTtl)).toBe('--max-workload-cert-ttl');
    expect(envOf(SETTING.maxWorkloadCertTtl)).toBe('AMBIT_MAX_WORKLOAD_CERT_TTL');
    expect(Object.keys(CONFIG_DEFAULTS).sort()).toEqual(Object.values(SETTING).sort());
  });

  it('takes flags over environment variables over defaults', () => {
    const env = { AMBIT_TRUST_DOMAIN: 'env.example', AMBIT_CLUSTER_ID: 'from-env', AMBIT_LOG_LEVEL: 'debug' };
    const config = build(['--trust-domain', 'flag.example', '--log-level=warn'], env);
    expect(config).toMatchObject({ trustDomain: 'flag.example', clusterId: 'from-env', logLevel: 'warn', rootNamespace: 'istio-system' });
  });

  it('reads every setting from its flag and from its variable', () => {
    const values: Record<SettingName, string> = {
      'config-dir': 'mesh/conf',
      'trust-domain': 'example.org',
      'root-namespace': 'mesh-root',
      'cluster-domain': 'corp.internal',
      'cluster-id': 'east-1',
      'xds-address': '[::1]:0',
      'admin-address': '0.0.0.0:9014',
      'ca-dir': '/var/lib/ambit/ca',
      'workload-cert-ttl': '1h30m',
      'max-workload-cert-ttl': '48h',
      'log-level': 'trace',
      provider: 'kubernetes',
      kubeconfig: 'kube/config',
      'node-tokens': 'tokens.yaml',
      debounce: '0ms',
    };
    const expected: ControlPlaneConfig = {
      configDir: '/srv/mesh/mesh/conf',
      trustDomain: 'example.org',
      rootNamespace: 'mesh-root',
      clusterDomain: 'corp.internal',
      clusterId: 'east-1',
      xdsAddress: { host: '::1', port: 0 },
      adminAddress: { host: '0.0.0.0', port: 9014 },
      caDir: '/var/lib/ambit/ca',
      workloadCertTtlMs: 90 * 60_000,
      maxWorkloadCertTtlMs: 48 * 3600_000,
      logLevel: 'trace',
      provider: 'kubernetes',
      kubeconfig: '/srv/mesh/kube/config',
      nodeTokens: '/srv/mesh/tokens.yaml',
      debounceMs: 0,
    };
    const entries = Object.entries(values) as [SettingName, string][];
    expect(build(entries.map(([name, value]) => `${flagOf(name)}=${value}`))).toEqual(expected);
    expect(build([], Object.fromEntries(entries.map(([name, value]) => [envOf(name), value])))).toEqual(expected);
  });

  it('puts the CA directory beside the config directory unless told otherwise', () => {
    expect(build(['--config-dir', '/etc/ambit/config']).caDir).toBe('/etc/ambit/.ambit/ca');
    expect(build(['--config-dir', '/etc/ambit/config', '--ca-dir', 'ca']).caDir).toBe('/srv/mesh/ca');
  });

  it('lowers the default certificate TTL to a smaller maximum, unless the default was given', () => {
    expect(build(['--max-workload-cert-ttl', '12h'])).toMatchObject({ workloadCertTtlMs: 12 * 3600_000, maxWorkloadCertTtlMs: 12 * 3600_000 });
    const error = failure(['--max-workload-cert-ttl', '12h'], { AMBIT_WORKLOAD_CERT_TTL: '13h' });
    expect(error).toMatchObject({ variable: 'AMBIT_WORKLOAD_CERT_TTL', value: '13h' });
    expect(error.message).toBe('AMBIT_WORKLOAD_CERT_TTL "13h" is too long: expected a duration no longer than --max-workload-cert-ttl "12h"');
    expect(failure(['--workload-cert-ttl', '2161h']).message).toBe(
      '--workload-cert-ttl "2161h" is too long: expected a duration no longer than the default --max-workload-cert-ttl "2160h"',
    );
  });

  it('takes the last of a repeated flag, and counts an empty variable as unset', () => {
    expect(build(['--cluster-id', 'a', '--cluster-id', 'b']).clusterId).toBe('b');
    expect(build([], { AMBIT_CLUSTER_ID: '' }).clusterId).toBe('Kubernetes');
  });

  const BAD: readonly [SettingName, string, RegExp][] = [
    ['config-dir', ' ', /expected a directory path/],
    ['trust-domain', 'Cluster.Local', /expected a lower-case DNS name/],
    ['trust-domain', 'a..b', /expected a lower-case DNS name/],
    ['trust-domain', `${'a'.repeat(64)}.local`, /expected a lower-case DNS name/],
    ['root-namespace', 'istio.system', /expected a namespace name/],
    ['root-namespace', 'a'.repeat(64), /expected a namespace name/],
    ['cluster-domain', '-cluster.local', /expected a lower-case DNS name/],
    ['cluster-id', 'east/1', /expected a non-empty name without "\/"/],
    ['xds-address', '15012', /expected host:port with a port from 0 to 65535/],
    ['xds-address', '127.0.0.1:65536', /expected host:port/],
    ['xds-address', '::1:15012', /expected host:port/],
    ['xds-address', '[127.0.0.1]:15012', /expected host:port/],
    ['admin-address', '999.1.1.1:15014', /expected host:port/],
    ['admin-address', 'local_host:15014', /expected host:port/],
    ['ca-dir', '', /expected a directory path/],
    ['workload-cert-ttl', '1d', /expected a duration of at least 1s in Istio's format/],
    ['workload-cert-ttl', '500ms', /expected a duration of at least 1s/],
    ['max-workload-cert-ttl', '-1h', /expected a duration/],
    ['log-level', 'verbose', /expected one of fatal, error, warn, info, debug, trace, silent/],
    ['provider', 'kube', /expected file \(a directory of YAML\) or kubernetes/],
    ['debounce', '1s', /expected a duration from 0ms to 500ms/],
    ['debounce', 'soon', /expected a duration from 0ms to 500ms/],
  ];

  it.each(BAD)('refuses %s %j, naming the flag or variable, the value and what is accepted', (name, value, accepted) => {
    for (const [argv, env, variable] of [
      [[`${flagOf(name)}=${value}`], {}, flagOf(name)],
      [[], { [envOf(name)]: value }, envOf(name)],
    ] as const) {
      if (value === '' && variable === envOf(name)) continue; // an empty variable is unset
      const error = failure([...argv], env);
      expect(error).toMatchObject({ code: 'AMBIT_ERR_CP_CONFIG', variable, value });
      expect(error.message).toMatch(new RegExp(`^${variable} ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid: `));
      expect(error.message).toMatch(accepted);
    }
  });

  it('refuses a kubeconfig without the Kubernetes provider, and an empty one', () => {
    expect(failure(['--kubeconfig', '/etc/kube'])).toMatchObject({
      variable: '--kubeconfig',
      message: '--kubeconfig "/etc/kube" is only read by the Kubernetes provider: expected --provider kubernetes with it',
    });
    expect(failure(['--provider=kubernetes', '--kubeconfig='])).toMatchObject({ variable: '--kubeconfig', message: expect.stringMatching(/expected a file path/) });
    expect(build(['--provider', 'kubernetes'], { AMBIT_KUBECONFIG: '/etc/kube' }).kubeconfig).toBe('/etc/kube');
  });

  it('reads the node tokens file path, and refuses an empty one', () => {
    expect(build(['--node-tokens', 'local/tokens.yaml']).nodeTokens).toBe('/srv/mesh/local/tokens.yaml');
    expect(build([], { AMBIT_NODE_TOKENS: '/etc/ambit/tokens.yaml' }).nodeTokens).toBe('/etc/ambit/tokens.yaml');
    expect(failure(['--node-tokens='])).toMatchObject({ variable: '--node-tokens', message: expect.stringMatching(/expected a file path/) });
  });

  it('refuses command lines it cannot read, naming the argument', () => {
    expect(failure(['--trust-domian=x'])).toMatchObject({ variable: '--trust-domian', value: undefined, message: expect.stringMatching(/^--trust-domian is not a control-plane flag: expected one of --config-dir, --trust-domain, /) });
    expect(failure(['--trust-domain'])).toMatchObject({ variable: '--trust-domain', message: '--trust-domain needs a value: expected --trust-domain=<value> or --trust-domain <value>' });
    expect(failure(['--trust-domain', '--cluster-id', 'x'])).toMatchObject({ variable: '--trust-domain' });
    expect(failure(['config'])).toMatchObject({ variable: 'argument', value: 'config', message: 'argument "config" is not a flag: expected only flags, written --name=value or --name value' });
    expect(failure(['-h'])).toMatchObject({ variable: '-h' });
  });

  it('raises an AmbitError that says how settings combine', () => {
    const error = failure(['--log-level=loud']);
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.name).toBe('ConfigError');
    expect(error.hint).toBe('flags override AMBIT_* environment variables, which override the defaults');
  });
});
