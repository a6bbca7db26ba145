// Subject: the CN and O a role's consumer checks — RBAC users and groups, the Node authorizer, the front proxy (reference §1.1, §4, §5.1, §6).
import { GROUPS } from "../../roles/constants.js";
import { roleProfile } from "../../roles/profiles.js";
import { subjText } from "../hints.js";
import type { RoleRule } from "./context.js";

export const checkSubject: RoleRule = (ctx, add) => {
  const { role, spec } = ctx;
  const cert = ctx.entry.certificate;
  const node = ctx.match?.node;
  const profile = roleProfile(role);
  const commonName = cert.subject.commonName ?? "";
  const groups = cert.subject.organizations ?? [];

  let expectedCn: string | undefined;
  if (spec) expectedCn = spec.subject.commonName;
  else if (typeof profile.commonName === "string") expectedCn = profile.commonName;
  else if (profile.commonName.from === "node-user") expectedCn = node !== undefined ? `system:node:${node}` : undefined;
  else expectedCn = node;
  const expectedGroups = spec?.subject.organizations ?? profile.organizations ?? [];
  const fixSubject = (cn: string) =>
    `issue it with -subj "${subjText(cn, expectedGroups)}": openssl req -new -key ${ctx.entry.keyPath} -subj "${subjText(cn, expectedGroups)}" -out <name>.csr, then sign again`;

  // The CN is the node's user: a wrong one is an error where it is an identity (kubelet-client).
  const severity = profile.identityInCn ? "error" : "warning";
  if (profile.scope === "node" && !commonName.startsWith("system:node:")) {
    add(
      severity,
      "WRONG_SUBJECT",
      role === "kubelet-client"
        ? `CN is ${JSON.stringify(commonName)}; the Node authorizer only accepts users system:node:<nodeName>`
        : `CN is ${JSON.stringify(commonName)}; a kubelet serving certificate (kubernetes.io/kubelet-serving signer) has CN system:node:<nodeName>, one per node`,
      fixSubject(expectedCn ?? "system:node:<nodeName>"),
      role === "kubelet-client" ? "§4.1, §6" : "§4.2, §7 item 29",
    );
  } else if (expectedCn !== undefined && commonName !== expectedCn) {
    add(
      severity,
      "WRONG_SUBJECT",
      `CN is ${JSON.stringify(commonName)}, expected ${JSON.stringify(expectedCn)}${profile.identityInCn ? `: ${profile.identityInCn}` : " (kubeadm's)"}`,
      fixSubject(expectedCn),
      role === "scheduler" || role === "controller-manager" || role === "kube-proxy"
        ? "§6, §7 item 8"
        : profile.isCa
          ? "§1.1, §7 item 3"
          : "§1.1",
    );
  }

  // Groups (reference §6: groups = every O).
  const masters = groups.includes(GROUPS.masters);
  if (role === "admin") {
    if (!masters && !groups.includes(GROUPS.clusterAdmins)) {
      add(
        "error",
        "MISSING_GROUP",
        `no group that grants rights (O is ${groups.length ? groups.join(", ") : "absent"}): the admin authenticates but is allowed nothing`,
        `issue it with -subj "${subjText(spec?.subject.commonName ?? "kubernetes-admin", [GROUPS.clusterAdmins])}" (kubeadm's admin.conf; kubeadm binds kubeadm:cluster-admins to cluster-admin)`,
        "§3, §6, §7 item 4",
      );
    } else if (masters) {
      add(
        "warning",
        "SUPERUSER_GROUP",
        "O=system:masters: an unrevocable superuser (no RBAC binding can take it back); kubeadm keeps it for the break-glass super-admin.conf",
        `issue admin.conf with -subj "${subjText("kubernetes-admin", [GROUPS.clusterAdmins])}" and keep system:masters for super-admin.conf`,
        "§3, §6, §7 item 7",
      );
    }
    return;
  }
  if (role === "super-admin") {
    if (!masters) {
      add(
        "error",
        "MISSING_GROUP",
        "super-admin.conf without O=system:masters cannot serve as the break-glass identity",
        `issue it with -subj "${subjText("kubernetes-super-admin", [GROUPS.masters])}"`,
        "§3",
      );
    }
    return;
  }
  if (role === "apiserver-kubelet-client") {
    if (masters) {
      add(
        "warning",
        "SUPERUSER_GROUP",
        "O=system:masters (kubeadm ≤ 1.28): works, but an unrevocable superuser; kubeadm ≥ 1.29 uses kubeadm:cluster-admins",
        `issue it with -subj "${subjText("kube-apiserver-kubelet-client", [GROUPS.clusterAdmins])}"`,
        "§0, §6",
      );
    } else if (!groups.includes(GROUPS.clusterAdmins)) {
      add(
        "warning",
        "MISSING_GROUP",
        "no kubeadm:cluster-admins group: unless another binding allows it, kubelets refuse logs/exec/port-forward from the API server",
        `issue it with -subj "${subjText("kube-apiserver-kubelet-client", [GROUPS.clusterAdmins])}" (or bind ClusterRole system:kubelet-api-admin to the user)`,
        "§6",
      );
    }
    return;
  }
  if (profile.scope === "node") {
    if (!groups.includes(GROUPS.nodes)) {
      add(
        severity,
        "MISSING_GROUP",
        `no O=system:nodes: ${role === "kubelet-client" ? "the Node authorizer only authorizes group system:nodes" : "the kubelet-serving signer requires O exactly system:nodes"}`,
        fixSubject(expectedCn ?? "system:node:<nodeName>"),
        role === "kubelet-client" ? "§4.1, §6" : "§4.2",
      );
    }
    for (const group of groups.filter((candidate) => candidate !== GROUPS.nodes)) {
      add(
        group === GROUPS.masters ? "error" : "warning",
        group === GROUPS.masters ? "SUPERUSER_GROUP" : "UNEXPECTED_GROUP",
        `O=${group}: a node's certificate carries O exactly system:nodes${group === GROUPS.masters ? " — this one makes every holder of the node's key an unrevocable superuser" : ""}`,
        fixSubject(expectedCn ?? "system:node:<nodeName>"),
        "§4.1, §6",
      );
    }
    return;
  }
  const unexpected = groups.filter((group) => !expectedGroups.includes(group));
  if (unexpected.length > 0) {
    const etcd = role === "etcd-server" || role === "etcd-peer";
    add(
      "warning",
      masters ? "SUPERUSER_GROUP" : "UNEXPECTED_GROUP",
      `O=${unexpected.join(", ")}: kubeadm sets ${expectedGroups.length ? `O=${expectedGroups.join(", ")}` : "no O"} here${etcd ? " (etcd ignores O; its CN is the node name)" : ""}`,
      fixSubject(expectedCn ?? (etcd ? "<nodeName>" : String(profile.commonName))),
      etcd ? "§2.2, §7 item 27" : "§1.1",
    );
  }
};
