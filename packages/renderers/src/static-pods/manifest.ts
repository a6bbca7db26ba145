import { canonicalIp, ipFamily, KubepkiError } from "@kubepki/core/vocabulary";
import { stringify } from "yaml";

/**
 * The four control-plane components kubeadm runs as static Pods.
 *
 * @example
 * ```ts
 * import type { ControlPlaneComponent } from "@kubepki/renderers";
 *
 * const component: ControlPlaneComponent = "kube-apiserver";
 * ```
 */
export type ControlPlaneComponent = "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "etcd";

/**
 * Input of {@link renderStaticPodManifest}.
 *
 * @example
 * ```ts
 * import type { StaticPodManifestOptions } from "@kubepki/renderers";
 *
 * const options: StaticPodManifestOptions = {
 *   component: "kube-scheduler",
 *   flags: ["--kubeconfig=/etc/kubernetes/scheduler.conf"],
 *   kubernetesVersion: "1.34",
 *   advertiseAddress: "192.168.10.11",
 * };
 * ```
 */
export interface StaticPodManifestOptions {
  readonly component: ControlPlaneComponent;
  /** The component's flags, `--name=value` (from `apiserverFlags`, `etcdFlags`, …). */
  readonly flags: readonly string[];
  /** `1.30` … `1.34`, with or without `v` and a patch (`v1.34.1`); the image tag is `v<major.minor.patch>`, patch 0 when omitted. */
  readonly kubernetesVersion: string;
  /** The node's advertise address: the API server's probes and both kubeadm annotations use it. */
  readonly advertiseAddress: string;
  /** The API server's `--secure-port` (default 6443), probed by its Pod. */
  readonly securePort?: number;
  /** kubeadm's `certificatesDir` (default `/etc/kubernetes/pki`), mounted read-only (etcd: its `etcd/` folder, read-write). */
  readonly certificatesDir?: string;
  /** The controller-manager's or scheduler's kubeconfig (default `/etc/kubernetes/<component>.conf` without `kube-`), mounted as a file. */
  readonly kubeconfig?: string;
  /** etcd's `--data-dir` (default `/var/lib/etcd`), mounted read-write. */
  readonly etcdDataDir?: string;
}

/**
 * The etcd image tag kubeadm pairs with each Kubernetes minor: `SupportedEtcdVersion` in kubeadm's
 * `cmd/kubeadm/app/constants/constants.go` — kubeadm v1.34.0 lists `31`, `32`, `33: "3.5.21-0"` and
 * `34: "3.6.4-0"`; v1.33 lists `30` … `33: "3.5.21-0"` (kubeadm updates the map on every supported
 * branch when etcd gets a patch release: later v1.34 patches pair `3.6.5-0`, later v1.31-v1.33
 * patches `3.5.24-0`; pass the image you run through your own tooling if it differs).
 *
 * @example
 * ```ts
 * import { ETCD_IMAGE_TAGS } from "@kubepki/renderers";
 *
 * console.log(ETCD_IMAGE_TAGS["1.34"]); // "3.6.4-0"
 * ```
 */
export const ETCD_IMAGE_TAGS: Readonly<Record<string, string>> = {
  "1.30": "3.5.21-0",
  "1.31": "3.5.21-0",
  "1.32": "3.5.21-0",
  "1.33": "3.5.21-0",
  "1.34": "3.6.4-0",
};

/** kubeadm's image registry (`DefaultImageRepository`, constants.go). */
const REGISTRY = "registry.k8s.io";

/**
 * The Kubernetes version a manifest is for, as `{ minor: "1.34", tag: "v1.34.0" }`.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for a version outside v1.30 … v1.34.
 * @example
 * ```ts
 * import { kubernetesRelease } from "@kubepki/renderers";
 *
 * console.log(kubernetesRelease("1.33")); // { minor: "1.33", tag: "v1.33.0" }
 * ```
 */
export function kubernetesRelease(version: string): { minor: string; tag: string } {
  const match = typeof version === "string" ? /^v?(1\.(\d+))(?:\.(\d+))?$/.exec(version.trim()) : null;
  const minor = match?.[1];
  if (match === null || minor === undefined || ETCD_IMAGE_TAGS[minor] === undefined) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `kubernetesVersion must be one of v${Object.keys(ETCD_IMAGE_TAGS).join(", v")} (optionally with a patch, e.g. v1.34.1), got "${String(version)}"`,
      { details: { field: "kubernetesVersion" } },
    );
  }
  return { minor, tag: `v${minor}.${match[3] ?? "0"}` };
}

interface Probe {
  readonly path: string;
  readonly failureThreshold: number;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
}

interface Mount {
  readonly name: string;
  readonly path: string;
  readonly type: "DirectoryOrCreate" | "FileOrCreate";
  readonly readOnly: boolean;
}

/** kubeadm's probe timing: `staticpodutil.LivenessProbe`, `ReadinessProbe`, `StartupProbe` (utils.go). */
const LIVENESS = { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 } as const;
const READINESS = { failureThreshold: 3, periodSeconds: 1 } as const;
const STARTUP = { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 } as const;

/**
 * A kubeadm control-plane static Pod manifest (`/etc/kubernetes/manifests/<component>.yaml`), as
 * kubeadm's `GetStaticPodSpecs` (`phases/controlplane/manifests.go`, `volumes.go`) and
 * `GetEtcdPodSpec` (`phases/etcd/local.go`) build it and `staticpodutil.ComponentPod` wraps it:
 * `apiVersion: v1`, `kind: Pod` in `kube-system`, labels `component` and `tier: control-plane`,
 * `hostNetwork: true`, `priority: 2000001000`, `priorityClassName: system-node-critical`, the
 * `RuntimeDefault` seccomp profile; the image `registry.k8s.io/<component>:v<version>` (etcd:
 * {@link ETCD_IMAGE_TAGS}); kubeadm's CPU (and etcd's memory) requests; its probes (API server
 * `/livez` and `/readyz` on the advertise address and secure port; controller-manager `/healthz`
 * on 127.0.0.1:10257, scheduler `/healthz` on 127.0.0.1:10259, etcd `/livez` and `/readyz` on
 * its plain metrics port 127.0.0.1:2381, kubernetes/kubeadm#3039); and hostPath volumes for exactly what the
 * component reads: the certificates directory read-only (etcd: `<pki>/etcd` and its data directory
 * read-write, as kubeadm), the controller-manager's and scheduler's kubeconfig as a file, the
 * controller-manager's flexvolume directory, and `/etc/ssl/certs` (the system trust kubeadm always
 * mounts into the API server and controller-manager; the distribution-specific CA folders kubeadm
 * adds when it finds them on the host are left out: a manifest rendered elsewhere cannot look).
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for an unknown component, version or port, a flag that
 * is not `--name=value`; `INVALID_IP` for a bad advertise address.
 * @example
 * ```ts
 * import { renderStaticPodManifest, schedulerFlags } from "@kubepki/renderers";
 *
 * const yaml = renderStaticPodManifest({
 *   component: "kube-scheduler",
 *   flags: schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } }),
 *   kubernetesVersion: "1.34",
 *   advertiseAddress: "192.168.10.11",
 * });
 * console.log(yaml.includes("image: registry.k8s.io/kube-scheduler:v1.34.0")); // true
 * ```
 */
export function renderStaticPodManifest(options: StaticPodManifestOptions): string {
  const { component, release, advertise, securePort } = checkOptions(options);
  const pki = options.certificatesDir ?? "/etc/kubernetes/pki";
  const host = ipFamily(advertise) === 6 ? `[${advertise}]` : advertise;
  const facts = componentFacts(component, {
    pki,
    advertise,
    securePort,
    kubeconfig: options.kubeconfig ?? `/etc/kubernetes/${component.replace(/^kube-/, "")}.conf`,
    dataDir: options.etcdDataDir ?? "/var/lib/etcd",
    host,
  });
  const image =
    component === "etcd"
      ? `${REGISTRY}/etcd:${ETCD_IMAGE_TAGS[release.minor]}`
      : `${REGISTRY}/${component}:${release.tag}`;
  const probe = (p: Probe) => ({
    failureThreshold: p.failureThreshold,
    httpGet: { host: facts.probeHost, path: p.path, port: facts.probePort, scheme: facts.probeScheme },
    ...(p.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: p.initialDelaySeconds }),
    periodSeconds: p.periodSeconds,
    timeoutSeconds: 15,
  });
  // Keys in the order kubeadm's YAML marshaller (sorted keys) writes them.
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(facts.annotation ? { annotations: { [facts.annotation[0]]: facts.annotation[1] } } : {}),
      labels: { component, tier: "control-plane" },
      name: component,
      namespace: "kube-system",
    },
    spec: {
      containers: [
        {
          command: [component, ...(options.flags ?? [])],
          image,
          imagePullPolicy: "IfNotPresent",
          livenessProbe: probe(facts.liveness),
          name: component,
          ...(facts.readiness ? { readinessProbe: probe(facts.readiness) } : {}),
          resources: { requests: facts.requests },
          startupProbe: probe(facts.startup),
          volumeMounts: facts.mounts.map((m) => ({
            mountPath: m.path,
            name: m.name,
            ...(m.readOnly ? { readOnly: true } : {}),
          })),
        },
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes: facts.mounts.map((m) => ({ hostPath: { path: m.path, type: m.type }, name: m.name })),
    },
    status: {},
  };
  return stringify(pod, { version: "1.1", lineWidth: 0, indentSeq: false });
}

/** The options validated once, at the edge: a known component and version, an IP, a port, well-formed flags. */
function checkOptions(options: StaticPodManifestOptions) {
  const component = options?.component;
  if (!COMPONENTS.includes(component)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `renderStaticPodManifest: component must be one of ${COMPONENTS.join(", ")}, got "${String(component)}"`,
      { details: { field: "component" } },
    );
  }
  const release = kubernetesRelease(options.kubernetesVersion);
  if (ipFamily(options.advertiseAddress) === undefined) {
    throw new KubepkiError(
      "INVALID_IP",
      `renderStaticPodManifest: advertiseAddress "${String(options.advertiseAddress)}" must be an IP address`,
      { details: { field: "advertiseAddress" } },
    );
  }
  const advertise = canonicalIp(options.advertiseAddress);
  const securePort = options.securePort ?? 6443;
  if (!Number.isInteger(securePort) || securePort < 1 || securePort > 65535) {
    throw new KubepkiError("INVALID_ARGUMENT", `securePort must be a TCP port, got ${String(options.securePort)}`, {
      details: { field: "securePort" },
    });
  }
  for (const flag of options.flags ?? []) {
    if (typeof flag !== "string" || !/^--[a-z0-9][a-z0-9-]*(=|$)/.test(flag) || /[\r\n]/.test(flag)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `renderStaticPodManifest: "${String(flag)}" is not a --name=value flag`,
        {
          details: { field: "flags" },
        },
      );
    }
  }
  return { component, release, advertise, securePort };
}

const COMPONENTS: readonly ControlPlaneComponent[] = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
];

interface ComponentFacts {
  readonly annotation?: readonly [string, string];
  readonly probeHost: string;
  readonly probePort: number;
  readonly probeScheme: "HTTPS" | "HTTP";
  readonly liveness: Probe;
  readonly readiness?: Probe;
  readonly startup: Probe;
  readonly requests: Readonly<Record<string, string>>;
  readonly mounts: readonly Mount[];
}

/** Each component's kubeadm facts (manifests.go, volumes.go, local.go), one place. */
function componentFacts(
  component: ControlPlaneComponent,
  at: { pki: string; advertise: string; securePort: number; kubeconfig: string; dataDir: string; host: string },
): ComponentFacts {
  const caCerts: Mount = { name: "ca-certs", path: "/etc/ssl/certs", type: "DirectoryOrCreate", readOnly: true };
  const k8sCerts: Mount = { name: "k8s-certs", path: at.pki, type: "DirectoryOrCreate", readOnly: true };
  const kubeconfig: Mount = { name: "kubeconfig", path: at.kubeconfig, type: "FileOrCreate", readOnly: true };
  switch (component) {
    case "kube-apiserver":
      return {
        annotation: ["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint", `${at.host}:${at.securePort}`],
        probeHost: at.advertise,
        probePort: at.securePort,
        probeScheme: "HTTPS",
        liveness: { ...LIVENESS, path: "/livez" },
        readiness: { ...READINESS, path: "/readyz" },
        startup: { ...STARTUP, path: "/livez" },
        requests: { cpu: "250m" },
        mounts: [caCerts, k8sCerts],
      };
    case "kube-controller-manager":
      return {
        probeHost: "127.0.0.1",
        probePort: 10257,
        probeScheme: "HTTPS",
        liveness: { ...LIVENESS, path: "/healthz" },
        startup: { ...STARTUP, path: "/healthz" },
        requests: { cpu: "200m" },
        mounts: [
          caCerts,
          {
            name: "flexvolume-dir",
            path: "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
            type: "DirectoryOrCreate",
            readOnly: false,
          },
          k8sCerts,
          kubeconfig,
        ],
      };
    case "kube-scheduler":
      return {
        probeHost: "127.0.0.1",
        probePort: 10259,
        probeScheme: "HTTPS",
        liveness: { ...LIVENESS, path: "/healthz" },
        startup: { ...STARTUP, path: "/healthz" },
        requests: { cpu: "100m" },
        mounts: [kubeconfig],
      };
    default:
      return {
        annotation: ["kubeadm.kubernetes.io/etcd.advertise-client-urls", `https://${at.host}:2379`],
        probeHost: "127.0.0.1",
        probePort: 2381,
        probeScheme: "HTTP",
        liveness: { ...LIVENESS, path: "/livez" },
        readiness: { ...READINESS, path: "/readyz" },
        startup: { ...STARTUP, path: "/readyz" },
        requests: { cpu: "100m", memory: "100Mi" },
        mounts: [
          { name: "etcd-certs", path: `${at.pki}/etcd`, type: "DirectoryOrCreate", readOnly: false },
          { name: "etcd-data", path: at.dataDir, type: "DirectoryOrCreate", readOnly: false },
        ],
      };
  }
}
