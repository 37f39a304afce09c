import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, SpiffeId } from '@ambit/crypto';
import { DEFAULT_HTTP2, HbonePool, HboneServer, MeshTrust, TUNED_HTTP2, type Http2Tuning, type IpPort, type WorkloadCertificate } from '@ambit/hbone';

/**
 * The HBONE layer on loopback against direct TCP in the same run: bulk throughput (one
 * tunnel, the client uploads, the server discards), 100-byte request/response round
 * trips on an open tunnel, and opening a new tunnel on an existing pooled connection.
 * HBONE is measured with Node's HTTP/2 defaults and with the tuned windows and frames.
 * Client and server share one process (one core each at best on this 2-core machine).
 * `--quick` for a short run; AMBIT_BENCH_BULK_MB sets the bulk size.
 */
const quick = process.argv.includes('--quick');
const bulkBytes = Number(process.env['AMBIT_BENCH_BULK_MB'] ?? (quick ? 64 : 512)) * 1024 * 1024;
const roundTrips = quick ? 1000 : 5000;
const opens = quick ? 300 : 2000;
const CHUNK = Buffer.alloc(64 * 1024, 7);
const MESSAGE = Buffer.alloc(100, 1);

const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/bench/sa/client');
const SERVER = SpiffeId.parse('spiffe://cluster.local/ns/bench/sa/server');
const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
const trust = new MeshTrust(ca.trustBundle());
const issue = (identity: SpiffeId): WorkloadCertificate => {
  const { privateKey } = generateKeyPair();
  return { certChain: ca.sign(createCsr(privateKey, identity), { identity }).certChain, privateKey: privateKeyToPem(privateKey) };
};
const serverCertificate = issue(SERVER);
const clientCertificate = issue(CLIENT);

/** Upload `bytes`, wait for the peer's one-byte acknowledgement of the end: MB/s. */
async function bulk(stream: Duplex): Promise<number> {
  const start = performance.now();
  const acknowledged = once(stream, 'data');
  let sent = 0;
  while (sent < bulkBytes) {
    sent += CHUNK.length;
    if (!stream.write(CHUNK)) await once(stream, 'drain');
  }
  stream.end();
  await acknowledged;
  return bulkBytes / 1024 / 1024 / ((performance.now() - start) / 1000);
}

/** `count` sequential 100-byte round trips: each sample in µs. */
async function pingPong(stream: Duplex, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const reply = once(stream, 'data');
    stream.write(MESSAGE);
    await reply;
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

/** What the server side does with a tunnel or socket: echo, or discard and acknowledge the end. */
function serve(stream: Duplex, mode: 'echo' | 'sink'): void {
  stream.on('error', () => undefined);
  if (mode === 'echo') {
    stream.pipe(stream);
    return;
  }
  stream.on('data', () => undefined);
  stream.on('end', () => stream.end('!'));
}

async function tcpServer(mode: 'echo' | 'sink'): Promise<{ server: Server; address: IpPort }> {
  const server = createTcpServer({ allowHalfOpen: true, noDelay: true }, (socket) => serve(socket, mode));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, address: { ip: '127.0.0.1', port: (server.address() as AddressInfo).port } };
}

async function tcpConnect(address: IpPort): Promise<Socket> {
  const socket = connectTcp({ host: address.ip, port: address.port, noDelay: true, allowHalfOpen: true });
  await once(socket, 'connect');
  return socket;
}

interface Figures {
  readonly mbPerSecond: number;
  readonly rtt: number[];
  readonly open: number[];
}

async function direct(): Promise<Figures> {
  const sink = await tcpServer('sink');
  const echo = await tcpServer('echo');
  const mbPerSecond = await bulk(await tcpConnect(sink.address));
  const socket = await tcpConnect(echo.address);
  await pingPong(socket, 100);
  const rtt = await pingPong(socket, roundTrips);
  socket.destroy();
  // A new connection: connect, then one round trip.
  const open: number[] = [];
  for (let i = 0; i < opens; i++) {
    const start = performance.now();
    const fresh = await tcpConnect(echo.address);
    await pingPong(fresh, 1);
    open.push((performance.now() - start) * 1000);
    fresh.destroy();
  }
  await Promise.all([sink, echo].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  return { mbPerSecond, rtt, open };
}

async function hbone(tuning: Http2Tuning): Promise<Figures> {
  const server = new HboneServer({
    trust,
    tuning,
    certificateFor: () => serverCertificate,
    handler: (request) => serve(request.accept(), request.destination.port === 1 ? 'sink' : 'echo'),
  });
  const hboneAddress = await server.listen({ host: '127.0.0.1', port: 0 });
  const pool = new HbonePool({ trust, tuning, clientCertificate: () => clientCertificate });
  const tunnel = (port: number) => pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.0.0.1', port }, hboneAddress });
  const mbPerSecond = await bulk(await tunnel(1));
  const stream = await tunnel(2);
  await pingPong(stream, 100);
  const rtt = await pingPong(stream, roundTrips);
  // A new tunnel on the pooled connection (kept open by `stream`): CONNECT, 200, one round trip.
  const open: number[] = [];
  for (let i = 0; i < opens; i++) {
    const start = performance.now();
    const fresh = await tunnel(2);
    await pingPong(fresh, 1);
    open.push((performance.now() - start) * 1000);
    // Ended as a relay ends a tunnel (END_STREAM both ways): resetting thousands of
    // streams in a burst trips Node's rapid-reset protection, which closes the connection.
    fresh.end();
    await once(fresh, 'close');
  }
  stream.destroy();
  await pool.close(100);
  await server.close(100);
  return { mbPerSecond, rtt, open };
}

const percentile = (samples: number[], p: number): number => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((samples.length * p) / 100))]!;

const baseline = await direct();
const defaults = await hbone(DEFAULT_HTTP2);
const tuned = await hbone(TUNED_HTTP2);
const smallFrames = await hbone({ ...TUNED_HTTP2, maxFrameBytes: DEFAULT_HTTP2.maxFrameBytes });

console.log(
  `hbone — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, bulk ${bulkBytes / 1024 / 1024} MiB, ${roundTrips} round trips, ${opens} new tunnels`,
);
console.log('| path | bulk MB/s | vs TCP | 100 B RTT p50 µs | p99 µs | added p50 µs | new conn/tunnel + RTT p50 µs | added p50 µs |');
console.log('|---|---|---|---|---|---|---|---|');
const rttBase = percentile(baseline.rtt, 50);
const openBase = percentile(baseline.open, 50);
for (const [name, figures] of [
  ['direct TCP (baseline)', baseline],
  ['HBONE, Node HTTP/2 defaults', defaults],
  ['HBONE, tuned (ztunnel values)', tuned],
  ['HBONE, tuned windows, 16 KiB frames', smallFrames],
] as const) {
  const rtt = percentile(figures.rtt, 50);
  const open = percentile(figures.open, 50);
  console.log(
    `| ${name} | ${figures.mbPerSecond.toFixed(0)} | **${(figures.mbPerSecond / baseline.mbPerSecond).toFixed(2)}×** | ${rtt.toFixed(0)} | ${percentile(figures.rtt, 99).toFixed(0)} | ${(rtt - rttBase).toFixed(0)} | ${open.toFixed(0)} | ${(open - openBase).toFixed(0)} |`,
  );
}
