import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminUnreachableError } from '../src/commands/ztunnel-config/errors.js';
import { fetchConfigDump } from '../src/commands/ztunnel-config/fetch-dump.js';
import { run } from './cli-harness.js';

/**
 * `ambitctl ztunnel-config` against real HTTP servers on loopback that serve config dumps
 * captured from real ztunnels (ambitctl may not import apps/ztunnel, so the dumps are
 * fixtures: test/fixtures/ztunnel-config/README.md).
 */

const AMBITCTL = fileURLToPath(new URL('../bin/ambitctl.mjs', import.meta.url));
const dumpText = (node: string): string => readFileSync(new URL(`fixtures/ztunnel-config/${node}.json`, import.meta.url), 'utf8');
const NODE_A = dumpText('node-a');
const NODE_B = dumpText('node-b');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

/** An HTTP server on `host`, port 0; resolves to its host:port. */
async function serve(host: string, handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen({ host, port: 0 }, resolve));
  return `${host}:${(server.address() as { port: number }).port}`;
}

/** A ztunnel admin endpoint: its dump at GET /config_dump, 404 elsewhere. */
const admin =
  (dump: string): Handler =>
  (req, res) => {
    if (req.method === 'GET' && req.url === '/config_dump') res.writeHead(200, { 'content-type': 'application/json' }).end(dump);
    else res.writeHead(404).end('not found\n');
  };

/** A host:port where nothing listens (bound, then closed). */
async function closedAddress(): Promise<string> {
  const address = await serve('127.0.0.1', () => undefined);
  const server = servers.pop()!;
  await new Promise((resolve) => server.close(resolve));
  return address;
}

let nodeA: string;
let nodeB: string;
beforeAll(async () => {
  // Two loopback addresses no other test uses, one per node, as in local mode.
  nodeA = await serve('127.0.173.1', admin(NODE_A));
  nodeB = await serve('127.0.173.2', admin(NODE_B));
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'ambitctl-zc-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** local.json of a local mesh (this test process stands for its `ambitctl local up`) whose nodes' admin endpoints are the given servers. */
async function localMesh(nodes: Record<string, string>): Promise<void> {
  const state = {
    version: 1,
    phase: 'running',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    configDir: '/config',
    stateDir,
    controlPlane: { pid: process.pid, xds: '127.0.0.1:15012', admin: '127.0.0.1:15014' },
    nodes: Object.entries(nodes).map(([name, adminAddress]) => {
      const host = adminAddress.split(':')[0]!;
      return { name, address: host, pid: process.pid, admin: adminAddress, metrics: `${host}:15020`, readiness: `${host}:15021` };
    }),
    workloads: [],
    services: [],
  };
  await writeFile(join(stateDir, 'local.json'), JSON.stringify(state));
}

const rowsOf = (table: string): string[][] =>
  table
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {2,}/));

describe('ambitctl ztunnel-config --address', () => {
  it('prints each section as istioctl does', async () => {
    const workloads = await run(['ztunnel-config', 'workloads', '--address', nodeA]);
    expect(workloads.code).toBe(0);
    expect(workloads.stderr).toBe('');
    const rows = rowsOf(workloads.stdout);
    expect(rows[0]).toEqual(['NAMESPACE', 'POD NAME', 'ADDRESS', 'NODE', 'WAYPOINT', 'PROTOCOL']);
    expect(rows).toContainEqual(['bookinfo', 'ratings-v1', '127.0.180.12', 'node-b', 'None', 'HBONE']);
    expect(rows).toHaveLength(8);

    const services = rowsOf((await run(['ztunnel-config', 'services', '--address', nodeA])).stdout);
    expect(services[0]).toEqual(['NAMESPACE', 'SERVICE NAME', 'SERVICE VIP', 'WAYPOINT', 'ENDPOINTS']);
    expect(services).toContainEqual(['bookinfo', 'reviews', '127.99.4.90', 'waypoint.bookinfo.svc.cluster.local', '3/3']);

    const policies = rowsOf((await run(['ztunnel-config', 'policies', '--address', nodeA])).stdout);
    expect(policies).toEqual([
      ['NAMESPACE', 'POLICY NAME', 'ACTION', 'SCOPE'],
      ['bookinfo', 'ratings-l4', 'Allow', 'WorkloadSelector'],
      ['istio-system', 'istio_converted_static_strict', 'Deny', 'WorkloadSelector'],
    ]);

    const certificates = rowsOf((await run(['ztunnel-config', 'certificates', '--address', nodeA])).stdout);
    expect(certificates[0]).toEqual(['CERTIFICATE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE']);
    // VALID CERT depends on today's date against the fixture's; the rest does not.
    expect(certificates[1]).toEqual(['spiffe://cluster.local/ns/bookinfo/sa/bookinfo-details', 'Leaf', 'Available', expect.stringMatching(/^(true|false)$/), '4090a0d962e4ef1880742c3773976c14', '2026-12-08T22:40:04Z', '2026-12-07T22:39:04Z']);
    expect(certificates.map((row) => row[1])).toEqual(['TYPE', ...Array(4).fill(['Leaf', 'Root']).flat()]);
  });

  it('filters by --namespace / -n', async () => {
    const result = await run(['ztunnel-config', 'workloads', '--address', nodeA, '-n', 'istio-system']);
    expect(rowsOf(result.stdout).slice(1)).toEqual([['istio-system', 'istio-ingressgateway', '127.0.170.2', 'node-a', 'None', 'HBONE']]);
  });

  it('prints the raw section with -o json and -o yaml', async () => {
    const dump = JSON.parse(NODE_A) as Record<string, unknown>;
    const json = await run(['ztunnel-config', 'certificates', '--address', nodeA, '-o', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(dump.certificates);
    const yaml = await run(['ztunnel-config', 'services', '--address', nodeA, '-o', 'yaml', '--namespace', 'bookinfo']);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual((dump.services as { namespace: string }[]).filter((s) => s.namespace === 'bookinfo'));
  });
});

describe('ambitctl ztunnel-config --node (local mode)', () => {
  it("asks the named node's ztunnel, found in <state-dir>/local.json", async () => {
    await localMesh({ 'node-a': nodeA, 'node-b': nodeB });
    const a = await run(['ztunnel-config', 'certificates', '--node', 'node-a', '--state-dir', stateDir, '-o', 'json']);
    const b = await run(['ztunnel-config', 'certificates', '--node', 'node-b', '--state-dir', stateDir, '-o', 'json']);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(NODE_A).certificates);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(NODE_B).certificates);
    expect(a.stdout).not.toEqual(b.stdout);
  });

  it('asks the only node when none is named', async () => {
    await localMesh({ 'node-b': nodeB });
    const result = await run(['ztunnel-config', 'policies', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAMESPACE +POLICY NAME +ACTION +SCOPE\n/);
  });

  it.each([
    [{ 'node-a': 'x', 'node-b': 'y' }, [], /has 2 nodes \(node-a, node-b\): say which with --node NAME/],
    [{ 'node-a': 'x', 'node-b': 'y' }, ['--node', 'node-c'], /has no node "node-c" \(its nodes: node-a, node-b\)/],
    [undefined, ['--node', 'node-a'], /no local mesh runs on .*, so there is no node to ask/],
  ])('with nodes %j and %j it is a usage error (exit 2) listing the nodes', async (nodes, flags, message) => {
    if (nodes !== undefined) await localMesh(nodes);
    const result = await run(['ztunnel-config', 'workloads', '--state-dir', stateDir, ...flags]);
    expect(result.stderr).toMatch(/^ambitctl ztunnel-config workloads: AMBIT_ERR_ZTUNNEL_CONFIG_TARGET: /);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });
});

describe('ambitctl ztunnel-config: bad input', () => {
  it('names an unreachable admin address and exits 1', async () => {
    const address = await closedAddress();
    const result = await run(['ztunnel-config', 'workloads', '--address', address]);
    expect(result.stderr).toBe(
      `ambitctl ztunnel-config workloads: AMBIT_ERR_ZTUNNEL_CONFIG_UNREACHABLE: cannot read the config dump of the ztunnel at ${address}: connection refused (is that ztunnel running, and is this its admin address (port 15000)? \`ambitctl local status\` lists each node with its admin address)\n`,
    );
    expect(result.code).toBe(1);
  });

  it('gives up on an admin endpoint that does not answer', async () => {
    const silent = await serve('127.0.0.1', () => undefined);
    const error = await fetchConfigDump(silent, 'workloads', 100).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdminUnreachableError);
    expect((error as AdminUnreachableError).message).toBe(`cannot read the config dump of the ztunnel at ${silent}: no answer within 0.1s`);
  });

  it.each([
    ['a 500', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(500).end('boom\nmore'), /config_dump answered 500: boom \(is this the admin endpoint/],
    ['not JSON', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200).end('<html>'), /config_dump answered something that is not JSON/],
    ['JSON without the section', admin('{"services": []}'), /config_dump answered JSON without a "workloads" list/],
  ])('reports an admin endpoint that answers %s, and exits 1', async (_what, handler, message) => {
    const address = await serve('127.0.0.1', handler);
    const result = await run(['ztunnel-config', 'workloads', '--address', address]);
    expect(result.stderr).toMatch(/AMBIT_ERR_ZTUNNEL_CONFIG_DUMP/);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(1);
  });

  it.each([
    [['ztunnel-config', 'routes'], /unknown command 'routes'/],
    [['ztunnel-config', 'workloads', '-o', 'xml'], /argument 'xml' is invalid. Allowed choices are text, json, yaml/],
    [['ztunnel-config', 'workloads', '--address', '127.0.1.1'], /'--address <host:port>' argument '127.0.1.1' is invalid. expected host:port of a ztunnel admin endpoint/],
    [['ztunnel-config', 'workloads', '--address', '127.0.1.1:15000', '--node', 'node-a'], /option '--address <host:port>' cannot be used with option '--node <name>'/],
    [['ztunnel-config', 'certificates', '-n', 'default'], /unknown option '-n'/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });
});

describe('ambitctl ztunnel-config as a process', () => {
  const ambitctl = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [AMBITCTL, ...args], { timeout: 15_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }));
    });

  it('prints the table from the installed entry point, and exits 1 when the ztunnel is not there', async () => {
    const ok = await ambitctl(['ztunnel-config', 'services', '--address', nodeB]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^NAMESPACE +SERVICE NAME +SERVICE VIP +WAYPOINT +ENDPOINTS\n/);
    expect(ok.code).toBe(0);
    const down = await ambitctl(['ztunnel-config', 'services', '--address', await closedAddress()]);
    expect(down.stderr).toMatch(/AMBIT_ERR_ZTUNNEL_CONFIG_UNREACHABLE: .*connection refused/);
    expect(down.code).toBe(1);
  });
});
