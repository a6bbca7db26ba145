// Step 6: etcd server and peer certificates, signed by the separate etcd CA, plus the two etcd
// client certificates the tutorial forgets (apiserver → etcd, health checks).
import {
  apiserverEtcdClientSpec,
  etcdHealthcheckClientSpec,
  etcdPeerSpec,
  etcdServerSpec,
} from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(etcdServerSpec(config, "controlplane"));
show(etcdPeerSpec(config, "controlplane"));
show(apiserverEtcdClientSpec(config, "controlplane"));
show(etcdHealthcheckClientSpec(config, "controlplane"));
