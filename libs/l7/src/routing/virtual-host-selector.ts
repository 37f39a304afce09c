/**
 * Picks the virtual host for a request's host as Envoy does: an exact domain first,
 * then the longest matching `*suffix` wildcard, then `*`. The first virtual host that
 * lists a domain keeps it (the control plane does not emit duplicates).
 */
export class VirtualHostSelector<T> {
  readonly #exact = new Map<string, T>();
  /** Longest suffix first. */
  readonly #suffixes: { readonly suffix: string; readonly value: T }[] = [];
  #any: T | undefined;

  constructor(hosts: readonly { readonly domains: readonly string[]; readonly value: T }[]) {
    for (const { domains, value } of hosts) {
      for (const raw of domains) {
        const domain = raw.toLowerCase();
        if (domain === '*') this.#any ??= value;
        else if (domain.startsWith('*')) {
          if (!this.#suffixes.some((s) => s.suffix === domain.slice(1))) this.#suffixes.push({ suffix: domain.slice(1), value });
        } else if (!this.#exact.has(domain)) this.#exact.set(domain, value);
      }
    }
    this.#suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
  }

  /** `host` is lower case without port. */
  select(host: string): T | undefined {
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    // The wildcard stands for at least one character, as in Envoy.
    for (const { suffix, value } of this.#suffixes) if (host.length > suffix.length && host.endsWith(suffix)) return value;
    return this.#any;
  }
}
