// Test-only stand-in for `undici`, aliased in vitest.config.ts for @kubernetes/client-node.
// client-node 2.0.1 depends on undici 8, which needs Node >= 22.19 and crashes while loading on
// Node 20 (missing zlib.createZstdDecompress, webidl.util.markAsUncloneable). Loading a
// kubeconfig (`KubeConfig.loadFromString`) never makes a request, so these throw if ever used.
const unavailable = (name: string) => () => {
  throw new Error(`undici.${name} is stubbed in the renderers tests (no HTTP is made there)`);
};

export class Agent {
  constructor() {
    unavailable("Agent")();
  }
}

export class ProxyAgent {
  constructor() {
    unavailable("ProxyAgent")();
  }
}

export const fetch = unavailable("fetch");
