// describeTree: the cluster a tree was made for, from its record or its certificates.
export { describeTree, type TreeDescription } from "./describe.js";
