// The TLS credentials Gateway servers name (credentialName), from Secrets, reloaded when they change.
export { CredentialStore } from './credential-store.js';
export type { CredentialStoreOptions, TlsCredential } from './credential-store.js';
export { CredentialError } from './errors.js';
