// L7 authorization of a proxy's requests (Authorization resources → libs/authz → the engine's authorize hook).
export { ProxyAuthorization } from './proxy-authorization.js';
export { AuthorizationRejectedError } from './errors.js';
