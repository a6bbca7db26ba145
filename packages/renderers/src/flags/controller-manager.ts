import { KubepkiError, parseCidr } from "@kubepki/core/vocabulary";
import { argumentsToCommand, type FlagArg, requirePaths, subnetList } from "./args.js";

/**
 * Files kube-controller-manager reads (reference §5.2).
 *
 * @example
 * ```ts
 * import type { ControllerManagerPaths } from "@kubepki/renderers";
 *
 * const paths: ControllerManagerPaths = {
 *   kubeconfig: "/etc/kubernetes/controller-manager.conf",
 *   clientCaFile: "/etc/kubernetes/pki/ca.crt",
 *   requestheaderClientCaFile: "/etc/kubernetes/pki/front-proxy-ca.crt",
 *   rootCaFile: "/etc/kubernetes/pki/ca.crt",
 *   serviceAccountPrivateKeyFile: "/etc/kubernetes/pki/sa.key",
 *   clusterSigningCertFile: "/etc/kubernetes/pki/ca.crt",
 *   clusterSigningKeyFile: "/etc/kubernetes/pki/ca.key",
 * };
 * ```
 */
export interface ControllerManagerPaths {
  /** `--kubeconfig`, `--authentication-kubeconfig`, `--authorization-kubeconfig` (controller-manager.conf). */
  readonly kubeconfig: string;
  /** `--client-ca-file` (ca.crt). */
  readonly clientCaFile: string;
  /** `--requestheader-client-ca-file` (front-proxy-ca.crt). */
  readonly requestheaderClientCaFile: string;
  /** `--root-ca-file` (ca.crt): put into every service-account token Secret/projected volume. */
  readonly rootCaFile: string;
  /** `--service-account-private-key-file` (sa.key). */
  readonly serviceAccountPrivateKeyFile: string;
  /** `--cluster-signing-cert-file` (ca.crt); not needed with `externalCa`. */
  readonly clusterSigningCertFile?: string;
  /** `--cluster-signing-key-file` (ca.key); not needed with `externalCa`. */
  readonly clusterSigningKeyFile?: string;
}

/**
 * Input of {@link controllerManagerFlags}.
 *
 * @example
 * ```ts
 * import type { ControllerManagerFlagsOptions } from "@kubepki/renderers";
 *
 * const pki = "/etc/kubernetes/pki";
 * const paths = {
 *   clusterSigningCertFile: `${pki}/ca.crt`,
 *   clusterSigningKeyFile: `${pki}/ca.key`,
 *   kubeconfig: "/etc/kubernetes/controller-manager.conf",
 *   clientCaFile: `${pki}/ca.crt`,
 *   requestheaderClientCaFile: `${pki}/front-proxy-ca.crt`,
 *   rootCaFile: `${pki}/ca.crt`,
 *   serviceAccountPrivateKeyFile: `${pki}/sa.key`,
 * };
 * const options: ControllerManagerFlagsOptions = { paths, podSubnet: "10.244.0.0/16", serviceSubnets: "10.96.0.0/12" };
 * ```
 */
export interface ControllerManagerFlagsOptions {
  readonly paths: ControllerManagerPaths;
  /** `--cluster-name` (default `kubernetes`). */
  readonly clusterName?: string;
  /**
   * External-CA mode (reference §8.3: `ca.crt` present, `ca.key` absent): kubeadm then passes empty
   * `--cluster-signing-cert-file=` / `--cluster-signing-key-file=`, which disables in-cluster CSR
   * signing (run a signer elsewhere).
   */
  readonly externalCa?: boolean;
  /** Pod CIDR: enables `--allocate-node-cidrs=true --cluster-cidr=…` (+ `--service-cluster-ip-range`). */
  readonly podSubnet?: string;
  /** Service CIDR(s), rendered only together with `podSubnet`, as kubeadm does. */
  readonly serviceSubnets?: string | readonly string[];
  readonly extraArgs?: readonly FlagArg[];
}

/**
 * kube-controller-manager flags as kubeadm's `getControllerManagerCommand`
 * (`phases/controlplane/manifests.go`, reference §5.2) writes them: the component kubeconfig for
 * API, authentication and authorization, `--root-ca-file`, `--service-account-private-key-file`,
 * `--cluster-signing-cert-file/--cluster-signing-key-file` (empty in external-CA mode),
 * `--use-service-account-credentials=true`, loopback bind, leader election.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for missing paths, `INVALID_IP` for a bad CIDR.
 * @example
 * ```ts
 * import { controllerManagerFlags } from "@kubepki/renderers";
 *
 * const pki = "/etc/kubernetes/pki";
 * const paths = {
 *   kubeconfig: "/etc/kubernetes/controller-manager.conf",
 *   clientCaFile: `${pki}/ca.crt`,
 *   requestheaderClientCaFile: `${pki}/front-proxy-ca.crt`,
 *   rootCaFile: `${pki}/ca.crt`,
 *   serviceAccountPrivateKeyFile: `${pki}/sa.key`,
 * };
 * const flags = controllerManagerFlags({ paths, externalCa: true });
 * console.log(flags.includes("--cluster-signing-cert-file=")); // true
 * console.log(flags.includes("--root-ca-file=/etc/kubernetes/pki/ca.crt")); // true
 * ```
 */
export function controllerManagerFlags(options: ControllerManagerFlagsOptions): string[] {
  const externalCa = options?.externalCa ?? false;
  const keys: (keyof ControllerManagerPaths & string)[] = [
    "kubeconfig",
    "clientCaFile",
    "requestheaderClientCaFile",
    "rootCaFile",
    "serviceAccountPrivateKeyFile",
  ];
  if (!externalCa) keys.push("clusterSigningCertFile", "clusterSigningKeyFile");
  const paths = requirePaths(options?.paths, keys, "controllerManagerFlags");
  const clusterName = options.clusterName ?? "kubernetes";
  if (typeof clusterName !== "string" || clusterName === "") {
    throw new KubepkiError("INVALID_ARGUMENT", "controllerManagerFlags: clusterName must be non-empty", {
      details: { field: "clusterName" },
    });
  }
  const args: FlagArg[] = [
    { name: "authentication-kubeconfig", value: paths.kubeconfig },
    { name: "authorization-kubeconfig", value: paths.kubeconfig },
    { name: "bind-address", value: "127.0.0.1" },
    { name: "client-ca-file", value: paths.clientCaFile },
    { name: "cluster-name", value: clusterName },
    { name: "cluster-signing-cert-file", value: externalCa ? "" : paths.clusterSigningCertFile! },
    { name: "cluster-signing-key-file", value: externalCa ? "" : paths.clusterSigningKeyFile! },
    { name: "controllers", value: "*,bootstrapsigner,tokencleaner" },
    { name: "kubeconfig", value: paths.kubeconfig },
    { name: "leader-elect", value: "true" },
    { name: "requestheader-client-ca-file", value: paths.requestheaderClientCaFile },
    { name: "root-ca-file", value: paths.rootCaFile },
    { name: "service-account-private-key-file", value: paths.serviceAccountPrivateKeyFile },
    { name: "use-service-account-credentials", value: "true" },
  ];
  if (options.podSubnet !== undefined) {
    const pods = subnetList(options.podSubnet, "podSubnet", "controllerManagerFlags");
    for (const cidr of pods) parseCidr(cidr);
    args.push({ name: "allocate-node-cidrs", value: "true" }, { name: "cluster-cidr", value: pods.join(",") });
    if (options.serviceSubnets !== undefined) {
      const services = subnetList(options.serviceSubnets, "serviceSubnets", "controllerManagerFlags");
      for (const cidr of services) parseCidr(cidr);
      args.push({ name: "service-cluster-ip-range", value: services.join(",") });
    }
  }
  return argumentsToCommand(args, options.extraArgs);
}
