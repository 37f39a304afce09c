// `ambitctl local up|status`: the embedded default, a whole mesh on one machine.
export { localCommand } from './local-command.js';
