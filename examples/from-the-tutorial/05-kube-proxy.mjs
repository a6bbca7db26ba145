// Step 5: kube-proxy. kubeadm gives it a service account; with `kubeProxy: "certificate"` kubepki
// issues the client certificate hand-made clusters use, with the CN its RBAC binding names.
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "kube-proxy"));
