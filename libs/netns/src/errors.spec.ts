import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { NetnsAddonError, NetnsConnectError, NetnsNoFdError, NetnsOptionError, NetnsSyscallError } from './errors.js';

describe('netns errors', () => {
  it.each([
    [new NetnsAddonError('/x/ambit_netns.node', new Error('cannot open')), 'AMBIT_ERR_NETNS_ADDON', /ambit_netns\.node.*cannot open/],
    [new NetnsOptionError('port', 70_000, 'too big'), 'AMBIT_ERR_NETNS_OPTION', /port = 70000 is invalid: too big/],
    [new NetnsSyscallError('listen', 'bind', 'EADDRINUSE', 'Address already in use'), 'AMBIT_ERR_NETNS_SYSCALL', /listen: bind failed with EADDRINUSE/],
    [new NetnsConnectError('10.0.0.2:80', '/var/run/netns/p', new Error('ECONNREFUSED')), 'AMBIT_ERR_NETNS_CONNECT', /10\.0\.0\.2:80.*\/var\/run\/netns\/p.*ECONNREFUSED/],
    [new NetnsNoFdError('Socket'), 'AMBIT_ERR_NETNS_NO_FD', /Socket has no file descriptor/],
  ])('%s has a stable code and says what failed', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it.each([
    ['setns', 'EPERM', /root/],
    ['open(netns)', 'ENOENT', /ip netns list/],
    ['getsockopt(SO_ORIGINAL_DST)', 'ENOENT', /not redirected/],
    ['bind', 'EADDRNOTAVAIL', /transparent: true/],
  ])('a failed %s with %s carries a hint', (syscall, errno, hint) => {
    const error = new NetnsSyscallError('op', syscall, errno, 'detail');
    expect(error.errno).toBe(errno);
    expect(error.syscall).toBe(syscall);
    expect(error.hint).toMatch(hint);
  });
});
