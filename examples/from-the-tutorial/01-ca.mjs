// Step 1: the cluster CA. kubepki also makes the etcd and front-proxy CAs the tutorial never creates.
import { caSpec, etcdCaSpec, frontProxyCaSpec } from "@kubepki/k8s-profiles";
import { config, show } from "./cluster.mjs";

show(caSpec(config));
show(etcdCaSpec(config));
show(frontProxyCaSpec(config));
