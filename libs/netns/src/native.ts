import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { NetnsAddonError, NetnsOptionError, NetnsSyscallError } from './errors.js';

/**
 * The one module that touches the native addon (native/ambit_netns.c, built by
 * node-gyp during `npm install`). It validates every argument before the addon sees
 * it, and turns the addon's errno errors into NetnsSyscallError. The addon is loaded on
 * first use, so that importing this library costs nothing where it is never called
 * (local mode without root, or not Linux).
 */

/** An IP literal and a port. */
export interface SocketAddress {
  readonly ip: string;
  readonly port: number;
}

export interface ListenInNetnsOptions {
  /** The local address: an IPv4 or IPv6 literal ("0.0.0.0", "::", a pod IP). An IPv6 listener is IPv6-only. */
  readonly ip: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** IP_TRANSPARENT: accept connections for addresses that are not local (TPROXY-style capture). */
  readonly transparent?: boolean;
  /** listen(2) backlog; Node's own default. */
  readonly backlog?: number;
}

export interface SocketInNetnsOptions {
  /** 4 or 6; defaults to the family of bindIp, else 4. */
  readonly family?: 4 | 6;
  /** SO_MARK (uint32), so that redirect rules matching the mark leave this socket's traffic alone. */
  readonly mark?: number;
  /** IP_TRANSPARENT: allows binding a source address that is not local (keeping the original client IP). */
  readonly transparent?: boolean;
  /** The source address to bind; absent: the kernel picks as for any outbound connection. */
  readonly bindIp?: string;
  /** The source port; 0 (default) lets connect() pick one. */
  readonly bindPort?: number;
}

interface Addon {
  listenInNetns(path: string, ip: string, port: number, backlog: number, transparent: boolean): number;
  socketInNetns(path: string, family: number, mark: number, transparent: boolean, bindIp: string | null, bindPort: number): number;
  originalDst(fd: number): [string, number];
  setMark(fd: number, mark: number): void;
  getMark(fd: number): number;
}

/** Where node-gyp puts the addon; the same relative path from src/ and dist/. */
const ADDON_PATH = fileURLToPath(new URL('../build/Release/ambit_netns.node', import.meta.url));
/** Node's default listen backlog. */
const DEFAULT_BACKLOG = 511;
const MAX_PATH_LENGTH = 4095;
const NAMED_NETNS_DIR = '/var/run/netns';

let loaded: Addon | undefined;

/** Loads the addon now (it is otherwise loaded on first use); throws NetnsAddonError when it cannot. */
export function loadNetnsAddon(): void {
  addon();
}

/** The path of a namespace created with `ip netns add <name>`. */
export function namedNetnsPath(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
    throw new NetnsOptionError('name', name, 'a network namespace name is a non-empty file name (no "/")');
  }
  return `${NAMED_NETNS_DIR}/${name}`;
}

/**
 * A listening TCP socket created inside the network namespace at `netnsPath` (setns
 * there, socket/bind/listen, setns back), as a file descriptor for
 * `net.Server.listen({ fd })`. The caller owns it: close it if it is not handed to a server.
 */
export function listenInNetns(netnsPath: string, options: ListenInNetnsOptions): number {
  checkPath(netnsPath);
  checkIp('ip', options.ip);
  checkPort('port', options.port);
  const backlog = options.backlog ?? DEFAULT_BACKLOG;
  checkInteger('backlog', backlog, 1, 65_535);
  const transparent = checkFlag('transparent', options.transparent);
  return call(`listen on ${format(options.ip, options.port)} in ${netnsPath}`, (a) => a.listenInNetns(netnsPath, options.ip, options.port, backlog, transparent));
}

/**
 * An unconnected TCP socket created inside the network namespace at `netnsPath`, with
 * SO_MARK, IP_TRANSPARENT and a source address applied, as a file descriptor for
 * `new net.Socket({ fd })` followed by `connect()`. The caller owns it.
 */
export function socketInNetns(netnsPath: string, options: SocketInNetnsOptions = {}): number {
  checkPath(netnsPath);
  if (options.bindIp !== undefined) checkIp('bindIp', options.bindIp);
  const family = options.family ?? (options.bindIp === undefined ? 4 : (isIP(options.bindIp) as 4 | 6));
  if (family !== 4 && family !== 6) throw new NetnsOptionError('family', family, 'must be 4 or 6');
  if (options.bindIp !== undefined && isIP(options.bindIp) !== family) {
    throw new NetnsOptionError('bindIp', options.bindIp, `is not an IPv${family} address`);
  }
  const bindPort = options.bindPort ?? 0;
  checkPort('bindPort', bindPort);
  if (options.bindPort !== undefined && options.bindIp === undefined) throw new NetnsOptionError('bindPort', bindPort, 'needs bindIp');
  if (options.mark !== undefined) checkMark(options.mark);
  const transparent = checkFlag('transparent', options.transparent);
  return call(`create an IPv${family} socket in ${netnsPath}`, (a) =>
    a.socketInNetns(netnsPath, family, options.mark ?? -1, transparent, options.bindIp ?? null, bindPort),
  );
}

/**
 * Where the client of an accepted connection meant to connect before a REDIRECT or
 * DNAT rule sent it to this listener (SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST).
 */
export function originalDestination(fd: number): SocketAddress {
  checkFd(fd);
  const [ip, port] = call(`read the original destination of fd ${fd}`, (a) => a.originalDst(fd));
  return { ip, port };
}

/** Sets SO_MARK on a socket (needs CAP_NET_ADMIN). */
export function setMark(fd: number, mark: number): void {
  checkFd(fd);
  checkMark(mark);
  call(`set mark ${mark} on fd ${fd}`, (a) => a.setMark(fd, mark));
}

/** Reads SO_MARK of a socket (0 when none was set). */
export function getMark(fd: number): number {
  checkFd(fd);
  return call(`read the mark of fd ${fd}`, (a) => a.getMark(fd));
}

function addon(): Addon {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(ADDON_PATH) as Addon;
    } catch (error) {
      throw new NetnsAddonError(ADDON_PATH, error);
    }
  }
  return loaded;
}

/** Runs one addon call; an errno error from it becomes a NetnsSyscallError. */
function call<T>(operation: string, run: (a: Addon) => T): T {
  const a = addon();
  try {
    return run(a);
  } catch (error) {
    if (isErrnoError(error)) throw new NetnsSyscallError(operation, error.syscall, error.code, error.message.replace(/^.* failed: /, ''), error);
    throw error;
  }
}

function isErrnoError(error: unknown): error is Error & { code: string; syscall: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { syscall?: unknown }).syscall === 'string';
}

function checkPath(path: unknown): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_PATH_LENGTH || path.includes('\0')) {
    throw new NetnsOptionError('netnsPath', path, 'must be an absolute path such as /var/run/netns/<name> or /proc/<pid>/ns/net');
  }
}

function checkIp(option: string, ip: unknown): void {
  if (typeof ip !== 'string' || isIP(ip) === 0) throw new NetnsOptionError(option, ip, 'must be an IPv4 or IPv6 literal');
}

function checkPort(option: string, port: unknown): void {
  checkInteger(option, port, 0, 65_535);
}

function checkMark(mark: unknown): void {
  checkInteger('mark', mark, 0, 0xffff_ffff);
}

function checkFd(fd: unknown): void {
  checkInteger('fd', fd, 0, 0x7fff_ffff);
}

function checkInteger(option: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new NetnsOptionError(option, value, `must be an integer from ${min} to ${max}`);
  }
}

function checkFlag(option: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new NetnsOptionError(option, value, 'must be true or false');
  return value === true;
}

function format(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}
