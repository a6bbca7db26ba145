// Step 7: the API server's serving certificate with kubeadm's SANs, and its client certificates
// for kubelets and the front proxy (the tutorial uses the first and never generates it).
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "apiserver", "controlplane"));
show(certSpec(config, "apiserver-kubelet-client", "controlplane"));
show(certSpec(config, "front-proxy-client", "controlplane"));
