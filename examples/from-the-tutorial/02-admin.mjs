// Step 2: the admin user. admin.conf is revocable (kubeadm:cluster-admins); super-admin.conf is the
// break-glass system:masters identity, only on the first control-plane node.
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "admin", "controlplane"));
show(certSpec(config, "super-admin"));
