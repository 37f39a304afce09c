// The translator stage: the model in, ztunnel's xDS resources (Address, Authorization) out.
export { Translator, translate } from './translator.js';
export type { Recomputed, ResourceDelta, Translated, Translation, TranslationDelta } from './translator.js';
export { TranslationError } from './errors.js';
export { CONVERTED_PEER_AUTHENTICATION_PREFIX, STATIC_STRICT_POLICY_NAME } from './names.js';
