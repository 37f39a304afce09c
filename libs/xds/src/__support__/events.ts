import diagnostics_channel from 'node:diagnostics_channel';
import { XDS_CHANNELS } from '../channels.js';
import { Signal } from './wait.js';

type ChannelName = (typeof XDS_CHANNELS)[keyof typeof XDS_CHANNELS];

/** Collects what the library publishes on one debug channel, for the duration of a test. */
export class ChannelRecorder<T> {
  readonly events: T[] = [];
  readonly #signal = new Signal();
  readonly #name: ChannelName;
  readonly #listener = (message: unknown): void => {
    this.events.push(message as T);
    this.#signal.notify();
  };

  constructor(name: ChannelName) {
    this.#name = name;
    diagnostics_channel.subscribe(name, this.#listener);
  }

  async waitFor(match: (event: T) => boolean, what: string): Promise<T> {
    await this.#signal.until(() => this.events.some(match), what);
    return this.events.find(match)!;
  }

  stop(): void {
    diagnostics_channel.unsubscribe(this.#name, this.#listener);
  }
}
