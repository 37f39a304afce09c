import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, LineQueue, withTimeout } from '@ambit/test-support';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStatus } from '../src/commands/local/local-status.js';
import { duration, portNumber } from '../src/commands/local/options.js';
import { run } from './cli-harness.js';
import { exchange } from './support/tcp-exchange.js';

const AMBITCTL = fileURLToPath(new URL('../bin/ambitctl.mjs', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/local/${name}`, import.meta.url));

let dir: string;
const servers: Server[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ambitctl-local-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

async function listen(host: string, port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, resolve);
  });
  return (server.address() as { port: number }).port;
}

/** A port free on 127.0.0.1 now (the control plane's host). */
async function freePort(): Promise<number> {
  const port = await listen('127.0.0.1');
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

/** What nothing started leaves in the state directory: nothing at all. */
async function stateLeft(state: string): Promise<string[]> {
  return readdir(state).catch(() => []);
}

describe('ambitctl local: command line', () => {
  it('parses ports and durations, refusing what it cannot use', () => {
    expect(portNumber('15012')).toBe(15012);
    expect(duration('500ms')).toBe(500);
    expect(duration('30s')).toBe(30_000);
    expect(duration('2m')).toBe(120_000);
    for (const bad of ['0', '65536', '-1', '12ab', '']) expect(() => portNumber(bad)).toThrow(/expected a port number from 1 to 65535/);
    for (const bad of ['0s', '1h', '10', 'soon']) expect(() => duration(bad)).toThrow(/expected a duration such as 500ms, 30s or 2m/);
  });

  it.each([
    [['local', 'up'], /required option '-f, --filename <dir>' not specified/],
    [['local', 'up', '-f', 'x', '--xds-port', '70000'], /option '--xds-port <port>' argument '70000' is invalid. expected a port number from 1 to 65535/],
    [['local', 'up', '-f', 'x', '--ready-timeout', 'soon'], /'--ready-timeout <duration>' argument 'soon' is invalid/],
    [['local', 'up', '-f', 'x', '--log-level', 'loud'], /Allowed choices are fatal, error, warn, info, debug, trace/],
    [['local', 'status', '-o', 'yaml'], /must be one of text, json/],
    [['local', 'down'], /unknown command 'down'/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('status says nothing runs, and exits 1, when no local mesh was started', async () => {
    const text = await run(['local', 'status', '--state-dir', dir]);
    expect(text.stdout).toBe(`No local mesh runs on ${dir} (start one with: ambitctl local up -f <dir>)\n`);
    expect(text.code).toBe(1);
    const json = await run(['local', 'status', '--state-dir', dir, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ running: false, ready: false, stateDir: dir, nodes: [], workloads: [], services: [], samples: [], waypoints: [], gateways: [] });
    expect(json.code).toBe(1);
  });

  it('status reports a local.json it cannot read, and exits 1', async () => {
    await writeFile(join(dir, 'local.json'), '{ not json');
    const { code, stderr } = await run(['local', 'status', '--state-dir', dir]);
    expect(stderr).toBe(`ambitctl local status: AMBIT_ERR_LOCAL_STATE: ${join(dir, 'local.json')} is not JSON (it is written by \`ambitctl local up\` and removed when it stops; remove a leftover one by hand)\n`);
    expect(code).toBe(1);
  });
});

describe('ambitctl local up: nothing starts on bad input', () => {
  it('prints every config error as validate does and exits 1', async () => {
    const state = join(dir, 'state');
    const { code, stderr } = await run(['local', 'up', '-f', fixture('invalid'), '--state-dir', state]);
    expect(stderr).toContain('broken.yaml:11:11 Service demo/echo spec.ports[0].port: must be at most 65535, got 80800');
    expect(stderr).toContain('broken.yaml:13:1 Pod demo/far status.podIP: "10.1.2.3" is not in 127.0.0.0/8');
    expect(stderr).toMatch(/ambitctl local up: AMBIT_ERR_LOCAL_CONFIG: .*invalid has 2 errors: nothing was started/);
    expect(code).toBe(1);
    expect(await stateLeft(state)).toEqual([]);
  });

  it('refuses a file where a directory belongs', async () => {
    const file = join(dir, 'mesh.yaml');
    await writeFile(file, '');
    const { code, stderr } = await run(['local', 'up', '-f', file, '--state-dir', join(dir, 'state')]);
    expect(stderr).toMatch(/AMBIT_ERR_LOCAL_CONFIG: .*mesh\.yaml is not a directory: the control plane reads \(and watches\) a directory of YAML/);
    expect(code).toBe(1);
  });

  it('names each taken address and what it was for, and exits 1', async () => {
    const state = join(dir, 'state');
    await listen('127.0.141.1', 15021);
    await listen('127.0.141.11', 15080);
    await listen('127.0.142.12', 8080);
    const { code, stderr } = await run(['local', 'up', '-f', fixture('two-nodes'), '--state-dir', state, '--xds-port', String(await freePort()), '--admin-port', String(await freePort())]);
    expect(stderr).toMatch(
      /AMBIT_ERR_LOCAL_PORT_IN_USE: cannot listen on 127\.0\.141\.1:15021 \(ztunnel lm-node-a readiness: in use\), 127\.0\.141\.11:15080 \(SOCKS5 entry of demo\/client: in use\), 127\.0\.142\.12:8080 \(sample echo of demo\/hello-v2: in use\): nothing was started/,
    );
    expect(code).toBe(1);
    expect(await stateLeft(state)).toEqual([]);
  });

  it('refuses to start a second mesh on the state directory of a running one', async () => {
    const state = join(dir, 'state');
    await mkdir(state);
    // The test runner's parent process stands in for a running `local up`.
    await writeFile(join(state, 'local.json'), JSON.stringify({ version: 1, pid: process.ppid }));
    const { code, stderr } = await run(['local', 'up', '-f', fixture('two-nodes'), '--state-dir', state]);
    expect(stderr).toMatch(new RegExp(`AMBIT_ERR_LOCAL_ALREADY_RUNNING: a local mesh already runs on .* \\(ambitctl pid ${process.ppid}\\)`));
    expect(code).toBe(1);
  });
});

interface RunningMesh {
  readonly up: ChildProcess;
  readonly summary: string;
  readonly stderr: LineQueue;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

describe('ambitctl local up: the whole mesh as child processes', () => {
  const started: ChildProcess[] = [];
  afterAll(async () => {
    // Only if a test failed half-way. Its children run in process groups of their own, so
    // ambitctl must stop them (SIGINT); SIGKILL only if it does not end in time.
    await Promise.all(
      started.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const ended = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await withTimeout(ended, 'ambitctl to stop its children after SIGINT', 30_000).catch(() => child.kill('SIGKILL'));
      }),
    );
  });

  /** Runs `ambitctl local up` on a fixture until it prints its summary. */
  async function upMesh(name: string, state: string, ports: { xds: number; admin: number }): Promise<RunningMesh> {
    const up = spawn(process.execPath, [AMBITCTL, 'local', 'up', '-f', fixture(name), '--state-dir', state, '--xds-port', String(ports.xds), '--admin-port', String(ports.admin), '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(up);
    const stdout = new LineQueue();
    const stderr = new LineQueue();
    up.stdout!.setEncoding('utf8').on('data', (chunk: string) => stdout.feed(chunk));
    up.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.feed(chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => up.once('exit', (code, signal) => resolve({ code, signal })));
    const ended = exited.then((exit) => Promise.reject(new Error(`ambitctl local up ended before it was ready: ${JSON.stringify(exit)}`)));
    await Promise.race([stdout.match(/^Stop: Ctrl-C/, 60_000), ended]).catch((error: Error) => {
      throw new Error(`${error.message}\nstderr:\n${stderr.seen.slice(-20).join('\n')}`);
    });
    return { up, summary: stdout.seen.join('\n'), stderr, exited };
  }

  /** SIGINT, then: exit 0, every process gone, local.json removed. */
  async function stopMesh(mesh: RunningMesh, state: string, pids: readonly number[]): Promise<void> {
    mesh.up.kill('SIGINT');
    expect(await withTimeout(mesh.exited, 'ambitctl to stop after SIGINT', 30_000)).toEqual({ code: 0, signal: null });
    expect(mesh.stderr.seen).toContain('ambitctl: stopped');
    for (const pid of pids) expect(alive(pid), `pid ${pid} is gone`).toBe(false);
    await expect(access(join(state, 'local.json'))).rejects.toThrow(/ENOENT/);
  }

  it('starts the control plane, a ztunnel per node and the sample workloads, carries traffic, reports them ready, and stops everything on SIGINT', { timeout: 90_000 }, async () => {
    const state = join(dir, 'state');
    // The echo pod's application, on its pod address: answers "echo:" and what it was sent.
    const echo = createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => socket.end(`echo:${Buffer.concat(chunks).toString()}`));
    });
    servers.push(echo);
    await new Promise<void>((resolve) => echo.listen({ host: '127.0.142.11', port: 8080 }, resolve));
    const [xdsPort, adminPort] = [await freePort(), await freePort()];
    const mesh = await upMesh('two-nodes', state, { xds: xdsPort, admin: adminPort });
    const { up, summary } = mesh;
    expect(summary).toContain('Ambit local mesh ready: 2 nodes');
    expect(summary).toContain(`xDS + CA  127.0.0.1:${xdsPort}`);
    expect(summary).toMatch(/lm-node-a\s+127\.0\.141\.1\s+http:\/\/127\.0\.141\.1:15000\/config_dump/);
    expect(summary).toMatch(/lm-node-b\s+127\.254\.\d+\.\d+ \(assigned\)/);
    expect(summary).toMatch(/demo\/client\s+lm-node-a\s+127\.0\.141\.11\s+127\.0\.141\.11:15080/);
    expect(summary).toMatch(/demo\/echo\s+echo\.demo\.svc\.cluster\.local\s+127\.(9[6-9]|10\d|11[01])\.\d+\.\d+ \(assigned\)\s+8080/);
    expect(summary).toMatch(/demo\/hello-v2\s+hello \(echo\)\s+v2\s+lm-node-b\s+127\.0\.142\.12:8080/);
    // The request to try: as demo/client to the service the sample serves, by name.
    expect(summary).toContain('  curl --socks5-hostname 127.0.141.11:15080 http://hello.demo:80/\n');
    expect(summary).toContain(`  npx ambitctl local status --state-dir ${state}\n`);
    expect(summary).toContain('  curl -s http://127.0.141.1:15020/metrics | grep istio_tcp\n');

    const status = await run(['local', 'status', '--state-dir', state, '-o', 'json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as LocalStatus;
    expect(report).toMatchObject({ running: true, ready: true, phase: 'running', pid: up.pid });
    expect(report.controlPlane).toMatchObject({ alive: true, ready: true, xds: `127.0.0.1:${xdsPort}`, admin: `127.0.0.1:${adminPort}` });
    expect(report.controlPlane!.proxies.map((p) => p.node).sort()).toEqual(['lm-node-a', 'lm-node-b']);
    expect(report.nodes.map((n) => ({ name: n.name, alive: n.alive, ready: n.ready, workloads: n.config?.workloads, services: n.config?.services }))).toEqual([
      { name: 'lm-node-a', alive: true, ready: true, workloads: 3, services: 2 },
      { name: 'lm-node-b', alive: true, ready: true, workloads: 3, services: 2 },
    ]);
    expect(report.samples).toEqual([
      {
        namespace: 'demo',
        name: 'hello-v2',
        sample: 'echo',
        app: 'hello',
        version: 'v2',
        node: 'lm-node-b',
        listen: ['127.0.142.12:8080'],
        services: ['demo/hello'],
        pid: expect.any(Number),
        alive: true,
        ready: true,
        readiness: 'ok',
      },
    ]);
    // The VIP the control plane serves is the one local up printed.
    const vip = report.services.find((s) => s.name === 'echo')!.vips[0]!;
    expect(summary).toContain(vip);
    const text = await run(['local', 'status', '--state-dir', state]);
    expect(text.stdout).toMatch(/^Local mesh ready: ambitctl pid \d+/);
    expect(text.stdout).toMatch(/ztunnel lm-node-b\s+\d+\s+127\.254\.\d+\.\d+ admin :15000\s+yes\s+synced\s+3\s+2/);

    // As demo/client through its SOCKS5 entry, by service name: HBONE from lm-node-a's ztunnel to lm-node-b's.
    expect(await exchange({ host: 'echo.demo.svc.cluster.local', port: 8080 }, 'hello', { host: '127.0.141.11', port: 15080 })).toBe('echo:hello');
    // From outside the mesh, in plaintext (PERMISSIVE by default) to the pod's single served port.
    expect(await exchange({ host: '127.0.142.11', port: 15006 }, 'plain')).toBe('echo:plain');
    // What `curl --socks5-hostname 127.0.141.11:15080 http://hello.demo:80/` does: the sample answers through two ztunnels, naming its pod and version.
    const answer = await exchange({ host: 'hello.demo', port: 80 }, 'GET / HTTP/1.1\r\nHost: hello.demo\r\nConnection: close\r\n\r\n', { host: '127.0.141.11', port: 15080 });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ app: 'hello', version: 'v2', pod: 'hello-v2', namespace: 'demo', path: '/', host: 'hello.demo', caller: { identity: null } });
    expect(text.stdout).toMatch(/demo\/hello-v2\s+hello \(echo\)\s+v2\s+lm-node-b\s+127\.0\.142\.12:8080\s+ready \(pid \d+\)/);

    await stopMesh(mesh, state, [report.controlPlane!.pid, ...report.nodes.map((n) => n.pid), ...report.samples.map((n) => n.pid)]);
    const after = await run(['local', 'status', '--state-dir', state]);
    expect(after.code).toBe(1);
    // Every address is free again.
    await eventually(async () => ((await listen('127.0.141.1', 15000)) > 0 ? true : undefined), '127.0.141.1:15000 to be free', 5000);
    await eventually(async () => ((await listen('127.0.142.12', 8080)) > 0 ? true : undefined), '127.0.142.12:8080 to be free', 5000);
  });

  it('runs the waypoint pod, through which a service called by name is routed by its VirtualService, and stops it with the rest', { timeout: 120_000 }, async () => {
    const state = join(dir, 'state');
    const mesh = await upMesh('waypoint', state, { xds: await freePort(), admin: await freePort() });
    expect(mesh.summary).toMatch(/wp\/waypoint-0\s+wp\/waypoint\s+wp-node-a\s+127\.0\.144\.30:15008\s+http:\/\/127\.0\.144\.30:15000\/config_dump/);
    expect(mesh.summary).toMatch(/wp\/hello\s+hello\.wp\.svc\.cluster\.local\s+\S+ \(assigned\)\s+80\s+wp\/waypoint/);
    // By service name again: the waypoint runs.
    expect(mesh.summary).toContain('  curl --socks5-hostname 127.0.144.11:15080 http://hello.wp:80/\n');
    expect(mesh.summary).toContain('  curl -s http://127.0.144.30:15020/metrics | grep istio_requests_total\n');
    expect(mesh.summary).not.toMatch(/wp\/waypoint-0\s+wp-node-a\s+127\.0\.144\.30\s+127\.0\.144\.30:15080/);

    const status = await run(['local', 'status', '--state-dir', state, '-o', 'json']);
    const report = JSON.parse(status.stdout) as LocalStatus;
    expect(status.code).toBe(0);
    expect(report.waypoints).toEqual([
      {
        namespace: 'wp',
        name: 'waypoint-0',
        gateway: 'wp/waypoint',
        node: 'wp-node-a',
        address: '127.0.144.30',
        hbone: '127.0.144.30:15008',
        admin: '127.0.144.30:15000',
        metrics: '127.0.144.30:15020',
        readiness: '127.0.144.30:15021',
        pid: expect.any(Number),
        alive: true,
        ready: true,
        readinessDetail: expect.stringContaining('hbone: ready'),
      },
    ]);

    // As wp/client by service name, as `curl --socks5-hostname 127.0.144.11:15080 http://hello.wp:80/` does: the VirtualService splits 80/20.
    const versions = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const answer = await exchange({ host: 'hello.wp', port: 80 }, 'GET / HTTP/1.1\r\nHost: hello.wp\r\nAccept: text/plain\r\nConnection: close\r\n\r\n', { host: '127.0.144.11', port: 15080 }, false);
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const version = /^version=(\S+)$/m.exec(answer)?.[1] ?? 'none';
      versions.set(version, (versions.get(version) ?? 0) + 1);
    }
    // Both versions answer, v1 more often (P(v2 ≥ v1 | 80/20, n=40) < 1e-4); the weights' statistics are libs/l7's tests.
    expect([...versions.keys()].sort()).toEqual(['v1', 'v2']);
    expect(versions.get('v1')!).toBeGreaterThan(versions.get('v2')!);
    const metrics = await httpText('http://127.0.144.30:15020/metrics');
    for (const version of ['v1', 'v2']) {
      expect(metrics).toMatch(new RegExp(`istio_requests_total\\{reporter="waypoint",source_workload="client",.*destination_workload="hello-${version}",.*destination_service="hello\\.wp\\.svc\\.cluster\\.local",.*response_code="200",.*\\} \\d+`));
    }

    const pids = [report.controlPlane!.pid, ...report.nodes.map((n) => n.pid), ...report.samples.map((n) => n.pid), ...report.waypoints.map((w) => w.pid)];
    await stopMesh(mesh, state, pids);
    await eventually(async () => ((await listen('127.0.144.30', 15008)) > 0 ? true : undefined), '127.0.144.30:15008 to be free', 5000);
  });

  it('runs the gateway pod last: plain HTTP to its served port is routed by prefix to both versions behind the waypoint, status lists its ports, and it stops with the rest', { timeout: 120_000 }, async () => {
    const state = join(dir, 'state');
    const mesh = await upMesh('gateway', state, { xds: await freePort(), admin: await freePort() });
    // Port 80 as Istio's gateway pods serve it: at 8080 unless root.
    const servedAt = `127.0.146.2:${80 + (process.getuid?.() === 0 ? 0 : 8000)}`;
    expect(mesh.summary).toMatch(new RegExp(`gw-system/ingressgateway-0\\s+gw-node-a\\s+80\\s+HTTP\\s+${servedAt.replaceAll('.', '\\.')}\\s+gw/edge\\s+http://127\\.0\\.146\\.2:15000/config_dump`));
    // The gateway pod is no workload to send as.
    expect(mesh.summary).not.toContain('127.0.146.2:15080');
    // Try it starts with the request from outside the mesh, on the path the VirtualService matches.
    const tryIt = mesh.summary.slice(mesh.summary.indexOf('Try it:')).split('\n');
    expect(tryIt[1]).toMatch(/^ {2}# from outside the mesh \(plain HTTP\) to gateway gw-system\/ingressgateway-0 port 80.*VirtualService gw\/edge routes it to gw\/hello through waypoint gw\/waypoint/);
    expect(tryIt[2]).toBe(`  curl http://${servedAt}/hello`);
    expect(tryIt[4]).toBe('  curl -s http://127.0.146.2:15020/metrics | grep istio_requests_total');

    const status = await run(['local', 'status', '--state-dir', state, '-o', 'json']);
    const report = JSON.parse(status.stdout) as LocalStatus;
    expect(status.code).toBe(0);
    expect(report.gateways).toEqual([
      {
        namespace: 'gw-system',
        name: 'ingressgateway-0',
        gateways: ['gw/edge'],
        node: 'gw-node-a',
        address: '127.0.146.2',
        lowPortOffset: process.getuid?.() === 0 ? 0 : 8000,
        ports: [{ port: 80, servedAt, protocol: 'HTTP' }],
        routes: [{ virtualService: 'gw/edge', path: '/hello', destination: 'hello.gw.svc.cluster.local' }],
        admin: '127.0.146.2:15000',
        metrics: '127.0.146.2:15020',
        readiness: '127.0.146.2:15021',
        pid: expect.any(Number),
        alive: true,
        ready: true,
        readinessDetail: expect.stringContaining('listeners: ready'),
      },
    ]);
    expect(report.workloads.map((w) => w.name)).toEqual(['hello-v1', 'hello-v2']);
    const text = await run(['local', 'status', '--state-dir', state]);
    expect(text.stdout).toMatch(/gateway gw-system\/ingressgateway-0\s+\d+\s+127\.0\.146\.2 admin :15000\s+yes/);

    // As curl sends it from outside the mesh: plain HTTP, no SOCKS5. The gateway sends
    // the service's traffic to its waypoint, whose VirtualService splits it 80/20.
    const [host, port] = [servedAt.slice(0, servedAt.lastIndexOf(':')), Number(servedAt.slice(servedAt.lastIndexOf(':') + 1))];
    const versions = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const answer = await exchange({ host, port }, `GET /hello/${i} HTTP/1.1\r\nHost: shop.example\r\nAccept: text/plain\r\nConnection: close\r\n\r\n`, undefined, false);
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answer).toContain(`path=/hello/${i}\n`);
      const version = /^version=(\S+)$/m.exec(answer)?.[1] ?? 'none';
      versions.set(version, (versions.get(version) ?? 0) + 1);
    }
    // Both versions answer, v1 more often (P(v2 ≥ v1 | 80/20, n=40) < 1e-4).
    expect([...versions.keys()].sort()).toEqual(['v1', 'v2']);
    expect(versions.get('v1')!).toBeGreaterThan(versions.get('v2')!);
    // A path no route matches: the gateway's own 404.
    expect(await exchange({ host, port }, 'GET /other HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n', undefined, false)).toMatch(/^HTTP\/1\.1 404 /);
    const metrics = await httpText('http://127.0.146.2:15020/metrics');
    expect(metrics).toMatch(/istio_requests_total\{reporter="source",source_workload="ingressgateway-0",.*destination_service="hello\.gw\.svc\.cluster\.local",.*response_code="200",.*\} 40/);

    const pids = [report.controlPlane!.pid, ...report.nodes.map((n) => n.pid), ...report.samples.map((n) => n.pid), ...report.waypoints.map((w) => w.pid), ...report.gateways.map((g) => g.pid)];
    await stopMesh(mesh, state, pids);
    await eventually(async () => ((await listen(host, port)) > 0 ? true : undefined), `${servedAt} to be free`, 5000);
    await eventually(async () => ((await listen('127.0.146.2', 15021)) > 0 ? true : undefined), '127.0.146.2:15021 to be free', 5000);
  });
});

async function httpText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return response.text();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
