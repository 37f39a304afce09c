import { watch, type FSWatcher } from 'node:fs';
import { CA_CERT_SECRET_SUFFIX, extractCaCert, extractKeyAndCert, loadConfig, type SecretPayload } from '@ambit/config-model';
import { errorText, type Logger } from '@ambit/telemetry';
import { CredentialError } from './errors.js';

/** A server's TLS material: PEM chain and key, and the CA bundle client certificates are verified against (MUTUAL). */
export interface TlsCredential {
  readonly certificate: string;
  readonly privateKey: string;
  readonly caCertificates: string | undefined;
}

export interface CredentialStoreOptions {
  /** The config directory whose `kind: Secret` objects are the credentials; undefined: there are none. */
  readonly dir: string | undefined;
  readonly log: Logger;
  /** How long changes must settle before the directory is read again (default 200 ms). */
  readonly debounceMs?: number;
}

/** Config files larger than this are not read (a Secret holds at most 1 MiB). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The Secrets a gateway's servers name, as Kubernetes Secrets in local mode: the
 * `kind: Secret` objects of the mesh's config directory (read with the same loader as
 * the control plane), keyed `namespace/name`, with Istio's two layouts (`cert`/`key`/
 * `cacert`, `tls.crt`/`tls.key`/`ca.crt`) and the CA alone in `<name>-cacert`. The
 * directory is watched: a change is read again once it settles, and listeners are told,
 * so that new connections use the new certificate without a restart.
 */
export class CredentialStore {
  readonly #options: CredentialStoreOptions;
  readonly #listeners = new Set<() => void>();
  #secrets: ReadonlyMap<string, SecretPayload> = new Map();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: CredentialStoreOptions) {
    this.#options = options;
  }

  /** Reads the directory, then watches it. */
  async start(): Promise<void> {
    const dir = this.#options.dir;
    if (dir === undefined) return;
    await this.#read();
    if (this.#closed) return;
    this.#watcher = watch(dir, { recursive: true }, () => this.#schedule());
    this.#watcher.on('error', (error) => this.#options.log.warn('watching the config directory failed; credentials are no longer reloaded', { dir, error: errorText(error) }));
  }

  /** The credential `name` of `namespace`; throws CredentialError saying what is missing. */
  get(namespace: string, name: string, needCa: boolean): TlsCredential {
    const shown = `${namespace}/${name}`;
    if (this.#options.dir === undefined) throw new CredentialError(shown, 'the gateway reads no Secrets: start it with --config-dir');
    const secret = this.#secrets.get(shown);
    if (secret === undefined) throw new CredentialError(shown, `no Secret ${shown} in ${this.#options.dir}`);
    const pair = extractKeyAndCert(secret);
    if (!pair.ok) throw new CredentialError(shown, pair.error);
    const own = extractCaCert(secret);
    const separate = this.#secrets.get(`${shown}${CA_CERT_SECRET_SUFFIX}`);
    const ca = own.ok ? own.value : separate === undefined ? undefined : extractCaCert(separate);
    const caCertificates = typeof ca === 'string' ? ca : ca?.ok === true ? ca.value : undefined;
    if (needCa && caCertificates === undefined) throw new CredentialError(shown, `MUTUAL needs a CA bundle: ca.crt (or cacert) in the Secret, or a Secret ${shown}${CA_CERT_SECRET_SUFFIX}`);
    return { certificate: pair.value.certificate, privateKey: pair.value.privateKey, caCertificates };
  }

  /** Called after every reload. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#listeners.clear();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#reading = this.#reading.then(() => this.#read()).then(() => {
        if (!this.#closed) for (const listener of [...this.#listeners]) listener();
      });
    }, this.#options.debounceMs ?? 200);
    this.#timer.unref();
  }

  async #read(): Promise<void> {
    const { dir, log } = this.#options;
    if (dir === undefined) return;
    try {
      const loaded = await loadConfig([dir], { maxFileBytes: MAX_FILE_BYTES });
      const secrets = new Map<string, SecretPayload>();
      for (const resource of loaded.resources) {
        if (resource.kind === 'Secret') secrets.set(`${resource.metadata.namespace}/${resource.metadata.name}`, { data: resource.data, stringData: resource.stringData });
      }
      this.#secrets = secrets;
      log.debug('credentials read', { dir, secrets: secrets.size });
    } catch (error) {
      // The Secrets read last stay in use.
      log.warn('reading the config directory failed; keeping the credentials read before', { dir, error: errorText(error) });
    }
  }
}
