import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { ClusterCommandError, ClusterExistsError, ClusterNotRootError, ClusterSpecError, ClusterTargetError, ClusterUsageError } from './errors.js';
import { requireRoot } from './preflight.js';

describe('netns-cluster errors', () => {
  it.each([
    [new ClusterSpecError('c.yaml:3:5', 'nodes[0].ip', 'bad'), 'AMBIT_ERR_NETNS_CLUSTER_SPEC', /^c\.yaml:3:5 nodes\[0\]\.ip: bad$/],
    [new ClusterNotRootError('up'), 'AMBIT_ERR_NETNS_CLUSTER_NOT_ROOT', /netns-cluster up needs root/],
    [new ClusterCommandError(['ip', 'netns', 'add', 'amb-x-u'], 'File exists'), 'AMBIT_ERR_NETNS_CLUSTER_COMMAND', /`ip netns add amb-x-u` failed: File exists/],
    [new ClusterExistsError('demo', ['amb-demo-underlay']), 'AMBIT_ERR_NETNS_CLUSTER_EXISTS', /demo is already up/],
    [new ClusterTargetError('no pod "x"', 'pods are ...'), 'AMBIT_ERR_NETNS_CLUSTER_TARGET', /no pod "x"/],
    [new ClusterUsageError('exec needs a command'), 'AMBIT_ERR_NETNS_CLUSTER_USAGE', /exec needs a command/],
  ])('%s has a stable code and says what failed', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it('refuses to run without root, saying what to do instead', () => {
    expect(() => requireRoot('up', 1000)).toThrow(ClusterNotRootError);
    expect(() => requireRoot('up', 0)).not.toThrow();
    expect(new ClusterNotRootError('up').hint).toMatch(/sudo.*ambitctl local up/);
  });
});
