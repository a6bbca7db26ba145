import type { CommandSpec } from "../args.js";

/**
 * What every command accepts, as plain data. `bin.ts` reads only this to print help and check
 * flags; a command's code (and with it the crypto stack) is imported only when it runs.
 */

const json = { type: "boolean", description: "Print only the result, as JSON" } as const;
const KEY_ALGORITHMS = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"] as const;

export const initSpec: CommandSpec = {
  name: "init",
  summary: "Generate a whole cluster PKI in kubeadm's layout",
  usage: "kubepki init --out DIR [flags]",
  positionals: [],
  flags: {
    out: { type: "string", valueName: "DIR", description: "Output directory (required; created if missing)" },
    config: {
      type: "string",
      valueName: "FILE",
      description: "Cluster description (YAML, the fields of ClusterConfig)",
    },
    "control-plane": { type: "string", multiple: true, valueName: "NAME=IP", description: "A control-plane node" },
    worker: { type: "string", multiple: true, valueName: "NAME=IP", description: "A worker node" },
    "control-plane-endpoint": {
      type: "string",
      valueName: "HOST[:PORT]",
      description: "Load balancer / DNS name of the apiserver (IPv6 in brackets)",
    },
    "service-cidr": {
      type: "string",
      valueName: "CIDR[,CIDR]",
      description: "Service subnet(s), default 10.96.0.0/12",
    },
    "dns-domain": { type: "string", valueName: "DOMAIN", description: "Cluster DNS domain, default cluster.local" },
    "cluster-name": { type: "string", valueName: "NAME", description: "Cluster name, default kubernetes" },
    "cert-san": { type: "string", multiple: true, valueName: "SAN", description: "Extra apiserver SAN (IP or DNS)" },
    "key-algorithm": {
      type: "string",
      valueName: "ALG",
      choices: KEY_ALGORITHMS,
      description: `Key algorithm: ${KEY_ALGORITHMS.join(", ")} (default RSA-2048)`,
    },
    "ca-cert": { type: "string", valueName: "FILE", description: "Sign with this existing cluster CA certificate" },
    "ca-key": { type: "string", valueName: "FILE", description: "…and its private key (both or neither)" },
    "kube-proxy": {
      type: "string",
      valueName: "MODE",
      choices: ["certificate", "service-account"],
      description: "kube-proxy identity: service-account (kubeadm) or certificate",
    },
    force: { type: "boolean", description: "Overwrite files that already exist" },
    json,
  },
  examples: [
    "kubepki init --out ./pki-demo",
    "kubepki init --out /tmp/c1 --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21",
    "kubepki init --out ./c2 --config cluster.yaml --key-algorithm ECDSA-P256",
  ],
};

export const planSpec: CommandSpec = {
  name: "plan",
  summary: "Print every certificate, kubeconfig and file init would make, without generating",
  usage: "kubepki plan [--config FILE] [init's cluster flags] [--json]",
  positionals: [],
  flags: Object.fromEntries(
    Object.entries(initSpec.flags).filter(([name]) => !["out", "ca-cert", "ca-key", "force"].includes(name)),
  ),
  examples: ["kubepki plan", "kubepki plan --control-plane cp-1=10.0.0.10 --json"],
};

export const auditSpec: CommandSpec = {
  name: "audit",
  summary: "Check an existing certificate tree for the mistakes that break clusters",
  usage:
    "kubepki audit DIR [--config FILE] [--scope node|control-plane|cluster] [--expiring-within DAYS] [--pairwise-keys] [--json]",
  positionals: [{ name: "DIR", required: true, description: "The tree to audit (kubeadm layout or a flat directory)" }],
  flags: {
    config: { type: "string", valueName: "FILE", description: "Cluster description, for exact SAN and file checks" },
    "expiring-within": {
      type: "string",
      valueName: "DAYS",
      description: "Warn about certificates expiring this soon (30)",
    },
    scope: {
      type: "string",
      valueName: "SCOPE",
      description: "What DIR is: node (a node's own /etc/kubernetes), control-plane or cluster (default: inferred)",
    },
    "pairwise-keys": {
      type: "boolean",
      description: "Prove each key with a WebCrypto sign/verify, not only by its public key (slower)",
    },
    json,
  },
  examples: [
    "kubepki audit /etc/kubernetes",
    "kubepki audit ./pki-demo --json",
    "kubepki audit ./pki-demo --pairwise-keys",
    "kubepki audit ./pki-demo/nodes/worker-1 --scope node",
  ],
};

export const checkExpirationSpec: CommandSpec = {
  name: "check-expiration",
  summary: "List certificates and their expiry, like kubeadm certs check-expiration",
  usage: "kubepki check-expiration DIR [--json]",
  positionals: [{ name: "DIR", required: true, description: "The tree to read" }],
  flags: { json },
  examples: ["kubepki check-expiration /etc/kubernetes"],
};

export const renewSpec: CommandSpec = {
  name: "renew",
  summary: "Renew certificates with the same subject, SANs and usages, signed by the same CA",
  usage: "kubepki renew DIR [NAME|all] [--validity DAYS] [--reuse-key] [--json]",
  positionals: [
    { name: "DIR", required: true, description: "The tree to renew in place" },
    { name: "NAME", required: false, description: "A name as plan and check-expiration print it, or all (default)" },
  ],
  flags: {
    validity: {
      type: "string",
      valueName: "DAYS",
      description:
        "Days the renewed certificates are valid, never past their CA (default: the cluster's: leafDays in DIR/kubepki.yaml, else each certificate's own lifetime)",
    },
    "reuse-key": { type: "boolean", description: "Keep the existing private keys (default: new keys, as kubeadm)" },
    json,
  },
  examples: [
    "kubepki renew /etc/kubernetes all",
    "kubepki renew ./pki-demo apiserver --reuse-key",
    "kubepki renew ./pki-demo all --validity 90",
  ],
};

export const signCsrSpec: CommandSpec = {
  name: "sign-csr",
  summary: "Sign a CSR made elsewhere, after checking it fits the role's policy",
  usage:
    "kubepki sign-csr --csr FILE --role ROLE [--node NAME] [--allow-san SAN]… --out FILE (--dir DIR | --ca-cert F --ca-key F)",
  positionals: [],
  flags: {
    csr: { type: "string", valueName: "FILE", description: "The PKCS#10 request (PEM)" },
    role: { type: "string", valueName: "ROLE", description: "kubelet-client, kubelet-serving, admin, …" },
    node: { type: "string", valueName: "NAME", description: "The node the request is for (kubelet roles)" },
    "allow-san": {
      type: "string",
      multiple: true,
      valueName: "SAN",
      description: "kubelet-serving: a name or address the node owns beyond those the --dir tree records",
    },
    out: { type: "string", valueName: "FILE", description: "Where to write the certificate" },
    dir: { type: "string", valueName: "DIR", description: "A kubepki/kubeadm tree whose CA signs (DIR/pki/ca.*)" },
    "ca-cert": { type: "string", valueName: "FILE", description: "CA certificate (instead of --dir)" },
    "ca-key": { type: "string", valueName: "FILE", description: "CA private key (instead of --dir)" },
    force: { type: "boolean", description: "Overwrite --out if it exists" },
    json,
  },
  examples: [
    "kubepki sign-csr --csr worker-1.csr --role kubelet-client --node worker-1 --dir ./pki-demo --out worker-1.crt",
    "kubepki sign-csr --csr w1-serving.csr --role kubelet-serving --node worker-1 --dir ./pki-demo --allow-san IP:10.0.0.21 --out w1.crt",
  ],
};

/** Every command, in help order. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  initSpec,
  planSpec,
  auditSpec,
  checkExpirationSpec,
  renewSpec,
  signCsrSpec,
];
