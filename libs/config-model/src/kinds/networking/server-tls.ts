import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report } from '../../schema/object.js';

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

/** A string field counts as set when non-empty, a list when it has items (proto3 semantics). */
const has = (value: string | undefined): boolean => value !== undefined && value !== '';
const hasItems = (value: readonly unknown[] | undefined): boolean => value !== undefined && value.length > 0;

/**
 * The rules Istio's validateTLSOptions applies to ServerTLSSettings (Gateway servers
 * and Sidecar ingress listeners), reported under `path`.
 */
export function checkServerTls(tls: ServerTlsSettings, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const mode = tls.mode ?? 'PASSTHROUGH';
  const at = (field: string): PropertyKey[] => [...path, field];

  if (mode === 'ISTIO_MUTUAL') {
    // Istio supplies the certificates itself; any certificate source is a mistake.
    for (const field of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName'] as const) {
      if (has(tls[field])) report(ctx, IssueCode.Conflict, `ISTIO_MUTUAL TLS cannot have ${field}`, { path: at(field), hint: 'Istio provides the workload certificates in ISTIO_MUTUAL mode' });
    }
    for (const field of ['tlsCertificates', 'credentialNames'] as const) {
      if (hasItems(tls[field])) report(ctx, IssueCode.Conflict, `ISTIO_MUTUAL TLS cannot have ${field}`, { path: at(field), hint: 'Istio provides the workload certificates in ISTIO_MUTUAL mode' });
    }
    return;
  }

  const sources: string[] = [];
  if (has(tls.serverCertificate) && has(tls.privateKey)) sources.push('serverCertificate');
  if (has(tls.credentialName)) sources.push('credentialName');
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
  if (terminates && (has(tls.credentialName) || hasItems(tls.credentialNames))) return;

  if (terminates) {
    const label = mode === 'SIMPLE' ? 'SIMPLE TLS' : `${mode} TLS`;
    if (mode !== 'SIMPLE' && !has(tls.caCertificates)) {
      report(ctx, IssueCode.Required, `${label} requires caCertificates (the client CA bundle)`, {
        path: at('mode'),
        hint: 'set caCertificates, or use credentialName to read the CA from a secret',
      });
    }
    const hint = 'set credentialName, or serverCertificate and privateKey, or tlsCertificates';
    const certs = tls.tlsCertificates;
    if (certs !== undefined && certs.length > 0) {
      certs.forEach((cert, i) => {
        if (!has(cert.serverCertificate)) report(ctx, IssueCode.Required, `${label} requires serverCertificate`, { path: [...at('tlsCertificates'), i] });
        if (!has(cert.privateKey)) report(ctx, IssueCode.Required, `${label} requires privateKey`, { path: [...at('tlsCertificates'), i] });
      });
    } else {
      if (!has(tls.serverCertificate)) report(ctx, IssueCode.Required, `${label} requires serverCertificate`, { path: at('mode'), hint });
      if (!has(tls.privateKey)) report(ctx, IssueCode.Required, `${label} requires privateKey`, { path: at('mode'), hint });
    }
  }

  if (has(tls.caCrl)) {
    if (has(tls.credentialName)) {
      report(ctx, IssueCode.Conflict, 'caCrl is not supported with credentialName', { path: at('caCrl'), hint: 'put the CRL in the credential secret instead' });
    }
    if (mode === 'SIMPLE') report(ctx, IssueCode.Conflict, 'caCrl is not supported with SIMPLE TLS', { path: at('caCrl'), hint: 'a CRL checks client certificates: use MUTUAL or OPTIONAL_MUTUAL' });
  }
}
