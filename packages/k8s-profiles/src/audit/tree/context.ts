// What a rule of the whole tree is given.
import type { ResolvedClusterConfig } from "../../config/resolve.js";
import type { RoleMatch, Tree, TreeCertificate } from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import type { AuditScope } from "../scope.js";
import type { IssuerLink } from "./issuers.js";

/** The tree, each certificate's role and issuer, and what the audit was asked. */
export interface TreeContext {
  readonly tree: Tree;
  readonly matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>;
  readonly issuers: ReadonlyMap<TreeCertificate, IssuerLink>;
  readonly config: ResolvedClusterConfig | undefined;
  readonly scope: AuditScope;
}

/** A rule over the whole tree: the findings no single certificate shows. */
export type TreeRule = (ctx: TreeContext) => Finding[];
