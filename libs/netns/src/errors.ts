import { AmbitError } from '@ambit/errors';

/**
 * Every way a network-namespace call can fail, one class per failure, codes stable
 * (docs/netns.md lists them). A failed system call keeps the kernel's errno name, so a
 * caller can tell "no such namespace" (ENOENT) from "not allowed" (EPERM) or "that
 * connection was not redirected" (ENOENT/ENOPROTOOPT from SO_ORIGINAL_DST).
 */

/** The native addon is not built or does not load (not Linux, `npm install` skipped scripts). */
export class NetnsAddonError extends AmbitError {
  constructor(path: string, cause: unknown) {
    super('AMBIT_ERR_NETNS_ADDON', `the network-namespace addon ${path} does not load: ${messageOf(cause)}`, {
      hint: 'it is Linux-only and built by `npm install` (node-gyp, needs make and a C compiler): run `npm rebuild @ambit/netns`',
      cause,
    });
  }
}

/** A caller passed an unusable option; raised before any system call. */
export class NetnsOptionError extends AmbitError {
  constructor(option: string, value: unknown, reason: string) {
    super('AMBIT_ERR_NETNS_OPTION', `${option} = ${describeValue(value)} is invalid: ${reason}`);
  }
}

/** A system call failed; `errno` is the kernel's name for why (EPERM, ENOENT, EADDRINUSE, ...). */
export class NetnsSyscallError extends AmbitError {
  readonly errno: string;
  readonly syscall: string;

  constructor(operation: string, syscall: string, errno: string, detail: string, cause?: unknown) {
    super('AMBIT_ERR_NETNS_SYSCALL', `${operation}: ${syscall} failed with ${errno} (${detail})`, { hint: hintFor(syscall, errno), cause });
    this.errno = errno;
    this.syscall = syscall;
  }
}

/** A connection opened from inside a namespace failed or timed out. */
export class NetnsConnectError extends AmbitError {
  constructor(destination: string, netnsPath: string, cause: unknown) {
    super('AMBIT_ERR_NETNS_CONNECT', `cannot connect to ${destination} from the network namespace ${netnsPath}: ${messageOf(cause)}`, {
      hint: 'is the destination reachable from that namespace (routes, listeners, redirect rules)?',
      cause,
    });
  }
}

/** A Node socket or server without a file descriptor (not yet connected/listening, or closed). */
export class NetnsNoFdError extends AmbitError {
  constructor(what: string) {
    super('AMBIT_ERR_NETNS_NO_FD', `${what} has no file descriptor`, {
      hint: 'pass a connected TCP socket or a listening server, before it is closed',
    });
  }
}

function hintFor(syscall: string, errno: string): string | undefined {
  if (errno === 'EPERM' || errno === 'EACCES') return 'entering a network namespace and setting SO_MARK or IP_TRANSPARENT need root (CAP_SYS_ADMIN, CAP_NET_ADMIN)';
  if (syscall.startsWith('open(netns') && errno === 'ENOENT') return 'no such network namespace: check `ip netns list` (named namespaces are /var/run/netns/<name>)';
  if (syscall.includes('ORIGINAL_DST')) return 'the connection was not redirected by an iptables/nftables NAT rule, so the kernel has no original destination for it';
  if (errno === 'EADDRINUSE') return 'another socket in that namespace already listens on this address and port';
  if (errno === 'EADDRNOTAVAIL') return 'the address is not on an interface of that namespace: binding a foreign source address needs transparent: true';
  if (errno === 'EBADF' || errno === 'ENOTSOCK') return 'the file descriptor is not an open socket';
  return undefined;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
