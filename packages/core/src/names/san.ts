import type { SubjectAltName, SubjectAltNameInput } from "./subject-alt-name.js";

/** OWNER: write path (stub). Classifies and validates SAN inputs; IPs canonical, DNS lowercased. */
export function normalizeSubjectAltNames(input: readonly SubjectAltNameInput[]): SubjectAltName[] {
  void input;
  throw new Error("not implemented");
}
