/**
 * The page's pure pieces, in Node: the form as a ClusterConfig (a node line that is not name=IP
 * refused at its field), errors mapped to their inputs, picked files as a tree, the zip's folders.
 */
import { isKubepkiError, type KubepkiError } from "@kubepki/core/names";
import { resolveClusterConfig } from "@kubepki/k8s-profiles";
import { describe, expect, it } from "vitest";
import { treeFromPicked } from "../src/audit-input.js";
import { configFromForm, configFromYaml, controlForField } from "../src/config-input.js";
import { FORM_FIELDS, type FormValues } from "../src/fields.js";
import { withDirectories } from "../src/generate.js";

const defaults = Object.fromEntries(FORM_FIELDS.map((field) => [field.name, field.value])) as unknown as FormValues;

/** The error `fn` throws, or a failure when it throws none. */
function thrown(fn: () => unknown): KubepkiError {
  try {
    fn();
  } catch (error) {
    if (isKubepkiError(error)) return error as KubepkiError;
    throw error;
  }
  throw new Error("expected a KubepkiError");
}

describe("the form as a cluster config", () => {
  it("the defaults resolve: one control plane, one worker, RSA-2048, kubeadm's validity", () => {
    const config = resolveClusterConfig(configFromForm(defaults));
    expect(config.nodes.map((node) => `${node.role}:${node.name}=${node.advertiseAddress}`)).toEqual([
      "control-plane:cp-1=192.168.10.10",
      "worker:worker-1=192.168.10.21",
    ]);
    expect(config.keyAlgorithm).toBe("RSA-2048");
    expect(config.validity).toEqual({ caDays: 3650, leafDays: 365 });
  });

  it("a worker line that is not name=IP is refused with the field of that node, shown at the workers", () => {
    const error = thrown(() => configFromForm({ ...defaults, workers: "w-1=10.0.0.21\nw-2" }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.details?.field).toBe("nodes[2]");
    expect(controlForField("nodes[2]", 1)).toBe("workers");
  });

  it("resolve's own errors land at their inputs", () => {
    const bad = (values: Partial<FormValues>) =>
      thrown(() => resolveClusterConfig(configFromForm({ ...defaults, ...values })));
    const at = (values: Partial<FormValues>) => controlForField(bad(values).details?.field as string, 1);
    expect(at({ controlPlanes: "cp-1=10.0.0.999" })).toBe("control-planes");
    expect(at({ workers: "w-1=10.0.0.999" })).toBe("workers");
    expect(at({ serviceCidr: "10.96.0.0/30" })).toBe("service-cidr");
    expect(at({ endpoint: "https://x:6443" })).toBe("endpoint");
    expect(at({ leafDays: "0" })).toBe("leaf-days");
    expect(at({ caDays: "" })).toBe("ca-days");
    expect(at({ keyAlgorithm: "Ed25519" })).toBe("key-algorithm");
    expect(controlForField(undefined, 1)).toBeUndefined();
  });

  it("pasted YAML: a mapping is a config, anything else INVALID_CONFIG", () => {
    expect(configFromYaml("clusterName: prod\nkeyAlgorithm: ECDSA-P256\n")).toEqual({
      clusterName: "prod",
      keyAlgorithm: "ECDSA-P256",
    });
    expect(configFromYaml("")).toEqual({});
    expect(thrown(() => configFromYaml("- a\n- b\n")).code).toBe("INVALID_CONFIG");
    expect(thrown(() => configFromYaml("a: [\n")).code).toBe("INVALID_CONFIG");
  });
});

describe("picked files as a tree", () => {
  const file = (path: string, text = "x") => ({ path, bytes: new TextEncoder().encode(text) });

  it("drops a picked folder's own name; keeps a zip's kubeadm folders; keeps non-UTF-8 as bytes", () => {
    const picked = treeFromPicked([file("kubernetes/pki/ca.crt"), file("kubernetes/admin.conf")], "always");
    expect([...picked.keys()]).toEqual(["pki/ca.crt", "admin.conf"]);
    const zip = treeFromPicked([file("pki/ca.crt"), file("pki/ca.key")], "single-folder");
    expect([...zip.keys()]).toEqual(["pki/ca.crt", "pki/ca.key"]);
    const der = treeFromPicked([{ path: "t/ca.der", bytes: new Uint8Array([0x30, 0x82, 0xff, 0xfe]) }], "always");
    expect(der.get("ca.der")).toBeInstanceOf(Uint8Array);
  });
});

describe("the zip's folders", () => {
  it("0700 where keys are, 0755 elsewhere, no entry for a host's etc/ or var/lib/", () => {
    const entries = withDirectories([
      { path: "cp-1/etc/kubernetes/pki/ca.key", contents: "k", mode: 0o600 },
      { path: "cp-1/etc/kubernetes/pki/ca.crt", contents: "c", mode: 0o644 },
      { path: "cp-1/var/lib/kubelet/config.yaml", contents: "y", mode: 0o644 },
    ]);
    const folders = Object.fromEntries(
      entries.filter((entry) => entry.contents === undefined).map((entry) => [entry.path, entry.mode.toString(8)]),
    );
    expect(folders).toEqual({
      "cp-1": "700",
      "cp-1/etc/kubernetes": "700",
      "cp-1/etc/kubernetes/pki": "700",
      "cp-1/var/lib/kubelet": "755",
    });
  });
});
