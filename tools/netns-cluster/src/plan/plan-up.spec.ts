import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterSpec } from '../spec/parse-spec.js';
import { clusterPrefix } from './names.js';
import { planUp } from './plan-up.js';

const spec = parseClusterSpec(readFileSync(new URL('../__fixtures__/two-nodes.yaml', import.meta.url), 'utf8'), 'two-nodes.yaml');
const commands = planUp(spec);
const prefix = clusterPrefix(spec.name);

describe('the plan that builds a cluster', () => {
  it('touches nothing outside the cluster: every command adds, or works inside, one of its namespaces', () => {
    for (const command of commands) {
      const [file, first, second, third] = command;
      expect(file).toBe('ip');
      const netns = first === '-n' ? second : first === 'netns' ? third : undefined;
      expect(netns, command.join(' ')).toMatch(new RegExp(`^${prefix}`));
    }
  });

  it('creates both ends of every link inside the cluster, so a crash leaves none in the host', () => {
    const links = commands.filter((c) => c.includes('veth'));
    expect(links).toHaveLength(spec.nodes.length + spec.pods.length);
    for (const link of links) expect(link[link.indexOf('netns') + 1]).toMatch(new RegExp(`^${prefix}`));
  });

  it('creates each namespace before using it, and routes each pod CIDR to its node', () => {
    const added = new Set<string>();
    for (const command of commands) {
      if (command[1] === 'netns' && command[2] === 'add') added.add(command[3]!);
      else if (command[1] === '-n') expect(added.has(command[2]!), command.join(' ')).toBe(true);
    }
    expect(added.size).toBe(1 + spec.nodes.length + spec.pods.length);
    expect(commands).toContainEqual(['ip', '-n', 'amb-demo-n-node-a', 'route', 'add', '10.244.2.0/24', 'via', '10.77.0.12', 'dev', 'eth0']);
    expect(commands).toContainEqual(['ip', '-n', 'amb-demo-p-mesh.client', 'route', 'add', 'default', 'via', '10.244.1.1', 'dev', 'eth0']);
  });
});
