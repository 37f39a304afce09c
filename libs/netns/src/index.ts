// The native calls, validated and typed (the only module that loads the addon).
export { getMark, listenInNetns, loadNetnsAddon, namedNetnsPath, originalDestination, setMark, socketInNetns } from './native.js';
export type { ListenInNetnsOptions, SocketAddress, SocketInNetnsOptions } from './native.js';
// Node sockets and servers on top of them.
export { connectInNetns } from './connect.js';
export type { ConnectInNetnsOptions } from './connect.js';
export { listenServerInNetns } from './server.js';
export { socketFd } from './socket-fd.js';
export { NetnsAddonError, NetnsConnectError, NetnsNoFdError, NetnsOptionError, NetnsSyscallError } from './errors.js';
