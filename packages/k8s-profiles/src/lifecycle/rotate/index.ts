// CA and service-account key rotation (issue 19): rotateCas (begin, reissue, finish) and rotationStatus.
export { rotateCas } from "./rotate.js";
export { rotationStatus } from "./status.js";
export type { RotateOptions, RotationPhase, RotationResult, RotationState, RotationTarget } from "./types.js";
