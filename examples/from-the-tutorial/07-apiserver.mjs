// Step 7: the API server's serving certificate with kubeadm's SANs, and its client certificates
// for kubelets and the front proxy (the tutorial uses the first and never generates it).
import { apiserverKubeletClientSpec, apiserverSpec, frontProxyClientSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(apiserverSpec(config, "controlplane"));
show(apiserverKubeletClientSpec(config, "controlplane"));
show(frontProxyClientSpec(config, "controlplane"));
