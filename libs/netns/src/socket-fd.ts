import type { Server, Socket } from 'node:net';
import { NetnsNoFdError } from './errors.js';

/**
 * The file descriptor under a Node TCP socket or server, for the calls that take one
 * (originalDestination, setMark). Node has no public API for it; `_handle.fd` is what
 * libuv exposes on Linux, so this is the one place that reaches for it.
 */
export function socketFd(socket: Socket | Server): number {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new NetnsNoFdError(socket.constructor.name);
  return fd;
}
