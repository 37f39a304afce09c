import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZtunnelTargetError } from './errors.js';
import { adminAddress, resolveTarget } from './target.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'ambitctl-zc-target-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** A local.json as `ambitctl local up` writes it, for a mesh run by `pid`. */
/** What `promise` rejects with, checked to be a ZtunnelTargetError. */
async function targetError(promise: Promise<unknown>): Promise<ZtunnelTargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZtunnelTargetError);
  return error as ZtunnelTargetError;
}

async function localMesh(nodes: string[], pid = process.pid): Promise<void> {
  const state = {
    version: 1,
    phase: 'running',
    pid,
    startedAt: '2026-01-01T00:00:00.000Z',
    configDir: '/config',
    stateDir,
    controlPlane: { pid, xds: '127.0.0.1:15012', admin: '127.0.0.1:15014' },
    nodes: nodes.map((name, i) => ({ name, address: `127.0.${i + 1}.1`, pid, admin: `127.0.${i + 1}.1:15000`, metrics: `127.0.${i + 1}.1:15020`, readiness: `127.0.${i + 1}.1:15021` })),
    workloads: [],
    services: [],
  };
  await writeFile(join(stateDir, 'local.json'), JSON.stringify(state));
}

describe('which ztunnel ztunnel-config asks', () => {
  it('takes --address as given, without reading the local mesh', async () => {
    expect(await resolveTarget({ address: '127.0.9.9:1500', stateDir: join(stateDir, 'none') })).toEqual({ admin: '127.0.9.9:1500' });
  });

  it("finds --node's admin address in local.json", async () => {
    await localMesh(['node-a', 'node-b']);
    expect(await resolveTarget({ node: 'node-b', stateDir })).toEqual({ admin: '127.0.2.1:15000', node: 'node-b' });
  });

  it('takes the only node of the local mesh when none is named', async () => {
    await localMesh(['solo']);
    expect(await resolveTarget({ stateDir })).toEqual({ admin: '127.0.1.1:15000', node: 'solo' });
  });

  it.each([
    [['node-a', 'node-b'], undefined, /has 2 nodes \(node-a, node-b\): say which with --node NAME/],
    [[], undefined, /has 0 nodes \(none\)/],
    [['node-a', 'node-b'], 'node-c', /has no node "node-c" \(its nodes: node-a, node-b\)/],
  ])('with nodes %j and --node %s it is a usage error listing the nodes', async (nodes, node, message) => {
    await localMesh(nodes);
    const error = await targetError(resolveTarget({ node, stateDir }));
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/--address <host:port>/);
  });

  it('says no local mesh runs when local.json is missing or its ambitctl has exited', async () => {
    const missing = await targetError(resolveTarget({ node: 'node-a', stateDir }));
    expect(missing.message).toBe(`no local mesh runs on ${stateDir}, so there is no node to ask`);
    // A pid no process has (above Linux's pid_max), as a crashed `local up` leaves behind.
    await localMesh(['node-a'], 2 ** 22 + 1);
    const stale = await targetError(resolveTarget({ stateDir }));
    expect(stale.hint).toMatch(/ambitctl local up -f <dir>/);
  });
});

describe('--address', () => {
  it('accepts host:port', () => {
    for (const good of ['127.0.1.1:15000', 'localhost:1', '[::1]:15000', 'ztunnel-a.example:65535']) expect(adminAddress(good)).toBe(good);
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['127.0.1.1', '127.0.1.1:0', '127.0.1.1:65536', 'http://127.0.1.1:15000', '::1:15000', ':15000', 'a b:1', '']) {
      expect(() => adminAddress(bad)).toThrow(/expected host:port of a ztunnel admin endpoint, e.g. 127.0.1.1:15000/);
    }
  });
});
