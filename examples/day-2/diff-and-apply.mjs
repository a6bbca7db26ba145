// Day 2 in the library: diffCluster compares a wanted cluster with a tree (a Map of path → text)
// without keys or WebCrypto, so it also runs in a browser; applyCluster issues only the difference
// from the tree's own CAs and returns only the files to write.
import { applyCluster, diffCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

const config = {
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
  keyAlgorithm: "ECDSA-P256",
};
const files = new Map(toKubeadmFiles(await generateCluster(config)).map((file) => [file.path, file.contents]));

// The load balancer gets a DNS name, and one more API server name is wanted.
const wanted = { ...config, controlPlaneEndpoint: "k8s.example.com:6443", certSANs: ["api.example.com"] };
const diff = diffCluster(wanted, files);
for (const file of diff.files.filter((entry) => entry.change !== "keep")) {
  console.log(file.change.padEnd(6), file.path, `(${file.reasons.join("; ")})`);
}
console.log("counts:", diff.counts);
console.log("restart:", diff.restarts.map((restart) => restart.component).join(", "));

const result = await applyCluster(wanted, files);
console.log(
  "files to write:",
  result.files.length,
  "— CAs among them:",
  result.files.some((file) => file.path.startsWith("pki/ca.")),
);
for (const file of result.files) files.set(file.path, file.contents);
console.log("after apply, nothing left to do:", diffCluster(wanted, files).counts);
