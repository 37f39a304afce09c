// `ambitctl ztunnel-config <section>`: a ztunnel's config dump as istioctl shows it.
export { ztunnelConfigCommand } from './ztunnel-config-command.js';
