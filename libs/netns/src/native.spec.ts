import { openSync, closeSync, readlinkSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thrown } from '@ambit/test-support';
import { IPTABLES_UNAVAILABLE, NETNS_UNAVAILABLE, TestNetns } from './__support__/test-netns.js';
import { connectInNetns } from './connect.js';
import { NetnsConnectError, NetnsNoFdError, NetnsOptionError, NetnsSyscallError } from './errors.js';
import { getMark, listenInNetns, loadNetnsAddon, namedNetnsPath, originalDestination, setMark, socketInNetns } from './native.js';
import { listenServerInNetns } from './server.js';
import { socketFd } from './socket-fd.js';

const threadNetns = (): string => readlinkSync('/proc/thread-self/ns/net');

/** A server that ends each connection with the original destination it read from the socket. */
function originalDestinationServer(): Server {
  return createServer((socket) => {
    const { ip, port } = originalDestination(socketFd(socket));
    socket.end(`${ip} ${port}`);
  });
}

async function readAll(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('the netns addon, without privileges', () => {
  it('builds and loads', () => {
    expect(() => loadNetnsAddon()).not.toThrow();
  });

  it.each([
    ['netnsPath', () => listenInNetns('relative/ns', { ip: '127.0.0.1', port: 0 })],
    ['ip', () => listenInNetns('/var/run/netns/x', { ip: 'localhost', port: 0 })],
    ['port', () => listenInNetns('/var/run/netns/x', { ip: '127.0.0.1', port: 65_536 })],
    ['backlog', () => listenInNetns('/var/run/netns/x', { ip: '127.0.0.1', port: 0, backlog: 0 })],
    ['transparent', () => listenInNetns('/var/run/netns/x', { ip: '127.0.0.1', port: 0, transparent: 'yes' as unknown as boolean })],
    ['bindIp', () => socketInNetns('/var/run/netns/x', { family: 4, bindIp: '::1' })],
    ['bindPort', () => socketInNetns('/var/run/netns/x', { bindPort: 80 })],
    ['mark', () => socketInNetns('/var/run/netns/x', { mark: -1 })],
    ['mark', () => setMark(0, 2 ** 32)],
    ['fd', () => originalDestination(1.5)],
    ['name', () => namedNetnsPath('../etc')],
    ['host', () => connectInNetns('/var/run/netns/x', { host: 'example.com', port: 80 })],
  ])('refuses a bad %s before any system call', (option, call) => {
    expect(thrown(NetnsOptionError, call).message).toMatch(new RegExp(`^${option} = `));
  });

  it('names the errno and the system call that failed, and stays in its namespace', () => {
    const before = threadNetns();
    const error = thrown(NetnsSyscallError, () => listenInNetns('/nonexistent/netns', { ip: '127.0.0.1', port: 0 }));
    expect(error).toMatchObject({ errno: 'ENOENT', syscall: 'open(netns)', code: 'AMBIT_ERR_NETNS_SYSCALL' });
    expect(threadNetns()).toBe(before);
  });

  it('reports ENOTSOCK for an original-destination lookup on a file', () => {
    const fd = openSync('/dev/null', 'r');
    try {
      expect(thrown(NetnsSyscallError, () => originalDestination(fd))).toMatchObject({ errno: 'ENOTSOCK', syscall: 'getsockname' });
    } finally {
      closeSync(fd);
    }
  });

  it('reads no mark from an ordinary socket, and needs a socket with a descriptor', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(getMark(socketFd(server))).toBe(0);
      expect(thrown(NetnsNoFdError, () => socketFd(new Socket())).message).toMatch(/no file descriptor/);
    } finally {
      await close(server);
    }
  });
});

describe.skipIf(NETNS_UNAVAILABLE !== undefined)(`the netns addon in network namespaces (${NETNS_UNAVAILABLE ?? 'root'})`, () => {
  let pod: TestNetns;
  let other: TestNetns;

  beforeAll(() => {
    pod = TestNetns.create('pod');
    other = TestNetns.create('other');
  });
  afterAll(() => {
    pod?.remove();
    other?.remove();
  });

  it('listens inside a namespace: reachable there, not from another namespace, and returns to its own', async () => {
    const before = threadNetns();
    const server = createServer((socket) => socket.end('hello from the pod'));
    const address = await listenServerInNetns(server, pod.path, { ip: '127.0.0.1', port: 0 });
    try {
      expect(threadNetns()).toBe(before);
      expect(address.ip).toBe('127.0.0.1');
      const inside = await connectInNetns(pod.path, { host: '127.0.0.1', port: address.port });
      expect(await readAll(inside)).toBe('hello from the pod');
      const error = await connectInNetns(other.path, { host: '127.0.0.1', port: address.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetnsConnectError);
      expect((error as NetnsConnectError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await close(server);
    }
  });

  it('returns to its own namespace when a call fails inside another', async () => {
    const before = threadNetns();
    const server = createServer();
    const { port } = await listenServerInNetns(server, pod.path, { ip: '127.0.0.1', port: 0 });
    try {
      expect(thrown(NetnsSyscallError, () => listenInNetns(pod.path, { ip: '127.0.0.1', port }))).toMatchObject({ errno: 'EADDRINUSE', syscall: 'bind' });
      expect(threadNetns()).toBe(before);
    } finally {
      await close(server);
    }
  });

  it('sets SO_MARK and reads it back', async () => {
    const fd = socketInNetns(pod.path, { mark: 0x539 });
    const socket = new Socket({ fd });
    try {
      expect(getMark(fd)).toBe(0x539);
      setMark(fd, 0xffff_ffff);
      expect(getMark(fd)).toBe(0xffff_ffff);
    } finally {
      socket.destroy();
    }
  });

  it('binds a foreign source address only with IP_TRANSPARENT', () => {
    expect(thrown(NetnsSyscallError, () => socketInNetns(pod.path, { bindIp: '10.9.9.9' }))).toMatchObject({ errno: 'EADDRNOTAVAIL', syscall: 'bind' });
    closeSync(socketInNetns(pod.path, { bindIp: '10.9.9.9', transparent: true }));
    closeSync(listenInNetns(pod.path, { ip: '10.9.9.9', port: 15_001, transparent: true }));
  });

  describe.skipIf(IPTABLES_UNAVAILABLE !== undefined)(`behind redirect rules (${IPTABLES_UNAVAILABLE ?? 'iptables'})`, () => {
    const REDIRECTED_PORT = 9999;
    const EXEMPT_MARK = '0x539';
    let ipv4: Server;
    let ipv6: Server;

    beforeAll(async () => {
      ipv4 = originalDestinationServer();
      ipv6 = originalDestinationServer();
      const { port } = await listenServerInNetns(ipv4, pod.path, { ip: '0.0.0.0', port: 0 });
      await listenServerInNetns(ipv6, pod.path, { ip: '::', port });
      // As istio-cni does in a pod: send outbound TCP to the proxy, except the proxy's own marked traffic.
      for (const iptables of ['iptables', 'ip6tables']) {
        pod.exec(iptables, ['-t', 'nat', '-A', 'OUTPUT', '-p', 'tcp', '--dport', String(REDIRECTED_PORT), '-m', 'mark', '!', '--mark', EXEMPT_MARK, '-j', 'REDIRECT', '--to-ports', String(port)]);
      }
    });
    afterAll(async () => {
      await Promise.all([ipv4 && close(ipv4), ipv6 && close(ipv6)]);
    });

    it.each([['127.0.0.1'], ['::1']])('reads the pre-redirect destination %s:9999 of a redirected connection', async (host) => {
      const socket = await connectInNetns(pod.path, { host, port: REDIRECTED_PORT });
      expect(await readAll(socket)).toBe(`${host} ${REDIRECTED_PORT}`);
    });

    it('leaves marked traffic alone: it reaches the real destination', async () => {
      const error = await connectInNetns(pod.path, { host: '127.0.0.1', port: REDIRECTED_PORT, mark: Number(EXEMPT_MARK) }).catch((e: unknown) => e);
      expect((error as NetnsConnectError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    });
  });
});
