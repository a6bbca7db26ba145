// Step 1: the cluster CA. kubepki also makes the etcd and front-proxy CAs the tutorial never creates.
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "ca"));
show(certSpec(config, "etcd-ca"));
show(certSpec(config, "front-proxy-ca"));
