import { describe, expect, it } from "vitest";
import { redactSecrets } from "../src/index.js";

// Real key material: the base64 body of a PEM key, and the same in a kubeconfig field.
const KEY_LINE = "MHcCAQEEIBkg4LVWM9nuwNSk3yG9ZbBzH5Ij0qFpIRHCF3m7cKvOoAoGCCqGSM49";
const KEY_DATA = "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJrZzRMVldNOW51";

describe("redactSecrets", () => {
  it("removes long base64 runs, credential fields and private key blocks", () => {
    expect(redactSecrets(`Unresolved alias: ${KEY_DATA}`)).toBe("Unresolved alias: [redacted]");
    expect(redactSecrets(`line 3: client-key-data: *${KEY_DATA}:`)).toBe("line 3: client-key-data: [redacted]");
    expect(redactSecrets(`token: abc`)).toBe("token: [redacted]");
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${KEY_LINE}\n-----END EC PRIVATE KEY-----`;
    expect(redactSecrets(`bad: ${pem}`)).toBe("bad: -----BEGIN EC PRIVATE KEY----- [redacted]");
    expect(redactSecrets(`at ${KEY_LINE}/x+y`)).toBe("at [redacted]");
  });

  it("keeps paths, even with a random mixed-case part (mkdtemp), and plain words", () => {
    for (const path of [
      "/tmp/kubepki-cli-3azHpd/empty-check-expiration",
      "/tmp/kubepki-cli-3w2W5A/force-through/.kubepki-txn/pki/apiserver.crt",
      "/home/user/clusters/prod_eu-West2/pki/etcd/healthcheck-client.key",
    ]) {
      expect(redactSecrets(`cannot write ${path}: no space left on device (ENOSPC)`)).toBe(
        `cannot write ${path}: no space left on device (ENOSPC)`,
      );
    }
    expect(redactSecrets("system:node:worker-1 is not in group system:nodes")).toBe(
      "system:node:worker-1 is not in group system:nodes",
    );
  });
});
