// `ambitctl local up|status`: the embedded default, a whole mesh on one machine.
export { localCommand } from './local-command.js';
export { DEFAULT_STATE_DIR } from './options.js';
export { isAlive, readState } from './state-file.js';
