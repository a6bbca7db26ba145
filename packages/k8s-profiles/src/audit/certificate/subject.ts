// Subject: the CN and O a role's consumer checks — RBAC users and groups, the Node authorizer, the front proxy (reference §1.1, §4, §5.1, §6).
import { GROUPS } from "../../roles/constants.js";
import type { RoleProfile } from "../../roles/profiles.js";
import { subjText } from "../hints.js";
import type { Add, RoleRule, RoleRuleContext } from "./context.js";

/** What breaks when the CN differs, by who checks it (the table's `identityInCn` column). */
const IDENTITY_CHECKED_BY: Record<NonNullable<RoleProfile["identityInCn"]>, (user: string) => string> = {
  rbac: (user) => `the default RBAC bindings name the user ${user}, so this one gets no permissions`,
  "node-proxier": (user) => `the default binding system:node-proxier names the user ${user}`,
  "node-authorizer": () => "the Node authorizer keys off the exact node name",
  "requestheader-allowed-names": () =>
    "the API server only trusts front-proxy headers from CNs in --requestheader-allowed-names",
};

/** What the subject should be: the spec's when a config says enough, else the table's row. */
function expectedSubject(ctx: RoleRuleContext): {
  readonly cn: string | undefined;
  readonly groups: readonly string[];
  readonly fix: (cn: string) => string;
} {
  const { spec, profile } = ctx;
  const node = ctx.match?.node;
  let cn: string | undefined;
  if (spec) cn = spec.subject.commonName;
  else if (typeof profile.commonName === "string") cn = profile.commonName;
  else if (profile.commonName.from === "node-user") cn = node !== undefined ? `system:node:${node}` : undefined;
  else cn = node;
  const groups = spec?.subject.organizations ?? profile.organizations ?? [];
  const fix = (commonName: string) =>
    `issue it with -subj "${subjText(commonName, groups)}": openssl req -new -key ${ctx.entry.keyPath} -subj "${subjText(commonName, groups)}" -out <name>.csr, then sign again`;
  return { cn, groups, fix };
}

/** The CN: the user RBAC, the Node authorizer or the front proxy sees (reference §1.1, §4, §6). */
export const checkCommonName: RoleRule = (ctx, add) => {
  const { role, profile } = ctx;
  const commonName = ctx.entry.certificate.subject.commonName ?? "";
  const { cn: expectedCn, fix: fixSubject } = expectedSubject(ctx);

  // The CN is the node's user: a wrong one is an error where it is an identity (kubelet-client).
  // Nothing checks a CA's CN (reference §7 item 3: harmless): a security team's CA or an offline
  // root's intermediate keeps its own name, so that is parity information only.
  const severity = profile.identityInCn ? "error" : profile.isCa ? "info" : "warning";
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
      `CN is ${JSON.stringify(commonName)}, expected ${JSON.stringify(expectedCn)}${profile.identityInCn ? `: ${IDENTITY_CHECKED_BY[profile.identityInCn](expectedCn)}` : profile.isCa ? " (kubeadm's name; no component checks a CA's CN)" : " (kubeadm's)"}`,
      fixSubject(expectedCn),
      role === "scheduler" || role === "controller-manager" || role === "kube-proxy"
        ? "§6, §7 item 8"
        : profile.isCa
          ? "§1.1, §7 item 3"
          : "§1.1",
    );
  }
};

/** The O: the groups RBAC grants rights to (reference §6: groups = every O). */
export const checkGroups: RoleRule = (ctx, add) => {
  const groups = ctx.entry.certificate.subject.organizations ?? [];
  switch (ctx.role) {
    case "admin":
      return adminGroups(ctx, groups, add);
    case "super-admin":
      return superAdminGroups(groups, add);
    case "apiserver-kubelet-client":
      return apiserverKubeletClientGroups(groups, add);
    default:
      return ctx.profile.scope === "node" ? nodeGroups(ctx, groups, add) : unexpectedGroups(ctx, groups, add);
  }
};

function adminGroups(ctx: RoleRuleContext, groups: readonly string[], add: Add): void {
  const { spec } = ctx;
  const masters = groups.includes(GROUPS.masters);
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
}

function superAdminGroups(groups: readonly string[], add: Add): void {
  const masters = groups.includes(GROUPS.masters);
  if (!masters) {
    add(
      "error",
      "MISSING_GROUP",
      "super-admin.conf without O=system:masters cannot serve as the break-glass identity",
      `issue it with -subj "${subjText("kubernetes-super-admin", [GROUPS.masters])}"`,
      "§3",
    );
  }
}

function apiserverKubeletClientGroups(groups: readonly string[], add: Add): void {
  const masters = groups.includes(GROUPS.masters);
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
}

function nodeGroups(ctx: RoleRuleContext, groups: readonly string[], add: Add): void {
  const { role, profile } = ctx;
  const { cn: expectedCn, fix: fixSubject } = expectedSubject(ctx);
  // A wrong group is an error where the CN is an identity (kubelet-client).
  const severity = profile.identityInCn ? "error" : "warning";
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
}

function unexpectedGroups(ctx: RoleRuleContext, groups: readonly string[], add: Add): void {
  const { role, profile } = ctx;
  const { cn: expectedCn, groups: expectedGroups, fix: fixSubject } = expectedSubject(ctx);
  const masters = groups.includes(GROUPS.masters);
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
}
