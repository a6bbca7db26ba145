// Step 4: kube-controller-manager's client certificate (embedded in controller-manager.conf).
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "controller-manager", "controlplane"));
