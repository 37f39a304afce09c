import { ClusterNotRootError } from './errors.js';

/**
 * Creating, entering and deleting network namespaces needs root (CAP_SYS_ADMIN and
 * CAP_NET_ADMIN); say so plainly before the first `ip` command fails with EPERM.
 */
export function requireRoot(command: string, uid: number | undefined = process.getuid?.()): void {
  if (uid !== 0) throw new ClusterNotRootError(command);
}
