// renderCaSecrets: the objects as YAML (what kubectl and cert-manager read), no key in a ConfigMap.
import { isKubepkiError } from "@kubepki/core/vocabulary";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { caught } from "../../core/test/helpers/caught.js";
import { renderCaSecrets } from "../src/index.js";

const CERT = (name: string) => `-----BEGIN CERTIFICATE-----\nMIIB${name}\n-----END CERTIFICATE-----\n`;
const KEY = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";

interface K8sObject {
  apiVersion: string;
  kind: string;
  type?: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
}

function objects(text: string): K8sObject[] {
  const documents = parseAllDocuments(text);
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as K8sObject);
}

const decode = (value: string) => Buffer.from(value, "base64").toString("utf8");

describe("renderCaSecrets", () => {
  const text = renderCaSecrets({
    namespace: "cert-manager",
    cas: [
      { name: "ca", certificate: CERT("ca"), key: KEY },
      { name: "etcd-ca", certificate: CERT("etcd"), key: KEY },
      { name: "front-proxy-ca", certificate: CERT("fp") },
    ],
  });

  it("a kubernetes.io/tls Secret per CA with a key (tls.crt, tls.key, ca.crt as base64 of the files)", () => {
    const secrets = objects(text).filter((object) => object.kind === "Secret");
    expect(secrets.map((secret) => secret.metadata.name)).toEqual(["kubepki-ca", "kubepki-etcd-ca"]);
    for (const secret of secrets) {
      expect(secret.apiVersion).toBe("v1");
      expect(secret.type).toBe("kubernetes.io/tls");
      expect(secret.metadata.namespace).toBe("cert-manager");
      expect(secret.metadata.labels).toEqual({
        "app.kubernetes.io/managed-by": "kubepki",
        "kubepki/ca": secret.metadata.name.slice("kubepki-".length),
      });
      expect(Object.keys(secret.data).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
      expect(decode(secret.data["tls.key"] as string)).toBe(KEY);
      expect(decode(secret.data["tls.crt"] as string)).toBe(decode(secret.data["ca.crt"] as string));
    }
    expect(decode(secrets[0]?.data["tls.crt"] as string)).toBe(CERT("ca"));
  });

  it("a ConfigMap kubepki-<ca>.crt per CA, the certificate as text, never a key", () => {
    const maps = objects(text).filter((object) => object.kind === "ConfigMap");
    expect(maps.map((map) => map.metadata.name)).toEqual([
      "kubepki-ca.crt",
      "kubepki-etcd-ca.crt",
      "kubepki-front-proxy-ca.crt",
    ]);
    expect(maps.map((map) => map.data["ca.crt"])).toEqual([CERT("ca"), CERT("etcd"), CERT("fp")]);
    for (const map of maps) expect(JSON.stringify(map)).not.toMatch(/PRIVATE KEY|tls\.key/);
  });

  it("an external CA (no key) gets no Secret and a comment saying why; the Issuer example names the first Secret", () => {
    expect(text).toContain("# kubepki-front-proxy-ca: no usable key for this CA");
    expect(text).toMatch(/^# A cert-manager CA Issuer .*\n(#.*\n)*#\s+secretName: kubepki-ca\n/m);
    const none = renderCaSecrets({ cas: [{ name: "ca", certificate: CERT("ca") }] });
    expect(none).not.toContain("Issuer");
    expect(objects(none).map((object) => `${object.kind}/${object.metadata.namespace}`)).toEqual(["ConfigMap/default"]);
  });

  it.each([
    [{ namespace: "-bad", cas: [] }, "namespace"],
    [{ cas: [{ name: "CA", certificate: CERT("ca") }] }, "name"],
    [
      {
        cas: [
          { name: "ca", certificate: CERT("ca") },
          { name: "ca", certificate: CERT("ca") },
        ],
      },
      "name",
    ],
    [{ cas: [{ name: "ca", certificate: KEY }] }, "certificate"],
    [{ cas: [{ name: "ca", certificate: CERT("ca"), key: CERT("ca") }] }, "key"],
    [{ cas: [{ name: "ca", certificate: CERT("ca"), key: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n" }] }, "key"],
  ])("refuses %j (field %s)", async (options, field) => {
    const error = await caught(() => renderCaSecrets(options));
    expect(isKubepkiError(error, "INVALID_ARGUMENT"), String(error)).toBe(true);
    expect((error as { details?: { field?: string } }).details?.field).toBe(field);
  });
});
