// Step 3: kube-scheduler's client certificate (embedded in scheduler.conf).
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "scheduler", "controlplane"));
