import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { renderKubeconfig, renderKubeletConfig } from "../src/index.js";
import { kubeconfigToJson } from "../src/kubeconfig/render.js";
import type { Kubeconfig } from "../src/kubeconfig/types.js";
import { compareGoYamlPairs } from "../src/lib/go-yaml-order.js";
import { NOT_PLAIN, readPlainBlockYaml, writePlainBlockYaml } from "../src/lib/plain-block-yaml.js";

// The reference: what parseKubeconfig asked `yaml` for before the fast path existed.
const reference = (text: string): { value: unknown } | { error: true } => {
  try {
    return { value: parse(text, { version: "1.1", uniqueKeys: true }) };
  } catch {
    return { error: true };
  }
};

/** The fast path either declines or returns exactly what `yaml` returns. */
function agrees(text: string): "fast" | "declined" {
  const fast = readPlainBlockYaml(text);
  if (fast === NOT_PLAIN) return "declined";
  const slow = reference(text);
  expect(slow, text).not.toHaveProperty("error");
  expect(fast, text).toStrictEqual((slow as { value: unknown }).value);
  return "fast";
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZmFrZS1jYQ==\n-----END CERTIFICATE-----\n";

const word = fc.stringMatching(/^[a-z][a-z0-9.:@-]{0,20}[a-z0-9]$/);
// Strings YAML 1.1 reads as something else, or that need quotes: the emitter quotes them and
// the fast path must either decline or agree.
const tricky = fc.constantFrom(
  "yes",
  "on",
  "No",
  "~",
  "null",
  "1:20",
  "2001-12-14",
  "0x1F",
  ".inf",
  "a b",
  "it's",
  "#x",
  "a: b",
  "-x",
  "",
  " lead",
  'q"uote',
  "back\\slash",
  "é",
  "tab\there",
  "line\nbreak",
  "__proto__",
  "<<",
);
const name = fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: tricky });

const kubeconfig: fc.Arbitrary<Kubeconfig> = fc
  .record({
    cluster: name,
    user: name,
    server: fc.constantFrom("https://192.168.10.10:6443", "https://[fd00::1]:6443", "https://cp.example:443"),
    embedded: fc.boolean(),
    token: fc.option(name, { nil: undefined }),
    namespace: fc.option(name, { nil: undefined }),
    groups: fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined }),
  })
  .map(({ cluster, user, server, embedded, token, namespace, groups }) => {
    const context = `${user}@${cluster}`;
    return {
      clusters: [
        {
          name: cluster,
          server,
          certificateAuthority: embedded ? { pem: PEM } : { path: "/etc/kubernetes/pki/ca.crt" },
        },
      ],
      users: [
        {
          name: user,
          ...(embedded
            ? { clientCertificate: { pem: PEM }, clientKey: { pem: PEM } }
            : { clientCertificate: { path: "users/a.crt" }, clientKey: { path: "users/a.key" } }),
          ...(token === undefined ? {} : { token }),
          ...(groups === undefined ? {} : { impersonate: "someone", impersonateGroups: groups }),
        },
      ],
      contexts: [{ name: context, cluster, user, ...(namespace === undefined ? {} : { namespace }) }],
      currentContext: context,
    };
  });

const KUBELET_CONF = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(PEM)}
    server: https://192.168.10.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: system:node:worker-1
  name: system:node:worker-1@kubernetes
current-context: system:node:worker-1@kubernetes
kind: Config
preferences: {}
users:
- name: system:node:worker-1
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
`;

describe("readPlainBlockYaml: the kubeconfig fast path agrees with yaml or declines", () => {
  it("reads the files kubeadm and kubectl write", () => {
    expect(agrees(KUBELET_CONF)).toBe("fast");
    // kubectl config view --raw indents sequences under their key
    expect(agrees("apiVersion: v1\nclusters:\n  - cluster:\n      server: https://a:6443\n    name: a\n")).toBe("fast");
    expect(agrees("a:\n  b:\n    c: d\n  e: ''\nf: 'it''s'\ng: \"x y\"\nh: []\ni:\n")).toBe("fast");
    expect(agrees("- a\n- b: c\n  d:\n  - e\n")).toBe("fast");
  });

  it("agrees on every kubeconfig renderKubeconfig writes, and takes the plain ones itself", () => {
    let fast = 0;
    fc.assert(
      fc.property(kubeconfig, (config) => {
        if (agrees(renderKubeconfig(config)) === "fast") fast++;
      }),
      { numRuns: 600 },
    );
    expect(fast).toBeGreaterThan(100); // most generated names are plain words
  });

  it("declines what it cannot be sure of (yaml is asked instead)", () => {
    const declined = [
      "a: yes\n", // YAML 1.1 booleans and nulls
      "a: On\n",
      "a: ~\n",
      "a: null\n",
      "a: 1:20\n", // sexagesimal
      "a: 2001-12-14\n", // timestamp
      "a: 0x1F\n",
      "a: .inf\n",
      "a: e5\n", // a float to yaml: no digits before the exponent
      "E+10: a\n",
      "a: b\n  c\n", // a plain scalar continued on the next line
      "a:\n  - b\n    c\n",
      "a: b\na: c\n", // duplicate keys (yaml throws)
      "__proto__: x\n",
      "a: b # comment\n",
      "# comment\na: b\n",
      "a: b\r\n",
      "a:\tb\n",
      "a: b \n",
      "a: &x b\nc: *x\n",
      "a: !!str b\n",
      "a: {b: c}\n",
      'a: "b\\nc"\n',
      "a: 'b\n  c'\n",
      "---\na: b\n",
      "a: b\n\nc: d\n",
      "a: b: c\n",
      "a: b:\n",
      "- a\n  - b\n",
      "- - a\n",
      "a:\n    b: c\n  d: e\n",
      " a: b\n",
      "a:  b\n",
      "a: é\n",
      "abc\n",
      "",
    ];
    for (const text of declined) {
      expect(readPlainBlockYaml(text), JSON.stringify(text)).toBe(NOT_PLAIN);
    }
  });

  it("never disagrees with yaml on mutated kubeconfigs", () => {
    const base = [KUBELET_CONF, renderKubeconfig(fc.sample(kubeconfig, { numRuns: 1, seed: 7 })[0] as Kubeconfig)];
    const alphabet = [
      " ",
      "  ",
      "-",
      "- ",
      ":",
      ": ",
      "\n",
      "#",
      "'",
      '"',
      "{",
      "}",
      "[",
      "]",
      "&",
      "*",
      "!",
      "~",
      "y",
      "1",
      "a",
      "\t",
      "|",
      ">",
      ",",
      "?",
      "%",
      "@",
      "`",
    ];
    const values = [
      "yes",
      "On",
      "n",
      "null",
      "~",
      "0x1F",
      "1:20",
      "2001-12-14",
      ".inf",
      "b\n  c",
      "b\n    c: d",
      "'a''b'",
      '"a b"',
      "{}",
      "[]",
      "a:b",
      "a:",
      "x y",
    ];
    let fast = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...alphabet), fc.nat(4), fc.constantFrom(...values)), {
          minLength: 1,
          maxLength: 4,
        }),
        (text, edits) => {
          let mutated = text;
          for (const [position, kind, piece, length, value] of edits) {
            const at = position % (mutated.length + 1);
            if (kind === 0)
              mutated = mutated.slice(0, at) + piece + mutated.slice(at); // insert
            else if (kind === 1)
              mutated = mutated.slice(0, at) + mutated.slice(at + length + 1); // delete
            else if (kind === 2)
              mutated = mutated.slice(0, at) + piece + mutated.slice(at + piece.length); // overwrite
            else if (kind === 3) {
              // a value YAML 1.1 may read as something else, or a continued scalar
              const lines = mutated.split("\n");
              const i = at % lines.length;
              lines[i] = (lines[i] ?? "").replace(/: .*$/, `: ${value}`);
              mutated = lines.join("\n");
            } else {
              // move a line to another indentation
              const lines = mutated.split("\n");
              const i = at % lines.length;
              lines[i] = " ".repeat(length) + (lines[i] ?? "").trimStart();
              mutated = lines.join("\n");
            }
          }
          if (agrees(mutated) === "fast") fast++;
        },
      ),
      { numRuns: 4000, seed: 20261128 },
    );
    expect(fast).toBeGreaterThan(200); // many mutants stay plain, and those are compared
  });
});

// What the renderers asked `yaml` for before the writer existed, and still ask when it declines.
const WRITE_OPTIONS = { version: "1.1", sortMapEntries: compareGoYamlPairs, lineWidth: 0, indentSeq: false } as const;

/** The writer either declines or writes exactly the bytes `yaml` writes. */
function writesAsYaml(value: unknown): "fast" | "declined" {
  const fast = writePlainBlockYaml(value);
  if (fast === NOT_PLAIN) return "declined";
  expect(fast, JSON.stringify(value)).toBe(stringify(value, WRITE_OPTIONS));
  return "fast";
}

describe("writePlainBlockYaml: the writer agrees with yaml byte for byte or declines", () => {
  it("writes the kubeconfigs and kubelet configs kubeadm's layout needs", () => {
    const config = fc.sample(kubeconfig, { numRuns: 1, seed: 7 })[0] as Kubeconfig;
    const cluster = { ...(config.clusters[0] as Kubeconfig["clusters"][number]), name: "kubernetes" };
    expect(writesAsYaml(kubeconfigToJson({ ...config, clusters: [cluster] }))).not.toBeUndefined();
    expect(writesAsYaml(parse(KUBELET_CONF))).toBe("fast");
    const kubelet = renderKubeletConfig({
      clientCAFile: "/etc/kubernetes/pki/ca.crt",
      tls: { certFile: "/var/lib/kubelet/pki/kubelet.crt", keyFile: "/var/lib/kubelet/pki/kubelet.key" },
      staticPodPath: "/etc/kubernetes/manifests",
      extra: { maxPods: 110, evictionHard: { "memory.available": "k100Mi" }, featureGates: {}, tlsCipherSuites: [] },
    });
    const value = parse(kubelet, { version: "1.1" });
    expect(writesAsYaml(value)).toBe("fast");
    expect(kubelet).toBe(stringify(value, WRITE_OPTIONS));
  });

  it("agrees on the JSON of every kubeconfig renderKubeconfig is given, and writes the plain ones", () => {
    let fast = 0;
    fc.assert(
      fc.property(kubeconfig, (config) => {
        if (writesAsYaml(kubeconfigToJson(config)) === "fast") fast++;
      }),
      { numRuns: 600 },
    );
    expect(fast).toBeGreaterThan(100);
  });

  it("agrees on arbitrary nested values: words, YAML 1.1 look-alikes, numbers, null, empty and nested collections", () => {
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.-]{0,8}$/) },
      { weight: 1, arbitrary: tricky },
      { weight: 1, arbitrary: fc.constantFrom("a:b", "1", "x y", "on", "-", "/p", "A", "a0", "a10", "a9", "ä") },
    );
    const scalar = fc.oneof(
      { weight: 6, arbitrary: name },
      {
        weight: 1,
        arbitrary: fc.constantFrom("a:b", "a=", "/", "b64+/=", "x~", "a.", "a@b", "https://[fd00::1]:6443"),
      },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.ipV4(),
          fc.ipV6(),
          fc.stringMatching(/^[0-9][0-9._:eEbx+-]{0,7}$/),
          fc.constantFrom("1.5", "1e5", "1:20", "1:70", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00"),
          fc.constantFrom("0x1F", "0b101", "1_000", "017", "10.0.0.0/8", "fd00::", "1-2", "1.", "1.2.3", "0.", "0e0"),
        ),
      },
      { weight: 2, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 100_000 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, undefined, 1.5, -0, Number.NaN, 2 ** 60) },
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
      list: fc.array(tie("value"), { maxLength: 3 }),
      map: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
    }));
    let fast = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (map) => {
        if (writesAsYaml(map) === "fast") fast++;
      }),
      { numRuns: 3000, seed: 20261207 },
    );
    expect(fast).toBeGreaterThan(300);
  });

  it("declines what is not a plain mapping", () => {
    for (const value of ["a", 1, null, [], [{ a: "b" }], new Map(), new Date(0)]) {
      expect(writePlainBlockYaml(value), String(value)).toBe(NOT_PLAIN);
    }
    expect(writesAsYaml({})).toBe("fast");
    expect(writesAsYaml({ a: [["b"]] })).toBe("declined");
    expect(writesAsYaml({ a: "yes", b: "c" })).toBe("declined");
  });
});
