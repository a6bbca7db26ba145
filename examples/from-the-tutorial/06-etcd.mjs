// Step 6: etcd server and peer certificates, signed by the separate etcd CA, plus the two etcd
// client certificates the tutorial forgets (apiserver → etcd, health checks).
import { certSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "etcd-server", "controlplane"));
show(certSpec(config, "etcd-peer", "controlplane"));
show(certSpec(config, "apiserver-etcd-client", "controlplane"));
show(certSpec(config, "etcd-healthcheck-client", "controlplane"));
