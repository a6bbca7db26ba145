// The CAs as Kubernetes Secrets and ConfigMaps (kubepki export --secrets): text only, yaml.
export { renderCaSecrets } from "@kubepki/renderers";
