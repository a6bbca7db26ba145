// Expiry as text: Prometheus gauges read back by a real exposition-format parser
// (parse-prometheus-text-format), escaping checked literally too; the
// Go details of kubeadm's JSON/YAML that a kubepki tree never exercises (escaping, nil lists, quoting).
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import {
  type CertificateExpirationInfo,
  type CertificateTimes,
  renderExpirationInfoJson,
  renderExpirationInfoYaml,
  renderExpiryMetrics,
} from "../src/index.js";

const CERTIFICATES: CertificateTimes[] = [
  {
    name: "apiserver",
    file: "pki/apiserver.crt",
    commonName: "kube-apiserver",
    issuer: "kubernetes",
    role: "apiserver",
    notBefore: new Date("2025-08-19T08:58:00Z"),
    notAfter: new Date("2026-08-19T09:03:00Z"),
  },
  {
    // Everything the format must escape: backslash, double quote, newline.
    name: 'odd\\name "quoted"',
    file: "C:\\pki\\odd.crt",
    commonName: 'line one\nline "two"',
    issuer: "/O=acme\\corp",
    role: "",
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2021-01-01T00:00:00Z"),
  },
];

const labelsOf = (c: CertificateTimes) => ({
  file: c.file,
  cn: c.commonName,
  issuer: c.issuer,
  role: c.role,
  name: c.name,
});

interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}

describe("renderExpiryMetrics", () => {
  const text = renderExpiryMetrics(CERTIFICATES);

  it("is read by a real exposition-format parser: two gauges, the documented labels, Unix seconds", () => {
    const families = parsePrometheusTextFormat(text);
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ["kubepki_certificate_expiry_timestamp_seconds", "GAUGE"],
      ["kubepki_certificate_not_before_timestamp_seconds", "GAUGE"],
    ]);
    const [expiry, notBefore] = families as [ParsedFamily, ParsedFamily];
    expect(expiry.help).toMatch(/notAfter/);
    expect(expiry.metrics).toEqual([
      { value: "1787130180", labels: labelsOf(CERTIFICATES[0] as CertificateTimes) },
      { value: "1609459200", labels: labelsOf(CERTIFICATES[1] as CertificateTimes) },
    ]);
    expect(notBefore.metrics).toEqual([
      { value: "1755593880", labels: labelsOf(CERTIFICATES[0] as CertificateTimes) },
      { value: "1577836800", labels: labelsOf(CERTIFICATES[1] as CertificateTimes) },
    ]);
  });

  it("escapes label values as the format says: backslash, double quote, newline", () => {
    expect(text).toContain(
      'kubepki_certificate_expiry_timestamp_seconds{file="C:\\\\pki\\\\odd.crt",cn="line one\\nline \\"two\\"",issuer="/O=acme\\\\corp",role="",name="odd\\\\name \\"quoted\\""} 1609459200\n',
    );
  });

  it("prints HELP and TYPE even for no certificates", () => {
    const families = parsePrometheusTextFormat(renderExpiryMetrics([]));
    expect(families.map((f) => [f.name, f.type, f.metrics.length])).toEqual([
      ["kubepki_certificate_expiry_timestamp_seconds", "GAUGE", 0],
      ["kubepki_certificate_not_before_timestamp_seconds", "GAUGE", 0],
    ]);
  });
});

describe("kubeadm's CertificateExpirationInfo text, Go details", () => {
  const info = (name: string): CertificateExpirationInfo => ({
    kind: "CertificateExpirationInfo",
    apiVersion: "output.kubeadm.k8s.io/v1alpha3",
    certificates: [
      {
        name,
        expirationDate: "2026-08-19T09:03:00Z",
        residualTime: -5,
        externallyManaged: true,
        caName: "ca",
        missing: false,
      },
    ],
    certificateAuthorities: [],
  });

  it("JSON: escapes <, > and & as encoding/json does; a nil list is null", () => {
    const json = renderExpirationInfoJson(info("a<b>&c"));
    expect(json).toContain('"name": "a\\u003cb\\u003e\\u0026c"');
    expect(json).toContain('"certificateAuthorities": null\n}\n');
    expect(JSON.parse(json).certificates[0].name).toBe("a<b>&c");
  });

  it("YAML: quotes what YAML 1.1 would read as another type (go-yaml v2), sorted keys", () => {
    expect(renderExpirationInfoYaml(info("yes"))).toBe(
      [
        "apiVersion: output.kubeadm.k8s.io/v1alpha3",
        "certificateAuthorities: null",
        "certificates:",
        "- caName: ca",
        '  expirationDate: "2026-08-19T09:03:00Z"',
        "  externallyManaged: true",
        "  missing: false",
        '  name: "yes"',
        "  residualTime: -5",
        "kind: CertificateExpirationInfo",
        "",
      ].join("\n"),
    );
  });
});
