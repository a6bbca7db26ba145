// kubeadm's external CA mode for every node: keys and requests here, certificates signed elsewhere.

export { type SigningEntry, signingList, toCsrFiles } from "./csr-files.js";
export { type CsrProblem, type FinishCsrsOptions, type FinishCsrsResult, finishCsrs } from "./finish.js";
export {
  type CsrRequest,
  type CsrSet,
  type ExternalCa,
  type ExternalCas,
  type GenerateCsrsOptions,
  generateCsrs,
} from "./generate-csrs.js";
export type { CsrLocation } from "./layout.js";
