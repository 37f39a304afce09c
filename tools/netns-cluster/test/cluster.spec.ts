import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInNetns, listenServerInNetns } from '@ambit/netns';
import { eventually, withTimeout } from '@ambit/test-support';
import { clusterDown, clusterNamespaces, clusterUp } from '../src/cluster.js';
import { ClusterCommandError, ClusterNotRootError } from '../src/errors.js';
import { requireRoot } from '../src/preflight.js';
import { clusterPrefix, netnsPath, podNetns } from '../src/plan/names.js';
import { runCommand } from '../src/run/command-runner.js';
import type { ClusterSpec } from '../src/spec/cluster-spec.js';
import { parseClusterSpec } from '../src/spec/parse-spec.js';
import { CLUSTER_UNAVAILABLE, hostLinkNames, hostNetnsNames, runCli, startCli } from './netns-support.js';

const FIXTURE = readFileSync(new URL('../src/__fixtures__/two-nodes.yaml', import.meta.url), 'utf8');
const id = process.pid % 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'netns-cluster-'));

/** The fixture under another cluster name, written to a file for the CLI. */
function describeCluster(name: string, extraPodsPerNode = 0): { file: string; spec: ClusterSpec } {
  const extra = Array.from({ length: extraPodsPerNode }, (_, i) => `  - { name: extra-a${i}, node: node-a }\n  - { name: extra-b${i}, node: node-b }\n`).join('');
  const text = FIXTURE.replace('name: demo', `name: ${name}`).replace('services:', `${extra}services:`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return { file, spec: parseClusterSpec(text, file) };
}

const ours = (name: string) => hostNetnsNames().filter((ns) => ns.startsWith(clusterPrefix(name)));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(CLUSTER_UNAVAILABLE !== undefined)(`a cluster of network namespaces (${CLUSTER_UNAVAILABLE ?? 'root'})`, () => {
  describe('up, traffic, down', () => {
    const name = `c${id}`;
    const { file, spec } = describeCluster(name);
    const pod = (podName: string) => spec.pods.find((p) => p.name === podName)!;
    let linksBefore: string[];
    let sleeper: ChildProcess | undefined;

    beforeAll(async () => {
      linksBefore = hostLinkNames();
      const up = await runCli(['up', '-f', file]);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(new RegExp(`cluster ${name} is up: 2 nodes, 4 pods`));
    });
    afterAll(async () => {
      sleeper?.kill('SIGKILL');
      await clusterDown(name);
    });

    it('made one namespace per node and pod plus the underlay, and nothing in the host namespace', () => {
      expect(ours(name)).toHaveLength(1 + 2 + 4);
      expect(hostLinkNames()).toEqual(linksBefore);
    });

    it('lets a pod ping a pod on the other node (exec runs in the pod)', async () => {
      const ping = await runCli(['exec', '-f', file, 'mesh/client', '--', 'ping', '-c', '1', '-W', '5', pod('echo-b').ip]);
      expect(ping.stdout).toMatch(/1 received/);
      expect(ping.code).toBe(0);
    });

    it('carries TCP between pods on different nodes, with the real client address', async () => {
      const peers: string[] = [];
      const server = createServer((socket) => {
        peers.push(socket.remoteAddress!);
        socket.end('pong');
      });
      const { port } = await listenServerInNetns(server, netnsPath(podNetns(spec, pod('echo-b'))), { ip: pod('echo-b').ip, port: 8080 });
      try {
        const socket = await connectInNetns(netnsPath(podNetns(spec, pod('client'))), { host: pod('echo-b').ip, port });
        const chunks: Buffer[] = [];
        for await (const chunk of socket) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString()).toBe('pong');
        expect(peers).toEqual([pod('client').ip]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('passes on the exit code of the command it runs', async () => {
      const result = await runCli(['exec', '-f', file, 'outsider', '--', 'sh', '-c', 'exit 3']);
      expect(result.code).toBe(3);
    });

    it('names the pod or node that does not exist', async () => {
      const result = await runCli(['exec', '-f', file, 'nobody', '--', 'true']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/AMBIT_ERR_NETNS_CLUSTER_TARGET: cluster c\d+ has no pod "nobody" \(its pods are mesh\/client/);
    });

    it('refuses to build a cluster that is already up, and leaves it alone', async () => {
      const again = await runCli(['up', '-f', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/AMBIT_ERR_NETNS_CLUSTER_EXISTS: a cluster named c\d+ is already up/);
      expect(ours(name)).toHaveLength(7);
    });

    it('down removes every namespace, kills what runs in them, and leaves the host as it was', async () => {
      sleeper = spawn('ip', ['netns', 'exec', podNetns(spec, pod('echo-a')), 'sleep', '600'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => sleeper!.once('exit', (_code, signal) => resolve(signal)));
      await eventually(async () => ((await runCommand(['ip', 'netns', 'pids', podNetns(spec, pod('echo-a'))])).trim() === '' ? undefined : true), 'the sleeper in the pod');

      const down = await runCli(['down', '-f', file]);
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(new RegExp(`removed cluster ${name}: .*${clusterPrefix(name)}underlay`));
      expect(await withTimeout(exited, 'the sleeper to be killed')).toBe('SIGKILL');
      expect(ours(name)).toEqual([]);
      expect(hostLinkNames()).toEqual(linksBefore);

      const twice = await runCli(['down', '--name', name]);
      expect(twice.code).toBe(0);
      expect(twice.stdout).toMatch(/is not up: nothing to remove/);
    });
  });

  it('down cleans up after `up` was killed half-way', async () => {
    const name = `k${id}`;
    const { file } = describeCluster(name, 10);
    const up = startCli(['up', '-f', file]);
    const exited = new Promise((resolve) => up.once('exit', resolve));
    try {
      await eventually(() => (ours(name).length > 0 ? true : undefined), 'the first namespace of the killed cluster', 30_000);
      up.kill('SIGKILL');
      await withTimeout(exited, 'the killed up');
      expect(ours(name).length).toBeGreaterThan(0);
    } finally {
      up.kill('SIGKILL');
      const down = await runCli(['down', '--name', name]);
      expect(down.code).toBe(0);
    }
    expect(ours(name)).toEqual([]);
  });

  it('rolls back by itself when a command fails during up', async () => {
    const name = `r${id}`;
    const { spec } = describeCluster(name);
    let count = 0;
    const failing = (command: readonly string[]) => (++count === 20 ? Promise.reject(new ClusterCommandError(command, 'injected failure')) : runCommand(command));
    await expect(clusterUp(spec, failing)).rejects.toThrow(/injected failure/);
    expect(await clusterNamespaces(name)).toEqual([]);
  });
});

// Whoever runs the tests: the check is on the uid, before any `ip` command (a child run
// as another user could not even read a checkout in a private temporary directory).
describe('the root check', () => {
  it('says plainly that it needs root', () => {
    expect(() => requireRoot('down', 65_534)).toThrow(ClusterNotRootError);
    expect(() => requireRoot('down', 65_534)).toThrow(/netns-cluster down needs root/);
    expect(() => requireRoot('down', 0)).not.toThrow();
  });
});
