import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { isSet, obj, report, warn } from '../../schema/object.js';

export const SERVER_TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'] as const;
export const TLS_PROTOCOL_VERSIONS = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'] as const;

/** ServerTLSSettings.TLSCertificate: one certificate and key, by file path. */
const tlsCertificate = () =>
  obj({
    serverCertificate: z.string().optional(),
    privateKey: z.string().optional(),
    caCertificates: z.string().optional(),
  });

/**
 * networking ServerTLSSettings, used by Gateway servers and Sidecar ingress listeners.
 * `mode` defaults to PASSTHROUGH when left out, as in Istio. Field-level shape only;
 * the rules across fields are in `checkServerTls` (Gateway and Sidecar apply it with
 * their own extra rules).
 */
export const serverTlsSettings = () =>
  obj({
    httpsRedirect: z.boolean().optional(),
    mode: z.enum(SERVER_TLS_MODES).optional(),
    serverCertificate: z.string().optional(),
    privateKey: z.string().optional(),
    caCertificates: z.string().optional(),
    caCertCredentialName: z.string().optional(),
    credentialName: z.string().optional(),
    credentialNames: z.array(z.string()).min(1).max(2).optional(),
    tlsCertificates: z.array(tlsCertificate()).min(1).max(2).optional(),
    subjectAltNames: z.array(z.string()).optional(),
    verifyCertificateSpki: z.array(z.string()).optional(),
    verifyCertificateHash: z.array(z.string()).optional(),
    minProtocolVersion: z.enum(TLS_PROTOCOL_VERSIONS).optional(),
    maxProtocolVersion: z.enum(TLS_PROTOCOL_VERSIONS).optional(),
    cipherSuites: z.array(z.string()).optional(),
    caCrl: z.string().optional(),
  });

export type ServerTlsSettings = z.output<ReturnType<typeof serverTlsSettings>>;

/** A list counts as set when it has items (proto3 semantics, as isSet for strings). */
const hasItems = (value: readonly unknown[] | undefined): boolean => value !== undefined && value.length > 0;

/**
 * The cipher suites Envoy (BoringSSL) knows, by their OpenSSL names: Istio's
 * ValidCipherSuites (`bssl ciphers -openssl-name ALL`, without PSK suites).
 */
const CIPHER_SUITES: ReadonlySet<string> = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
]);

/**
 * Istio's IsValidCipherSuite: a known suite, `ALL`, or an OpenSSL cipher-list
 * expression (starting with an operator such as `-` or `+`), which Istio does not parse.
 */
function isValidCipherSuite(suite: string): boolean {
  return suite === '' || suite === 'ALL' || !/^[\p{L}\p{N}]/u.test(suite) || CIPHER_SUITES.has(suite);
}

/**
 * What Istio's validateTLSOptions accepts but warns about: cipher suites Envoy ignores
 * (unknown or repeated), a minimum version below TLS 1.2 without the ciphers it needs,
 * and certificates in a mode that does not use them.
 */
function warnServerTls(tls: ServerTlsSettings, ctx: z.RefinementCtx, at: (...field: PropertyKey[]) => PropertyKey[]): void {
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && (tls.cipherSuites ?? []).length === 0) {
    warn(ctx, IssueCode.Value, `minProtocolVersion ${tls.minProtocolVersion} needs cipherSuites: the default ciphers no longer include ones TLS versions below TLSV1_2 can use`, {
      path: at('minProtocolVersion'),
      hint: 'list compatible cipherSuites, or use TLSV1_2',
    });
  }
  const seen = new Set<string>();
  (tls.cipherSuites ?? []).forEach((suite, i) => {
    if (!isValidCipherSuite(suite)) {
      warn(ctx, IssueCode.Value, `ignoring invalid cipher suite "${suite}"`, { path: at('cipherSuites', i), hint: 'use an OpenSSL cipher name Envoy supports, such as ECDHE-RSA-AES128-GCM-SHA256' });
    } else if (seen.has(suite)) {
      warn(ctx, IssueCode.Value, `ignoring duplicate cipher suite "${suite}"`, { path: at('cipherSuites', i) });
    }
    seen.add(suite);
  });
  const mode = tls.mode ?? 'PASSTHROUGH';
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const certificates = (['serverCertificate', 'privateKey', 'caCertificates', 'credentialName', 'caCrl'] as const).filter((f) => isSet(tls[f]));
    if (certificates.length > 0) {
      warn(ctx, IssueCode.Value, `${mode} mode does not use certificates, they will be ignored (${certificates.join(', ')})`, {
        path: at(certificates[0]!),
        hint: 'remove the certificates, or use a mode that terminates TLS (SIMPLE, MUTUAL)',
      });
    }
  }
}

/**
 * The rules Istio's validateTLSOptions applies to ServerTLSSettings (Gateway servers
 * and Sidecar ingress listeners), reported under `path`.
 */
export function checkServerTls(tls: ServerTlsSettings, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const mode = tls.mode ?? 'PASSTHROUGH';
  const at = (...field: PropertyKey[]): PropertyKey[] => [...path, ...field];
  warnServerTls(tls, ctx, at);

  if (mode === 'ISTIO_MUTUAL') {
    // Istio supplies the certificates itself; any certificate source is a mistake.
    for (const field of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName'] as const) {
      if (isSet(tls[field])) report(ctx, IssueCode.Conflict, `ISTIO_MUTUAL TLS cannot have ${field}`, { path: at(field), hint: 'Istio provides the workload certificates in ISTIO_MUTUAL mode' });
    }
    for (const field of ['tlsCertificates', 'credentialNames'] as const) {
      if (hasItems(tls[field])) report(ctx, IssueCode.Conflict, `ISTIO_MUTUAL TLS cannot have ${field}`, { path: at(field), hint: 'Istio provides the workload certificates in ISTIO_MUTUAL mode' });
    }
    return;
  }

  const sources: string[] = [];
  if (isSet(tls.serverCertificate) && isSet(tls.privateKey)) sources.push('serverCertificate');
  if (isSet(tls.credentialName)) sources.push('credentialName');
  if (hasItems(tls.credentialNames)) sources.push('credentialNames');
  if (hasItems(tls.tlsCertificates)) sources.push('tlsCertificates');
  if (sources.length > 1) {
    const label = (s: string) => (s === 'serverCertificate' ? 'serverCertificate/privateKey' : s);
    report(ctx, IssueCode.Conflict, `only one certificate source may be set, found ${sources.map(label).join(' and ')}`, {
      path: at(sources[1]!),
      hint: 'use one of credentialName, credentialNames, serverCertificate/privateKey or tlsCertificates',
    });
  }

  const terminates = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  // With a credential name the proxy fetches certificates (and the CA) from the secret.
  if (terminates && (isSet(tls.credentialName) || hasItems(tls.credentialNames))) return;

  if (terminates) {
    const label = mode === 'SIMPLE' ? 'SIMPLE TLS' : `${mode} TLS`;
    if (mode !== 'SIMPLE' && !isSet(tls.caCertificates)) {
      report(ctx, IssueCode.Required, `${label} requires caCertificates (the client CA bundle)`, {
        path: at('mode'),
        hint: 'set caCertificates, or use credentialName to read the CA from a secret',
      });
    }
    const hint = 'set credentialName, or serverCertificate and privateKey, or tlsCertificates';
    const certs = tls.tlsCertificates;
    if (certs !== undefined && certs.length > 0) {
      certs.forEach((cert, i) => {
        if (!isSet(cert.serverCertificate)) report(ctx, IssueCode.Required, `${label} requires serverCertificate`, { path: at('tlsCertificates', i) });
        if (!isSet(cert.privateKey)) report(ctx, IssueCode.Required, `${label} requires privateKey`, { path: at('tlsCertificates', i) });
      });
    } else {
      if (!isSet(tls.serverCertificate)) report(ctx, IssueCode.Required, `${label} requires serverCertificate`, { path: at('mode'), hint });
      if (!isSet(tls.privateKey)) report(ctx, IssueCode.Required, `${label} requires privateKey`, { path: at('mode'), hint });
    }
  }

  if (isSet(tls.caCrl)) {
    if (isSet(tls.credentialName)) {
      report(ctx, IssueCode.Conflict, 'caCrl is not supported with credentialName', { path: at('caCrl'), hint: 'put the CRL in the credential secret instead' });
    }
    if (mode === 'SIMPLE') report(ctx, IssueCode.Conflict, 'caCrl is not supported with SIMPLE TLS', { path: at('caCrl'), hint: 'a CRL checks client certificates: use MUTUAL or OPTIONAL_MUTUAL' });
  }
}
