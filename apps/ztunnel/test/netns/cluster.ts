import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectInNetns, listenServerInNetns } from '@ambit/netns';

/**
 * The cluster of network namespaces the capture tests run on, built by the
 * netns-cluster binary (apps/ztunnel may not import tools; it runs the tool as an
 * operator would), and the pods' applications: servers listening inside a pod's
 * namespace and clients connecting from inside one, as processes in the pod would.
 */
const CLUSTER_BIN = fileURLToPath(new URL('../../../../tools/netns-cluster/bin/netns-cluster.mjs', import.meta.url));

export function clusterCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [CLUSTER_BIN, ...args], { timeout: 60_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) =>
      error === null ? resolve(stdout) : reject(new Error(`netns-cluster ${args.join(' ')}: ${stderr || error.message}`)),
    ),
  );
}

export function podNetnsPath(cluster: string, namespace: string, pod: string): string {
  return `/var/run/netns/amb-${cluster}-p-${namespace}.${pod}`;
}

/** Runs a command inside a named namespace (`ip netns exec`), returning its output. */
export function inNetns(netnsName: string, command: readonly string[]): string {
  return execFileSync('ip', ['netns', 'exec', netnsName, ...command], { encoding: 'utf8', timeout: 10_000 });
}

/** An application in a pod: answers every connection with `<name> saw <peer address>` and closes. */
export async function peerReporter(netnsPath: string, name: string, ip: string, port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(`${name} saw ${socket.remoteAddress}\n`);
  });
  await listenServerInNetns(server, netnsPath, { ip, port });
  return server;
}

/**
 * A client in a pod: connects from inside its namespace (no mark: the pod's own
 * traffic, subject to its redirect rules) and reads the whole answer. Rejects with
 * the socket error (ECONNRESET for a refused plaintext client, whether the reset
 * comes before or after Node saw the connection up).
 */
export async function fetchFrom(netnsPath: string, host: string, port: number): Promise<string> {
  let socket: Socket;
  try {
    socket = await connectInNetns(netnsPath, { host, port, timeoutMs: 5_000 });
  } catch (error) {
    throw (error as Error).cause ?? error;
  }
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within 5 s`));
    }, 5_000);
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text.trim());
    });
  });
}
