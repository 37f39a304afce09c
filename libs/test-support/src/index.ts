// Helpers for tests that wait on real sockets and processes; every wait is bounded.
export { AsyncQueue } from './async-queue.js';
export { LineQueue } from './line-queue.js';
export { thrown } from './thrown.js';
export { eventually, withTimeout } from './wait.js';
