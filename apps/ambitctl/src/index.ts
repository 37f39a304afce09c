export { runCli } from './program.js';
export { main } from './main.js';
export { ExitCode } from './io.js';
export type { CliIo } from './io.js';
