import { HttpEndpoint, type HostPort, type HttpHandler } from '@ambit/process';
import type { Logger } from '@ambit/telemetry';
import { StageClosedError, type Runner } from '../runner.js';
import { AdminListenError } from './errors.js';

export interface AdminStageOptions {
  readonly address: HostPort;
  readonly routes: ReadonlyMap<string, HttpHandler>;
  readonly log: Logger;
}

/**
 * The admin HTTP endpoints as a stage of the control plane: a read-only HttpEndpoint
 * (GET only, known paths only) whose answers are computed when asked from the other
 * stages' read-only views, so this stage holds no state of its own but its socket.
 */
export class AdminStage implements Runner {
  readonly name = 'admin';
  readonly #endpoint: HttpEndpoint;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: AdminStageOptions) {
    this.#endpoint = new HttpEndpoint({ ...options, name: this.name, program: 'control plane', listenError: (address, cause) => new AdminListenError(address, cause) });
  }

  /** The bound address (the real port when 0 was asked); undefined until listening. */
  get address(): HostPort | undefined {
    return this.#endpoint.address;
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#endpoint.listen();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    await this.#endpoint.close();
  }
}
