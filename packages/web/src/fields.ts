/**
 * The form's fields, one row each: the page renders its inputs from this table (label, error
 * paragraph, aria wiring) and maps an error's `details.field` back to an input by `configFields`.
 */
export interface FormField {
  /** The element id; its error paragraph is `<id>-error`. */
  readonly id: string;
  /** The key in {@link FormValues}. */
  readonly name: keyof FormValues;
  readonly label: string;
  readonly kind: "input" | "number" | "textarea" | "select";
  readonly value: string;
  /** The ClusterConfig fields whose errors show at this input (`serviceSubnets` covers `serviceSubnets[1]`). */
  readonly configFields: readonly string[];
}

/** What the form holds, as text: one `name=IP[,IP]` a line for the nodes, the rest as typed. */
export interface FormValues {
  readonly clusterName: string;
  readonly controlPlanes: string;
  readonly workers: string;
  readonly endpoint: string;
  readonly serviceCidr: string;
  readonly dnsDomain: string;
  readonly keyAlgorithm: string;
  readonly caDays: string;
  readonly leafDays: string;
}

export const FORM_FIELDS: readonly FormField[] = [
  {
    id: "cluster-name",
    name: "clusterName",
    label: "Cluster name",
    kind: "input",
    value: "kubernetes",
    configFields: ["clusterName"],
  },
  {
    id: "control-planes",
    name: "controlPlanes",
    label: "Control-plane nodes (name=IP, one a line)",
    kind: "textarea",
    value: "cp-1=192.168.10.10",
    // A node's own errors go to the list it is in (by its index); errors about the list as a whole here.
    configFields: ["nodes"],
  },
  {
    id: "workers",
    name: "workers",
    label: "Worker nodes (name=IP, one a line)",
    kind: "textarea",
    value: "worker-1=192.168.10.21",
    configFields: [],
  },
  {
    id: "endpoint",
    name: "endpoint",
    label: "Control-plane endpoint (optional, host or host:port)",
    kind: "input",
    value: "",
    configFields: ["controlPlaneEndpoint"],
  },
  {
    id: "service-cidr",
    name: "serviceCidr",
    label: "Service CIDR",
    kind: "input",
    value: "10.96.0.0/12",
    configFields: ["serviceSubnets"],
  },
  {
    id: "dns-domain",
    name: "dnsDomain",
    label: "DNS domain",
    kind: "input",
    value: "cluster.local",
    configFields: ["dnsDomain"],
  },
  {
    id: "key-algorithm",
    name: "keyAlgorithm",
    label: "Key algorithm",
    kind: "select",
    value: "RSA-2048",
    configFields: ["keyAlgorithm", "keyEncipherment"],
  },
  {
    id: "ca-days",
    name: "caDays",
    label: "CA validity (days)",
    kind: "number",
    value: "3650",
    configFields: ["validity.caDays"],
  },
  {
    id: "leaf-days",
    name: "leafDays",
    label: "Certificate validity (days)",
    kind: "number",
    value: "365",
    configFields: ["validity.leafDays"],
  },
];
