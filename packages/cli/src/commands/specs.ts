import type { CommandSpec } from "../args.js";

/**
 * What every command accepts, as plain data. `bin.ts` reads only this to print help and check
 * flags; a command's code (and with it the crypto stack) is imported only when it runs.
 */

const json = { type: "boolean", description: "Print only the result, as JSON" } as const;
const KEY_ALGORITHMS = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"] as const;
const GRAPH_FORMATS = ["mermaid", "dot", "svg"] as const;
/** `--graph` and `--expand` of plan and audit: the trust graph instead of the table. */
const graphFlags = {
  graph: {
    type: "string",
    valueName: "FORMAT",
    choices: GRAPH_FORMATS,
    description: "Print the trust graph instead (CAs → certificates → files → flags → components): mermaid, dot or svg",
  },
  expand: { type: "boolean", description: 'With --graph: draw every worker, not one "N workers" group' },
} as const;

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
    "root-ca": {
      type: "string",
      valueName: "FILE",
      description: "Make the three CAs as intermediates of this offline root certificate",
    },
    "root-key": {
      type: "string",
      valueName: "FILE",
      description: "…and its private key (both or neither); never copied into the tree",
    },
    "root-passphrase-file": {
      type: "string",
      valueName: "FILE",
      description:
        "An encrypted --root-key's passphrase is this file's first line (else $KUBEPKI_ROOT_PASSPHRASE, else asked on the terminal)",
    },
    "kube-proxy": {
      type: "string",
      valueName: "MODE",
      choices: ["certificate", "service-account"],
      description: "kube-proxy identity: service-account (kubeadm) or certificate",
    },
    "encrypt-ca-keys": {
      type: "boolean",
      description:
        "Write pki/ca.key, pki/etcd/ca.key and pki/front-proxy-ca.key encrypted (for storage or offline signing: components cannot read encrypted keys)",
    },
    "passphrase-file": {
      type: "string",
      valueName: "FILE",
      description:
        "With --encrypt-ca-keys or an encrypted --ca-key: the passphrase is this file's first line (else $KUBEPKI_PASSPHRASE, else asked on the terminal)",
    },
    layout: {
      type: "string",
      valueName: "LAYOUT",
      choices: ["default", "per-node"],
      description:
        "default: the first control-plane node's /etc/kubernetes plus nodes/ and flags/; per-node: one folder per node (<node>/etc/kubernetes/…, manifests included, rsync -a DIR/<node>/ root@node:/) and admin/ — the way for more than one node",
    },
    "kubernetes-version": {
      type: "string",
      valueName: "VERSION",
      description: "With --layout per-node: the version the static Pods run, v1.30 … v1.34 (default v1.34)",
    },
    force: { type: "boolean", description: "Overwrite files that already exist" },
    json,
  },
  examples: [
    "kubepki init --out ./pki-demo",
    "kubepki init --out ./ha --layout per-node --control-plane cp-1=10.0.0.11 --control-plane cp-2=10.0.0.12 --worker w-1=10.0.0.21",
    "kubepki init --out /tmp/c1 --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21",
    "kubepki init --out ./c2 --config cluster.yaml --key-algorithm ECDSA-P256",
  ],
};

/** The cluster flags of init (the wanted cluster), without init's own. */
const clusterFlags = Object.fromEntries(
  Object.entries(initSpec.flags).filter(
    ([name]) =>
      ![
        "out",
        "ca-cert",
        "ca-key",
        "root-ca",
        "root-key",
        "root-passphrase-file",
        "encrypt-ca-keys",
        "passphrase-file",
        "layout",
        "kubernetes-version",
        "force",
        "json",
      ].includes(name),
  ),
);

/** Day-2 flags: what changes a described cluster beyond init's flags. */
const removeNode = {
  type: "string",
  multiple: true,
  valueName: "NAME",
  description: "Drop a node from the tree's cluster (its files are removed with --prune)",
} as const;

export const planSpec: CommandSpec = {
  name: "plan",
  summary: "Print every certificate, kubeconfig and file init would make, or what apply would change",
  usage:
    "kubepki plan [--config FILE] [init's cluster flags] [--against DIR [--remove-node NAME] [--prune]] [--graph mermaid|dot|svg [--expand]] [--json]",
  positionals: [],
  flags: {
    ...clusterFlags,
    against: {
      type: "string",
      valueName: "DIR",
      description: "Compare with this tree: per file, what apply would add, change or remove, and why",
    },
    "remove-node": removeNode,
    prune: { type: "boolean", description: "With --against: show removed nodes' files as removed, not kept" },
    layout: initSpec.flags.layout as NonNullable<(typeof initSpec.flags)["layout"]>,
    ...graphFlags,
    json,
  },
  examples: [
    "kubepki plan",
    "kubepki plan --control-plane cp-1=10.0.0.10 --json",
    "kubepki plan --control-plane cp-1=10.0.0.10 --worker w-1=10.0.0.21 --graph svg > trust.svg",
    "kubepki plan --against ./pki-demo --worker worker-7=192.168.10.27",
  ],
};

export const applySpec: CommandSpec = {
  name: "apply",
  summary: "Change a tree to fit the cluster: only what differs, CAs kept, replaced files backed up",
  usage:
    "kubepki apply DIR [--config FILE | cluster flags] [--remove-node NAME] [--dry-run] [--prune] [--reuse-key] [--validity DAYS] [--yes] [--json]",
  positionals: [{ name: "DIR", required: true, description: "The tree to change in place (made by init, or kubeadm)" }],
  flags: {
    ...clusterFlags,
    "remove-node": removeNode,
    "ca-cert": {
      type: "string",
      valueName: "FILE",
      description: "The cluster CA you expect; another one is refused (that is a rotation)",
    },
    "dry-run": { type: "boolean", description: "Print what would change; write nothing" },
    prune: {
      type: "boolean",
      description: "Remove the files of removed nodes and roles (moved to the backup folder)",
    },
    "reuse-key": { type: "boolean", description: "Reissued certificates keep their existing keys" },
    validity: {
      type: "string",
      valueName: "DAYS",
      description: "Validity of reissued and new certificates (default: the cluster's validity.leafDays)",
    },
    yes: { type: "boolean", description: "Apply without asking (required when there is no terminal)" },
    json,
  },
  examples: [
    "kubepki apply ./pki-demo --worker worker-7=192.168.10.27 --dry-run",
    "kubepki apply ./pki-demo --cert-san api.example.com --yes",
    "kubepki apply ./pki-demo --remove-node worker-2 --prune --yes",
    "kubepki apply /etc/kubernetes --config cluster.yaml --yes",
  ],
};

export const auditSpec: CommandSpec = {
  name: "audit",
  summary: "Check an existing certificate tree for the mistakes that break clusters",
  usage:
    "kubepki audit DIR [--config FILE] [--scope node|control-plane|cluster] [--expiring-within DAYS] [--root-ca FILE] [--pairwise-keys] [--graph mermaid|dot|svg [--expand]] [--json]",
  positionals: [{ name: "DIR", required: true, description: "The tree to audit (kubeadm layout or a flat directory)" }],
  flags: {
    config: {
      type: "string",
      valueName: "FILE",
      description: "Cluster description, for exact SAN and file checks (default: the tree's kubepki.yaml)",
    },
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
    "root-ca": {
      type: "string",
      valueName: "FILE",
      description: "Also check each CA file up to this root (certificate PEM, with its intermediates)",
    },
    ...graphFlags,
    json,
  },
  examples: [
    "kubepki audit /etc/kubernetes",
    "kubepki audit ./pki-demo --graph svg > tree.svg",
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

export const rotateSpec: CommandSpec = {
  name: "rotate",
  summary: "Rotate a CA (or the service-account key) in three phases, without downtime",
  usage:
    "kubepki rotate DIR --ca ca|etcd-ca|front-proxy-ca|sa|all begin|reissue|finish [--dry-run] [--json] | kubepki rotate DIR status",
  positionals: [
    { name: "DIR", required: true, description: "The tree to rotate in place" },
    {
      name: "PHASE",
      required: true,
      description:
        "begin (new CA, trust old + new), reissue (every leaf by the new CA), finish (old CA out), or status",
    },
  ],
  flags: {
    ca: {
      type: "string",
      multiple: true,
      valueName: "CA",
      description: "Which: ca, etcd-ca, front-proxy-ca, sa (the service-account key) or all",
    },
    "ca-cert": { type: "string", valueName: "FILE", description: "begin: use this new CA certificate (one --ca)" },
    "ca-key": { type: "string", valueName: "FILE", description: "…and its private key" },
    "dry-run": { type: "boolean", description: "Print what the phase would change; write nothing" },
    json,
  },
  examples: [
    "kubepki rotate ./pki status",
    "kubepki rotate ./pki --ca ca begin",
    "kubepki rotate ./pki --ca ca reissue",
    "kubepki rotate ./pki --ca ca finish",
    "kubepki rotate ./pki --ca all begin --dry-run",
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

export const csrSpec: CommandSpec = {
  name: "csr",
  summary: "External CA: keys and requests for every node, then finish with the signed certificates",
  usage:
    "kubepki csr --out DIR --ca-dir CADIR [--config FILE | cluster flags] [--force] [--json] | kubepki csr finish DIR [--json]",
  positionals: [
    {
      name: "finish",
      required: false,
      description: "finish: check the certificates signed for DIR's requests and complete the tree",
    },
    { name: "DIR", required: false, description: "With finish: the tree kubepki csr wrote" },
  ],
  flags: {
    out: {
      type: "string",
      valueName: "DIR",
      description: "Where to write keys and requests (required; created if missing)",
    },
    "ca-dir": {
      type: "string",
      valueName: "CADIR",
      description: "The external CAs' certificates: ca.crt, front-proxy-ca.crt, etcd/ca.crt (no key is read)",
    },
    ...clusterFlags,
    force: { type: "boolean", description: "Overwrite files that already exist in --out" },
    json,
  },
  examples: [
    "kubepki csr --out ./pki --ca-dir ./external-ca --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21",
    "kubepki csr finish ./pki",
  ],
};

/** What `ca init` makes without flags: a 20-year root whose CAs sign leaves only (root → intermediate → leaf). */
export const CA_INIT_DEFAULTS = {
  commonName: "kubepki offline root CA",
  // A root outlives many clusters: P-384 (192-bit strength, NIST SP 800-57) is quick to generate and Go verifies it.
  keyAlgorithm: "ECDSA-P384",
  days: 7300,
  pathLength: 1,
} as const;

const ROOT_KEY_ALGORITHMS = [...KEY_ALGORITHMS, "Ed25519"] as const;

export const caSpec: CommandSpec = {
  name: "ca",
  summary: "Make an offline root CA (ca init) to sign the cluster's CAs",
  usage:
    "kubepki ca init --out ROOTDIR [--key-algorithm ALG] [--days N] [--path-length N] [--subject CN] [--encrypt [--passphrase-file FILE]] [--force] [--json]",
  positionals: [
    {
      name: "SUBCOMMAND",
      required: true,
      description:
        "init: a self-signed root CA, ROOTDIR/ca.crt (0644) and ROOTDIR/ca.key (0600), kept offline; the cluster's CAs become its intermediates (kubepki init --root-ca)",
    },
  ],
  flags: {
    out: { type: "string", valueName: "ROOTDIR", description: "Where to write ca.crt and ca.key (required)" },
    "key-algorithm": {
      type: "string",
      valueName: "ALG",
      choices: ROOT_KEY_ALGORITHMS,
      description: `Root key: ${ROOT_KEY_ALGORITHMS.join(", ")} (default ${CA_INIT_DEFAULTS.keyAlgorithm}). Ed25519 is fine for the root (Go verifies Ed25519 signatures), never for the cluster's own keys (kubeadm and client-go refuse Ed25519 keys)`,
    },
    days: { type: "string", valueName: "N", description: `Validity in days (default ${CA_INIT_DEFAULTS.days})` },
    "path-length": {
      type: "string",
      valueName: "N",
      description: `CAs allowed below the root before leaves (pathLenConstraint, default ${CA_INIT_DEFAULTS.pathLength}: root → intermediate → leaf)`,
    },
    subject: {
      type: "string",
      valueName: "CN",
      description: `Common name, or a whole "/CN=…/O=…" subject (default "${CA_INIT_DEFAULTS.commonName}")`,
    },
    encrypt: {
      type: "boolean",
      description:
        "Encrypt ca.key with a passphrase (PKCS#8, AES-256-CBC): from --passphrase-file, else $KUBEPKI_PASSPHRASE, else asked twice on the terminal",
    },
    "passphrase-file": {
      type: "string",
      valueName: "FILE",
      description: "With --encrypt: the passphrase is this file's first line (no flag takes the passphrase itself)",
    },
    force: { type: "boolean", description: "Replace an existing ca.crt / ca.key" },
    json,
  },
  examples: [
    "kubepki ca init --out ./offline-root --encrypt",
    "kubepki ca init --out ./offline-root --key-algorithm RSA-4096 --days 7300 --encrypt --passphrase-file ./root.pass",
    "kubepki ca init --out ./offline-root --subject 'Example Corp root CA' --path-length 1",
  ],
};

export const bundleSpec: CommandSpec = {
  name: "bundle",
  summary: "Pack each node's folder of a per-node tree into one archive (tar.gz or zip), modes kept",
  usage: "kubepki bundle DIR [--node NAME]… [--format tar.gz|zip] --out OUTDIR [--force] [--json]",
  positionals: [
    {
      name: "DIR",
      required: true,
      description: "A per-node tree (kubepki init --layout per-node): DIR/<node>/etc/kubernetes/…, and DIR/admin/",
    },
  ],
  flags: {
    node: {
      type: "string",
      multiple: true,
      valueName: "NAME",
      description: "Only this node's archive (or admin); default every node and admin/",
    },
    format: {
      type: "string",
      valueName: "FORMAT",
      choices: ["tar.gz", "zip"],
      description: "tar.gz (default) or zip",
    },
    out: {
      type: "string",
      valueName: "OUTDIR",
      description: "Where to write <node>.tar.gz|zip (required; created if missing); archives are 0600: they hold keys",
    },
    force: { type: "boolean", description: "Replace archives that already exist" },
    json,
  },
  examples: [
    "kubepki bundle ./pki --out ./bundles",
    "kubepki bundle ./pki --node cp-2 --format zip --out ./bundles",
    "tar -xzf ./bundles/cp-2.tar.gz -C /   # on cp-2, as root: the node's /etc/kubernetes and /var/lib/kubelet",
  ],
};

export const exportSpec: CommandSpec = {
  name: "export",
  summary: "Export the cluster's CAs as Kubernetes objects: Secrets for a cert-manager CA Issuer, ConfigMaps",
  usage: "kubepki export DIR --secrets [--namespace NS] [--out FILE [--force]]",
  positionals: [
    {
      name: "DIR",
      required: true,
      description: "A tree made by init (either layout) or kubeadm's /etc/kubernetes",
    },
  ],
  flags: {
    secrets: {
      type: "boolean",
      description:
        "The CAs (ca, front-proxy-ca, etcd-ca) as kubernetes.io/tls Secrets kubepki-<ca> (tls.crt, tls.key, ca.crt) and ConfigMaps kubepki-<ca>.crt (ca.crt); an example cert-manager Issuer as a comment",
    },
    namespace: { type: "string", valueName: "NS", description: "Namespace of the objects (default default)" },
    out: {
      type: "string",
      valueName: "FILE",
      description: "Write the YAML to FILE (0600: it holds CA keys) instead of stdout",
    },
    force: { type: "boolean", description: "With --out: replace FILE if it exists" },
  },
  examples: [
    "kubepki export ./pki --secrets --namespace cert-manager --out ./ca-secrets.yaml",
    "kubepki export ./pki --secrets | kubectl apply -f -",
  ],
};

/** Every command, in help order. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  initSpec,
  planSpec,
  auditSpec,
  checkExpirationSpec,
  applySpec,
  rotateSpec,
  renewSpec,
  signCsrSpec,
  csrSpec,
  caSpec,
  bundleSpec,
  exportSpec,
];
