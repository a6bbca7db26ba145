/**
 * The packaging smoke suite: what a user of the published packages does first — make a CA, issue
 * the API server certificate of a one-node cluster, render admin.conf, audit the result, see what
 * a new API server name would change — as one
 * function of the three imported packages. The runners (`run-esm.mjs` for Node, Deno and Bun,
 * `run-cjs.cjs` for Node `require`, `browser/entry.mjs` for Chromium) only import the packages
 * their own way and print the lines this returns; `packaging.test.ts` compares them.
 *
 * Every line is deterministic (subjects, SANs, usages, findings — no serials, keys or dates), so
 * the outputs of all runtimes must be identical. Plain JavaScript, no Node built-ins, no globals
 * but WebCrypto: it runs unchanged in every runtime.
 */

/** One node, an endpoint and an extra SAN, so the SAN line exercises DNS names and IPs. */
export const SMOKE_CLUSTER = {
  clusterName: "kubernetes",
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }],
};

/** A fixed clock, so validity checks in the audit never depend on the day the test runs. */
const NOW = new Date("2026-01-15T12:00:00Z");

const sanText = (san) => `${san.type === "ip" ? "IP" : san.type === "dns" ? "DNS" : san.type}:${san.value}`;

/**
 * @param {{ core: typeof import("@kubepki/core"), profiles: typeof import("@kubepki/k8s-profiles"), renderers: typeof import("@kubepki/renderers"), archive: typeof import("@kubepki/k8s-profiles/archive") }} kubepki
 * @returns {Promise<string[]>}
 */
export async function smoke({ core, profiles, renderers, archive }) {
  const { generateKeyPair, createSelfSignedCa, issueCertificate, exportPrivateKeyPem } = core;
  const { planCluster, certSpec, auditCluster, diffCluster } = profiles;
  const { renderSimpleKubeconfig } = renderers;

  const plan = planCluster(SMOKE_CLUSTER);
  const config = plan.config;
  const node = config.nodes[0].name;
  const lines = [];

  const issue = async (spec, issuer) => {
    const keyPair = await generateKeyPair(spec.keyAlgorithm);
    const common = {
      subject: spec.subject,
      sans: spec.sans,
      keyUsages: spec.keyUsages,
      validity: { days: spec.validityDays },
      now: NOW,
    };
    const certificate = issuer
      ? await issueCertificate({
          ...common,
          issuer,
          publicKey: keyPair.publicKey,
          extKeyUsages: spec.extKeyUsages,
          isCa: spec.isCa,
        })
      : await createSelfSignedCa({ ...common, keyPair });
    return { spec, keyPair, certificate, keyPem: await exportPrivateKeyPem(keyPair) };
  };

  const ca = await issue(certSpec(config, "ca"));
  const issuer = { certificate: ca.certificate, privateKey: ca.keyPair.privateKey };
  const apiserver = await issue(certSpec(config, "apiserver", node), issuer);
  const admin = await issue(certSpec(config, "admin", node), issuer);

  for (const { spec, certificate } of [ca, apiserver, admin]) {
    lines.push(`${spec.id} subject: ${certificate.subjectText}`);
    lines.push(`${spec.id} issuer: ${certificate.issuerText}`);
    lines.push(`${spec.id} SANs: ${certificate.subjectAltNames.map(sanText).join(", ") || "(none)"}`);
    lines.push(
      `${spec.id} usages: ${(certificate.keyUsages ?? []).join(",")} / ${(certificate.extKeyUsages ?? []).join(",") || "-"} / CA:${certificate.isCa}`,
    );
  }

  const adminConfSpec = plan.kubeconfigs.find((entry) => entry.certificateId === admin.spec.id);
  const adminConf = renderSimpleKubeconfig({
    clusterName: adminConfSpec.clusterName,
    server: adminConfSpec.server,
    caCertificate: { pem: ca.certificate.pem },
    user: {
      name: adminConfSpec.userName,
      clientCertificate: { pem: admin.certificate.pem },
      clientKey: { pem: admin.keyPem },
    },
  });
  const field = (name) => adminConf.match(new RegExp(`^\\s*-?\\s*${name}: (.+)$`, "m"))?.[1];
  lines.push(`admin.conf: server ${field("server")}, current-context ${field("current-context")}`);

  const files = {
    [ca.spec.certPath]: ca.certificate.pem,
    [ca.spec.keyPath]: ca.keyPem,
    [apiserver.spec.certPath]: apiserver.certificate.pem,
    [apiserver.spec.keyPath]: apiserver.keyPem,
    [adminConfSpec.path]: adminConf,
  };
  // With the cluster config the audit knows every file kubeadm would have, so the ones this smoke
  // does not make are MISSING_FILE findings; anything else would be a real finding on ours.
  const report = await auditCluster(files, { config: SMOKE_CLUSTER, now: NOW });
  const missing = report.findings.filter((finding) => finding.code === "MISSING_FILE");
  const others = report.findings.filter((finding) => finding.code !== "MISSING_FILE");
  lines.push(`audit: ${report.certificates.length} certificates read, ${others.length} findings besides missing files`);
  for (const finding of others)
    lines.push(`audit ${finding.severity} ${finding.code} ${finding.file}: ${finding.message}`);
  lines.push(`audit missing: ${missing.map((finding) => finding.file).join(", ")}`);

  // Day 2 without keys: the difference a new API server name makes to this tree (pure, synchronous).
  const diff = diffCluster({ ...SMOKE_CLUSTER, certSANs: ["api.example.com"] }, files, { now: NOW });
  const apiserverDiff = diff.files.find((file) => file.path === apiserver.spec.certPath);
  lines.push(`diff ${apiserverDiff.path}: ${apiserverDiff.change} (${apiserverDiff.reasons.join("; ")})`);
  lines.push(`diff ${adminConfSpec.path}: ${diff.files.find((file) => file.path === adminConfSpec.path).change}`);

  // Delivery (issue 21): the per-node layout of a generated two-node cluster (paths only: keys
  // differ per run), and archives of fixed files, whose bytes must be the same in every runtime.
  const pki = await profiles.generateCluster(
    {
      ...SMOKE_CLUSTER,
      nodes: [...SMOKE_CLUSTER.nodes, { name: "w-1", role: "worker", addresses: ["192.168.10.21"] }],
      keyAlgorithm: "ECDSA-P256",
    },
    { now: NOW },
  );
  const nodeFiles = profiles.toNodeFiles(pki);
  for (const folder of ["w-1", "admin"]) {
    const paths = nodeFiles
      .filter((file) => file.path.startsWith(`${folder}/`))
      .map((file) => file.path)
      .sort();
    lines.push(`node files ${folder}: ${paths.join(", ")}`);
  }
  lines.push(
    `node files cp-1: ${nodeFiles.filter((file) => file.path.startsWith("cp-1/")).length} files, manifests ${nodeFiles.filter((file) => file.path.startsWith("cp-1/etc/kubernetes/manifests/")).length}`,
  );
  const fixed = [
    {
      path: "etc/kubernetes/pki/ca.crt",
      contents: "-----BEGIN CERTIFICATE-----\nfixed\n-----END CERTIFICATE-----\n",
      mode: 0o644,
    },
    { path: "etc/kubernetes/pki/ca.key", contents: "not a real key\n", mode: 0o600 },
  ];
  for (const format of ["tar.gz", "zip"]) {
    const bytes = await archive.archiveFiles(fixed, format);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hex = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    lines.push(
      `archive ${format}: ${[...bytes.slice(0, 2)].map((byte) => byte.toString(16)).join(" ")} …, sha256 ${hex}`,
    );
  }
  return lines;
}
